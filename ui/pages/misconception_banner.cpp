#include "pages/misconception_banner.hpp"

#include <QCoreApplication>

#include "widgets/status_banner.hpp"

namespace stepwise::ui {

QString misconceptionKey(const std::string& kind)
{
    return QStringLiteral("misconception:") + QString::fromStdString(kind);
}

QString misconceptionText(const workflow::Misconception& item)
{
    return QCoreApplication::translate("stepwise::ui::Misconception",
                                       "Common mistake — %1 Why it misleads: %2 What to do: %3")
        .arg(QString::fromStdString(item.seen), QString::fromStdString(item.why), QString::fromStdString(item.fix));
}

void showMisconceptions(StatusBanner* banner, const std::vector<workflow::Misconception>& found,
                        const QStringList& managed)
{
    QStringList shown;
    for (const auto& item : found) {
        const QString kind = QString::fromStdString(item.kind);
        shown << kind;
        banner->setMessage(misconceptionKey(item.kind), StatusBanner::Level::Warning, misconceptionText(item));
    }
    for (const QString& kind : managed)
        if (!shown.contains(kind))
            banner->clearMessage(misconceptionKey(kind.toStdString()));
}

void showMisconception(StatusBanner* banner, const std::string& kind,
                       const std::optional<workflow::Misconception>& item)
{
    if (item)
        showMisconceptions(banner, {*item}, {QString::fromStdString(kind)});
    else
        showMisconceptions(banner, {}, {QString::fromStdString(kind)});
}

} // namespace stepwise::ui
