#pragma once
/// \file
/// \brief The training runs of a session as a table, newest first.

#include <QAbstractTableModel>

#include <vector>

#include "stepwise/io/project.hpp"

namespace stepwise::ui {

/// \brief One row per run, newest first: run number, start (local time), kept model, its
/// main metric, verdict, duration, seed, threads and the user's note (the only editable
/// column). Qt::UserRole of every cell is the run's id.
class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// \brief The columns, in order.
    enum Column { RunColumn, StartedColumn, ModelColumn, ScoreColumn, VerdictColumn, DurationColumn,
                  SeedColumn, ThreadsColumn, NoteColumn, ColumnCount };

    explicit RunTableModel(QObject* parent = nullptr);

    /// \brief Shows `runs` (given oldest first, as a project keeps them).
    void setRuns(const std::vector<io::RunRecord>& runs);
    /// \brief The run shown in `row`; null when the row is out of range.
    const io::RunRecord* runAt(int row) const;
    /// \brief The run with `id`; null when there is none.
    const io::RunRecord* run(int id) const;
    /// \brief The row of the run with `id`, or -1.
    int rowOf(int id) const;

    /// \brief "12 s", "1 min 05 s".
    static QString durationText(double seconds);
    /// \brief An ISO 8601 UTC time as local date and time in the user's locale; text that
    /// does not parse comes back as is.
    static QString startedText(const std::string& startedUtc);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// \brief Edits the note (NoteColumn only) and emits `noteEdited`.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

signals:
    /// \brief The user changed the note of run `runId`.
    void noteEdited(int runId, const QString& note);

private:
    std::vector<io::RunRecord> m_runs;  // newest first
};

} // namespace stepwise::ui
