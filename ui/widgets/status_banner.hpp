#pragma once
/// \file
/// \brief The per-page message strip: errors, warnings and notes in words, with the fix.

#include <QFrame>
#include <QList>
#include <QString>

class QVBoxLayout;

namespace stepwise::ui {

/// \brief Shows a page's messages above its content, most severe first. Each message
/// has a key so independent sources (a load error, profile flags, a parameter check)
/// can set and clear their own without touching the others. Hidden when empty. This is
/// where a page says what went wrong — never a modal dialog.
class StatusBanner : public QFrame {
    Q_OBJECT
public:
    /// \brief Severity, which sets the colour and the icon.
    enum class Level { Success, Info, Warning, Error };

    explicit StatusBanner(QWidget* parent = nullptr);

    /// \brief Sets (or replaces) the message under `key`.
    void setMessage(const QString& key, Level level, const QString& text);
    /// \brief Removes the message under `key`.
    void clearMessage(const QString& key);
    /// \brief Removes every message whose key starts with `prefix`.
    void clearMessagesWithPrefix(const QString& prefix);
    /// \brief Removes all messages.
    void clearAll();

    /// \brief Number of warnings and errors (the rail's "needs attention" count).
    int attentionCount() const;
    /// \brief True when an error is shown.
    bool hasError() const;
    /// \brief All message texts, most severe first, one per line.
    QString text() const;

signals:
    /// \brief The set of messages changed.
    void changed();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Message {
        QString key;
        Level level;
        QString text;
    };
    void rebuild();

    QList<Message> m_messages;
    QVBoxLayout* m_layout;
};

/// \brief A small round icon for a banner level, painted (no image files needed).
QPixmap bannerIcon(StatusBanner::Level level, int size, qreal devicePixelRatio);
/// \brief The accent colour of a level.
QColor bannerColor(StatusBanner::Level level);

} // namespace stepwise::ui
