#include "teaching/why_link.hpp"

#include <QAbstractItemView>
#include <QBoxLayout>
#include <QComboBox>
#include <QCoreApplication>
#include <QHelpEvent>
#include <QLayout>
#include <QMetaObject>
#include <QPointer>
#include <QToolTip>

#include "teaching/glossary.hpp"

namespace stepwise::ui::teaching {
namespace {

class WhyText {
    Q_DECLARE_TR_FUNCTIONS(Why)
public:
    static QString link() { return tr("Why?"); }
    static QString accessible(const QString& term) { return tr("Why: %1").arg(term); }
    static QString hint() { return tr("Why?"); }
    static QString linkTip() { return tr("Open the explanation in the Learn panel (F1 hides it)"); }
};

QString asHtml(const QString& text)
{
    if (text.isEmpty() || Qt::mightBeRichText(text))
        return text;
    return text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

/// `base` followed by the why of `key`, as rich text.
QString composeToolTip(const QString& base, const QString& key)
{
    const auto entry = glossaryEntry(key);
    if (!entry)
        return base;
    QString text = QStringLiteral("<qt>");
    if (!base.isEmpty())
        text += asHtml(base) + QStringLiteral("<hr>");
    text += QStringLiteral("<b>%1</b> %2").arg(WhyText::hint().toHtmlEscaped(), entry->why.toHtmlEscaped());
    return text + QStringLiteral("</qt>");
}

/// Shows the composed tooltip of a control, reading its own tooltip at hover time
/// (pages change tooltips as the recipe changes), and keeps a link's container visible
/// exactly when the control is.
class WhyFilter : public QObject {
public:
    WhyFilter(QWidget* widget, std::function<QString()> key) : QObject(widget), m_widget(widget), m_key(std::move(key))
    {
        setObjectName(QStringLiteral("whyFilter"));
    }
    QString toolTip() const { return composeToolTip(m_widget->toolTip(), m_key()); }
    void setContainer(QWidget* container) { m_container = container; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched != m_widget)
            return false;
        if (event->type() == QEvent::ToolTip) {
            const QString text = toolTip();
            if (text.isEmpty())
                return false;
            QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), text, m_widget);
            return true;
        }
        if (m_container && event->type() == QEvent::HideToParent)
            m_container->hide();
        if (m_container && event->type() == QEvent::ShowToParent)
            m_container->show();
        return false;
    }

private:
    QWidget* m_widget;
    std::function<QString()> m_key;
    QPointer<QWidget> m_container;
};

/// Row tooltips of an item view with the why of the row's entry.
class ItemWhyFilter : public QObject {
public:
    ItemWhyFilter(QAbstractItemView* view, QString prefix, int role)
        : QObject(view), m_view(view), m_prefix(std::move(prefix)), m_role(role)
    {
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched != m_view->viewport() || event->type() != QEvent::ToolTip)
            return false;
        auto* help = static_cast<QHelpEvent*>(event);
        const QModelIndex index = m_view->indexAt(help->pos());
        if (!index.isValid())
            return false;
        const QString name = index.siblingAtColumn(0).data(m_role).toString();
        if (name.isEmpty())
            return false;
        const QString text = composeToolTip(index.data(Qt::ToolTipRole).toString(), m_prefix + name);
        if (text.isEmpty())
            return false;
        QToolTip::showText(help->globalPos(), text, m_view->viewport(), m_view->visualRect(index));
        return true;
    }

private:
    QAbstractItemView* m_view;
    QString m_prefix;
    int m_role;
};

/// Puts `link` beside `widget` (below an item view) by replacing the widget in its
/// parent's layout with a small container holding both.
bool placeBeside(QWidget* widget, WhyLink* link, WhyFilter* filter)
{
    QWidget* parent = widget->parentWidget();
    if (!parent || !parent->layout())
        return false;
    const bool explicitlyHidden = widget->isHidden() && widget->testAttribute(Qt::WA_WState_ExplicitShowHide);
    auto* container = new QWidget(parent);
    container->setObjectName(QStringLiteral("whyContainer"));
    QLayoutItem* old = parent->layout()->replaceWidget(widget, container);
    if (!old) {
        delete container;
        return false;
    }
    delete old;
    const bool below = qobject_cast<QAbstractItemView*>(widget) != nullptr;
    auto* layout = below ? static_cast<QBoxLayout*>(new QVBoxLayout(container))
                         : static_cast<QBoxLayout*>(new QHBoxLayout(container));
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(below ? 2 : 4);
    container->setSizePolicy(widget->sizePolicy());
    if (below) {
        layout->addWidget(widget, 1);
        layout->addWidget(link, 0, Qt::AlignRight);
    } else {
        const bool grows = widget->sizePolicy().horizontalPolicy() & QSizePolicy::ExpandFlag;
        layout->addWidget(widget, grows ? 1 : 0);
        layout->addWidget(link, 0, Qt::AlignVCenter);
        if (!grows)
            layout->addStretch(1);
    }
    link->setParent(container);
    if (explicitlyHidden)
        container->hide();
    filter->setContainer(container);
    QWidget::setTabOrder(widget, link);
    return true;
}

WhyFilter* filterOf(QWidget* widget)
{
    return widget ? widget->findChild<WhyFilter*>(QStringLiteral("whyFilter"), Qt::FindDirectChildrenOnly) : nullptr;
}

} // namespace

WhyLink::WhyLink(QWidget* target, std::function<QString()> currentKey, std::function<QStringList()> allKeys,
                 QWidget* parent, WhyStyle style)
    : QLabel(parent), m_target(target), m_currentKey(std::move(currentKey)), m_allKeys(std::move(allKeys))
{
    setObjectName(QStringLiteral("whyLink"));
    setText(style == WhyStyle::Mark ? QStringLiteral("<a href=\"why\"><b>?</b></a>")
                                    : QStringLiteral("<a href=\"why\">%1</a>").arg(WhyText::link().toHtmlEscaped()));
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    setFocusPolicy(Qt::TabFocus);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.88);
    setFont(small);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    const auto entry = glossaryEntry(m_currentKey());
    setAccessibleName(WhyText::accessible(entry ? entry->term : m_currentKey()));
    setToolTip(WhyText::linkTip());
    connect(this, &QLabel::linkActivated, this, &WhyLink::activate);
}

void WhyLink::activate()
{
    const QString key = currentKey();
    if (openGlossaryEntry(this, key))
        return;
    // Outside a step page there is no Learn panel: the entry is shown where the link is.
    if (const auto entry = glossaryEntry(key))
        QToolTip::showText(mapToGlobal(rect().bottomLeft()),
                           QStringLiteral("<qt><b>%1</b><br>%2<br>%3</qt>")
                               .arg(entry->term.toHtmlEscaped(), entry->why.toHtmlEscaped(), entry->more.toHtmlEscaped()),
                           this);
}

bool openGlossaryEntry(QWidget* from, const QString& key)
{
    for (QWidget* w = from; w; w = w->parentWidget()) {
        if (w->metaObject()->indexOfMethod("showGlossaryEntry(QString)") >= 0)
            return QMetaObject::invokeMethod(w, "showGlossaryEntry", Q_ARG(QString, key));
    }
    return false;
}

namespace {

WhyLink* attachWithStyle(QWidget* widget, std::function<QString()> currentKey, std::function<QStringList()> allKeys,
                         WhyStyle style)
{
    if (!widget)
        return nullptr;
    auto* filter = new WhyFilter(widget, currentKey);
    widget->installEventFilter(filter);
    auto* link = new WhyLink(widget, std::move(currentKey), std::move(allKeys), widget->parentWidget(), style);
    if (!placeBeside(widget, link, filter)) {
        delete link;
        return nullptr;
    }
    return link;
}

} // namespace

WhyLink* attachWhy(QWidget* widget, std::function<QString()> currentKey, std::function<QStringList()> allKeys)
{
    return attachWithStyle(widget, std::move(currentKey), std::move(allKeys), WhyStyle::Word);
}

WhyLink* attachWhy(QWidget* widget, const QString& key, WhyStyle style)
{
    if (!glossaryEntry(key))
        return nullptr;
    return attachWithStyle(widget, [key] { return key; }, [key] { return QStringList{key}; }, style);
}

WhyLink* attachComboWhy(QComboBox* combo, const QString& prefix, const QString& emptyKey)
{
    const auto keyAt = [combo, prefix, emptyKey](int index) {
        const QString name = combo->itemData(index).toString();
        return name.isEmpty() ? emptyKey : prefix + name;
    };
    return attachWhy(
        combo, [combo, keyAt] { return keyAt(combo->currentIndex()); },
        [combo, keyAt] {
            QStringList keys;
            for (int i = 0; i < combo->count(); ++i)
                if (const QString key = keyAt(i); !key.isEmpty() && !keys.contains(key))
                    keys << key;
            return keys;
        });
}

WhyLink* attachItemWhy(QAbstractItemView* view, const QString& prefix, int role)
{
    view->viewport()->installEventFilter(new ItemWhyFilter(view, prefix, role));
    const auto keyOf = [view, prefix, role](const QModelIndex& index) {
        const QString name = index.siblingAtColumn(0).data(role).toString();
        return name.isEmpty() ? QString() : prefix + name;
    };
    QObject::connect(view, &QAbstractItemView::activated, view, [view, keyOf](const QModelIndex& index) {
        if (const QString key = keyOf(index); !key.isEmpty())
            openGlossaryEntry(view, key);
    });
    return attachWhy(
        view,
        [view, keyOf] {
            QModelIndex index = view->currentIndex();
            if (!index.isValid() && view->model() && view->model()->rowCount() > 0)
                index = view->model()->index(0, 0);
            return index.isValid() ? keyOf(index) : QString();
        },
        [view, keyOf] {
            QStringList keys;
            if (const QAbstractItemModel* model = view->model())
                for (int row = 0; row < model->rowCount(); ++row)
                    if (const QString key = keyOf(model->index(row, 0)); !key.isEmpty() && !keys.contains(key))
                        keys << key;
            return keys;
        });
}

QString whyToolTip(QWidget* widget)
{
    const WhyFilter* filter = filterOf(widget);
    return filter ? filter->toolTip() : QString();
}

} // namespace stepwise::ui::teaching
