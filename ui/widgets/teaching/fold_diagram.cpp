#include "widgets/teaching/fold_diagram.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QTimer>
#include <QVBoxLayout>
#include <QVariantAnimation>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "session/session.hpp"
#include "tasks/background_task.hpp"

namespace stepwise::ui {

bool prefersReducedMotion()
{
    if (qEnvironmentVariable("STEPWISE_REDUCED_MOTION") == QLatin1String("1"))
        return true;
    return QSettings().value(QStringLiteral("view/reducedMotion"), false).toBool();
}

namespace {

constexpr int kStepMs = 1800;    // one fold on screen while playing
constexpr int kFadeMs = 450;     // the current lane fading in
constexpr int kMaxLanes = 20;    // more folds (leave-one-out) show the current fold only
constexpr qreal kDimmed = 0.3;   // lanes other than the current one while playing

QString count(std::size_t n) { return QLocale().toString(qulonglong(n)); }
QString percent(double share) { return QString::number(std::lround(share * 100.0)) + QStringLiteral(" %"); }

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

/// Paints the strips of a `FoldDiagram`; everything it shows comes from the diagram.
class FoldCanvas : public QWidget {
public:
    explicit FoldCanvas(FoldDiagram* diagram) : QWidget(diagram), m_diagram(diagram)
    {
        setMinimumHeight(150);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    QSize sizeHint() const override { return {560, 220}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    // The colour of row `position` in lane `fold` (-2: the class strip).
    QColor cellColour(int fold, std::size_t position) const
    {
        const auto& preview = *m_diagram->m_preview;
        const QColor base = preview.rowClass.empty() ? FoldDiagram::classColour(0)
                                                     : FoldDiagram::classColour(preview.rowClass[position]);
        if (fold == -2)
            return base;
        const QColor window = palette().color(QPalette::Base);
        switch (m_diagram->roleIn(fold, position)) {
        case FoldDiagram::RowRole::Test: return base;
        case FoldDiagram::RowRole::Train: return mix(base, window, 0.68);
        case FoldDiagram::RowRole::Gap: return mix(palette().color(QPalette::Text), window, 0.45);
        case FoldDiagram::RowRole::Unused: break;
        }
        return mix(palette().color(QPalette::Text), window, 0.9);
    }
    // One strip: a cell per row, or per pixel column (its most frequent colour) when the
    // rows outnumber the pixels; runs of one colour are painted as one rectangle.
    void paintStrip(QPainter& painter, const QRectF& area, int fold) const
    {
        const std::size_t n = m_diagram->m_preview->rows.size();
        if (n == 0)
            return;
        const int pixels = std::max(1, int(area.width()));
        const bool bucketed = n > std::size_t(pixels);
        const std::size_t cells = bucketed ? std::size_t(pixels) : n;
        const qreal width = area.width() / qreal(cells);
        std::vector<QRgb> colours(cells);
        for (std::size_t c = 0; c < cells; ++c) {
            if (!bucketed) {
                colours[c] = cellColour(fold, c).rgb();
                continue;
            }
            const std::size_t from = c * n / cells, to = std::max(from + 1, (c + 1) * n / cells);
            std::map<QRgb, std::size_t> votes;
            for (std::size_t p = from; p < to; ++p)
                ++votes[cellColour(fold, p).rgb()];
            colours[c] = std::max_element(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
                             return a.second < b.second;
                         })->first;
        }
        for (std::size_t c = 0; c < cells;) {
            std::size_t end = c + 1;
            while (end < cells && colours[end] == colours[c])
                ++end;
            painter.fillRect(QRectF(area.left() + qreal(c) * width, area.top(), qreal(end - c) * width, area.height()),
                             QColor::fromRgb(colours[c]));
            c = end;
        }
        // Thin separators between cells while they are wide enough to tell apart.
        if (!bucketed && width >= 6.0) {
            painter.setPen(QPen(palette().color(QPalette::Base), 1.0));
            for (std::size_t c = 1; c < cells; ++c)
                painter.drawLine(QPointF(area.left() + qreal(c) * width, area.top()),
                                 QPointF(area.left() + qreal(c) * width, area.bottom()));
        }
    }

    FoldDiagram* m_diagram;
};

void FoldCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    const auto& preview = m_diagram->m_preview;
    if (!preview || preview->rows.empty())
        return;
    const int folds = int(preview->folds.size());
    const int current = m_diagram->m_fold;
    const QFontMetricsF fm(font());
    const qreal margin = 8.0;
    const qreal labelWidth = fm.horizontalAdvance(FoldDiagram::tr("Fold %1").arg(std::max(folds, 10))) + 14.0;
    const qreal left = margin + labelWidth;
    const qreal right = width() - margin;
    const qreal legendHeight = fm.height() + 10.0;
    const qreal axisHeight = fm.height() + 4.0;

    // Lanes: the class strip, then one per fold (only the current one for many folds).
    std::vector<int> lanes;
    if (folds <= kMaxLanes) {
        for (int f = 0; f < folds; ++f)
            lanes.push_back(f);
    } else {
        lanes.push_back(std::max(current, 0));
    }
    const qreal available = height() - 2 * margin - legendHeight - axisHeight;
    const qreal pitch = std::clamp(available / qreal(lanes.size() + 1.6), 6.0, 30.0);
    const qreal laneHeight = std::max(4.0, pitch * 0.72);
    qreal y = margin;

    QFont bold = font();
    bold.setBold(true);
    const QColor ink = palette().color(QPalette::Text);
    painter.setPen(ink);
    painter.drawText(QRectF(margin, y, labelWidth - 6, laneHeight), Qt::AlignRight | Qt::AlignVCenter,
                     preview->rowClass.empty() ? FoldDiagram::tr("Rows") : FoldDiagram::tr("Class"));
    paintStrip(painter, QRectF(left, y, right - left, laneHeight), -2);
    y += pitch * 1.6;

    // Only a running fade dims the current lane; stepping without animation shows it at once.
    const double fade = m_diagram->m_fade->state() == QAbstractAnimation::Running
                            ? m_diagram->m_fade->currentValue().toDouble()
                            : 1.0;
    for (int f : lanes) {
        const QRectF strip(left, y, right - left, laneHeight);
        const bool isCurrent = f == current;
        painter.setOpacity(current < 0 || isCurrent ? (isCurrent ? kDimmed + (1.0 - kDimmed) * fade : 1.0) : kDimmed);
        painter.setFont(isCurrent ? bold : font());
        painter.setPen(ink);
        painter.drawText(QRectF(margin, y, labelWidth - 6, laneHeight), Qt::AlignRight | Qt::AlignVCenter,
                         FoldDiagram::tr("Fold %1").arg(f + 1));
        paintStrip(painter, strip, f);
        painter.setOpacity(1.0);
        if (isCurrent) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 2.0));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(strip.adjusted(-2, -2, 2, 2));
        }
        y += pitch;
    }
    painter.setFont(font());

    // The axis: what the order of the rows means.
    painter.setPen(mix(ink, palette().color(QPalette::Base), 0.35));
    QString axis;
    if (!preview->timeColumn.empty()) {
        axis = FoldDiagram::tr("oldest → newest by %1").arg(QString::fromStdString(preview->timeColumn));
        if (!preview->time.empty() && std::abs(preview->time.back()) < 1e6)
            axis += QStringLiteral(" (%1 … %2)")
                        .arg(QString::number(preview->time.front(), 'g', 6), QString::number(preview->time.back(), 'g', 6));
    } else {
        axis = FoldDiagram::tr("the %1 training rows in data order").arg(count(preview->rows.size()));
    }
    painter.drawText(QRectF(left, y - pitch + laneHeight + 2, right - left, axisHeight), Qt::AlignLeft | Qt::AlignTop,
                     axis);
    y += axisHeight - pitch + laneHeight + 8;

    // The legend: the classes (with their shares), then what solid, pale and grey mean.
    qreal x = left;
    const qreal swatch = fm.height() * 0.8;
    const auto entry = [&](const QColor& colour, const QString& text) {
        painter.fillRect(QRectF(x, y + (fm.height() - swatch) / 2, swatch, swatch), colour);
        painter.setPen(ink);
        const qreal w = fm.horizontalAdvance(text);
        painter.drawText(QRectF(x + swatch + 4, y, w + 2, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += swatch + 4 + w + 14;
    };
    const QColor window = palette().color(QPalette::Base);
    if (!preview->rowClass.empty()) {
        std::vector<std::size_t> perClass(preview->classLabels.size(), 0);
        for (int c : preview->rowClass)
            if (c >= 0 && std::size_t(c) < perClass.size())
                ++perClass[std::size_t(c)];
        for (std::size_t c = 0; c < perClass.size() && c < 8; ++c)
            entry(FoldDiagram::classColour(int(c)),
                  QStringLiteral("%1 (%2)").arg(QString::fromStdString(preview->classLabels[c]),
                                                percent(double(perClass[c]) / double(preview->rows.size()))));
    }
    const QColor neutral = FoldDiagram::classColour(preview->rowClass.empty() ? 0 : -1);
    entry(neutral, FoldDiagram::tr("solid: tested"));
    entry(mix(neutral, window, 0.68), FoldDiagram::tr("pale: trains the model"));
    if (preview->spec.strategy == evaluation::CvStrategy::TimeSeries) {
        if (preview->spec.gap > 0)
            entry(mix(ink, window, 0.45), FoldDiagram::tr("gap"));
        entry(mix(ink, window, 0.9), FoldDiagram::tr("not used"));
    }
}

QColor FoldDiagram::classColour(int index)
{
    // Okabe–Ito: told apart with every common colour-vision deficiency.
    static const std::array<QColor, 8> colours = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00),
                                                  QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
                                                  QColor(0x56, 0xB4, 0xE9), QColor(0xD5, 0x5E, 0x00),
                                                  QColor(0xF0, 0xE4, 0x42), QColor(0x66, 0x66, 0x66)};
    if (index < 0)
        return QColor(0x55, 0x55, 0x55);
    return colours[std::size_t(index) % colours.size()];
}

FoldDiagram::FoldDiagram(QWidget* parent)
    : QWidget(parent),
      m_animated(!prefersReducedMotion()),
      m_canvas(new FoldCanvas(this)),
      m_caption(new QLabel(this)),
      m_message(new QLabel(this)),
      m_play(new QPushButton(tr("Play"), this)),
      m_previous(new QPushButton(tr("◀ Previous fold"), this)),
      m_next(new QPushButton(tr("Next fold ▶"), this)),
      m_all(new QPushButton(tr("All folds"), this)),
      m_timer(new QTimer(this)),
      m_fade(new QVariantAnimation(this))
{
    setObjectName(QStringLiteral("foldDiagram"));
    m_canvas->setObjectName(QStringLiteral("foldCanvas"));
    m_caption->setObjectName(QStringLiteral("foldCaption"));
    m_play->setObjectName(QStringLiteral("foldPlayButton"));
    m_previous->setObjectName(QStringLiteral("foldPreviousButton"));
    m_next->setObjectName(QStringLiteral("foldNextButton"));
    m_all->setObjectName(QStringLiteral("foldAllButton"));
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_play->setToolTip(tr("Step through the folds one by one"));
    m_all->setToolTip(tr("Every fold at once: each row is tested in exactly one of them"));
    m_timer->setInterval(kStepMs);
    m_fade->setStartValue(0.0);
    m_fade->setEndValue(1.0);
    m_fade->setDuration(kFadeMs);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_previous);
    controls->addWidget(m_next);
    controls->addWidget(m_all);
    controls->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_caption);
    layout->addStretch(0);

    connect(m_timer, &QTimer::timeout, this, &FoldDiagram::step);
    connect(m_fade, &QVariantAnimation::valueChanged, m_canvas, qOverload<>(&QWidget::update));
    connect(m_play, &QPushButton::clicked, this, [this] { isPlaying() ? pause() : play(); });
    connect(m_next, &QPushButton::clicked, this, [this] {
        pause();
        step();
    });
    connect(m_previous, &QPushButton::clicked, this, [this] {
        pause();
        stepBack();
    });
    connect(m_all, &QPushButton::clicked, this, [this] {
        pause();
        setCurrentFold(-1);
    });
    showMessage(tr("Load data and choose a target to see how the folds are made."));
}

void FoldDiagram::setPreview(std::shared_ptr<const workflow::FoldPreview> preview)
{
    m_preview = std::move(preview);
    if (!m_preview) {
        showMessage(tr("No folds to show."));
        return;
    }
    m_message->hide();
    m_canvas->show();
    // Tall enough for lanes of about 30 px, no taller: the caption follows right below.
    const int lanes = std::min(int(m_preview->folds.size()), kMaxLanes);
    const int text = fontMetrics().height();
    m_canvas->setMaximumHeight(std::max(m_canvas->minimumHeight(), int(30.0 * (lanes + 1.6)) + 3 * text + 40));
    m_fold = -2;  // so the first setCurrentFold always refreshes
    setCurrentFold(m_animated ? 0 : -1);
    if (m_animated && isVisible())
        play();
}

void FoldDiagram::showMessage(const QString& message)
{
    pause();
    m_preview.reset();
    m_fold = -1;
    m_message->setText(message);
    m_message->show();
    m_canvas->hide();
    refresh();
}

int FoldDiagram::foldCount() const { return m_preview ? int(m_preview->folds.size()) : 0; }

void FoldDiagram::setCurrentFold(int fold)
{
    const int folds = foldCount();
    fold = folds == 0 ? -1 : std::clamp(fold, -1, folds - 1);
    if (fold == m_fold)
        return;
    m_fold = fold;
    m_fade->stop();
    if (m_animated && fold >= 0)
        m_fade->start();
    refresh();
    emit currentFoldChanged(fold);
}

void FoldDiagram::step()
{
    const int folds = foldCount();
    if (folds > 0)
        setCurrentFold(m_fold < 0 || m_fold + 1 >= folds ? 0 : m_fold + 1);
}

void FoldDiagram::stepBack()
{
    const int folds = foldCount();
    if (folds > 0)
        setCurrentFold(m_fold <= 0 ? folds - 1 : m_fold - 1);
}

void FoldDiagram::play()
{
    if (!m_animated || foldCount() == 0)
        return;
    if (m_fold < 0)
        setCurrentFold(0);
    m_timer->start();
    refresh();
}

void FoldDiagram::pause()
{
    m_timer->stop();
    refresh();
}

bool FoldDiagram::isPlaying() const { return m_timer->isActive(); }

void FoldDiagram::setAnimationEnabled(bool enabled)
{
    m_animated = enabled;
    if (!enabled) {
        pause();
        m_fade->stop();
        setCurrentFold(-1);
    }
    refresh();
}

FoldDiagram::RowRole FoldDiagram::roleIn(int fold, std::size_t position) const
{
    if (!m_preview || fold < 0 || std::size_t(fold) >= m_preview->folds.size() || position >= m_preview->rows.size())
        return RowRole::Unused;
    if (m_preview->testFold[position] == fold)
        return RowRole::Test;
    const evaluation::Fold& f = m_preview->folds[std::size_t(fold)];
    if (std::binary_search(f.train.begin(), f.train.end(), position))
        return RowRole::Train;
    // Between the training window and the test block of a time-series fold.
    if (!f.train.empty() && !f.test.empty() && position > f.train.back() && position < f.test.front())
        return RowRole::Gap;
    return RowRole::Unused;
}

FoldDiagram::RowRole FoldDiagram::roleAt(std::size_t position) const
{
    if (m_fold >= 0)
        return roleIn(m_fold, position);
    if (m_preview && position < m_preview->testFold.size() && m_preview->testFold[position] >= 0)
        return RowRole::Test;
    return RowRole::Unused;
}

QString FoldDiagram::caption() const { return m_caption->text(); }

void FoldDiagram::refresh()
{
    const int folds = foldCount();
    m_play->setVisible(m_animated);
    m_play->setText(isPlaying() ? tr("Pause") : tr("Play"));
    m_play->setEnabled(folds > 0);
    m_previous->setEnabled(folds > 0);
    m_next->setEnabled(folds > 0);
    m_all->setEnabled(folds > 0 && m_fold >= 0);
    if (!m_preview) {
        m_caption->clear();
        return;
    }
    const auto& p = *m_preview;
    const std::size_t n = p.rows.size();
    const bool classification = !p.rowClass.empty();
    const auto shares = [&](const std::vector<std::size_t>& positions) {
        std::vector<std::size_t> perClass(p.classLabels.size(), 0);
        for (std::size_t position : positions)
            ++perClass[std::size_t(p.rowClass[position])];
        QStringList parts;
        for (std::size_t c = 0; c < perClass.size(); ++c)
            parts << QStringLiteral("%1: %2").arg(QString::fromStdString(p.classLabels[c]),
                                                 percent(positions.empty() ? 0.0 : double(perClass[c]) / double(positions.size())));
        return parts.join(QStringLiteral(" · "));
    };
    std::vector<std::size_t> everyRow(n);
    for (std::size_t i = 0; i < n; ++i)
        everyRow[i] = i;

    QString text;
    if (m_fold < 0) {
        switch (p.spec.strategy) {
        case evaluation::CvStrategy::TimeSeries: {
            const std::size_t never = std::size_t(std::count(p.testFold.begin(), p.testFold.end(), -1));
            text = tr("%1 folds of %2 training rows in time order: each trains on every row before its test block "
                      "and is tested on the next block, so no model sees the future. The oldest %3 rows are never "
                      "tested.")
                       .arg(folds)
                       .arg(count(n), count(never));
            break;
        }
        case evaluation::CvStrategy::LeaveOneOut:
            text = tr("%1 folds, one per training row: each row is tested alone by a model trained on the other %2.")
                       .arg(count(std::size_t(folds)), count(n - 1));
            break;
        default:
            text = tr("%1 folds of %2 training rows: every row is tested exactly once, by a model trained on the "
                      "other %3 folds.")
                       .arg(folds)
                       .arg(count(n))
                       .arg(folds - 1);
            if (classification && p.spec.strategy == evaluation::CvStrategy::StratifiedKFold)
                text += QLatin1Char(' ') + tr("Each fold keeps the class shares: %1.").arg(shares(everyRow));
            break;
        }
    } else {
        const evaluation::Fold& f = p.folds[std::size_t(m_fold)];
        const QString head = tr("Fold %1 of %2: ").arg(m_fold + 1).arg(folds);
        switch (p.spec.strategy) {
        case evaluation::CvStrategy::StratifiedKFold:
            text = head + tr("%1 rows test, %2 train — each class keeps its share (%3; all rows: %4).")
                              .arg(count(f.test.size()), count(f.train.size()), shares(f.test), shares(everyRow));
            break;
        case evaluation::CvStrategy::KFold:
            text = head + tr("%1 rows test (rows %2–%3 in order), %4 train — one block of consecutive rows.")
                              .arg(count(f.test.size()), count(f.test.front() + 1), count(f.test.back() + 1),
                                   count(f.train.size()));
            if (classification)
                text += QLatin1Char(' ') + tr("Its class shares may drift: %1 (all rows: %2).")
                                               .arg(shares(f.test), shares(everyRow));
            break;
        case evaluation::CvStrategy::LeaveOneOut:
            text = head + tr("row %1 is the test, the other %2 train.").arg(count(f.test.front() + 1), count(f.train.size()));
            break;
        case evaluation::CvStrategy::TimeSeries: {
            const std::size_t gap = f.train.empty() || f.test.empty() ? 0 : f.test.front() - f.train.back() - 1;
            text = head + tr("trains on the oldest %1 rows, ").arg(count(f.train.size()));
            if (gap > 0)
                text += tr("skips the next %1 (the gap), ").arg(count(gap));
            text += tr("tests on the %1 rows after them — never on the past.").arg(count(f.test.size()));
            break;
        }
        }
    }
    if (!p.fromRecipe)
        text += QLatin1Char(' ') + tr("Cross-validation is off: these are the folds it (and a search) would use.");
    if (p.testRows + p.validationRows > 0)
        text += QLatin1Char('\n') + tr("The %1 held-out test rows and %2 validation rows are in no fold.")
                                        .arg(count(p.testRows), count(p.validationRows));
    m_caption->setText(text);
    m_canvas->update();
}

// ----------------------------------------------------------------------------------------

FoldDiagramPanel::FoldDiagramPanel(Session* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_diagram(new FoldDiagram(this)),
      m_task(new BackgroundTask(tr("Cutting folds"), this)),
      m_delay(new QTimer(this))
{
    setObjectName(QStringLiteral("foldDiagramPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_diagram);
    m_delay->setSingleShot(true);
    m_delay->setInterval(250);
    connect(m_delay, &QTimer::timeout, this, &FoldDiagramPanel::recompute);
    connect(session, &Session::recipeChanged, this, &FoldDiagramPanel::schedule);
    connect(session, &Session::dataChanged, this, &FoldDiagramPanel::schedule);
    connect(m_task, &BackgroundTask::finished, this, [this] {
        if (m_task->state() == BackgroundTask::State::Failed)
            m_diagram->showMessage(m_task->errorMessage());
    });
}

void FoldDiagramPanel::schedule()
{
    m_stale = true;
    if (isVisible())
        m_delay->start();
}

void FoldDiagramPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        m_delay->start();
    else if (m_diagram->animationEnabled() && m_diagram->currentFold() >= 0)
        m_diagram->play();
}

void FoldDiagramPanel::hideEvent(QHideEvent* event)
{
    // Nobody watches a hidden diagram: no timer ticks behind another tab.
    m_diagram->pause();
    QWidget::hideEvent(event);
}

void FoldDiagramPanel::recompute()
{
    m_stale = false;
    m_delay->stop();
    const auto table = m_session->table();
    const workflow::Recipe recipe = m_session->recipe();
    if (!table || recipe.problem.target.empty()) {
        m_diagram->showMessage(tr("Load data and choose a target to see how the folds are made."));
        return;
    }
    m_task->start(
        tr("Cutting the folds"),
        [recipe, table](core::TaskControl& control) -> std::any {
            return std::shared_ptr<const workflow::FoldPreview>(
                std::make_shared<workflow::FoldPreview>(workflow::previewFolds(recipe, *table, control)));
        },
        [this](const std::any& value) {
            m_diagram->setPreview(std::any_cast<std::shared_ptr<const workflow::FoldPreview>>(value));
        });
}

} // namespace stepwise::ui
