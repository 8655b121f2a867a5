#pragma once
/// \file
/// \brief What every section of the Export page shares: the session, the page's banner
/// and the remembered folder.

#include <QGroupBox>
#include <QString>

#include <functional>
#include <initializer_list>
#include <memory>

class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace stepwise::workflow {
class FittedPipeline;
}

namespace stepwise::ui {

class BackgroundTask;
class Session;
class StatusBanner;

/// \brief A titled part of the Export page that hands over one form of the model. It
/// reads the session's current result, reports failures in the page's banner under its
/// own key (never a dialog) and keeps the user's files as they were when it fails: every
/// write goes to a temporary file that replaces the target only when complete.
class ExportSection : public QGroupBox {
    Q_OBJECT
public:
    /// \brief A section titled `title`; `bannerKey` names its messages in `banner`.
    ExportSection(const QString& title, Session* session, StatusBanner* banner, const QString& bannerKey,
                  QWidget* parent = nullptr);

    /// \brief Whether the last folder is read from and written to the settings (off in
    /// demo mode and tests).
    void setUsesSettings(bool uses) { m_usesSettings = uses; }

protected:
    /// \brief Shows the section's current state: which buttons are enabled, the status.
    virtual void refresh() = 0;
    /// \brief Refreshes when `task` starts and ends, and shows `failureText(error)` in the
    /// banner when it fails.
    void followTask(BackgroundTask* task, std::function<QString(const QString& error)> failureText);
    /// \brief A row of `buttons` followed by `status` (wrapped, selectable) taking the rest.
    static QHBoxLayout* actionRow(std::initializer_list<QPushButton*> buttons, QLabel* status);

    Session* session() const { return m_session; }
    /// \brief The current result's pipeline, or null without a result.
    std::shared_ptr<const workflow::FittedPipeline> pipeline() const;
    /// \brief Asks for a file to write: the dialog starts in the last folder with
    /// `fileName`; `filters` as for `QFileDialog`. The chosen filter's first suffix is
    /// added when the name has none. Empty when the user cancelled.
    QString askSavePath(const QString& caption, const QString& fileName, const QStringList& filters);
    /// \brief Asks for a file to read (same folder memory); empty when cancelled.
    QString askOpenPath(const QString& caption, const QString& filters);
    /// \brief "titanic-random_forest": the stem of suggested file names.
    QString suggestedStem() const;
    /// \brief Shows `text` at `level` under this section's key.
    void showError(const QString& text);
    void showSuccess(const QString& text);
    void clearMessage();

private:
    void rememberFolder(const QString& path);
    QString lastFolder() const;

    Session* m_session;
    StatusBanner* m_banner;
    QString m_key;
    QString m_folder;
    bool m_usesSettings = true;
};

/// \brief "1.2 MB" for a byte count, in the user's locale.
QString formatBytes(qint64 bytes);

/// \brief "0.4 s" or "35 ms" for a duration.
QString formatDuration(qint64 milliseconds);

} // namespace stepwise::ui
