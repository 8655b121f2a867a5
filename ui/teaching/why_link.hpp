#pragma once
/// \file
/// \brief "Why?" links: a control's short why on hover and a small link beside it that
/// opens the Learn panel at the control's glossary entry.

#include <QLabel>
#include <QString>
#include <QStringList>

#include <functional>

class QAbstractItemView;
class QComboBox;

namespace stepwise::ui::teaching {

/// \brief How a link reads: the word "Why?", or a bare "?" where room is short (the
/// rows of a hyper-parameter form).
enum class WhyStyle { Word, Mark };

/// \brief The small "Why?" link beside a control. Activating it (click, or Enter when it
/// has the focus) asks the nearest ancestor with a `showGlossaryEntry(QString)` slot —
/// the step page — to open its Learn panel at the entry; with no such ancestor the
/// entry is shown as a tooltip at the link.
class WhyLink : public QLabel {
    Q_OBJECT
public:
    /// \brief A link for `target`; `currentKey` names the entry to open now, `allKeys`
    /// every entry the control can point to (for the Learn panel's list).
    WhyLink(QWidget* target, std::function<QString()> currentKey, std::function<QStringList()> allKeys,
            QWidget* parent, WhyStyle style = WhyStyle::Word);

    /// \brief The control the link explains.
    QWidget* target() const { return m_target; }
    /// \brief The glossary key the link opens now.
    QString currentKey() const { return m_currentKey(); }
    /// \brief Every key the control can point to.
    QStringList keys() const { return m_allKeys(); }
    /// \brief Opens the explanation, as a click does.
    void activate();

private:
    QWidget* m_target;
    std::function<QString()> m_currentKey;
    std::function<QStringList()> m_allKeys;
};

/// \brief Gives `widget` the why of glossary entry `key` on hover (after its own
/// tooltip, which may change later) and a "Why?" link beside it. The widget must already
/// sit in its parent's layout; the link is placed next to it (below an item view) and
/// follows its visibility. Returns the link; nullptr when `key` has no entry (nothing
/// is attached) or the widget is in no layout (the tooltip is attached only).
WhyLink* attachWhy(QWidget* widget, const QString& key, WhyStyle style = WhyStyle::Word);
/// \brief Same for a control whose entry changes with its state (a metric combo): the
/// key is read at hover and click time.
WhyLink* attachWhy(QWidget* widget, std::function<QString()> currentKey, std::function<QStringList()> allKeys);
/// \brief A combo whose item data is a name: the key is `prefix` + the current item's
/// data, or `emptyKey` for an item without data.
WhyLink* attachComboWhy(QComboBox* combo, const QString& prefix, const QString& emptyKey = {});
/// \brief An item view whose rows carry a name in `role` of column 0: hovering a row
/// adds its entry's why to the row's tooltip, activating a row (double-click, Enter)
/// opens its entry, and the link under the view opens the current row's entry (the
/// first row's when none is current). Key: `prefix` + the name.
WhyLink* attachItemWhy(QAbstractItemView* view, const QString& prefix, int role);
/// \brief The tooltip text `widget` shows with its why: its own tooltip, then the why of
/// its current entry. Empty when nothing is attached.
QString whyToolTip(QWidget* widget);
/// \brief Asks the nearest ancestor of `from` that has a Learn panel to show entry `key`;
/// false when there is none.
bool openGlossaryEntry(QWidget* from, const QString& key);

} // namespace stepwise::ui::teaching
