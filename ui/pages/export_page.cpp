#include "pages/export_page.hpp"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QVBoxLayout>

#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/search_spec.hpp"
#include "widgets/export/model_card_section.hpp"
#include "widgets/export/model_file_section.hpp"
#include "widgets/export/onnx_section.hpp"
#include "widgets/export/python_section.hpp"
#include "widgets/export/scoring_section.hpp"
#include "widgets/export/server_section.hpp"
#include "widgets/status_banner.hpp"
#include "teaching/why_link.hpp"

namespace stepwise::ui {
namespace {

QHBoxLayout* commandRow(QLineEdit* edit, QWidget* parent)
{
    auto* row = new QHBoxLayout;
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setMinimumHeight(edit->sizeHint().height() + 6);
    auto* copy = new QPushButton(QObject::tr("Copy"), parent);
    copy->setObjectName(edit->objectName() + QStringLiteral("Copy"));
    copy->setToolTip(QObject::tr("Copy the command to the clipboard"));
    QObject::connect(copy, &QPushButton::clicked, edit, [edit] {
        QApplication::clipboard()->setText(edit->text());
        edit->selectAll();
    });
    row->addWidget(edit, 1);
    row->addWidget(copy);
    return row;
}

QHBoxLayout* commandBlock(QPlainTextEdit* edit, QWidget* parent)
{
    auto* row = new QHBoxLayout;
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    edit->setFixedHeight(QFontMetrics(edit->font()).lineSpacing() * 3 + 14);
    auto* copy = new QPushButton(QObject::tr("Copy"), parent);
    copy->setObjectName(edit->objectName() + QStringLiteral("Copy"));
    copy->setToolTip(QObject::tr("Copy the command to the clipboard"));
    QObject::connect(copy, &QPushButton::clicked, edit, [edit] {
        QApplication::clipboard()->setText(edit->toPlainText());
        edit->selectAll();
    });
    row->addWidget(edit, 1);
    row->addWidget(copy, 0, Qt::AlignTop);
    return row;
}

} // namespace

QString shellQuote(const QString& text)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=,+@%-]+$"));
    if (safe.match(text).hasMatch())
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString cliDataArgument(const data::DataSource& source)
{
    switch (source.kind) {
    case data::DataSourceKind::Builtin:
        return QStringLiteral("builtin:") + QString::fromStdString(source.location);
    case data::DataSourceKind::File:
        return QString::fromStdString(source.location);
    case data::DataSourceKind::Generated:
        return QStringLiteral("NEW_DATA.csv");
    }
    return {};
}

namespace {

/// Equal steps: same kind, switch, columns and parameter values once defaults are filled
/// in, so a recipe that spells out a default equals one that does not.
bool sameSteps(const std::vector<prep::StepSpec>& a, const std::vector<prep::StepSpec>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].kind != b[i].kind || a[i].enabled != b[i].enabled || a[i].columns != b[i].columns)
            return false;
        try {
            if (prep::resolveStepParams(a[i]).all() != prep::resolveStepParams(b[i]).all())
                return false;
        } catch (const core::InvalidParameter&) {
            if (a[i].params != b[i].params)
                return false;
        }
    }
    return true;
}

/// One `--step` per step that is on: a step that is off does nothing.
void appendSteps(const std::vector<prep::StepSpec>& steps, QStringList& args)
{
    for (const prep::StepSpec& step : steps)
        if (step.enabled)
            args << QStringLiteral("--step") << shellQuote(QString::fromStdString(prep::formatStepArgument(step)));
}

} // namespace

QString trainCommandFor(const workflow::Recipe& recipe, const QString& modelPath)
{
    QStringList args{QStringLiteral("stepwise-cli"), QStringLiteral("train"), shellQuote(cliDataArgument(recipe.data)),
                     QStringLiteral("--target"), shellQuote(QString::fromStdString(recipe.problem.target)),
                     QStringLiteral("--task"), QString::fromLatin1(core::toString(recipe.problem.task)),
                     QStringLiteral("--model"), QString::fromStdString(recipe.model.name)};
    for (const auto& [name, value] : recipe.model.params)
        args << QStringLiteral("--param") << shellQuote(QString::fromStdString(name + "=" + value));
    args << QStringLiteral("--test-size") << QString::number(recipe.prep.testSize, 'g', 6);
    if (recipe.problem.task == core::TaskType::Classification)
        args << (recipe.prep.stratify ? QStringLiteral("--stratify") : QStringLiteral("--no-stratify"));
    args << QStringLiteral("--seed") << QString::number(recipe.seed);
    if (!recipe.prep.dropColumns.empty()) {
        QStringList dropped;
        for (const auto& column : recipe.prep.dropColumns)
            dropped << QString::fromStdString(column);
        args << QStringLiteral("--drop") << shellQuote(dropped.join(QLatin1Char(',')));
    }
    if (recipe.prep.validationSize > 0.0)
        args << QStringLiteral("--validation-size") << QString::number(recipe.prep.validationSize, 'g', 6);
    if (!recipe.prep.timeColumn.empty())
        args << QStringLiteral("--time-column") << shellQuote(QString::fromStdString(recipe.prep.timeColumn));
    // A stage as a new recipe has it needs no flags; any other is spelled out step by
    // step after switching the friendly flags' defaults off, so the CLI builds exactly it.
    if (!sameSteps(recipe.prep.steps, workflow::defaultPrepSteps())) {
        args << QStringLiteral("--impute") << QStringLiteral("none");
        appendSteps(recipe.prep.steps, args);
    }
    if (!sameSteps(recipe.features.steps, workflow::defaultFeatureSteps())) {
        args << QStringLiteral("--scale") << QStringLiteral("none") << QStringLiteral("--encode") << QStringLiteral("none");
        appendSteps(recipe.features.steps, args);
    }
    if (recipe.problem.success)
        args << QStringLiteral("--success") << shellQuote(QString::fromStdString(recipe.problem.success->toString()));
    // The Training page's sections: the compared models, the cross-validation, the search.
    for (const workflow::ModelChoice& other : recipe.compareWith) {
        std::string text = other.name;
        bool first = true;
        for (const auto& [name, value] : other.params) {
            text.append(first ? ":" : ";").append(name).append("=").append(value);
            first = false;
        }
        args << QStringLiteral("--compare") << shellQuote(QString::fromStdString(text));
    }
    if (recipe.crossValidation)
        args << QStringLiteral("--cv") << QString::fromStdString(evaluation::toString(*recipe.crossValidation));
    if (const auto& search = recipe.search) {
        args << QStringLiteral("--search") << QString::fromStdString(workflow::searchKindText(*search));
        for (const auto& [name, values] : search->space)
            args << QStringLiteral("--grid") << shellQuote(QString::fromStdString(workflow::searchValuesText(name, values)));
        if (!search->scoring.empty())
            args << QStringLiteral("--scoring") << QString::fromStdString(search->scoring);
    }
    args << QStringLiteral("--out") << shellQuote(modelPath);
    return args.join(QLatin1Char(' '));
}

ExportPage::ExportPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Export"),
                     tr("Hand the trained pipeline over in every form a deployer needs: the model file, ONNX, a "
                        "Python script, a model card, predictions for new rows and a live prediction server."),
                     parent),
      m_modelFile(new ModelFileSection(session, banner(), this)),
      m_onnx(new OnnxSection(session, banner(), this)),
      m_python(new PythonSection(session, banner(), this)),
      m_card(new ModelCardSection(session, banner(), this)),
      m_scoring(new ScoringSection(session, banner(), this)),
      m_server(new ServerSection(session, banner(), this)),
      m_predict(new QLineEdit(this)),
      m_train(new QPlainTextEdit(this)),
      m_deploy(new QPlainTextEdit(this)),
      m_predictNote(makeNote({}, this)),
      m_facts(new QFormLayout),
      m_factsBox(new QGroupBox(tr("What the model file contains"), this))
{
    m_predict->setObjectName(QStringLiteral("predictCommand"));
    m_train->setObjectName(QStringLiteral("trainCommand"));
    m_deploy->setObjectName(QStringLiteral("deployCommands"));

    auto* cliBox = new QGroupBox(tr("Command line"), this);
    cliBox->setObjectName(QStringLiteral("commandLineSection"));
    auto* cliLayout = new QVBoxLayout(cliBox);
    cliLayout->addWidget(new QLabel(tr("Predict new rows:"), this));
    cliLayout->addLayout(commandRow(m_predict, this));
    cliLayout->addWidget(m_predictNote);
    cliLayout->addSpacing(6);
    cliLayout->addWidget(new QLabel(tr("Reproduce this training run (same recipe, same numbers):"), this));
    cliLayout->addLayout(commandBlock(m_train, this));
    cliLayout->addSpacing(6);
    cliLayout->addWidget(new QLabel(tr("The other forms, and the server:"), this));
    cliLayout->addLayout(commandBlock(m_deploy, this));
    m_deploy->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_deploy->setFixedHeight(QFontMetrics(m_deploy->font()).lineSpacing() * 4 + 14);

    m_facts->setLabelAlignment(Qt::AlignRight);
    m_facts->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_factsBox->setLayout(m_facts);

    // Two columns: what is written to files on the left, what runs (scoring and the
    // server) on the right; the whole scrolls on small screens.
    auto* sections = new QWidget;
    sections->setObjectName(QStringLiteral("exportSections"));
    auto* grid = new QGridLayout(sections);
    grid->setContentsMargins(0, 0, 4, 0);
    auto* left = new QVBoxLayout;
    left->addWidget(m_modelFile);
    left->addWidget(m_onnx);
    left->addWidget(m_python);
    left->addWidget(m_card, 1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_server);
    right->addWidget(m_scoring, 1);
    right->addWidget(cliBox);
    right->addWidget(m_factsBox);
    grid->addLayout(left, 0, 0);
    grid->addLayout(right, 0, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("exportScroll"));
    scroll->setWidget(sections);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    contentLayout()->addWidget(scroll, 1);

    // "Why?" links: the short why on hover, the glossary entry in the Learn panel.
    teaching::attachWhy(findChild<QWidget*>(QStringLiteral("saveModelButton")), QStringLiteral("option/model_file"));
    teaching::attachWhy(findChild<QWidget*>(QStringLiteral("exportOnnxButton")), QStringLiteral("option/onnx"));
    teaching::attachWhy(findChild<QWidget*>(QStringLiteral("scoreCsvButton")), QStringLiteral("option/drift"));
    setLearnStep(teaching::Step::Export);

    connect(session, &Session::savedModelChanged, this, &ExportPage::refresh);
    connect(session, &Session::resultChanged, this, &ExportPage::refresh);
    connect(session, &Session::recipeChanged, this, &ExportPage::refresh);
    connect(session->exportTask(), &BackgroundTask::started, this, &ExportPage::refresh);
    connect(session->exportTask(), &BackgroundTask::finished, this, &ExportPage::refresh);
    refresh();
}

ExportPage::~ExportPage()
{
    // The server section stops serving and every section waits for its workers here,
    // while the session they read is still alive.
    delete m_server;
    delete m_scoring;
    delete m_card;
    delete m_python;
    delete m_onnx;
    delete m_modelFile;
}

void ExportPage::initializePage() { refresh(); }

void ExportPage::setUsesSettings(bool uses)
{
    for (ExportSection* section :
         std::initializer_list<ExportSection*>{m_modelFile, m_onnx, m_python, m_card, m_scoring, m_server})
        section->setUsesSettings(uses);
}

void ExportPage::saveModelInteractively()
{
    if (!session()->result()) {
        banner()->setMessage(QStringLiteral("save-error"), StatusBanner::Level::Info,
                             tr("There is no model to save yet — train one on the Training step."));
        return;
    }
    m_modelFile->saveInteractively();
}

void ExportPage::saveModelTo(const QString& path) { m_modelFile->saveTo(path); }

QString ExportPage::predictCommand() const { return m_predict->text(); }

QString ExportPage::trainCommand() const { return m_train->toPlainText(); }

QString ExportPage::deployCommands() const { return m_deploy->toPlainText(); }

void ExportPage::refresh()
{
    const auto result = session()->result();
    const QString saved = session()->savedModelPath();
    const QString modelArgument = saved.isEmpty() ? QStringLiteral("MODEL.stepwise") : saved;
    const auto& recipe = result ? session()->resultRecipe() : session()->recipe();
    const QString dataArgument = cliDataArgument(recipe.data);
    m_predict->setText(QStringLiteral("stepwise-cli predict %1 %2 --out predictions.csv")
                           .arg(shellQuote(modelArgument), shellQuote(dataArgument)));
    m_predict->setCursorPosition(0);
    QString note = tr("Writes one row per input row: row, the actual value when the data has the target, and the "
                      "prediction. Add --proba for class probabilities.");
    if (recipe.data.kind == data::DataSourceKind::Generated)
        note += tr(" Replace NEW_DATA.csv with a file of rows to predict.");
    if (saved.isEmpty())
        note += tr(" Save the model first; its path replaces MODEL.stepwise.");
    else if (session()->savedModelInfo().encrypted)
        note += tr(" The file is encrypted: the CLI reads the passphrase from the STEPWISE_PASSPHRASE environment "
                   "variable or --passphrase-file FILE.");
    m_predictNote->setText(note);
    m_train->setPlainText(trainCommandFor(recipe, modelArgument));
    const QString model = shellQuote(modelArgument);
    QString stem = QString::fromStdString(recipe.problem.target);
    if (stem.isEmpty())
        stem = QStringLiteral("model");
    m_deploy->setPlainText(QStringList{QStringLiteral("stepwise-cli export %1 --onnx %2.onnx").arg(model, stem),
                                       QStringLiteral("stepwise-cli export %1 --python %2.py").arg(model, stem),
                                       QStringLiteral("stepwise-cli export %1 --card %2-card.md").arg(model, stem),
                                       QStringLiteral("stepwise-cli serve %1 --port 8080").arg(model)}
                               .join(QLatin1Char('\n')));

    while (m_facts->rowCount() > 0)
        m_facts->removeRow(0);
    m_factsBox->setVisible(result && result->pipeline);
    if (result && result->pipeline) {
        const auto& pipeline = *result->pipeline;
        const QLocale locale;
        QString modelName = QString::fromStdString(recipe.model.name);
        for (const auto& info : models::modelRegistry()) {
            if (info.name == recipe.model.name)
                modelName = QString::fromStdString(info.displayName);
        }
        auto addFact = [this](const QString& label, const QString& value) {
            auto* field = new QLabel(value, m_factsBox);
            field->setWordWrap(true);
            field->setTextInteractionFlags(Qt::TextSelectableByMouse);
            m_facts->addRow(label, field);
        };
        addFact(tr("Model:"), tr("%1 for %2 of “%3”")
                                   .arg(modelName, QString::fromLatin1(core::toString(pipeline.task())),
                                        QString::fromStdString(pipeline.target())));
        QStringList inputs;
        for (const auto& input : pipeline.inputColumns())
            inputs << QString::fromStdString(input.name);
        addFact(tr("Input columns:"), tr("%1 — %2").arg(inputs.size()).arg(inputs.join(QStringLiteral(", "))));
        if (!pipeline.classes().empty()) {
            QStringList classes;
            for (const auto& name : pipeline.classes())
                classes << QString::fromStdString(name);
            addFact(tr("Classes:"), classes.join(QStringLiteral(", ")));
        }
        addFact(tr("Model inputs:"), tr("%1 numeric features after preparation").arg(pipeline.featureNames().size()));
        addFact(tr("Trained on:"), tr("%1 rows of %2")
                                       .arg(locale.toString(qulonglong(result->trainRowCount)),
                                            QString::fromStdString(recipe.data.describe())));
        QString score;
        if (result->classification)
            score = tr("accuracy %1 · F1 (macro) %2 on %3 test rows")
                        .arg(QString::number(result->classification->accuracy, 'f', 3),
                             QString::number(result->classification->f1Macro, 'f', 3),
                             locale.toString(qulonglong(result->testRows.size())));
        else if (result->regression)
            score = tr("R² %1 · RMSE %2 on %3 test rows")
                        .arg(QString::number(result->regression->r2, 'f', 3),
                             QString::number(result->regression->rmse, 'g', 4),
                             locale.toString(qulonglong(result->testRows.size())));
        if (const auto verdict = session()->verdict())
            score += verdict->passed ? tr(" — success criterion %1 met").arg(QString::fromStdString(verdict->criterion.toString()))
                                     : tr(" — success criterion %1 not met").arg(QString::fromStdString(verdict->criterion.toString()));
        addFact(tr("Scores:"), score);
        addFact(tr("Created:"), tr("%1 by Stepwise %2")
                                    .arg(QString::fromStdString(pipeline.metadata().createdUtc),
                                         QString::fromStdString(pipeline.metadata().stepwiseVersion)));
    }
    updateCompleteness();
}

QString ExportPage::incompleteReason() const
{
    if (!session()->result())
        return tr("train a model on the Training step first.");
    if (session()->exportTask()->isRunning())
        return tr("wait for the model file to be written.");
    if (session()->savedModelPath().isEmpty())
        return tr("save the model (Save model… or Ctrl+S) to finish.");
    return {};
}

} // namespace stepwise::ui
