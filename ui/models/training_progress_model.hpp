#pragma once
/// \file
/// \brief Per-model progress while several models train in one task.

#include <QAbstractTableModel>
#include <QHash>
#include <QString>

#include <functional>
#include <vector>

#include "tasks/training_update.hpp"

namespace stepwise::ui {

/// \brief One row per training run (a model of the leaderboard, a search candidate),
/// from the live snapshots: how far its current fit is (step of total steps), how many
/// fits it has started (each cross-validation fold is one), and its latest value of its
/// most honest metric. Rows for the planned models exist from the start; a run that
/// reports under a new name (a search candidate) adds a row.
class TrainingProgressModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// \brief The columns.
    enum Column { ModelColumn, ProgressColumn, LatestColumn, ColumnCount };
    /// \brief Where a run stands.
    enum class State { Waiting, Running, Finished, Stopped };
    /// \brief ProgressColumn: the fraction of the current fit done (for a bar delegate).
    static constexpr int FractionRole = Qt::UserRole;

    explicit TrainingProgressModel(QObject* parent = nullptr);

    /// \brief How a source is named ("knn #2" → "k-nearest neighbours #2").
    void setSourceNamer(std::function<QString(const QString&)> namer);
    /// \brief Shows the row of `source` in bold (the kept model).
    void setEmphasisedSource(const QString& source);

    /// \brief Starts over with one waiting row per planned source.
    void start(const QStringList& planned);
    /// \brief Takes the points of a live update.
    void apply(const TrainingUpdate& update);
    /// \brief The task ended: every row is finished (`completed`) or stopped.
    void finish(bool completed);
    /// \brief Adds a finished row for `source` with `latest` as its result text (for a
    /// run shown after the fact).
    void addFinished(const QString& source, const QString& latest);
    /// \brief Removes every row.
    void clear();

    /// \brief The source of `row`.
    QString sourceAt(int row) const;
    /// \brief The row of `source`, or -1.
    int rowOf(const QString& source) const;
    /// \brief State of `row`.
    State stateAt(int row) const;
    /// \brief Fits `row` has started (1 for a plain fit, one more per fold or refit).
    int fitsAt(int row) const;
    /// \brief Latest step and planned steps of `row`'s current fit.
    int stepAt(int row) const;
    int totalStepsAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString source;
        State state = State::Waiting;
        int fits = 0;
        int step = 0;
        int totalSteps = 0;
        QString stepName;
        QHash<QString, double> lastStep;  // per metric: the step its last point was at
        int foldsDone = 0;                // fold scores received
        double foldSum = 0;
        QString latestMetric;
        QString latestRows;
        double latestValue = 0;
        int latestFolds = 0;  // the value is the mean of this many fold scores
        int latestHonesty = 3;
        QString latestText;  // set for rows shown after the fact
    };

    Row& rowFor(const QString& source);
    QString progressText(const Row& row) const;
    QString latestText(const Row& row) const;

    std::vector<Row> m_rows;
    std::function<QString(const QString&)> m_namer;
    QString m_emphasised;
};

} // namespace stepwise::ui
