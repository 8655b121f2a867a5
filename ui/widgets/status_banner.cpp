#include "widgets/status_banner.hpp"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>

#include <algorithm>

namespace stepwise::ui {
namespace {

QColor mix(const QColor& a, const QColor& b, qreal t)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                            a.blueF() + (b.blueF() - a.blueF()) * t);
}

QString glyph(StatusBanner::Level level)
{
    switch (level) {
    case StatusBanner::Level::Success:
        return QStringLiteral("✓");
    case StatusBanner::Level::Info:
        return QStringLiteral("i");
    case StatusBanner::Level::Warning:
        return QStringLiteral("!");
    case StatusBanner::Level::Error:
        return QStringLiteral("✕");
    }
    return {};
}

} // namespace

QColor bannerColor(StatusBanner::Level level)
{
    switch (level) {
    case StatusBanner::Level::Success:
        return QColor(0x2e, 0x7d, 0x32);
    case StatusBanner::Level::Info:
        return QColor(0x25, 0x63, 0xeb);
    case StatusBanner::Level::Warning:
        return QColor(0xd9, 0x77, 0x06);
    case StatusBanner::Level::Error:
        return QColor(0xc6, 0x28, 0x28);
    }
    return {};
}

QPixmap bannerIcon(StatusBanner::Level level, int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(bannerColor(level));
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(std::max(8, int(size * 0.62)));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(QRectF(0, 0, size, size), Qt::AlignCenter, glyph(level));
    return pixmap;
}

StatusBanner::StatusBanner(QWidget* parent) : QFrame(parent), m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("statusBanner"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    setVisible(false);
}

void StatusBanner::setMessage(const QString& key, Level level, const QString& text)
{
    for (Message& message : m_messages) {
        if (message.key == key) {
            if (message.level == level && message.text == text)
                return;
            message.level = level;
            message.text = text;
            rebuild();
            return;
        }
    }
    m_messages.append({key, level, text});
    rebuild();
}

void StatusBanner::clearMessage(const QString& key)
{
    const auto removed = m_messages.removeIf([&](const Message& m) { return m.key == key; });
    if (removed > 0)
        rebuild();
}

void StatusBanner::clearMessagesWithPrefix(const QString& prefix)
{
    const auto removed = m_messages.removeIf([&](const Message& m) { return m.key.startsWith(prefix); });
    if (removed > 0)
        rebuild();
}

void StatusBanner::clearAll()
{
    if (m_messages.isEmpty())
        return;
    m_messages.clear();
    rebuild();
}

int StatusBanner::attentionCount() const
{
    return int(std::count_if(m_messages.begin(), m_messages.end(),
                             [](const Message& m) { return m.level == Level::Warning || m.level == Level::Error; }));
}

bool StatusBanner::hasError() const
{
    return std::any_of(m_messages.begin(), m_messages.end(), [](const Message& m) { return m.level == Level::Error; });
}

QString StatusBanner::text() const
{
    QStringList lines;
    QList<Message> sorted = m_messages;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Message& a, const Message& b) { return int(a.level) > int(b.level); });
    for (const Message& message : sorted)
        lines << message.text;
    return lines.join(QLatin1Char('\n'));
}

void StatusBanner::changeEvent(QEvent* event)
{
    // The rows' tints are mixed from the palette: a theme change re-mixes them.
    if (event->type() == QEvent::PaletteChange && !m_messages.isEmpty())
        rebuild();
    QFrame::changeEvent(event);
}

void StatusBanner::rebuild()
{
    while (QLayoutItem* item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    QList<Message> sorted = m_messages;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Message& a, const Message& b) { return int(a.level) > int(b.level); });
    const QColor base = palette().color(QPalette::Base);
    const QColor text = palette().color(QPalette::Text);
    for (const Message& message : sorted) {
        const QColor accent = bannerColor(message.level);
        auto* row = new QFrame(this);
        row->setObjectName(QStringLiteral("bannerRow"));
        // Tints mixed from the palette's base keep the strip readable in light and dark.
        row->setStyleSheet(QStringLiteral("QFrame#bannerRow { background: %1; border: 1px solid %2;"
                                          " border-left: 4px solid %3; border-radius: 4px; }")
                               .arg(mix(base, accent, 0.10).name(), mix(base, accent, 0.35).name(), accent.name()));
        auto* layout = new QHBoxLayout(row);
        layout->setContentsMargins(10, 6, 10, 6);
        layout->setSpacing(10);
        auto* icon = new QLabel(row);
        icon->setPixmap(bannerIcon(message.level, 18, devicePixelRatioF()));
        icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
        icon->setFixedWidth(20);
        auto* label = new QLabel(message.text, row);
        label->setObjectName(QStringLiteral("bannerText"));
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setStyleSheet(QStringLiteral("color: %1;").arg(text.name()));
        layout->addWidget(icon);
        layout->addWidget(label, 1);
        m_layout->addWidget(row);
    }
    setVisible(!m_messages.isEmpty());
    emit changed();
}

} // namespace stepwise::ui
