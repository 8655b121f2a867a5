#pragma once
/// \file
/// \brief The Export page's Python export: a readable scikit-learn script that rebuilds
/// and retrains the same pipeline from the same data.

#include "widgets/export/export_section.hpp"

#include "stepwise/data/data_source.hpp"

class QPushButton;

namespace stepwise::ui {

class BackgroundTask;

/// \brief "Export Python…" writes `io::exportPython`'s script in the background. The
/// script reads the recipe's data file (by its path relative to the script's folder);
/// when the data is not a CSV file on disk (a built-in or generated dataset, a
/// spreadsheet, JSON, SQLite) the same rows are also written as a CSV beside the script
/// (`dataCsvBeside`), and the script reads that.
class PythonSection : public ExportSection {
    Q_OBJECT
public:
    PythonSection(Session* session, StatusBanner* banner, QWidget* parent = nullptr);
    ~PythonSection() override;

    /// \brief Asks for a file and exports to it.
    void exportInteractively();
    /// \brief Exports to `path` in the background; false without a result.
    bool exportTo(const QString& path);

    QPushButton* exportButton() const { return m_export; }
    BackgroundTask* task() const { return m_task; }
    /// \brief The last script written and the data file it reads.
    const QString& lastPath() const { return m_lastPath; }
    const QString& lastDataPath() const { return m_lastDataPath; }

signals:
    /// \brief A script was written.
    void exported(const QString& path);

private:
    void refresh() override;

    QPushButton* m_export;
    QLabel* m_status;
    BackgroundTask* m_task;
    QString m_lastPath;
    QString m_lastDataPath;
};

/// \brief The CSV beside `scriptPath` that a script exported from a non-CSV source reads:
/// `<dataset>.csv` for a built-in dataset, `<file stem>.csv` for a spreadsheet or
/// database, `generated_data.csv` for a generated table (as `stepwise-cli export`).
QString dataCsvBeside(const QString& scriptPath, const data::DataSource& source);

} // namespace stepwise::ui
