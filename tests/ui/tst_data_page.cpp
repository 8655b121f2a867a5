// The Data page driven through its widgets on builtin:titanic: a type change through the
// overview's Type editor lands in the table and the recipe (and a refused one changes
// nothing), a broken file shows its location in the banner while the loaded table stays,
// selecting a column shows its distribution, the row filter, the read-options dialog,
// and the one heatmap widget drawing both correlations and confusion matrices.
#include <QtTest>

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
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

        // A good load afterwards clears the error.
        QVERIFY(loadTitanic(session));
        QVERIFY(!page.banner()->hasError());
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
