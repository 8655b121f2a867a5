#include "models/training_progress_model.hpp"

#include <QFont>
#include <QLocale>

#include <algorithm>

namespace stepwise::ui {
namespace {

QString formatValue(double value)
{
    return QLocale().toString(value, 'g', 4);
}

/// "trees" stays, "iteration" and "fold" become "iterations" and "folds" after a count.
QString plural(const QString& stepName)
{
    return stepName.isEmpty() || stepName.endsWith(QLatin1Char('s')) ? stepName : stepName + QLatin1Char('s');
}

} // namespace

TrainingProgressModel::TrainingProgressModel(QObject* parent) : QAbstractTableModel(parent) {}

void TrainingProgressModel::setSourceNamer(std::function<QString(const QString&)> namer)
{
    m_namer = std::move(namer);
    if (!m_rows.empty())
        emit dataChanged(index(0, ModelColumn), index(rowCount() - 1, ModelColumn));
}

void TrainingProgressModel::setEmphasisedSource(const QString& source)
{
    m_emphasised = source;
    if (!m_rows.empty())
        emit dataChanged(index(0, ModelColumn), index(rowCount() - 1, ModelColumn));
}

void TrainingProgressModel::start(const QStringList& planned)
{
    beginResetModel();
    m_rows.clear();
    for (const QString& source : planned) {
        Row row;
        row.source = source;
        m_rows.push_back(row);
    }
    endResetModel();
}

void TrainingProgressModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

TrainingProgressModel::Row& TrainingProgressModel::rowFor(const QString& source)
{
    for (Row& row : m_rows)
        if (row.source == source)
            return row;
    beginInsertRows({}, rowCount(), rowCount());
    Row row;
    row.source = source;
    m_rows.push_back(row);
    endInsertRows();
    return m_rows.back();
}

void TrainingProgressModel::apply(const TrainingUpdate& update)
{
    if (update.curves.isEmpty())
        return;
    for (const CurveUpdate& curve : update.curves) {
        if (curve.points.isEmpty())
            continue;
        Row& row = rowFor(curve.source);
        if (row.state == State::Waiting) {
            row.state = State::Running;
            row.fits = std::max(row.fits, 1);
        }
        if (isIndexedCurve(curve.stepName)) {
            // Fold scores: progress is how many folds are scored, the value their mean.
            for (const QPointF& point : curve.points) {
                ++row.foldsDone;
                row.foldSum += point.y();
            }
            row.step = row.foldsDone;
            row.totalSteps = curve.totalSteps;
            row.stepName = curve.stepName;
            row.latestHonesty = 0;
            row.latestMetric = curve.metricName;
            row.latestRows = curve.measuredOn;
            row.latestValue = row.foldSum / row.foldsDone;
            row.latestFolds = row.foldsDone;
            continue;
        }
        for (const QPointF& point : curve.points) {
            const auto last = row.lastStep.constFind(curve.metricName);
            if (last != row.lastStep.cend() && point.x() <= *last) {
                // The step went back: a new fit of this run (the next fold, the refit).
                // Every metric of the run starts over with it.
                ++row.fits;
                row.lastStep.clear();
            }
            row.lastStep.insert(curve.metricName, point.x());
            row.step = int(point.x());
        }
        row.totalSteps = curve.totalSteps;
        row.stepName = curve.stepName;
        const int honesty = metricHonesty(curve.metricName, curve.measuredOn);
        if (honesty <= row.latestHonesty) {
            row.latestHonesty = honesty;
            row.latestMetric = curve.metricName;
            row.latestRows = curve.measuredOn;
            row.latestValue = curve.points.back().y();
            row.latestFolds = 0;
        }
    }
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void TrainingProgressModel::finish(bool completed)
{
    for (Row& row : m_rows) {
        if (completed)
            row.state = State::Finished;
        else if (row.state != State::Finished)
            row.state = State::Stopped;
    }
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void TrainingProgressModel::addFinished(const QString& source, const QString& latest)
{
    Row& row = rowFor(source);
    row.state = State::Finished;
    row.latestText = latest;
    const int at = rowOf(source);
    emit dataChanged(index(at, 0), index(at, ColumnCount - 1));
}

QString TrainingProgressModel::sourceAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[std::size_t(row)].source : QString();
}

int TrainingProgressModel::rowOf(const QString& source) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].source == source)
            return int(i);
    return -1;
}

TrainingProgressModel::State TrainingProgressModel::stateAt(int row) const { return m_rows.at(std::size_t(row)).state; }
int TrainingProgressModel::fitsAt(int row) const { return m_rows.at(std::size_t(row)).fits; }
int TrainingProgressModel::stepAt(int row) const { return m_rows.at(std::size_t(row)).step; }
int TrainingProgressModel::totalStepsAt(int row) const { return m_rows.at(std::size_t(row)).totalSteps; }

int TrainingProgressModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TrainingProgressModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString TrainingProgressModel::progressText(const Row& row) const
{
    const QLocale locale;
    QString steps;
    if (row.totalSteps > 0)
        steps = tr("%1 of %2 %3").arg(locale.toString(row.step), locale.toString(row.totalSteps), plural(row.stepName));
    else if (row.step > 0)
        steps = tr("%1 %2").arg(locale.toString(row.step), plural(row.stepName));
    const QString fit = row.fits > 1 ? tr("fit %1 · ").arg(row.fits) : QString();
    switch (row.state) {
    case State::Waiting:
        return tr("no steps reported yet");
    case State::Running:
        return fit + steps;
    case State::Finished:
        if (row.fits > 1)
            return tr("done · %n fits", nullptr, row.fits);
        // All planned steps: the count says it; fewer (stopped early, converged): "of".
        if (row.totalSteps > 0 && row.step == row.totalSteps)
            return tr("done · %1 %2").arg(locale.toString(row.step), plural(row.stepName));
        return steps.isEmpty() ? tr("done") : tr("done · %1").arg(steps);
    case State::Stopped:
        return steps.isEmpty() ? tr("stopped") : tr("stopped at %1%2").arg(fit, steps);
    }
    return {};
}

QString TrainingProgressModel::latestText(const Row& row) const
{
    if (!row.latestText.isEmpty())
        return row.latestText;
    if (row.latestMetric.isEmpty())
        return {};
    if (row.latestFolds > 0)
        return tr("%1 %2 (mean of %n folds)", nullptr, row.latestFolds).arg(row.latestMetric, formatValue(row.latestValue));
    return tr("%1 %2").arg(row.latestMetric, formatValue(row.latestValue));
}

QVariant TrainingProgressModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    const bool kept = row.source == m_emphasised;
    switch (index.column()) {
    case ModelColumn:
        if (role == Qt::DisplayRole) {
            const QString name = m_namer ? m_namer(row.source) : row.source;
            return kept ? tr("%1 (kept)").arg(name) : name;
        }
        if (role == Qt::FontRole && kept) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        if (role == Qt::ToolTipRole)
            return kept ? tr("The kept model: the one saved, evaluated and exported")
                        : tr("Trained on the same split and steps, for comparison");
        break;
    case ProgressColumn:
        if (role == Qt::DisplayRole)
            return progressText(row);
        if (role == FractionRole) {
            if (row.state == State::Finished)
                return 1.0;
            return row.totalSteps > 0 ? std::clamp(double(row.step) / row.totalSteps, 0.0, 1.0) : 0.0;
        }
        if (role == Qt::ToolTipRole)
            return tr("Progress of the current fit. Cross-validation fits the model once per fold, then once on all "
                      "training rows: each is one fit.");
        break;
    case LatestColumn:
        if (role == Qt::DisplayRole)
            return latestText(row);
        if (role == Qt::ToolTipRole && !row.latestRows.isEmpty())
            return tr("Measured on the %1").arg(row.latestRows);
        break;
    default:
        break;
    }
    return {};
}

QVariant TrainingProgressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ModelColumn:
        return tr("Model");
    case ProgressColumn:
        return tr("Progress");
    case LatestColumn:
        return tr("Latest");
    default:
        return {};
    }
}

} // namespace stepwise::ui
