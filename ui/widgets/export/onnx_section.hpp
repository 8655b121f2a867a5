#pragma once
/// \file
/// \brief The Export page's ONNX export: says before any file is chosen whether ONNX can
/// express the pipeline, and writes the graph in the background.

#include "widgets/export/export_section.hpp"

class QPushButton;

namespace stepwise::ui {

class BackgroundTask;

/// \brief "Export ONNX…". When a result arrives, `io::onnxExportProblem` builds the graph
/// in the background; while it runs the button waits, and when the pipeline holds
/// something ONNX cannot express the button stays disabled and the reason is shown in
/// words. Otherwise the button writes the file with `io::exportOnnx` (in the
/// background) and the section shows where, how large and how long it took.
class OnnxSection : public ExportSection {
    Q_OBJECT
public:
    OnnxSection(Session* session, StatusBanner* banner, QWidget* parent = nullptr);
    ~OnnxSection() override;

    /// \brief Asks for a file and exports to it.
    void exportInteractively();
    /// \brief Exports to `path` in the background; false when the pipeline cannot be
    /// exported (or the check has not finished).
    bool exportTo(const QString& path);

    QPushButton* exportButton() const { return m_export; }
    /// \brief Why the pipeline cannot be exported (empty when it can or the check runs).
    const QString& problem() const { return m_problem; }
    /// \brief True once the check of the current result finished.
    bool isChecked() const { return m_checked; }
    /// \brief The background check and the background export.
    BackgroundTask* checkTask() const { return m_checkTask; }
    BackgroundTask* exportTask() const { return m_exportTask; }
    /// \brief The last file written (empty until one was).
    const QString& lastPath() const { return m_lastPath; }

signals:
    /// \brief A file was written.
    void exported(const QString& path);

private:
    void check();
    void refresh() override;

    QPushButton* m_export;
    QLabel* m_status;
    BackgroundTask* m_checkTask;
    BackgroundTask* m_exportTask;
    QString m_problem;
    bool m_checked = false;
    QString m_lastPath;
    QString m_lastFacts;
};

} // namespace stepwise::ui
