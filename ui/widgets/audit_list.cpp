#include "widgets/audit_list.hpp"

#include <algorithm>

#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

StatusBanner::Level levelOf(workflow::AuditSeverity severity)
{
    switch (severity) {
    case workflow::AuditSeverity::Leak:
        return StatusBanner::Level::Error;
    case workflow::AuditSeverity::Warning:
        return StatusBanner::Level::Warning;
    case workflow::AuditSeverity::Info:
        return StatusBanner::Level::Info;
    }
    return StatusBanner::Level::Info;
}

} // namespace

AuditList::AuditList(QWidget* parent) : QListWidget(parent)
{
    setObjectName(QStringLiteral("auditList"));
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::TabFocus);
    setWordWrap(true);
    setTextElideMode(Qt::ElideRight);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setToolTip(tr("What the audit found in the recipe and the data; hover a line for what to do"));
}

QSize AuditList::sizeHint() const
{
    // Two findings fit; more scroll. The list sits under the editor and must stay compact.
    return {320, 2 * (fontMetrics().height() + 8) + 2 * frameWidth() + 4};
}

void AuditList::showPlaceholder(const QString& text)
{
    clear();
    m_findings = 0;
    auto* item = new QListWidgetItem(text, this);
    item->setFlags(Qt::NoItemFlags);
}

void AuditList::setFindings(std::vector<workflow::AuditFinding> findings)
{
    std::stable_sort(findings.begin(), findings.end(), [](const auto& a, const auto& b) {
        return int(a.severity) > int(b.severity);
    });
    clear();
    m_findings = int(findings.size());
    if (findings.empty()) {
        auto* item = new QListWidgetItem(QIcon(bannerIcon(StatusBanner::Level::Success, 14, devicePixelRatioF())),
                                         tr("No leaks or data-health problems found in this recipe."), this);
        item->setFlags(Qt::ItemIsEnabled);
        return;
    }
    for (const workflow::AuditFinding& finding : findings) {
        const StatusBanner::Level level = levelOf(finding.severity);
        QString text = QString::fromStdString(finding.message);
        if (finding.severity == workflow::AuditSeverity::Leak)
            text = tr("Leak: %1").arg(text);
        auto* item = new QListWidgetItem(QIcon(bannerIcon(level, 14, devicePixelRatioF())), text, this);
        item->setFlags(Qt::ItemIsEnabled);
        QString tip = QStringLiteral("<p>%1</p>").arg(QString::fromStdString(finding.message).toHtmlEscaped());
        if (!finding.fix.empty())
            tip += QStringLiteral("<p><b>%1</b> %2</p>")
                       .arg(tr("What to do:"), QString::fromStdString(finding.fix).toHtmlEscaped());
        item->setToolTip(tip);
        item->setData(Qt::UserRole, QString::fromStdString(finding.kind));
    }
}

} // namespace stepwise::ui
