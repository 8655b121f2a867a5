#include "wizard/step_rail.hpp"

#include <QEnterEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

#include "stepwise/core/version.hpp"
#include "widgets/app_icon.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

const QColor kAccent(0x25, 0x63, 0xeb);
const QColor kDone(0x2e, 0x7d, 0x32);
const QColor kAttention(0xd9, 0x77, 0x06);
constexpr int kItemHeight = 44;
constexpr int kCircle = 24;

} // namespace

StepRailItem::StepRailItem(int number, const QString& title, QWidget* parent)
    : QAbstractButton(parent), m_number(number)
{
    setText(title);
    setObjectName(QStringLiteral("stepItem%1").arg(number));
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::TabFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setEnabled(false);
}

void StepRailItem::setState(StepState state, int attention)
{
    if (state == m_state && attention == m_attention)
        return;
    m_state = state;
    m_attention = attention;
    setEnabled(state != StepState::NotReached);
    setCursor(state == StepState::NotReached || state == StepState::Current ? Qt::ArrowCursor : Qt::PointingHandCursor);
    QString status;
    switch (state) {
    case StepState::NotReached:
        status = tr("not reached yet");
        break;
    case StepState::Reached:
        status = tr("visited, not complete — click to go there");
        break;
    case StepState::Current:
        status = tr("current step");
        break;
    case StepState::Done:
        status = tr("done — click to go there");
        break;
    }
    if (attention > 0)
        status += tr("; %n message(s) need attention", nullptr, attention);
    setToolTip(QStringLiteral("%1 %2: %3").arg(m_number).arg(text(), status));
    setAccessibleName(QStringLiteral("%1 %2").arg(m_number).arg(text()));
    setAccessibleDescription(status);
    update();
}

QSize StepRailItem::sizeHint() const { return {200, kItemHeight}; }

void StepRailItem::enterEvent(QEnterEvent* event)
{
    m_hover = true;
    update();
    QAbstractButton::enterEvent(event);
}

void StepRailItem::leaveEvent(QEvent* event)
{
    m_hover = false;
    update();
    QAbstractButton::leaveEvent(event);
}

void StepRailItem::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const QRectF r = rect();
    const bool current = m_state == StepState::Current;

    if (current) {
        QColor fill = kAccent;
        fill.setAlphaF(0.12);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(r.adjusted(6, 3, -6, -3), 6, 6);
        p.setBrush(kAccent);
        p.drawRoundedRect(QRectF(r.left() + 6, r.top() + 9, 3.5, r.height() - 18), 1.5, 1.5);
    } else if (m_hover && isEnabled()) {
        QColor fill = pal.color(QPalette::WindowText);
        fill.setAlphaF(0.06);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(r.adjusted(6, 3, -6, -3), 6, 6);
    }

    const QRectF circle(r.left() + 20, r.center().y() - kCircle / 2.0, kCircle, kCircle);
    // Connector to the next step, behind the circles.
    if (!m_last) {
        QColor line = pal.color(QPalette::Mid);
        line.setAlphaF(0.5);
        p.setPen(QPen(line, 2));
        p.drawLine(QPointF(circle.center().x(), circle.bottom() + 3), QPointF(circle.center().x(), r.bottom() + 1));
    }
    if (m_number > 1) {
        QColor line = pal.color(QPalette::Mid);
        line.setAlphaF(0.5);
        p.setPen(QPen(line, 2));
        p.drawLine(QPointF(circle.center().x(), r.top()), QPointF(circle.center().x(), circle.top() - 3));
    }

    QFont numberFont = font();
    numberFont.setBold(true);
    numberFont.setPointSizeF(font().pointSizeF() * 0.9);
    switch (m_state) {
    case StepState::Done: {
        p.setPen(Qt::NoPen);
        p.setBrush(kDone);
        p.drawEllipse(circle);
        QPainterPath tick;
        tick.moveTo(circle.left() + kCircle * 0.28, circle.top() + kCircle * 0.52);
        tick.lineTo(circle.left() + kCircle * 0.44, circle.top() + kCircle * 0.68);
        tick.lineTo(circle.left() + kCircle * 0.73, circle.top() + kCircle * 0.35);
        QPen pen(Qt::white, 2.2);
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(tick);
        break;
    }
    case StepState::Current:
        p.setPen(Qt::NoPen);
        p.setBrush(kAccent);
        p.drawEllipse(circle);
        p.setPen(Qt::white);
        p.setFont(numberFont);
        p.drawText(circle, Qt::AlignCenter, QString::number(m_number));
        break;
    case StepState::Reached:
        p.setPen(QPen(kAccent, 1.8));
        p.setBrush(pal.color(QPalette::Base));
        p.drawEllipse(circle.adjusted(1, 1, -1, -1));
        p.setPen(kAccent);
        p.setFont(numberFont);
        p.drawText(circle, Qt::AlignCenter, QString::number(m_number));
        break;
    case StepState::NotReached: {
        QColor muted = pal.color(QPalette::WindowText);
        muted.setAlphaF(0.4);
        p.setPen(QPen(muted, 1.5));
        p.setBrush(pal.color(QPalette::Window));
        p.drawEllipse(circle.adjusted(1, 1, -1, -1));
        p.setPen(muted);
        p.setFont(numberFont);
        p.drawText(circle, Qt::AlignCenter, QString::number(m_number));
        break;
    }
    }

    QFont titleFont = font();
    titleFont.setBold(current);
    p.setFont(titleFont);
    QColor textColor = pal.color(QPalette::WindowText);
    if (m_state == StepState::NotReached)
        textColor.setAlphaF(0.5);
    p.setPen(textColor);
    QRectF textRect(circle.right() + 12, r.top(), r.width() - circle.right() - 12 - 12, r.height());

    if (m_attention > 0) {
        QFont badgeFont = font();
        badgeFont.setBold(true);
        badgeFont.setPointSizeF(font().pointSizeF() * 0.8);
        const QFontMetricsF fm(badgeFont);
        const QString count = QString::number(m_attention);
        const qreal w = std::max<qreal>(18, fm.horizontalAdvance(count) + 10);
        const QRectF badge(r.right() - 14 - w, r.center().y() - 9, w, 18);
        p.setPen(Qt::NoPen);
        p.setBrush(kAttention);
        p.drawRoundedRect(badge, 9, 9);
        p.setPen(Qt::white);
        p.setFont(badgeFont);
        p.drawText(badge, Qt::AlignCenter, count);
        textRect.setRight(badge.left() - 6);
        p.setFont(titleFont);
        p.setPen(textColor);
    }
    p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(titleFont).elidedText(text(), Qt::ElideRight, textRect.width()));
    if (hasFocus()) {
        QColor focus = kAccent;
        p.setPen(QPen(focus, 1, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r.adjusted(7, 4, -7, -4), 6, 6);
    }
}

void StepRail::setMenuBar(QMenuBar* menuBar)
{
    menuBar->setParent(this);
    menuBar->setAutoFillBackground(false);
    // Fusion paints a menu bar in the window colour; on the rail's card (lighter than the
    // window in the dark theme) it must let the card show through.
    menuBar->setStyleSheet(QStringLiteral("QMenuBar { background: transparent; }"));
    auto* column = static_cast<QVBoxLayout*>(layout());
    column->setContentsMargins(0, 0, 0, 12);
    column->insertWidget(0, menuBar);
    column->insertSpacing(1, 10);
}

StepRail::StepRail(const QStringList& steps, QWidget* parent) : QWidget(parent), m_tasks(new QVBoxLayout)
{
    setObjectName(QStringLiteral("stepRail"));
    setFixedWidth(224);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 16, 0, 12);
    layout->setSpacing(0);

    auto* brand = new QHBoxLayout;
    brand->setContentsMargins(18, 0, 12, 0);
    brand->setSpacing(10);
    auto* icon = new QLabel(this);
    icon->setPixmap(appIconPixmap(34, devicePixelRatioF()));
    auto* name = new QLabel(QStringLiteral("Stepwise"), this);
    QFont nameFont = name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.35);
    name->setFont(nameFont);
    auto* tagline = new QLabel(tr("ML workbench"), this);
    QFont small = tagline->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    tagline->setFont(small);
    tagline->setEnabled(false);
    auto* names = new QVBoxLayout;
    names->setSpacing(0);
    names->addWidget(name);
    names->addWidget(tagline);
    brand->addWidget(icon);
    brand->addLayout(names, 1);
    layout->addLayout(brand);
    layout->addSpacing(18);

    auto* caption = new QLabel(tr("STEPS"), this);
    QFont captionFont = caption->font();
    captionFont.setBold(true);
    captionFont.setPointSizeF(captionFont.pointSizeF() * 0.8);
    captionFont.setLetterSpacing(QFont::AbsoluteSpacing, 1.2);
    caption->setFont(captionFont);
    caption->setEnabled(false);
    caption->setContentsMargins(20, 0, 0, 6);
    layout->addWidget(caption);

    for (int i = 0; i < steps.size(); ++i) {
        auto* item = new StepRailItem(i + 1, steps[i], this);
        item->setLast(i + 1 == steps.size());
        connect(item, &StepRailItem::clicked, this, [this, i] { emit stepClicked(i); });
        m_items.append(item);
        layout->addWidget(item);
    }
    layout->addStretch(1);
    m_tasks->setContentsMargins(10, 0, 10, 8);
    m_tasks->setSpacing(6);
    layout->addLayout(m_tasks);
    auto* version = new QLabel(tr("Version %1 · F1 Learn").arg(QString::fromLatin1(core::kVersion)), this);
    version->setObjectName(QStringLiteral("railFooter"));
    version->setFont(small);
    version->setEnabled(false);
    version->setContentsMargins(20, 0, 0, 0);
    layout->addWidget(version);
}

void StepRail::addTaskPanel(TaskProgressPanel* panel) { m_tasks->addWidget(panel); }

void StepRail::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor window = palette().color(QPalette::Window);
    // A slightly deeper shade than the page sets the rail apart in light and dark themes.
    QColor edge = palette().color(QPalette::Mid);
    edge.setAlphaF(0.45);
    p.setPen(edge);
    p.setBrush(window.lightness() > 128 ? window.darker(104) : window.lighter(118));
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
}

} // namespace stepwise::ui
