// Every user-visible string goes through tr(): with a translator that marks every text it
// is asked for, each visible label, button, group box, tab, menu action and table header
// on each of the seven pages (titanic loaded, a model trained) must carry the mark —
// except data, listed below with the reason.
#include <QtTest>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTabBar>
#include <QTabWidget>
#include <QTranslator>

#include "session/session.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard_walk_support.hpp"

using stepwise::ui::MainWizard;

namespace {

const QString kOpen = QStringLiteral("‹");
const QString kClose = QStringLiteral("›");

// Marks every text: "‹Next›". Qt asks installed translators for every tr() and
// QCoreApplication::translate() call, so an unmarked text did not come through tr().
class MarkingTranslator : public QTranslator {
public:
    QString translate(const char*, const char* source, const char*, int) const override
    {
        return kOpen + QString::fromUtf8(source) + kClose;
    }
    bool isEmpty() const override { return false; }
};

} // namespace

class TestTranslation : public QObject {
    Q_OBJECT

private:
    QSet<QString> m_data;  // the data set's own words: column names, values, class labels
    QStringList m_unmarked;

    // Texts that are data, not interface, and so are not translated:
    // - no letters at all: numbers, percentages, "—", "×", "0.823", "12 / 891";
    // - the data set's column names and category values (titanic's "age", "male", "S");
    // - the product name "Stepwise";
    // - file names and command lines the user copies (they must stay as they are);
    // - snake_case identifiers: hyper-parameter and option names, which are the names the
    //   CLI flags, the model file and scikit-learn use ("n_estimators").
    bool isData(const QString& text) const
    {
        const QString plain = QString(text).remove(QRegularExpression(QStringLiteral("<[^>]*>"))).remove(QLatin1Char('&')).trimmed();
        if (plain.isEmpty() || !plain.contains(QRegularExpression(QStringLiteral("\\p{L}"))))
            return true;
        if (m_data.contains(plain))
            return true;
        if (plain == QLatin1String("Stepwise"))
            return true;
        if (plain.contains(QRegularExpression(QStringLiteral("^[a-z][a-z0-9]*(_[a-z0-9]+)*$"))))
            return true;
        if (plain.startsWith(QLatin1String("stepwise-cli ")) || plain.contains(QRegularExpression(QStringLiteral("^[\\w./-]+\\.(csv|stepwise|onnx|py|md|json)$"))))
            return true;
        return false;
    }

    void check(const QString& where, const QString& text)
    {
        if (text.contains(kOpen) || isData(text))
            return;
        const QString entry = where + QStringLiteral(": \"") + text.left(80) + QLatin1Char('"');
        if (!m_unmarked.contains(entry))
            m_unmarked << entry;
    }

    static QString path(const QObject* object)
    {
        QStringList names;
        for (const QObject* o = object; o; o = o->parent())
            if (!o->objectName().isEmpty() && !o->objectName().startsWith(QLatin1String("qt_")))
                names.prepend(o->objectName());
        return QString::fromLatin1(object->metaObject()->className()) + QLatin1Char('@') + names.join(QLatin1Char('/'));
    }

    void checkMenu(const QString& where, QMenu* menu)
    {
        for (QAction* action : menu->actions()) {
            if (action->isSeparator() || !action->isVisible())
                continue;
            check(where + QStringLiteral(" > menu"), action->text());
            if (action->menu())
                checkMenu(where, action->menu());
        }
    }

    void checkWindow(const QString& where, MainWizard& wizard)
    {
        for (QWidget* widget : wizard.findChildren<QWidget*>()) {
            if (!widget->isVisible())
                continue;
            if (auto* label = qobject_cast<QLabel*>(widget))
                check(where + QLatin1Char(' ') + path(label), label->text());
            else if (auto* button = qobject_cast<QAbstractButton*>(widget))
                check(where + QLatin1Char(' ') + path(button), button->text());
            else if (auto* box = qobject_cast<QGroupBox*>(widget))
                check(where + QLatin1Char(' ') + path(box), box->title());
            else if (auto* tabs = qobject_cast<QTabBar*>(widget)) {
                for (int i = 0; i < tabs->count(); ++i)
                    check(where + QLatin1Char(' ') + path(tabs), tabs->tabText(i));
            } else if (auto* header = qobject_cast<QHeaderView*>(widget); header && header->model()) {
                const int count = header->orientation() == Qt::Horizontal ? header->model()->columnCount()
                                                                          : header->model()->rowCount();
                for (int i = 0; i < count && i < 50; ++i)
                    if (!header->isSectionHidden(i))
                        check(where + QLatin1Char(' ') + path(header),
                              header->model()->headerData(i, header->orientation()).toString());
            }
        }
        for (QAction* action : wizard.menuBar()->actions()) {
            check(where + QStringLiteral(" menu bar"), action->text());
            if (action->menu())
                checkMenu(where, action->menu());
        }
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyVisibleTextIsTranslated()
    {
        MarkingTranslator translator;
        QVERIFY(QCoreApplication::installTranslator(&translator));
        // The translator is live: a tr() call now comes back marked.
        QCOMPARE(QCoreApplication::translate("TestTranslation", "Next"), kOpen + QStringLiteral("Next") + kClose);
        {
            MainWizard wizard(false);
            wizard.show();
            QVERIFY(QTest::qWaitForWindowExposed(&wizard));
            const bool walked = wizard_walk::walk(wizard, [&](int id) {
                if (m_data.isEmpty() && wizard.session()->table()) {
                    const auto& table = *wizard.session()->table();
                    for (std::size_t c = 0; c < table.columnCount(); ++c) {
                        const auto& column = table.column(c);
                        m_data.insert(QString::fromStdString(column.name()));
                        for (const auto& category : column.levels())
                            m_data.insert(QString::fromStdString(category));
                    }
                }
                const QString where = QStringLiteral("step %1").arg(id + 1);
                checkWindow(where, wizard);
                // Every tab of the page, not only the one shown first.
                for (QTabWidget* tabs : wizard.currentPage()->findChildren<QTabWidget*>()) {
                    if (!tabs->isVisible())
                        continue;
                    const int shown = tabs->currentIndex();
                    for (int i = 0; i < tabs->count(); ++i) {
                        if (!tabs->isTabEnabled(i))
                            continue;
                        tabs->setCurrentIndex(i);
                        QTest::qWait(20);
                        checkWindow(where + QStringLiteral(" tab ") + tabs->tabText(i), wizard);
                    }
                    tabs->setCurrentIndex(shown);
                }
            });
            QVERIFY(walked);
        }
        QCoreApplication::removeTranslator(&translator);
        for (const QString& entry : m_unmarked)
            qWarning("not through tr(): %s", qPrintable(entry));
        QVERIFY2(m_unmarked.isEmpty(),
                 qPrintable(QStringLiteral("%1 texts not through tr():\n").arg(m_unmarked.size()) +
                            m_unmarked.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
