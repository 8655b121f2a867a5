// The Data page driven through its widgets on builtin:titanic: a type change through the
// overview's Type editor lands in the table and the recipe (and a refused one changes
// nothing), a broken file shows its location in the banner while the loaded table stays,
// selecting a column shows its distribution, the row filter, the read-options dialog,
// and the one heatmap widget drawing both correlations and confusion matrices.
#include <QtTest>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

#include "models/column_overview_model.hpp"
#include "models/confusion_matrix_model.hpp"
#include "models/correlation_model.hpp"
#include "models/table_model.hpp"
#include "pages/data_page.hpp"
#include "pages/evaluation_page.hpp"
#include "pages/open_data_dialog.hpp"
#include "session/session.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/data/data_source.hpp"
#include "tasks/background_task.hpp"
#include "widgets/charts/distribution_chart.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"

using namespace stepwise;

namespace {

bool loadTitanic(ui::Session& session)
{
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = "titanic";
    QSignalSpy loaded(&session, &ui::Session::dataChanged);
    session.loadData(source);
    return loaded.wait(30000) && session.table() && session.table()->rowCount() == 891;
}

int overviewRow(ui::DataPage& page, const QString& column)
{
    return page.overviewModel()->rowOf(column.toStdString());
}

/// Chooses `kind` in the overview's Type editor, as a click on the cell and a choice in
/// the list would.
bool chooseKind(ui::DataPage& page, const QString& column, const QString& kind)
{
    const QModelIndex cell = page.overviewModel()->index(overviewRow(page, column), ui::ColumnOverviewModel::Kind);
    page.overviewView()->setCurrentIndex(cell);
    page.overviewView()->edit(cell);
    auto* editor = page.overviewView()->findChild<QComboBox*>(QStringLiteral("columnKindEditor"));
    if (!editor)
        return false;
    const int choice = editor->findData(kind);
    if (choice < 0)
        return false;
    editor->setCurrentIndex(choice);
    emit editor->activated(choice);
    return true;
}

QColor pixelAt(const QImage& image, const QPointF& point, qreal ratio)
{
    return image.pixelColor((point * ratio).toPoint());
}

QString readerFixture(const char* name)
{
    return QStringLiteral(STEPWISE_TEST_DATA_DIR "/readers/") + QLatin1String(name);
}

/// What a scripted read-options dialog showed, and what the script chose.
struct DialogSeen {
    bool opened = false;
    bool loadEnabled = false;
    QStringList sheets;
    QStringList tables;
    bool sheetBoxShown = false;
    bool sqliteBoxShown = false;
    bool textBoxShown = false;
    QString estimateText;
    QString problem;
    QString file;  ///< the file the dialog reads
};

QStringList comboTexts(const QComboBox* combo)
{
    QStringList texts;
    for (int i = 0; i < combo->count(); ++i)
        texts << combo->itemText(i);
    return texts;
}

bool shownIn(const QDialog& dialog, const char* name)
{
    const auto* widget = dialog.findChild<QWidget*>(QLatin1String(name));
    return widget && widget->isVisibleTo(&dialog);
}

/// Answers the next read-options dialog the page opens (modally, from `exec`): records
/// what it offers, lets `choose` set the options, then presses Load when `choose`
/// returns true and Load is enabled, else Cancel.
class DialogScript : public QObject {
public:
    explicit DialogScript(std::function<bool(ui::OpenDataDialog&)> choose) : m_choose(std::move(choose))
    {
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] { answer(); });
        m_timer.start();
    }
    const DialogSeen& seen() const { return m_seen; }

private:
    void answer()
    {
        auto* dialog = qobject_cast<ui::OpenDataDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        m_timer.stop();
        m_seen.opened = true;
        m_seen.file = QString::fromStdString(dialog->source().location);
        m_seen.sheets = comboTexts(dialog->findChild<QComboBox*>(QStringLiteral("sheetCombo")));
        m_seen.tables = comboTexts(dialog->findChild<QComboBox*>(QStringLiteral("sqliteTableCombo")));
        m_seen.sheetBoxShown = shownIn(*dialog, "sheetCombo");
        m_seen.sqliteBoxShown = shownIn(*dialog, "sqliteTableCombo");
        m_seen.textBoxShown = shownIn(*dialog, "delimiterCombo");
        const bool load = m_choose(*dialog);
        m_seen.estimateText = dialog->estimateText();
        m_seen.problem = dialog->problem();
        QPushButton* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        m_seen.loadEnabled = ok->isEnabled();
        if (load && ok->isEnabled())
            QTest::mouseClick(ok, Qt::LeftButton);
        else
            dialog->reject();
    }

    std::function<bool(ui::OpenDataDialog&)> m_choose;
    DialogSeen m_seen;
    QTimer m_timer;
};

bool choose(QComboBox* combo, const QString& text)
{
    const int index = combo->findText(text);
    if (index < 0)
        return false;
    combo->setCurrentIndex(index);
    return true;
}

/// Opens `path` through the page (a live `DialogScript` answers its read-options dialog,
/// if it asks) and waits for the load to end. False when no load ran.
bool openThroughPage(ui::DataPage& page, ui::Session& session, const QString& path)
{
    QSignalSpy finished(session.dataTask(), &ui::BackgroundTask::finished);
    page.openFile(path);
    if (!session.dataTask()->isRunning() && finished.isEmpty())
        return false;
    return !finished.isEmpty() || finished.wait(30000);
}

QStringList kindNames(const data::Table& table)
{
    QStringList kinds;
    for (const auto& column : table.columns())
        kinds << QString::fromLatin1(data::toString(column.kind()));
    return kinds;
}

/// The recipe's data source, loaded again by the engine alone, gives the table the page shows.
void checkRecipeReproducesTable(const ui::Session& session)
{
    const data::Table again = data::loadTable(session.recipe().data);
    const data::Table& shown = *session.table();
    QCOMPARE(again.columnNames(), shown.columnNames());
    QCOMPARE(again.rowCount(), shown.rowCount());
    QCOMPARE(kindNames(again), kindNames(shown));
    for (std::size_t c = 0; c < shown.columnCount(); ++c)
        for (std::size_t r = 0; r < shown.rowCount(); ++r)
            QCOMPARE(again.column(c).textAt(r), shown.column(c).textAt(r));
}

/// A CSV of `rows` rows × 20 one-digit columns (40 bytes a row).
void writeDigitsCsv(const QString& path, int rows)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray header;
    for (int c = 0; c < 20; ++c)
        header += (c ? ",c" : "c") + QByteArray::number(c);
    file.write(header + '\n');
    QByteArray block;
    for (int r = 0; r < 1000; ++r) {
        for (int c = 0; c < 20; ++c) {
            block += char('0' + (r * 7 + c) % 10);
            block += c == 19 ? '\n' : ',';
        }
    }
    for (int written = 0; written < rows; written += 1000)
        file.write(block);
    file.close();
}

/// Saves `widget` as a PNG in a folder under the system temp dir (kept after the test,
/// to look at) and returns its path.
QString saveScreenshot(QWidget& widget, const QString& name)
{
    const QString folder = QDir::temp().filePath(QStringLiteral("stepwise-screenshots"));
    QDir().mkpath(folder);
    const QString path = QDir(folder).filePath(name + QStringLiteral(".png"));
    widget.grab().save(path);
    qInfo("screenshot: %s", qPrintable(path));
    return path;
}

/// Texts that do not fit their widget: labels, check boxes and radio buttons narrower
/// than they need, or a label's word-wrapped text taller than the label.
QStringList cutOffTexts(const QWidget& root)
{
    QStringList cut;
    for (const auto* label : root.findChildren<QLabel*>()) {
        if (!label->isVisibleTo(&root) || label->text().isEmpty())
            continue;
        const bool fits = label->wordWrap() ? label->heightForWidth(label->width()) <= label->height()
                                            : label->minimumSizeHint().width() <= label->width();
        if (!fits)
            cut << label->text();
    }
    for (const auto* button : root.findChildren<QAbstractButton*>())
        if (button->isVisibleTo(&root) && button->sizeHint().width() > button->width())
            cut << button->text();
    return cut;
}

/// Group boxes shown with nothing visible inside.
QStringList emptyBoxes(const QWidget& root)
{
    QStringList empty;
    for (const auto* box : root.findChildren<QGroupBox*>()) {
        if (!box->isVisibleTo(&root))
            continue;
        bool any = false;
        for (const auto* child : box->findChildren<QWidget*>())
            any = any || child->isVisibleTo(box);
        if (!any)
            empty << box->title();
    }
    return empty;
}

} // namespace

class TestDataPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void typeOverrideThroughThePage()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.resize(1200, 720);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(loadTitanic(session));
        QCOMPARE(page.overviewModel()->rowCount(), 15);
        QCOMPARE(data::toString(session.table()->column("pclass").kind()), data::toString(data::ColumnKind::Integer));
        const auto before = session.correlation();
        QVERIFY(std::find(before->columns.begin(), before->columns.end(), "pclass") != before->columns.end());

        // pclass is a class, not a quantity: make it categorical.
        QSignalSpy changed(&session, &ui::Session::dataChanged);
        QVERIFY(chooseKind(page, QStringLiteral("pclass"), QStringLiteral("categorical")));
        QVERIFY(changed.wait(20000));
        QCOMPARE(data::toString(session.table()->column("pclass").kind()), data::toString(data::ColumnKind::Categorical));
        QCOMPARE(session.table()->column("pclass").levels().size(), std::size_t(3));
        const auto& kinds = session.recipe().data.read.columnKinds;
        QCOMPARE(kinds.size(), std::size_t(1));
        QCOMPARE(kinds.front().column, std::string("pclass"));
        QCOMPARE(data::toString(kinds.front().kind), data::toString(data::ColumnKind::Categorical));
        QCOMPARE(session.loadedSource().read.columnKinds.size(), std::size_t(1));
        QCOMPARE(page.overviewModel()->index(overviewRow(page, QStringLiteral("pclass")), ui::ColumnOverviewModel::Kind)
                     .data()
                     .toString(),
                 QStringLiteral("categorical"));
        const auto after = session.correlation();
        QVERIFY(std::find(after->columns.begin(), after->columns.end(), "pclass") == after->columns.end());
        QVERIFY(!page.banner()->hasError());
        // The recipe's overrides rebuild the same table from the source.
        const data::Table again =
            data::applyColumnKinds(data::loadBuiltinDataset("titanic"), kinds, session.recipe().data.describe());
        QCOMPARE(data::toString(again.column("pclass").kind()), data::toString(data::ColumnKind::Categorical));
        QCOMPARE(again.column("pclass").codes(), session.table()->column("pclass").codes());

        // Changing it again replaces the entry rather than adding one.
        QVERIFY(chooseKind(page, QStringLiteral("pclass"), QStringLiteral("integer")));
        QVERIFY(changed.wait(20000));
        QCOMPARE(data::toString(session.table()->column("pclass").kind()), data::toString(data::ColumnKind::Integer));
        QCOMPARE(session.recipe().data.read.columnKinds.size(), std::size_t(1));
        QCOMPARE(data::toString(session.recipe().data.read.columnKinds.front().kind), data::toString(data::ColumnKind::Integer));

        // "male" is not a number: the banner says so, nothing changes.
        const auto table = session.table();
        QSignalSpy failed(&session, &ui::Session::columnKindFailed);
        QVERIFY(chooseKind(page, QStringLiteral("sex"), QStringLiteral("numeric")));
        QVERIFY(failed.wait(20000));
        QVERIFY(page.banner()->hasError());
        QVERIFY2(page.banner()->text().contains(QStringLiteral("sex")), qPrintable(page.banner()->text()));
        QVERIFY2(page.banner()->text().contains(QStringLiteral("male")), qPrintable(page.banner()->text()));
        QCOMPARE(session.table(), table);
        QCOMPARE(data::toString(session.table()->column("sex").kind()), data::toString(data::ColumnKind::Categorical));
        QCOMPARE(session.recipe().data.read.columnKinds.size(), std::size_t(1));
        QCOMPARE(page.overviewModel()->index(overviewRow(page, QStringLiteral("sex")), ui::ColumnOverviewModel::Kind)
                     .data()
                     .toString(),
                 QStringLiteral("categorical"));
    }

    void brokenFileKeepsTheLoadedTable()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        QVERIFY(loadTitanic(session));
        const auto titanic = session.table();

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("broken.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n");
        file.close();

        QSignalSpy finished(session.dataTask(), &ui::BackgroundTask::finished);
        page.openFile(path);
        QVERIFY(finished.wait(20000));
        QCOMPARE(session.dataTask()->state(), ui::BackgroundTask::State::Failed);
        QVERIFY(page.banner()->hasError());
        const QString text = page.banner()->text();
        // The message names the file, the line and the column of the problem.
        QVERIFY2(text.contains(QStringLiteral("broken.csv:3:")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("still here")), qPrintable(text));
        // Nothing was lost: the same table, recipe, and page content.
        QCOMPARE(session.table(), titanic);
        QCOMPARE(session.recipe().data.kind, data::DataSourceKind::Builtin);
        QCOMPARE(session.recipe().data.location, std::string("titanic"));
        QCOMPARE(page.tableModel()->table(), titanic);
        QCOMPARE(page.overviewModel()->rowCount(), 15);
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("dataSummary"))->text().contains(QStringLiteral("titanic")));
        QVERIFY(page.incompleteReason().isEmpty());

        // The banner points to the read options, and Read options… offers the file that
        // failed (not the Titanic data, which has none).
        QVERIFY2(text.contains(QStringLiteral("Read options")), qPrintable(text));
        auto* readOptions = page.findChild<QPushButton*>(QStringLiteral("readOptionsButton"));
        QVERIFY(readOptions->isEnabled());
        DialogScript retry([](ui::OpenDataDialog&) { return false; });
        QTest::mouseClick(readOptions, Qt::LeftButton);
        QVERIFY(retry.seen().opened);
        QCOMPARE(retry.seen().file, QFileInfo(path).absoluteFilePath());
        QVERIFY(retry.seen().textBoxShown);
        QCOMPARE(session.table(), titanic);

        // A good load afterwards clears the error, and the failed file is no longer offered.
        QVERIFY(loadTitanic(session));
        QVERIFY(!page.banner()->hasError());
        QVERIFY(!session.failedSource());
        QVERIFY(!readOptions->isEnabled());
    }

    void millionRowsLoadOffTheGuiThread()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.resize(1200, 720);
        page.show();
        QVERIFY(loadTitanic(session));
        const auto titanic = session.table();

        data::DataSource source;
        source.kind = data::DataSourceKind::Generated;
        source.location = "synthetic";
        source.generator.samples = 1000000;
        source.generator.features = 20;
        source.generator.informative = 6;
        source.generator.redundant = 2;
        source.generator.seed = 11;

        // Cancel mid-load: the Titanic table stays.
        auto* panel = page.findChild<ui::TaskProgressPanel*>(QStringLiteral("dataLoadProgress"));
        QVERIFY(panel);
        QSignalSpy finished(session.dataTask(), &ui::BackgroundTask::finished);
        page.loadSource(source);
        QVERIFY(session.dataTask()->isRunning());
        QTest::qWait(200);
        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(session.dataTask()->state(), ui::BackgroundTask::State::Cancelled);
        QCOMPARE(session.table(), titanic);
        QVERIFY(!page.banner()->hasError());

        // A full load: generating, profiling, counting and correlating a million rows all
        // happen on the worker; the GUI thread keeps serving events.
        QElapsedTimer sinceTick;
        qint64 longestGap = 0;
        QTimer ticker;
        ticker.setInterval(20);
        connect(&ticker, &QTimer::timeout, this, [&] {
            longestGap = std::max(longestGap, sinceTick.elapsed());
            sinceTick.restart();
        });
        QElapsedTimer clock;
        clock.start();
        sinceTick.start();
        ticker.start();
        QSignalSpy loaded(&session, &ui::Session::dataChanged);
        page.loadSource(source);
        QVERIFY(loaded.wait(180000));
        ticker.stop();
        qInfo("1,000,000 x 21 generated, profiled, counted and correlated in %lld ms (worker %.0f ms); longest "
              "GUI-thread gap %lld ms",
              clock.elapsed(), session.loadSeconds() * 1000, longestGap);
        QCOMPARE(session.table()->rowCount(), std::size_t(1000000));
        QCOMPARE(session.profile()->rows, std::size_t(1000000));
        QCOMPARE(session.correlation()->size(), std::size_t(21));
        QCOMPARE(page.overviewModel()->rowCount(), 21);
        QCOMPARE(page.tableModel()->rowCount(), 1000000);
        QVERIFY2(longestGap <= 500, qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(longestGap)));
    }

    void selectingAColumnShowsItsDistribution()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.resize(1200, 720);
        page.show();
        QVERIFY(loadTitanic(session));
        QTableView* overview = page.overviewView();
        auto select = [&](const QString& column) {
            overview->selectionModel()->setCurrentIndex(page.overviewModel()->index(overviewRow(page, column), 0),
                                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        };
        ui::DistributionChart* chart = page.distributionChart();
        select(QStringLiteral("age"));
        QCOMPARE(page.currentColumn(), QStringLiteral("age"));
        QCOMPARE(chart->shape(), ui::DistributionChart::Shape::Histogram);
        QVERIFY2(chart->title().contains(QStringLiteral("714 values")), qPrintable(chart->title()));
        QVERIFY(chart->title().contains(QStringLiteral("177 missing")));
        select(QStringLiteral("embarked"));
        QCOMPARE(chart->shape(), ui::DistributionChart::Shape::Bars);
        QCOMPARE(chart->barLabels(), (QStringList{QStringLiteral("S"), QStringLiteral("C"), QStringLiteral("Q"),
                                                  QStringLiteral("missing")}));
        select(QStringLiteral("pclass"));
        QCOMPARE(chart->barLabels(), (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
        // Double-clicking a column opens its distribution.
        QCOMPARE(page.tabs()->currentIndex(), int(ui::DataPage::OverviewTab));
        emit overview->doubleClicked(page.overviewModel()->index(overviewRow(page, QStringLiteral("fare")), 0));
        QCOMPARE(page.tabs()->currentIndex(), int(ui::DataPage::DistributionsTab));
        select(QStringLiteral("fare"));
        QCOMPARE(page.currentColumn(), QStringLiteral("fare"));
        QVERIFY(!chart->grab().isNull());
    }

    void filterBoxFiltersTheRows()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        QVERIFY(loadTitanic(session));
        page.tabs()->setCurrentIndex(ui::DataPage::TableTab);
        auto* filter = page.findChild<QLineEdit*>(QStringLiteral("rowFilterEdit"));
        auto* column = page.findChild<QComboBox*>(QStringLiteral("rowFilterColumnCombo"));
        auto* count = page.findChild<QLabel*>(QStringLiteral("rowCountLabel"));
        QCOMPARE(count->text(), QStringLiteral("891 rows"));
        column->setCurrentIndex(column->findText(QStringLiteral("sex")));
        QTest::keyClicks(filter, QStringLiteral("FEMALE"));
        QTRY_COMPARE(page.tableModel()->rowCount(), 314);
        QCOMPARE(count->text(), QStringLiteral("314 of 891 rows"));
        // Clicking a header sorts: the oldest passengers first after two clicks.
        page.tableView()->sortByColumn(3, Qt::DescendingOrder);
        QCOMPARE(page.tableModel()->sortColumn(), 3);
        QCOMPARE(page.tableModel()->data(page.tableModel()->index(0, 3)).toString(), QStringLiteral("63"));
        filter->clear();
        QTRY_COMPARE(page.tableModel()->rowCount(), 891);
        QCOMPARE(page.tableModel()->data(page.tableModel()->index(0, 3)).toString(), QStringLiteral("80"));
        QCOMPARE(page.tableModel()->data(page.tableModel()->index(890, 3)).toString(), QStringLiteral("—"));
    }

    void readOptionsDialog()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("semicolons.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a;b\n1,5;x\n2,5;y\n");
        file.close();
        data::ReadOptions options;
        options.columnKinds.push_back({"a", data::ColumnKind::Numeric});
        ui::OpenDataDialog dialog(path, options);
        QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
        QVERIFY(dialog.estimate().has_value());
        QVERIFY(dialog.findChild<QWidget*>(QStringLiteral("delimiterCombo"))->isVisibleTo(&dialog));
        QVERIFY(!dialog.findChild<QWidget*>(QStringLiteral("sheetCombo"))->isVisibleTo(&dialog));
        // Unchanged options keep the type overrides.
        QCOMPARE(dialog.source().read.columnKinds.size(), std::size_t(1));
        auto* delimiter = dialog.findChild<QComboBox*>(QStringLiteral("delimiterCombo"));
        auto* decimal = dialog.findChild<QComboBox*>(QStringLiteral("decimalCombo"));
        delimiter->setCurrentIndex(delimiter->findData(int(';')));
        decimal->setCurrentIndex(decimal->findData(int(',')));
        dialog.findChild<QLineEdit*>(QStringLiteral("missingMarkersEdit"))->setText(QStringLiteral("NA, -, NA"));
        const data::DataSource source = dialog.source();
        QCOMPARE(source.kind, data::DataSourceKind::File);
        QCOMPARE(source.read.csv.delimiter, ';');
        QCOMPARE(source.read.csv.decimal, ',');
        QCOMPARE(source.read.csv.missingMarkers, (std::vector<std::string>{"", "NA", "-"}));
        // Other read options may give other columns: the overrides do not carry over.
        QVERIFY(source.read.columnKinds.empty());

        ui::OpenDataDialog unsupported(dir.filePath(QStringLiteral("notes.docx")), {});
        QVERIFY(!unsupported.problem().isEmpty());
    }

    void opensAChosenWorkbookSheet()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        DialogScript script([](ui::OpenDataDialog& dialog) {
            return choose(dialog.findChild<QComboBox*>(QStringLiteral("sheetCombo")), QStringLiteral("gaps"));
        });
        QVERIFY(openThroughPage(page, session, readerFixture("types.xlsx")));
        // Four sheets: the page asks which one, and offers only the sheet choice.
        QVERIFY(script.seen().opened);
        QCOMPARE(script.seen().sheets, (QStringList{QStringLiteral("people"), QStringLiteral("gaps"),
                                                    QStringLiteral("empty"), QStringLiteral("dupes")}));
        QVERIFY(script.seen().sheetBoxShown);
        QVERIFY(!script.seen().sqliteBoxShown);
        QVERIFY(!script.seen().textBoxShown);
        QVERIFY2(script.seen().estimateText.contains(QStringLiteral("4 rows")), qPrintable(script.seen().estimateText));
        QCOMPARE(session.dataTask()->state(), ui::BackgroundTask::State::Succeeded);
        QVERIFY2(!page.banner()->hasError(), qPrintable(page.banner()->text()));

        const data::Table& table = *session.table();
        QCOMPARE(table.columnNames(), (std::vector<std::string>{"a", "column_2", "c", "column_4"}));
        QCOMPARE(table.rowCount(), std::size_t(4));
        QCOMPARE(kindNames(table), QStringList({"integer", "categorical", "integer", "categorical"}));
        QCOMPARE(session.recipe().data.kind, data::DataSourceKind::File);
        QCOMPARE(session.recipe().data.read.sheet, std::string("gaps"));
        QCOMPARE(QString::fromStdString(session.recipe().data.location),
                 QFileInfo(readerFixture("types.xlsx")).absoluteFilePath());
        checkRecipeReproducesTable(session);
        QCOMPARE(page.overviewModel()->rowCount(), 4);
        const QString summary = page.findChild<QLabel*>(QStringLiteral("dataSummary"))->text();
        QVERIFY2(summary.contains(QStringLiteral("types.xlsx [gaps]")), qPrintable(summary));
        QVERIFY(page.findChild<QPushButton*>(QStringLiteral("readOptionsButton"))->isEnabled());

        // Read options… offers the sheets again, starting at the one loaded.
        DialogScript again([](ui::OpenDataDialog& dialog) {
            auto* sheet = dialog.findChild<QComboBox*>(QStringLiteral("sheetCombo"));
            if (sheet->currentText() != QStringLiteral("gaps"))
                return false;
            return choose(sheet, QStringLiteral("people"));
        });
        QSignalSpy loaded(&session, &ui::Session::dataChanged);
        page.openReadOptionsDialog();
        QVERIFY(again.seen().opened);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(session.recipe().data.read.sheet, std::string("people"));
        QCOMPARE(session.table()->columnCount(), std::size_t(9));
        checkRecipeReproducesTable(session);
    }

    void opensASqliteTableOrQuery()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        const QString path = readerFixture("shop.sqlite");
        DialogScript table([](ui::OpenDataDialog& dialog) {
            return choose(dialog.findChild<QComboBox*>(QStringLiteral("sqliteTableCombo")), QStringLiteral("people"));
        });
        QVERIFY(openThroughPage(page, session, path));
        QVERIFY(table.seen().opened);
        QCOMPARE(table.seen().tables, (QStringList{QStringLiteral("adults"), QStringLiteral("files"),
                                                   QStringLiteral("odd \"name\""), QStringLiteral("people")}));
        QVERIFY(table.seen().sqliteBoxShown);
        QVERIFY(!table.seen().sheetBoxShown);
        QVERIFY(!table.seen().textBoxShown);
        QVERIFY2(table.seen().estimateText.contains(QStringLiteral("4 rows × 6 columns")),
                 qPrintable(table.seen().estimateText));
        QVERIFY2(!page.banner()->hasError(), qPrintable(page.banner()->text()));
        QCOMPARE(session.table()->columnNames(),
                 (std::vector<std::string>{"id", "score", "name", "joined", "weight", "note"}));
        QCOMPARE(session.table()->rowCount(), std::size_t(4));
        QCOMPARE(kindNames(*session.table()),
                 QStringList({"integer", "numeric", "categorical", "datetime", "numeric", "categorical"}));
        QCOMPARE(session.recipe().data.read.table, std::string("people"));
        QVERIFY(session.recipe().data.read.query.empty());
        auto* summary = page.findChild<QLabel*>(QStringLiteral("dataSummary"));
        QVERIFY2(summary->text().contains(QStringLiteral("shop.sqlite [people]")), qPrintable(summary->text()));
        checkRecipeReproducesTable(session);

        const QString query = QStringLiteral("SELECT id, upper(name) AS shout FROM people WHERE id > 1 ORDER BY id");
        DialogScript select([&](ui::OpenDataDialog& dialog) {
            const auto radios = dialog.findChildren<QRadioButton*>();
            for (QRadioButton* radio : radios)
                if (radio->text().contains(QStringLiteral("Query")))
                    QTest::mouseClick(radio, Qt::LeftButton);
            auto* edit = dialog.findChild<QPlainTextEdit*>(QStringLiteral("sqliteQueryEdit"));
            if (!edit->isEnabled())
                return false;
            edit->setPlainText(query);
            return true;
        });
        QVERIFY(openThroughPage(page, session, path));
        QVERIFY(select.seen().opened);
        // A query's rows are not counted before it runs: the estimate does not claim 0.
        QVERIFY2(select.seen().estimateText.contains(QStringLiteral("2 columns × as many rows as it returns")),
                 qPrintable(select.seen().estimateText));
        QVERIFY2(!page.banner()->hasError(), qPrintable(page.banner()->text()));
        QCOMPARE(session.table()->columnNames(), (std::vector<std::string>{"id", "shout"}));
        QCOMPARE(session.table()->rowCount(), std::size_t(3));
        QCOMPARE(session.table()->column("shout").textAt(0), std::string("GRACE"));
        QCOMPARE(QString::fromStdString(session.recipe().data.read.query), query);
        QVERIFY(session.recipe().data.read.table.empty());
        QVERIFY2(summary->text().contains(QStringLiteral("shop.sqlite [query]")), qPrintable(summary->text()));
        QVERIFY2(summary->toolTip().contains(query), qPrintable(summary->toolTip()));
        checkRecipeReproducesTable(session);

        // A table the reader refuses (a BLOB column): the banner says why, the query's
        // table stays.
        const auto before = session.table();
        DialogScript blob([](ui::OpenDataDialog& dialog) {
            return choose(dialog.findChild<QComboBox*>(QStringLiteral("sqliteTableCombo")), QStringLiteral("files"));
        });
        QVERIFY(openThroughPage(page, session, path));
        QCOMPARE(session.dataTask()->state(), ui::BackgroundTask::State::Failed);
        QVERIFY(page.banner()->hasError());
        QVERIFY2(page.banner()->text().contains(QStringLiteral("shop.sqlite")), qPrintable(page.banner()->text()));
        QVERIFY2(page.banner()->text().contains(QStringLiteral("BLOB")), qPrintable(page.banner()->text()));
        QCOMPARE(session.table(), before);
        QCOMPARE(QString::fromStdString(session.recipe().data.read.query), query);
    }

    void opensJsonRecordsAndLines()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        for (const char* name : {"records.json", "records.jsonl"}) {
            // One way to read JSON: no questions.
            DialogScript script([](ui::OpenDataDialog&) { return true; });
            QVERIFY(openThroughPage(page, session, readerFixture(name)));
            QVERIFY(!script.seen().opened);
            QVERIFY2(!page.banner()->hasError(), qPrintable(page.banner()->text()));
            const data::Table& table = *session.table();
            QCOMPARE(table.columnNames(),
                     (std::vector<std::string>{"id", "score", "name", "active", "tags", "note", "big", "extra"}));
            QCOMPARE(table.rowCount(), std::size_t(3));
            QCOMPARE(kindNames(table), QStringList({"integer", "numeric", "categorical", "boolean", "categorical",
                                                    "categorical", "numeric", "categorical"}));
            QCOMPARE(table.column("tags").textAt(0), std::string("[\"x\",\"y\"]"));
            QVERIFY(session.recipe().data.location.size() > std::strlen(name));
            QVERIFY(QString::fromStdString(session.recipe().data.location).endsWith(QLatin1String(name)));
            checkRecipeReproducesTable(session);
        }
    }

    void opensACsvWithSemicolonsAndDecimalCommas()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("european.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("city;temp;count;when\nOslo;1,5;3;2024-03-01\nRoma;12,25;NA;2024-03-02\nLima;-3,0;5;2024-03-03\n");
        file.close();

        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        {
            DialogScript none([](ui::OpenDataDialog&) { return true; });
            QVERIFY(openThroughPage(page, session, path));
            QVERIFY(!none.seen().opened);  // small and one way to read it: loaded at once
        }
        // Whether or not default options read it (the reader may guess the delimiter),
        // Read options… offers this file.
        QVERIFY(page.findChild<QPushButton*>(QStringLiteral("readOptionsButton"))->isEnabled());

        DialogScript european([](ui::OpenDataDialog& dialog) {
            auto* delimiter = dialog.findChild<QComboBox*>(QStringLiteral("delimiterCombo"));
            auto* decimal = dialog.findChild<QComboBox*>(QStringLiteral("decimalCombo"));
            delimiter->setCurrentIndex(delimiter->findData(int(';')));
            decimal->setCurrentIndex(decimal->findData(int(',')));
            return delimiter->currentData().toInt() == ';' && decimal->currentData().toInt() == ',';
        });
        QSignalSpy loaded(&session, &ui::Session::dataChanged);
        page.openReadOptionsDialog();
        QVERIFY(european.seen().opened);
        QCOMPARE(european.seen().file, QFileInfo(path).absoluteFilePath());
        QVERIFY(european.seen().textBoxShown);
        QVERIFY(!european.seen().sheetBoxShown);
        QVERIFY(loaded.wait(30000));
        QVERIFY2(!page.banner()->hasError(), qPrintable(page.banner()->text()));
        const data::Table& table = *session.table();
        QCOMPARE(table.rowCount(), std::size_t(3));
        QCOMPARE(kindNames(table), QStringList({"categorical", "numeric", "integer", "datetime"}));
        QCOMPARE(table.column("temp").values()[1], 12.25);
        QCOMPARE(table.column("temp").values()[2], -3.0);
        QCOMPARE(table.column("count").missingCount(), std::size_t(1));
        const data::ReadOptions& read = session.recipe().data.read;
        QCOMPARE(read.csv.delimiter, ';');
        QCOMPARE(read.csv.decimal, ',');
        checkRecipeReproducesTable(session);
    }

    void badFilesSayWhereAndKeepTheTable()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        QVERIFY(loadTitanic(session));
        const auto titanic = session.table();
        struct Case {
            const char* file;
            QString where;  // the file, with the line and column when the reader knows them
        };
        const Case cases[] = {{"not_a_zip.xlsx", QStringLiteral("not_a_zip.xlsx")},
                              {"not_a_db.db", QStringLiteral("not_a_db.db")},
                              {"truncated.json", QStringLiteral("truncated.json:")}};
        for (const Case& bad : cases) {
            DialogScript script([](ui::OpenDataDialog&) { return true; });
            QSignalSpy finished(session.dataTask(), &ui::BackgroundTask::finished);
            page.openFile(readerFixture(bad.file));
            if (session.dataTask()->isRunning())
                QVERIFY(finished.wait(20000));
            QVERIFY2(!script.seen().opened, bad.file);
            QVERIFY2(page.banner()->hasError(), bad.file);
            const QString text = page.banner()->text();
            QVERIFY2(text.contains(bad.where), qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("still here")), qPrintable(text));
            QCOMPARE(session.table(), titanic);
            QCOMPARE(session.recipe().data.kind, data::DataSourceKind::Builtin);
            QCOMPARE(page.tableModel()->table(), titanic);
            QVERIFY(page.incompleteReason().isEmpty());
        }
        // The JSON reader knows the line and column.
        QVERIFY2(page.banner()->text().contains(QRegularExpression(QStringLiteral("truncated\\.json:\\d+:\\d+:"))),
                 qPrintable(page.banner()->text()));
    }

    void largeLoadShowsTheEstimateFirst()
    {
        QTemporaryDir dir;
        const QString big = dir.filePath(QStringLiteral("big.csv"));
        // 1,000,000 × 20 cells: about 240 MB in memory, over the 200 MB that asks first.
        writeDigitsCsv(big, 1000000);
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        QVERIFY(loadTitanic(session));
        const auto titanic = session.table();

        DialogScript decline([](ui::OpenDataDialog&) { return false; });
        page.openFile(big);
        QVERIFY(decline.seen().opened);
        const QString estimate = decline.seen().estimateText;
        QVERIFY2(estimate.contains(QStringLiteral("In memory")), qPrintable(estimate));
        // Rows scaled from a sample of the start: close to, not exactly, a million.
        QVERIFY2(QRegularExpression(QStringLiteral("≈(999,\\d{3}|1,000,\\d{3}) rows × 20 columns")).match(estimate).hasMatch(),
                 qPrintable(estimate));
        QVERIFY2(estimate.contains(QStringLiteral("large load")), qPrintable(estimate));
        QVERIFY(!session.dataTask()->isRunning());
        QCOMPARE(session.table(), titanic);
        QVERIFY(!page.banner()->hasError());

        // With a lower threshold a small file asks too; accepting loads it.
        const QString small = dir.filePath(QStringLiteral("small.csv"));
        writeDigitsCsv(small, 1000);
        page.setLargeLoadBytes(1000);
        DialogScript accept([](ui::OpenDataDialog&) { return true; });
        QVERIFY(openThroughPage(page, session, small));
        QVERIFY(accept.seen().opened);
        QVERIFY2(accept.seen().estimateText.contains(QStringLiteral("large load")), qPrintable(accept.seen().estimateText));
        QCOMPARE(session.table()->rowCount(), std::size_t(1000));
        QCOMPARE(session.table()->columnCount(), std::size_t(20));
    }

    void bigCsvLoadReportsProgressAndCancels()
    {
        QTemporaryDir dir;
        const QString big = dir.filePath(QStringLiteral("big.csv"));
        writeDigitsCsv(big, 1000000);
        ui::Session session;
        ui::DataPage page(&session);
        page.show();
        QVERIFY(loadTitanic(session));
        const auto titanic = session.table();

        auto* panel = page.findChild<ui::TaskProgressPanel*>(QStringLiteral("dataLoadProgress"));
        QStringList stages;
        connect(session.dataTask(), &ui::BackgroundTask::progressChanged, this,
                [&](double, const QString& stage) { stages << stage; });
        QSignalSpy finished(session.dataTask(), &ui::BackgroundTask::finished);
        data::DataSource source;
        source.kind = data::DataSourceKind::File;
        source.location = big.toStdString();
        page.loadSource(source);
        QVERIFY(session.dataTask()->isRunning());
        QVERIFY(panel->isVisible());
        // Cancel once the reader says how far it is.
        const auto reading = [&] {
            return std::any_of(stages.begin(), stages.end(), [](const QString& stage) {
                return stage.contains(QStringLiteral("big.csv")) && stage.contains(QStringLiteral(" MB")) &&
                       stage.contains(QStringLiteral("rows"));
            });
        };
        QTRY_VERIFY2_WITH_TIMEOUT(reading() || !session.dataTask()->isRunning(), qPrintable(stages.join('\n')), 20000);
        QVERIFY2(reading(), qPrintable(stages.join('\n')));
        QVERIFY(session.dataTask()->isRunning());
        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(session.dataTask()->state(), ui::BackgroundTask::State::Cancelled);
        QCOMPARE(session.table(), titanic);
        QCOMPARE(session.recipe().data.kind, data::DataSourceKind::Builtin);
        QVERIFY2(!page.banner()->hasError(), qPrintable(page.banner()->text()));
        QVERIFY2(!page.banner()->text().contains(QStringLiteral("could not")), qPrintable(page.banner()->text()));
        QVERIFY2(panel->statusText().contains(QStringLiteral("cancelled")), qPrintable(panel->statusText()));
        QVERIFY(page.findChild<QPushButton*>(QStringLiteral("openFileButton"))->isEnabled());
    }

    void readOptionsDialogLayout()
    {
        // Copies under plain names in a plain folder, so the pictures show no build paths.
        QDir folder(QDir::temp().filePath(QStringLiteral("stepwise-screenshots/data")));
        folder.removeRecursively();
        QVERIFY(folder.mkpath(QStringLiteral(".")));
        const auto cleanUp = qScopeGuard([&] { folder.removeRecursively(); });
        const QString xlsx = folder.filePath(QStringLiteral("survey.xlsx"));
        const QString sqlite = folder.filePath(QStringLiteral("shop.sqlite"));
        const QString csv = folder.filePath(QStringLiteral("measurements.csv"));
        QVERIFY(QFile::copy(readerFixture("types.xlsx"), xlsx));
        QVERIFY(QFile::copy(readerFixture("shop.sqlite"), sqlite));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("station;temp;rain\nOslo;1,5;0\nBergen;4,25;12\n");
        file.close();
        struct Shot {
            QString path;
            QString name;
            std::function<void(ui::OpenDataDialog&)> choose;
        };
        const Shot shots[] = {
            {xlsx, QStringLiteral("open-data-xlsx"),
             [](ui::OpenDataDialog& dialog) {
                 choose(dialog.findChild<QComboBox*>(QStringLiteral("sheetCombo")), QStringLiteral("gaps"));
             }},
            {sqlite, QStringLiteral("open-data-sqlite"),
             [](ui::OpenDataDialog& dialog) {
                 choose(dialog.findChild<QComboBox*>(QStringLiteral("sqliteTableCombo")), QStringLiteral("people"));
             }},
            {csv, QStringLiteral("open-data-csv"),
             [](ui::OpenDataDialog& dialog) {
                 auto* decimal = dialog.findChild<QComboBox*>(QStringLiteral("decimalCombo"));
                 decimal->setCurrentIndex(decimal->findData(int(',')));
             }},
        };
        for (const Shot& shot : shots) {
            ui::OpenDataDialog dialog(shot.path, {});
            shot.choose(dialog);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.adjustSize();
            QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
            QVERIFY(!saveScreenshot(dialog, shot.name).isEmpty());
            QVERIFY2(cutOffTexts(dialog).isEmpty(), qPrintable(shot.name + QStringLiteral(": ") + cutOffTexts(dialog).join(" | ")));
            QVERIFY2(emptyBoxes(dialog).isEmpty(), qPrintable(shot.name + QStringLiteral(": ") + emptyBoxes(dialog).join(" | ")));
        }
    }

    void oneHeatmapForCorrelationsAndConfusion()
    {
        ui::Session session;
        ui::DataPage page(&session);
        page.resize(1200, 760);
        page.show();
        QVERIFY(loadTitanic(session));
        page.tabs()->setCurrentIndex(ui::DataPage::CorrelationsTab);
        ui::HeatmapWidget* heatmap = page.correlationHeatmap();
        QCOMPARE(heatmap->model(), static_cast<ui::HeatmapModel*>(page.correlationModel()));
        ui::CorrelationModel* correlations = page.correlationModel();
        QCOMPARE(correlations->rowCount(), 8);  // the numeric, integer and boolean columns
        QCOMPARE(correlations->scale().kind, ui::HeatmapModel::Scale::Kind::Diverging);
        QCOMPARE(correlations->headerData(0, Qt::Horizontal).toString(), QStringLiteral("survived"));
        const int survived = 0;
        const int adultMale = 6;
        QCOMPARE(correlations->headerData(adultMale, Qt::Vertical).toString(), QStringLiteral("adult_male"));
        QCOMPARE(correlations->index(survived, survived).data().toString(), QStringLiteral("1"));
        QCOMPARE(correlations->index(survived, adultMale).data().toString(), QStringLiteral("\u22120.56"));
        QVERIFY(correlations->index(survived, adultMale).data(Qt::ToolTipRole).toString().contains(QStringLiteral("891 rows")));

        // Diverging colours: +1 dark blue, a strong negative red, and readable text on both.
        const QImage image = heatmap->grab().toImage();
        const qreal ratio = image.devicePixelRatio();
        const QRectF diagonal = heatmap->cellRect(survived, survived);
        const QRectF negative = heatmap->cellRect(survived, adultMale);
        QVERIFY(!diagonal.isEmpty());
        const QColor blue = pixelAt(image, diagonal.topLeft() + QPointF(3, 3), ratio);
        const QColor red = pixelAt(image, negative.topLeft() + QPointF(3, 3), ratio);
        QVERIFY2(blue.blue() > blue.red() + 60, qPrintable(blue.name()));
        QVERIFY2(red.red() > red.blue() + 60, qPrintable(red.name()));
        QCOMPARE(ui::contrastingText(blue), QColor(Qt::white));
        QVERIFY(heatmap->columnLabelsVertical() || diagonal.width() > 70);

        // The confusion matrix is the same widget over another model, on a sequential scale.
        ui::EvaluationPage evaluation(&session);
        QCOMPARE(typeid(*evaluation.matrix()), typeid(*heatmap));
        ui::ConfusionMatrixModel* confusion = evaluation.matrixModel();
        QCOMPARE(evaluation.matrix()->model(), static_cast<ui::HeatmapModel*>(confusion));
        confusion->setMatrix({{50, 5}, {10, 35}}, {QStringLiteral("no"), QStringLiteral("yes")});
        QCOMPARE(confusion->scale().kind, ui::HeatmapModel::Scale::Kind::Sequential);
        QCOMPARE(confusion->index(0, 0).data(ui::HeatmapModel::HighlightRole).toBool(), true);
        QCOMPARE(confusion->index(0, 1).data(ui::HeatmapModel::HighlightRole).toBool(), false);
        QCOMPARE(confusion->index(1, 0).data(ui::HeatmapModel::DetailRole).toString(), QStringLiteral("22.2%"));
        confusion->setMode(ui::ConfusionMatrixModel::Mode::RowNormalized);
        QCOMPARE(confusion->index(1, 0).data().toString(), QStringLiteral("22.2%"));
        QCOMPARE(confusion->scale().highText, QStringLiteral("100%"));
        evaluation.matrix()->resize(500, 400);
        const QImage matrix = evaluation.matrix()->grab().toImage();
        // Away from the text and the outline: a fifth in from the bottom-left corner.
        auto fill = [&](int row, int column) {
            const QRectF cell = evaluation.matrix()->cellRect(row, column);
            return pixelAt(matrix, cell.bottomLeft() + QPointF(cell.width() * 0.2, -cell.height() * 0.2),
                           matrix.devicePixelRatio());
        };
        const QColor most = fill(0, 0);
        const QColor least = fill(0, 1);
        QVERIFY2(most.lightness() + 40 < least.lightness(),
                 qPrintable(most.name() + QStringLiteral(" vs ") + least.name() + QStringLiteral(": the larger share must be darker")));
    }
};

QTEST_MAIN(TestDataPage)
#include "tst_data_page.moc"
