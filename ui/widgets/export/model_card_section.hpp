#pragma once
/// \file
/// \brief The Export page's model card: a preview and "Export model card…" as Markdown or
/// HTML.

#include "widgets/export/export_section.hpp"

class QPushButton;
class QTextBrowser;

namespace stepwise::ui {

class BackgroundTask;

/// \brief Builds the card of the current result in the background
/// (`io::modelCardMarkdown`) and shows it rendered by Qt's Markdown support; "Export
/// model card…" writes it with `io::exportModelCard` — HTML when the chosen name ends in
/// .html/.htm (or the HTML filter was chosen), Markdown otherwise.
class ModelCardSection : public ExportSection {
    Q_OBJECT
public:
    ModelCardSection(Session* session, StatusBanner* banner, QWidget* parent = nullptr);
    ~ModelCardSection() override;

    /// \brief Asks for a file (Markdown or HTML) and exports to it.
    void exportInteractively();
    /// \brief Exports to `path` in the background; false without a result.
    bool exportTo(const QString& path);

    QPushButton* exportButton() const { return m_export; }
    QTextBrowser* preview() const { return m_preview; }
    /// \brief The Markdown shown in the preview (empty until built).
    const QString& markdown() const { return m_markdown; }
    BackgroundTask* previewTask() const { return m_previewTask; }
    BackgroundTask* exportTask() const { return m_exportTask; }
    const QString& lastPath() const { return m_lastPath; }

signals:
    void exported(const QString& path);

private:
    void rebuildPreview();
    void refresh() override;

    QPushButton* m_export;
    QLabel* m_status;
    QTextBrowser* m_preview;
    BackgroundTask* m_previewTask;
    BackgroundTask* m_exportTask;
    QString m_markdown;
    QString m_lastPath;
};

} // namespace stepwise::ui
