#include "widgets/export/python_section.hpp"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "session/session.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/python_export.hpp"
#include "tasks/background_task.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

struct Written {
    QString script;
    QString data;
    bool dataWritten = false;
};

bool isCsvFile(const data::DataSource& source)
{
    return source.kind == data::DataSourceKind::File &&
           data::fileFormatOf(source.location) == data::FileFormat::Csv;
}

} // namespace

QString dataCsvBeside(const QString& scriptPath, const data::DataSource& source)
{
    // The names `stepwise-cli export --python` gives, so both write the same files.
    QString name = QStringLiteral("generated_data");
    if (source.kind == data::DataSourceKind::Builtin)
        name = QString::fromStdString(source.location);
    else if (source.kind == data::DataSourceKind::File)
        name = QFileInfo(QString::fromStdString(source.location)).completeBaseName();
    return QFileInfo(scriptPath).absoluteDir().filePath(name + QStringLiteral(".csv"));
}

PythonSection::PythonSection(Session* session, StatusBanner* banner, QWidget* parent)
    : ExportSection(tr("Python script"), session, banner, QStringLiteral("export-python"), parent),
      m_export(new QPushButton(tr("Export Python…"), this)),
      m_status(new QLabel(this)),
      m_task(new BackgroundTask(tr("Exporting Python"), this))
{
    setObjectName(QStringLiteral("pythonSection"));
    m_export->setObjectName(QStringLiteral("exportPythonButton"));
    m_status->setObjectName(QStringLiteral("pythonStatus"));
    m_export->setToolTip(tr("A readable scikit-learn script that rebuilds the same steps and model from the same "
                            "data, trains it on the same split and prints the same metrics"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(actionRow({m_export}, m_status));

    connect(m_export, &QPushButton::clicked, this, &PythonSection::exportInteractively);
    connect(session, &Session::resultChanged, this, [this] {
        m_lastPath.clear();
        refresh();
    });
    followTask(m_task, [](const QString& error) { return tr("The Python script was not written: %1").arg(error); });
    refresh();
}

PythonSection::~PythonSection()
{
    delete m_task;
    m_task = nullptr;
}

void PythonSection::exportInteractively()
{
    if (!pipeline())
        return;
    const QString path = askSavePath(tr("Export Python script"), suggestedStem() + QStringLiteral(".py"),
                                     {tr("Python scripts (*.py)"), tr("All files (*)")});
    if (!path.isEmpty())
        exportTo(path);
}

bool PythonSection::exportTo(const QString& path)
{
    const auto model = pipeline();
    if (!model)
        return false;
    clearMessage();
    const data::DataSource source = session()->resultRecipe().data;
    const QString script = QFileInfo(path).absoluteFilePath();
    m_task->start(
        tr("Writing %1").arg(QFileInfo(script).fileName()),
        [model, source, script](core::TaskControl& control) -> std::any {
            Written written;
            written.script = script;
            // The script is checked before any data is written beside it.
            io::pythonScript(*model, "data.csv");
            if (isCsvFile(source)) {
                written.data = QFileInfo(QString::fromStdString(source.location)).absoluteFilePath();
            } else {
                written.data = dataCsvBeside(script, source);
                written.dataWritten = true;
                // Read again from the recipe's source: the rows the model was trained from,
                // whatever was loaded since.
                core::TaskControl reading = control.subRange(0.0, 0.6);
                const data::Table rows = data::loadTable(source, &reading);
                control.progress(0.6, "Writing " + written.data.toStdString());
                data::writeCsvFile(rows, written.data.toStdString());
            }
            control.progress(0.8, "Writing " + script.toStdString());
            // The script finds its data relative to its own folder, so the two can move together.
            const QString relative = QFileInfo(script).absoluteDir().relativeFilePath(written.data);
            io::exportPython(*model, script.toStdString(), relative.toStdString());
            control.progress(1.0);
            return written;
        },
        [this](const std::any& value) {
            const auto& written = std::any_cast<const Written&>(value);
            m_lastPath = written.script;
            m_lastDataPath = written.data;
            emit exported(m_lastPath);
        });
    return true;
}

void PythonSection::refresh()
{
    if (!m_task)
        return;
    const bool hasModel = pipeline() != nullptr;
    m_export->setEnabled(hasModel && !m_task->isRunning());
    if (!hasModel)
        m_status->setText(tr("Train a model first."));
    else if (m_task->isRunning())
        m_status->setText(tr("Writing…"));
    else if (!m_lastPath.isEmpty())
        m_status->setText(tr("Written to <b>%1</b>; it reads <b>%2</b>. Run it with <code>python3 %3</code>.")
                              .arg(QDir::toNativeSeparators(m_lastPath).toHtmlEscaped(),
                                   QDir::toNativeSeparators(m_lastDataPath).toHtmlEscaped(),
                                   QFileInfo(m_lastPath).fileName().toHtmlEscaped()));
    else
        m_status->setText(tr("pandas + scikit-learn: the same steps, split and seed; prints the same metrics."));
}

} // namespace stepwise::ui
