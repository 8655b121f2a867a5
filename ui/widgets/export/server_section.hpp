#pragma once
/// \file
/// \brief The Export page's prediction server: start and stop the model behind HTTP for a
/// live demo, with its counters and a `curl` line that works.

#include "widgets/export/export_section.hpp"

#include <cstddef>
#include <memory>

#include "stepwise/data/table.hpp"
#include "stepwise/workflow/pipeline.hpp"

class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace stepwise::serving {
class PredictionServer;
}

namespace stepwise::ui {

class BackgroundTask;

/// \brief Runs a `serving::PredictionServer` in the workbench's process on 127.0.0.1:
/// the port (8080 by default; 0 picks a free one) and an optional bearer token are set
/// here; Start binds in the background (a busy port is said in the banner), Stop lets
/// requests in flight finish. While it runs the section polls the counters every 500 ms
/// (URL, requests, errors, rows predicted). The `curl` line posts the first test row's
/// raw values to `/predict` with the token, exactly as the server expects them. A new
/// result stops the server (it would serve the old model), and so does closing the page.
class ServerSection : public ExportSection {
    Q_OBJECT
public:
    ServerSection(Session* session, StatusBanner* banner, QWidget* parent = nullptr);
    ~ServerSection() override;

    /// \brief Starts serving the current result's pipeline in the background; false
    /// without a result or while it runs.
    bool start();
    /// \brief Stops serving (in the background).
    void stop();
    /// \brief True while the server listens.
    bool isRunning() const;
    /// \brief The port the server listens on (0 when stopped).
    int port() const;

    QSpinBox* portSpin() const { return m_port; }
    QLineEdit* tokenEdit() const { return m_token; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* stopButton() const { return m_stop; }
    /// \brief The status line as shown.
    QString statusText() const;
    /// \brief The `curl` command line as shown.
    QString curlCommand() const;
    /// \brief The JSON body of the `curl` line (`{"rows":[{…}]}`).
    const QString& requestBody() const { return m_body; }
    BackgroundTask* startTask() const { return m_startTask; }
    BackgroundTask* stopTask() const { return m_stopTask; }

signals:
    /// \brief The server started or stopped.
    void runningChanged(bool running);

private:
    void rebuildRequest();
    void refresh() override;
    void refreshStatus();
    void poll();

    QSpinBox* m_port;
    QLineEdit* m_token;
    QPushButton* m_generate;
    QPushButton* m_start;
    QPushButton* m_stop;
    QLabel* m_status;
    QPlainTextEdit* m_curl;
    QTimer* m_poll;
    BackgroundTask* m_startTask;
    BackgroundTask* m_stopTask;
    std::shared_ptr<serving::PredictionServer> m_server;
    QString m_body;
};

/// \brief The raw input values of one row as the server's `/predict` takes them: numbers
/// for numeric, integer and boolean columns, text for categories, text and datetimes
/// (ISO 8601), null for missing values; only the pipeline's input columns, in its order.
/// `row` of `table` when it has the columns, else a placeholder row (0, the first
/// category).
QString predictRequestBody(const workflow::FittedPipeline& pipeline, const data::Table* table, std::size_t row);

} // namespace stepwise::ui
