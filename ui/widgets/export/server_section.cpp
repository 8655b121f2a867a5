#include "widgets/export/server_section.hpp"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

#include "pages/export_page.hpp"
#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/serving/prediction_server.hpp"
#include "tasks/background_task.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

/// "1 request", "12 requests": the count in words, without a translator's plural forms.
QString countText(std::uint64_t count, const QString& one, const QString& many)
{
    return QLocale().toString(qulonglong(count)) + QLatin1Char(' ') + (count == 1 ? one : many);
}

} // namespace

QString predictRequestBody(const workflow::FittedPipeline& pipeline, const data::Table* table, std::size_t row)
{
    QJsonObject values;
    for (const workflow::InputColumn& input : pipeline.inputColumns()) {
        const QString name = QString::fromStdString(input.name);
        const bool numericInput = data::storageOf(input.kind) == data::ColumnType::Numeric;
        if (!table || !table->hasColumn(input.name) || row >= table->rowCount()) {
            if (numericInput)
                values.insert(name, 0);
            else
                values.insert(name, input.levels.empty() ? QString() : QString::fromStdString(input.levels.front()));
            continue;
        }
        const data::Column& column = table->column(input.name);
        if (column.isMissing(row))
            values.insert(name, QJsonValue::Null);
        else if (column.isNumeric() && column.kind() != data::ColumnKind::Datetime)
            values.insert(name, column.values()[row]);
        else
            values.insert(name, QString::fromStdString(column.textAt(row)));
    }
    QJsonObject body;
    body.insert(QStringLiteral("rows"), QJsonArray{values});
    return QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact));
}

ServerSection::ServerSection(Session* session, StatusBanner* banner, QWidget* parent)
    : ExportSection(tr("Prediction server"), session, banner, QStringLiteral("export-server"), parent),
      m_port(new QSpinBox(this)),
      m_token(new QLineEdit(this)),
      m_generate(new QPushButton(tr("Generate"), this)),
      m_start(new QPushButton(tr("Start"), this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_status(new QLabel(this)),
      m_curl(new QPlainTextEdit(this)),
      m_poll(new QTimer(this)),
      m_startTask(new BackgroundTask(tr("Starting the server"), this)),
      m_stopTask(new BackgroundTask(tr("Stopping the server"), this))
{
    setObjectName(QStringLiteral("serverSection"));
    m_port->setObjectName(QStringLiteral("serverPort"));
    m_token->setObjectName(QStringLiteral("serverToken"));
    m_generate->setObjectName(QStringLiteral("generateTokenButton"));
    m_start->setObjectName(QStringLiteral("startServerButton"));
    m_stop->setObjectName(QStringLiteral("stopServerButton"));
    m_status->setObjectName(QStringLiteral("serverStatus"));
    m_curl->setObjectName(QStringLiteral("curlCommand"));

    m_port->setRange(0, 65535);
    m_port->setValue(8080);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setToolTip(tr("The TCP port on 127.0.0.1 (this computer only); 0 picks a free one"));
    m_token->setPlaceholderText(tr("optional — requests must then send it"));
    m_token->setToolTip(tr("With a token, every request needs the header “Authorization: Bearer <token>”"));
    m_token->setClearButtonEnabled(true);
    m_generate->setToolTip(tr("A random 32-character token"));
    m_start->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_start->setToolTip(tr("Serve the model: POST /predict, GET /health, /schema and /metrics"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_status->setOpenExternalLinks(true);
    m_poll->setInterval(500);

    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    auto* portRow = new QHBoxLayout;
    portRow->addWidget(m_port);
    portRow->addStretch(1);
    portRow->addWidget(m_start);
    portRow->addWidget(m_stop);
    form->addRow(tr("Port:"), portRow);
    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_generate);
    form->addRow(tr("Bearer token:"), tokenRow);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(new QLabel(tr("Try it from a terminal:"), this));
    auto* curlRow = new QHBoxLayout;
    m_curl->setReadOnly(true);
    m_curl->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_curl->setWordWrapMode(QTextOption::WrapAnywhere);
    m_curl->setFixedHeight(QFontMetrics(m_curl->font()).lineSpacing() * 5 + 14);
    auto* copy = new QPushButton(tr("Copy"), this);
    copy->setObjectName(QStringLiteral("curlCommandCopy"));
    copy->setToolTip(tr("Copy the command to the clipboard"));
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_curl->toPlainText());
        m_curl->selectAll();
    });
    curlRow->addWidget(m_curl, 1);
    curlRow->addWidget(copy, 0, Qt::AlignTop);
    layout->addLayout(curlRow);

    connect(m_start, &QPushButton::clicked, this, &ServerSection::start);
    connect(m_stop, &QPushButton::clicked, this, &ServerSection::stop);
    connect(m_generate, &QPushButton::clicked, this, [this] {
        QString token;
        for (int i = 0; i < 32; ++i)
            token += QLatin1Char("0123456789abcdefghijklmnopqrstuvwxyz"[QRandomGenerator::system()->bounded(36)]);
        m_token->setText(token);
    });
    connect(m_port, &QSpinBox::valueChanged, this, &ServerSection::refresh);
    connect(m_token, &QLineEdit::textChanged, this, &ServerSection::refresh);
    connect(m_poll, &QTimer::timeout, this, &ServerSection::poll);
    connect(session, &Session::resultChanged, this, [this] {
        if (isRunning()) {
            stop();
            showSuccess(tr("The prediction server stopped: it served the previous model. Start it again to serve "
                           "this one."));
        }
        rebuildRequest();
    });
    connect(session, &Session::savedModelChanged, this, &ServerSection::refresh);
    connect(m_startTask, &BackgroundTask::started, this, &ServerSection::refresh);
    connect(m_startTask, &BackgroundTask::finished, this, [this] {
        if (m_startTask->state() == BackgroundTask::State::Failed)
            showError(tr("The prediction server did not start: %1").arg(m_startTask->errorMessage()));
        refresh();
    });
    connect(m_stopTask, &BackgroundTask::started, this, &ServerSection::refresh);
    connect(m_stopTask, &BackgroundTask::finished, this, &ServerSection::refresh);
    rebuildRequest();
}

ServerSection::~ServerSection()
{
    // Stop listening before the window goes: joins the server's threads.
    delete m_startTask;
    m_startTask = nullptr;
    delete m_stopTask;
    m_stopTask = nullptr;
    m_server.reset();
}

bool ServerSection::isRunning() const { return m_server && m_server->running(); }

int ServerSection::port() const { return isRunning() ? m_server->port() : 0; }

bool ServerSection::start()
{
    const auto model = pipeline();
    if (!model || m_server || m_startTask->isRunning() || m_stopTask->isRunning())
        return false;
    clearMessage();
    serving::ServerOptions options;
    options.port = m_port->value();
    options.bearerToken = m_token->text().trimmed().toStdString();
    const QString saved = session()->savedModelPath();
    options.modelName = (saved.isEmpty() ? suggestedStem() : QFileInfo(saved).fileName()).toStdString();
    m_startTask->start(
        tr("Starting the prediction server"),
        [model, options](core::TaskControl& control) -> std::any {
            control.progress(0.0, "Binding " + options.host + ":" + std::to_string(options.port));
            auto server = std::make_shared<serving::PredictionServer>(model, options);
            server->start();
            control.progress(1.0);
            return server;
        },
        [this, model](const std::any& value) {
            auto server = std::any_cast<std::shared_ptr<serving::PredictionServer>>(value);
            if (model != pipeline()) {
                // The result changed while it bound: it would serve the old model.
                m_stopTask->start(tr("Stopping the server"), [server](core::TaskControl&) -> std::any {
                    server->stop();
                    return {};
                }, nullptr);
                return;
            }
            m_server = std::move(server);
            m_poll->start();
            emit runningChanged(true);
        });
    refresh();
    return true;
}

void ServerSection::stop()
{
    if (!m_server)
        return;
    m_poll->stop();
    auto server = std::move(m_server);
    m_server.reset();
    m_stopTask->start(
        tr("Stopping the prediction server"),
        [server](core::TaskControl&) -> std::any {
            server->stop();
            return {};
        },
        [this](const std::any&) { emit runningChanged(false); });
    refresh();
}

QString ServerSection::statusText() const { return m_status->text(); }

QString ServerSection::curlCommand() const { return m_curl->toPlainText(); }

void ServerSection::rebuildRequest()
{
    m_body.clear();
    if (const auto model = pipeline()) {
        const auto result = session()->result();
        auto table = session()->table();
        std::size_t row = 0;
        if (table && !result->separateTestData && !result->testRows.empty() &&
            result->testRows.front() < table->rowCount())
            row = result->testRows.front();
        m_body = predictRequestBody(*model, table.get(), row);
    }
    refresh();
}

void ServerSection::poll()
{
    if (!isRunning()) {
        m_poll->stop();
        refresh();
        return;
    }
    // Only the status line: rewriting the curl line would drop the user's selection.
    refreshStatus();
}

void ServerSection::refresh()
{
    if (!m_startTask || !m_stopTask)
        return;
    const bool hasModel = pipeline() != nullptr;
    const bool running = isRunning();
    const bool busy = m_startTask->isRunning() || m_stopTask->isRunning();
    m_start->setEnabled(hasModel && !running && !busy);
    m_stop->setEnabled(running && !busy);
    m_port->setEnabled(!running && !busy);
    m_token->setEnabled(!running && !busy);
    m_generate->setEnabled(!running && !busy);
    refreshStatus();

    const QString port = running ? QString::number(m_server->port())
                                 : (m_port->value() == 0 ? QStringLiteral("PORT") : QString::number(m_port->value()));
    QStringList args{QStringLiteral("curl"), QStringLiteral("-s"), QStringLiteral("-X"), QStringLiteral("POST"),
                     QStringLiteral("http://127.0.0.1:%1/predict").arg(port), QStringLiteral("-H"),
                     shellQuote(QStringLiteral("Content-Type: application/json"))};
    const QString token = m_token->text().trimmed();
    if (!token.isEmpty())
        args << QStringLiteral("-H") << shellQuote(QStringLiteral("Authorization: Bearer ") + token);
    if (!m_body.isEmpty())
        args << QStringLiteral("-d") << shellQuote(m_body);
    m_curl->setPlainText(hasModel ? args.join(QLatin1Char(' ')) : QString());
}

void ServerSection::refreshStatus()
{
    const bool hasModel = pipeline() != nullptr;
    const bool running = isRunning();
    if (!hasModel) {
        m_status->setText(tr("Train a model first."));
    } else if (m_startTask->isRunning()) {
        m_status->setText(tr("Starting…"));
    } else if (m_stopTask->isRunning()) {
        m_status->setText(tr("Stopping — requests in flight finish first…"));
    } else if (running) {
        const QString url = QString::fromStdString(m_server->url());
        const serving::ServerCounters counters = m_server->counters();
        m_status->setText(
            tr("<span style=\"color:%1\">●</span> Serving at <a href=\"%2/health\">%2</a> · %3 · %4 · %5")
                .arg(bannerColor(StatusBanner::Level::Success).name(), url.toHtmlEscaped(),
                     countText(counters.requests, tr("request"), tr("requests")),
                     countText(counters.errors, tr("error"), tr("errors")),
                     countText(counters.predictedRows, tr("row predicted"), tr("rows predicted"))));
    } else {
        m_status->setText(tr("Stopped. Start serves the model on this computer: POST /predict takes raw rows as "
                             "JSON; GET /health, /schema and /metrics (Prometheus) describe it."));
    }
}

} // namespace stepwise::ui
