#include "widgets/export/onnx_section.hpp"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/io/onnx_export.hpp"
#include "tasks/background_task.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {

OnnxSection::OnnxSection(Session* session, StatusBanner* banner, QWidget* parent)
    : ExportSection(tr("ONNX"), session, banner, QStringLiteral("export-onnx"), parent),
      m_export(new QPushButton(tr("Export ONNX…"), this)),
      m_status(new QLabel(this)),
      m_checkTask(new BackgroundTask(tr("Checking the ONNX export"), this)),
      m_exportTask(new BackgroundTask(tr("Exporting ONNX"), this))
{
    setObjectName(QStringLiteral("onnxSection"));
    m_export->setObjectName(QStringLiteral("exportOnnxButton"));
    m_status->setObjectName(QStringLiteral("onnxStatus"));
    m_export->setToolTip(tr("The whole pipeline as one ONNX graph (opset %1 with ai.onnx.ml %2): raw columns in, "
                            "label and probabilities out — for ONNX Runtime in C#, Java, JavaScript, Python, …")
                             .arg(io::kOnnxOpset)
                             .arg(io::kOnnxMlOpset));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(actionRow({m_export}, m_status));

    connect(m_export, &QPushButton::clicked, this, &OnnxSection::exportInteractively);
    connect(session, &Session::resultChanged, this, &OnnxSection::check);
    connect(m_checkTask, &BackgroundTask::finished, this, [this] {
        if (m_checkTask->state() == BackgroundTask::State::Failed) {
            m_checked = true;
            m_problem = tr("The graph could not be built: %1").arg(m_checkTask->errorMessage());
        }
        refresh();
    });
    followTask(m_exportTask, [](const QString& error) { return tr("The ONNX file was not written: %1").arg(error); });
    check();
}

OnnxSection::~OnnxSection()
{
    // Workers read the pipeline and report to this section; stop them first.
    delete m_exportTask;
    m_exportTask = nullptr;
    delete m_checkTask;
    m_checkTask = nullptr;
}

void OnnxSection::check()
{
    m_problem.clear();
    m_checked = false;
    m_lastPath.clear();
    const auto model = pipeline();
    if (!model) {
        refresh();
        return;
    }
    m_checkTask->start(
        tr("Checking whether ONNX can express the pipeline"),
        [model](core::TaskControl& control) -> std::any {
            control.progress(0.0, "Building the ONNX graph");
            return QString::fromStdString(io::onnxExportProblem(*model));
        },
        [this, model](const std::any& value) {
            if (model != pipeline())
                return;
            m_problem = std::any_cast<QString>(value);
            m_checked = true;
        });
    refresh();
}

void OnnxSection::exportInteractively()
{
    if (!m_checked || !m_problem.isEmpty() || !pipeline())
        return;
    const QString path = askSavePath(tr("Export ONNX"), suggestedStem() + QStringLiteral(".onnx"),
                                     {tr("ONNX models (*.onnx)"), tr("All files (*)")});
    if (!path.isEmpty())
        exportTo(path);
}

bool OnnxSection::exportTo(const QString& path)
{
    const auto model = pipeline();
    if (!model || !m_checked || !m_problem.isEmpty())
        return false;
    clearMessage();
    const QString target = QFileInfo(path).absoluteFilePath();
    m_exportTask->start(
        tr("Writing %1").arg(QFileInfo(target).fileName()),
        [model, target](core::TaskControl& control) -> std::any {
            control.progress(0.0, "Writing " + target.toStdString());
            io::exportOnnx(*model, target.toStdString());
            control.progress(1.0);
            return QFileInfo(target).size();
        },
        [this, target](const std::any& value) {
            m_lastPath = target;
            m_lastFacts = tr("Written to <b>%1</b> (%2, %3).")
                              .arg(QDir::toNativeSeparators(target).toHtmlEscaped(),
                                   formatBytes(std::any_cast<qint64>(value)),
                                   formatDuration(m_exportTask->elapsedMs()));
            emit exported(target);
        });
    return true;
}

void OnnxSection::refresh()
{
    if (!m_checkTask || !m_exportTask)
        return;
    const bool hasModel = pipeline() != nullptr;
    const bool busy = m_checkTask->isRunning() || m_exportTask->isRunning();
    m_export->setEnabled(hasModel && m_checked && m_problem.isEmpty() && !busy);
    QString text;
    QString colour;
    if (!hasModel) {
        text = tr("Train a model first.");
    } else if (m_checkTask->isRunning()) {
        text = tr("Checking whether ONNX can express this pipeline…");
    } else if (!m_problem.isEmpty()) {
        text = tr("ONNX cannot express this pipeline: %1").arg(m_problem.toHtmlEscaped());
        colour = bannerColor(StatusBanner::Level::Warning).name();
    } else if (m_exportTask->isRunning()) {
        text = tr("Writing…");
    } else if (!m_lastPath.isEmpty()) {
        text = m_lastFacts;
    } else if (m_checked) {
        text = tr("The whole pipeline fits in one ONNX graph: raw columns in, label%1 out.")
                   .arg(pipeline()->classes().empty() ? QString() : tr(" and probabilities"));
    }
    m_status->setText(text);
    m_status->setStyleSheet(colour.isEmpty() ? QString() : QStringLiteral("color: %1;").arg(colour));
}

} // namespace stepwise::ui
