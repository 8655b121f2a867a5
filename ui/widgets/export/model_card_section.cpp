#include "widgets/export/model_card_section.hpp"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "session/session.hpp"
#include "stepwise/io/model_card.hpp"
#include "tasks/background_task.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {

ModelCardSection::ModelCardSection(Session* session, StatusBanner* banner, QWidget* parent)
    : ExportSection(tr("Model card"), session, banner, QStringLiteral("export-card"), parent),
      m_export(new QPushButton(tr("Export model card…"), this)),
      m_status(new QLabel(this)),
      m_preview(new QTextBrowser(this)),
      m_previewTask(new BackgroundTask(tr("Writing the model card"), this)),
      m_exportTask(new BackgroundTask(tr("Exporting the model card"), this))
{
    setObjectName(QStringLiteral("modelCardSection"));
    m_export->setObjectName(QStringLiteral("exportCardButton"));
    m_status->setObjectName(QStringLiteral("cardStatus"));
    m_preview->setObjectName(QStringLiteral("cardPreview"));
    m_export->setToolTip(tr("What the model is for, what it was trained on, how it scored and where it should not be "
                            "used — as Markdown or a self-contained HTML page"));
    m_preview->setOpenExternalLinks(true);
    m_preview->setMinimumHeight(160);
    m_preview->setPlaceholderText(tr("The card of the trained model shows here."));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(actionRow({m_export}, m_status));
    layout->addWidget(m_preview, 1);

    connect(m_export, &QPushButton::clicked, this, &ModelCardSection::exportInteractively);
    connect(session, &Session::resultChanged, this, &ModelCardSection::rebuildPreview);
    connect(m_previewTask, &BackgroundTask::finished, this, [this] {
        if (m_previewTask->state() == BackgroundTask::State::Failed)
            m_preview->setPlainText(tr("The card could not be written: %1").arg(m_previewTask->errorMessage()));
    });
    followTask(m_exportTask, [](const QString& error) { return tr("The model card was not written: %1").arg(error); });
    rebuildPreview();
}

ModelCardSection::~ModelCardSection()
{
    delete m_exportTask;
    m_exportTask = nullptr;
    delete m_previewTask;
    m_previewTask = nullptr;
}

void ModelCardSection::rebuildPreview()
{
    m_markdown.clear();
    m_lastPath.clear();
    m_preview->clear();
    refresh();
    const auto model = pipeline();
    if (!model)
        return;
    m_previewTask->start(
        tr("Writing the model card"),
        [model](core::TaskControl&) -> std::any { return QString::fromStdString(io::modelCardMarkdown(*model)); },
        [this, model](const std::any& value) {
            if (model != pipeline())
                return;
            m_markdown = std::any_cast<QString>(value);
            m_preview->setMarkdown(m_markdown);
        });
}

void ModelCardSection::exportInteractively()
{
    if (!pipeline())
        return;
    const QString path = askSavePath(tr("Export model card"), suggestedStem() + QStringLiteral("-card.md"),
                                     {tr("Markdown (*.md)"), tr("Web page (*.html)")});
    if (!path.isEmpty())
        exportTo(path);
}

bool ModelCardSection::exportTo(const QString& path)
{
    const auto model = pipeline();
    if (!model)
        return false;
    clearMessage();
    const QString target = QFileInfo(path).absoluteFilePath();
    m_exportTask->start(
        tr("Writing %1").arg(QFileInfo(target).fileName()),
        [model, target](core::TaskControl& control) -> std::any {
            control.progress(0.0, "Writing " + target.toStdString());
            io::exportModelCard(*model, target.toStdString());
            control.progress(1.0);
            return {};
        },
        [this, target](const std::any&) {
            m_lastPath = target;
            emit exported(target);
        });
    return true;
}

void ModelCardSection::refresh()
{
    if (!m_exportTask)
        return;
    const bool hasModel = pipeline() != nullptr;
    m_export->setEnabled(hasModel && !m_exportTask->isRunning());
    if (!hasModel)
        m_status->setText(tr("Train a model first."));
    else if (m_exportTask->isRunning())
        m_status->setText(tr("Writing…"));
    else if (!m_lastPath.isEmpty())
        m_status->setText(tr("Written to <b>%1</b>.").arg(QDir::toNativeSeparators(m_lastPath).toHtmlEscaped()));
    else
        m_status->setText(tr("Problem, data, pipeline, metrics, verdict, intended use and limits."));
}

} // namespace stepwise::ui
