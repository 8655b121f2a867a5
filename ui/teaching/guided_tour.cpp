#include "teaching/guided_tour.hpp"

#include <QAbstractButton>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include "pages/wizard_step_page.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/step_rail.hpp"

namespace stepwise::ui {
namespace {

const char* kDoneKey = "tour/done";
constexpr int kGap = 14;       // between the highlighted part and the bubble
constexpr int kHalo = 6;       // the lit margin around the highlighted part
constexpr int kBubbleWidth = 340;

} // namespace

GuidedTour::GuidedTour(MainWizard* wizard)
    : QWidget(wizard),
      m_wizard(wizard),
      m_bubble(new QFrame(this)),
      m_counter(new QLabel(m_bubble)),
      m_title(new QLabel(m_bubble)),
      m_text(new QLabel(m_bubble)),
      // No mnemonics: Alt+B and Alt+N are the wizard's; Enter, the arrows and Esc drive the tour.
      m_back(new QPushButton(tr("Back"), m_bubble)),
      m_next(new QPushButton(tr("Next"), m_bubble)),
      m_skip(new QPushButton(tr("Skip tour"), m_bubble))
{
    setObjectName(QStringLiteral("guidedTour"));
    setFocusPolicy(Qt::StrongFocus);
    hide();

    auto page = [wizard]() -> std::pair<QWidget*, QRect> {
        QWidget* current = wizard->currentPage();
        QWidget* title = current ? current->findChild<QWidget*>(QStringLiteral("pageTitle")) : nullptr;
        if (!title)
            return {nullptr, {}};
        // The title, its subtitle and the banner under them, as one highlighted block.
        QRect part = title->geometry();
        for (const char* name : {"pageSubtitle", "statusBanner"}) {
            QWidget* below = current->findChild<QWidget*>(QLatin1String(name));
            if (below && below->isVisible() && below->parentWidget() == title->parentWidget())
                part = part.united(below->geometry());
        }
        return {title->parentWidget(), part};
    };
    m_stops = {
        {[wizard] { return std::pair<QWidget*, QRect>{wizard->rail(), {}}; }, tr("Seven steps"),
         tr("Problem, Data, Prep, Features, Training, Evaluation, Export. A tick marks a finished step and an "
            "amber count a step that needs attention. Click a step you have reached — or press Ctrl+1 … Ctrl+7 — "
            "to go back to it.")},
        {page, tr("Where you are"),
         tr("Each page says what the step is for. Problems and warnings appear in the banner under the title, "
            "in words, with what to do about them.")},
        {[wizard] { return std::pair<QWidget*, QRect>{wizard->button(QWizard::HelpButton), {}}; }, tr("Learn"),
         tr("Learn (F1) opens a panel beside the page: what this step is for, common pitfalls and tips.")},
        {[wizard] { return std::pair<QWidget*, QRect>{wizard->button(QWizard::NextButton), {}}; }, tr("Next"),
         tr("Next (Alt+Right) is enabled once the page is complete; until then the page says what is missing. "
            "Back (Alt+Left) returns without losing anything.")},
        {[wizard] { return std::pair<QWidget*, QRect>{wizard->menuBar(), {}}; },
         tr("Menus"),
         tr("File saves and opens your work (Ctrl+S saves the trained model). View has the Learn panel, light and "
            "dark themes and presentation mode (F5) for a projector; Learn has this tour.")},
        {[wizard] {
             return std::pair<QWidget*, QRect>{wizard->rail()->findChild<QWidget*>(QStringLiteral("railFooter")), {}};
         },
         tr("Running work"),
         tr("Loading, training and exporting run in the background. Their progress and a Cancel button show here, "
            "on every page, so you can keep looking around while they run.")},
    };

    m_bubble->setObjectName(QStringLiteral("tourBubble"));
    m_bubble->setAutoFillBackground(true);
    m_bubble->setFrameShape(QFrame::StyledPanel);
    m_bubble->setBackgroundRole(QPalette::Base);
    m_bubble->setFixedWidth(kBubbleWidth);
    auto* column = new QVBoxLayout(m_bubble);
    column->setContentsMargins(16, 14, 16, 12);
    column->setSpacing(8);
    m_counter->setObjectName(QStringLiteral("tourCounter"));
    m_counter->setEnabled(false);
    m_title->setObjectName(QStringLiteral("tourTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_text->setObjectName(QStringLiteral("tourText"));
    m_text->setWordWrap(true);
    column->addWidget(m_counter);
    column->addWidget(m_title);
    column->addWidget(m_text);
    auto* buttons = new QHBoxLayout;
    m_skip->setObjectName(QStringLiteral("tourSkip"));
    m_back->setObjectName(QStringLiteral("tourBack"));
    m_next->setObjectName(QStringLiteral("tourNext"));
    buttons->addWidget(m_skip);
    buttons->addStretch(1);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    column->addLayout(buttons);
    for (QPushButton* button : {m_skip, m_back, m_next}) {
        // Enter presses the focused button; it must not reach the wizard's own buttons.
        button->setAutoDefault(false);
        button->installEventFilter(this);
    }
    connect(m_next, &QPushButton::clicked, this, &GuidedTour::next);
    connect(m_back, &QPushButton::clicked, this, &GuidedTour::back);
    connect(m_skip, &QPushButton::clicked, this, &GuidedTour::skip);
    wizard->installEventFilter(this);
}

bool GuidedTour::isDue(const QSettings& settings) { return !settings.value(kDoneKey, false).toBool(); }

void GuidedTour::markDone(QSettings& settings) { settings.setValue(kDoneKey, true); }

void GuidedTour::start()
{
    setGeometry(m_wizard->rect());
    QWidget::show();
    raise();
    show(0, +1);
}

void GuidedTour::next()
{
    if (m_current >= 0)
        show(m_current + 1, +1);
}

void GuidedTour::back()
{
    if (m_current > 0)
        show(m_current - 1, -1);
}

void GuidedTour::skip() { finish(false); }

void GuidedTour::show(int index, int direction)
{
    // Pass over stops whose part of the window is not shown right now.
    while (index >= 0 && index < m_stops.size()) {
        const auto [widget, part] = m_stops[index].anchor();
        if (widget && widget->isVisible() && !widget->rect().isEmpty() &&
            (part.isEmpty() || widget->rect().intersects(part))) {
            m_current = index;
            m_anchor = widget;
            m_anchorPart = part;
            break;
        }
        index += direction;
    }
    if (index >= m_stops.size()) {
        finish(true);
        return;
    }
    if (index < 0)
        return;
    const TourStop& stop = m_stops[m_current];
    m_counter->setText(tr("Step %1 of %2").arg(m_current + 1).arg(m_stops.size()));
    m_title->setText(stop.title);
    m_text->setText(stop.text);
    m_back->setEnabled(m_current > 0);
    m_next->setText(m_current + 1 == m_stops.size() ? tr("Done") : tr("Next"));
    place();
    m_next->setFocus(Qt::OtherFocusReason);
    update();
}

QRect GuidedTour::anchorRect() const
{
    if (!m_anchor)
        return {};
    const QRect local = m_anchorPart.isEmpty() ? m_anchor->rect() : m_anchorPart;
    return QRect(m_anchor->mapTo(m_wizard, local.topLeft()), local.size());
}

void GuidedTour::place()
{
    setGeometry(m_wizard->rect());
    m_bubble->adjustSize();
    const QRect target = anchorRect().adjusted(-kHalo, -kHalo, kHalo, kHalo);
    const QSize size = m_bubble->sizeHint().expandedTo(QSize(kBubbleWidth, 0));
    QPoint at;
    // Beside the part when there is room (right first, the reading direction), else above
    // or below it; always inside the window.
    if (target.right() + kGap + size.width() <= width())
        at = QPoint(target.right() + kGap, target.center().y() - size.height() / 2);
    else if (target.left() - kGap - size.width() >= 0)
        at = QPoint(target.left() - kGap - size.width(), target.center().y() - size.height() / 2);
    else if (target.top() - kGap - size.height() >= 0)
        at = QPoint(target.center().x() - size.width() / 2, target.top() - kGap - size.height());
    else
        at = QPoint(target.center().x() - size.width() / 2, target.bottom() + kGap);
    at.setX(std::clamp(at.x(), 8, std::max(8, width() - size.width() - 8)));
    at.setY(std::clamp(at.y(), 8, std::max(8, height() - size.height() - 8)));
    m_bubble->setGeometry(QRect(at, size));
    raise();
}

void GuidedTour::finish(bool completed)
{
    m_current = -1;
    m_anchor = nullptr;
    hide();
    emit finished(completed);
}

void GuidedTour::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath dim;
    dim.addRect(rect());
    const QRectF hole = QRectF(anchorRect()).adjusted(-kHalo, -kHalo, kHalo, kHalo);
    QPainterPath lit;
    lit.addRoundedRect(hole, 8, 8);
    p.fillPath(dim.subtracted(lit), QColor(0, 0, 0, 150));
    QPen ring(palette().color(QPalette::Highlight), 2.5);
    p.setPen(ring);
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(hole, 8, 8);
}

void GuidedTour::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Right:
        next();
        break;
    case Qt::Key_Left:
        back();
        break;
    case Qt::Key_Escape:
        skip();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void GuidedTour::mousePressEvent(QMouseEvent* event)
{
    // The dimmed window is not clickable while the tour runs.
    event->accept();
}

bool GuidedTour::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_wizard && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest) &&
        m_current >= 0) {
        place();
        update();
    } else if (watched != m_wizard && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Escape) {
            keyPressEvent(static_cast<QKeyEvent*>(event));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace stepwise::ui
