// The table model over a 1,000,000 × 20 table: it opens without copying, shows the last
// rows, sorts (stable, missing last, both directions, off the GUI thread) and filters
// correctly, and a view over it scrolls to the end. Timings are printed, not asserted.
#include <QtTest>

#include <QCollator>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

#include <cmath>
#include <random>

#include "models/table_model.hpp"
#include "stepwise/data/table.hpp"
#include "tasks/background_task.hpp"

using namespace stepwise;

namespace {

constexpr std::size_t kRows = 1000000;

// Built with append: g++ 12 warns (-Wrestrict) on "literal" + std::to_string chains.
std::string named(const char* prefix, int number)
{
    std::string name(prefix);
    name.append(std::to_string(number));
    return name;
}

/// 8 numeric columns (with missing values and many ties), 4 integer, 2 boolean,
/// 6 categorical (small and large level sets, with missing values).
std::shared_ptr<const data::Table> bigTable()
{
    std::mt19937_64 random(20240611);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    data::Table table;
    for (int c = 0; c < 8; ++c) {
        std::vector<double> values(kRows);
        for (auto& v : values) {
            const double u = uniform(random);
            // Every fourth column has few distinct values, so ties (and stability) matter.
            v = u < 0.03 ? std::nan("") : (c % 4 == 0 ? std::floor(u * 50.0) : (u - 0.5) * 1e4);
        }
        table.addColumn(data::Column::numeric(named("x", c), std::move(values)));
    }
    for (int c = 0; c < 4; ++c) {
        std::vector<double> values(kRows);
        for (auto& v : values)
            v = std::floor(uniform(random) * 1000.0);
        table.addColumn(data::Column::numeric(named("n", c), std::move(values), data::ColumnKind::Integer));
    }
    for (int c = 0; c < 2; ++c) {
        std::vector<double> values(kRows);
        for (auto& v : values)
            v = uniform(random) < 0.4 ? 1.0 : 0.0;
        table.addColumn(data::Column::numeric(named("b", c), std::move(values), data::ColumnKind::Boolean));
    }
    for (int c = 0; c < 6; ++c) {
        const int levelCount = c < 3 ? 12 : 5000;
        std::vector<std::string> levels;
        for (int l = 0; l < levelCount; ++l)
            levels.push_back(named(l % 2 ? "Item " : "item ", levelCount - l));
        std::vector<std::int32_t> codes(kRows);
        for (auto& code : codes)
            code = uniform(random) < 0.02 ? -1 : std::int32_t(uniform(random) * levelCount);
        table.addColumn(data::Column::categorical(named("c", c), std::move(codes), std::move(levels)));
    }
    return std::make_shared<const data::Table>(std::move(table));
}

double ms(const QElapsedTimer& timer) { return double(timer.nsecsElapsed()) / 1e6; }

} // namespace

class TestTableModel : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const data::Table> m_table;

    bool waitArranged(ui::TableModel& model)
    {
        QSignalSpy arranged(&model, &ui::TableModel::arranged);
        return model.task()->isRunning() ? arranged.wait(120000) : true;
    }

    void verifyNumericOrder(const ui::TableModel& model, std::size_t column, bool descending)
    {
        const auto& values = m_table->column(column).values();
        QCOMPARE(std::size_t(model.rowCount()), kRows);
        bool seenMissing = false;
        for (int row = 0; row + 1 < model.rowCount(); ++row) {
            const std::size_t a = model.sourceRow(row);
            const std::size_t b = model.sourceRow(row + 1);
            const double va = values[a];
            const double vb = values[b];
            if (std::isnan(va)) {
                seenMissing = true;
                QVERIFY2(std::isnan(vb), "a value after a missing one");
                QVERIFY2(a < b, "missing values not in file order");
                continue;
            }
            if (std::isnan(vb))
                continue;
            QVERIFY(!seenMissing);
            if (va == vb)
                QVERIFY2(a < b, "equal values not in file order: the sort is not stable");
            else
                QVERIFY2(descending ? va > vb : va < vb, "out of order");
        }
        QVERIFY(seenMissing);
    }

private slots:
    void initTestCase()
    {
        QElapsedTimer timer;
        timer.start();
        m_table = bigTable();
        qInfo("generated a %zu x %zu table in %.0f ms", m_table->rowCount(), m_table->columnCount(), ms(timer));
    }

    void opensWithoutCopying()
    {
        ui::TableModel model;
        QElapsedTimer timer;
        timer.start();
        model.setTable(m_table);
        qInfo("model creation: %.3f ms", ms(timer));
        QCOMPARE(model.table().get(), m_table.get());  // the same table, not a copy
        QCOMPARE(model.rowCount(), int(kRows));
        QCOMPARE(model.columnCount(), 20);
        // Rows near the end answer like the first ones.
        for (int row : {int(kRows) - 1, int(kRows) - 2, 999000}) {
            for (int column : {0, 9, 12, 19}) {
                const data::Column& data = m_table->column(std::size_t(column));
                const QString expected = data.isMissing(std::size_t(row)) ? QStringLiteral("—")
                                                                          : QString::fromStdString(data.textAt(std::size_t(row)));
                QCOMPARE(model.data(model.index(row, column)).toString(), expected);
            }
            QCOMPARE(model.headerData(row, Qt::Vertical).toULongLong(), qulonglong(row));
        }
        QCOMPARE(model.data(model.index(int(kRows) - 1, 12)).toString(),
                 QString::fromStdString(m_table->column(12).textAt(kRows - 1)));

        // A view over it opens and scrolls to the end at once: fixed row heights, no
        // per-row measuring.
        QTableView view;
        view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view.verticalHeader()->setDefaultSectionSize(22);
        view.resize(900, 600);
        timer.restart();
        view.setModel(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        qInfo("view set-up and first paint: %.1f ms", ms(timer));
        timer.restart();
        view.scrollToBottom();
        QCoreApplication::processEvents();
        view.viewport()->repaint();
        qInfo("scroll to the last row and repaint: %.1f ms", ms(timer));
        QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
        QCOMPARE(view.rowAt(view.viewport()->height() - 2), int(kRows) - 1);
        timer.restart();
        for (int step = 0; step < 50; ++step) {
            view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum() * step / 50);
            view.viewport()->repaint();
        }
        qInfo("50 jumps across the table with repaint: %.1f ms (%.2f ms each)", ms(timer), ms(timer) / 50);
    }

    void sortsStablyWithMissingLast()
    {
        ui::TableModel model;
        model.setTable(m_table);
        QVERIFY(kRows > ui::TableModel::kBackgroundRows);
        for (bool descending : {false, true}) {
            QElapsedTimer timer;
            timer.start();
            model.sort(0, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
            QVERIFY2(model.task()->isRunning(), "a million rows must sort off the GUI thread");
            QVERIFY(waitArranged(model));
            qInfo("sort 1M rows by a numeric column with ties (%s): %.0f ms", descending ? "descending" : "ascending",
                  ms(timer));
            QCOMPARE(model.sortColumn(), 0);
            verifyNumericOrder(model, 0, descending);
        }
        QElapsedTimer timer;
        timer.start();
        model.sort(1, Qt::AscendingOrder);
        QVERIFY(waitArranged(model));
        qInfo("sort 1M rows by a numeric column of distinct values: %.0f ms", ms(timer));
        verifyNumericOrder(model, 1, false);

        // Categories sort by name in natural order ("item 9" before "Item 10"), missing last.
        timer.restart();
        model.sort(17, Qt::AscendingOrder);
        QVERIFY(waitArranged(model));
        qInfo("sort 1M rows by a categorical column of 5000 levels: %.0f ms", ms(timer));
        const data::Column& category = m_table->column(17);
        QCollator collator;
        collator.setNumericMode(true);
        collator.setCaseSensitivity(Qt::CaseInsensitive);
        bool seenMissing = false;
        for (int row = 0; row + 1 < model.rowCount(); row += 7) {
            const std::size_t a = model.sourceRow(row);
            const std::size_t b = model.sourceRow(row + 1);
            if (category.isMissing(a)) {
                seenMissing = true;
                QVERIFY(category.isMissing(b) && a < b);
                continue;
            }
            if (category.isMissing(b))
                continue;
            const int order = collator.compare(QString::fromStdString(category.textAt(a)),
                                               QString::fromStdString(category.textAt(b)));
            QVERIFY(order < 0 || (order == 0 && a < b));
        }
        QVERIFY(seenMissing);
        QCOMPARE(model.data(model.index(0, 17)).toString(), QStringLiteral("Item 1"));

        // Back to the file order.
        model.sort(-1);
        QVERIFY(waitArranged(model));
        QCOMPARE(model.sourceRow(0), std::size_t(0));
        QCOMPARE(model.sourceRow(int(kRows) - 1), kRows - 1);
    }

    void filtersBySubstring()
    {
        ui::TableModel model;
        model.setTable(m_table);
        // One categorical column.
        QElapsedTimer timer;
        timer.start();
        model.setFilter(QStringLiteral("ITEM 7"), 14);
        QVERIFY(waitArranged(model));
        qInfo("filter 1M rows of one categorical column: %.0f ms -> %d rows", ms(timer), model.rowCount());
        const data::Column& c1 = m_table->column(14);
        std::size_t expected = 0;
        for (std::size_t row = 0; row < kRows; ++row)
            if (!c1.isMissing(row) && QString::fromStdString(c1.textAt(row)).contains(QStringLiteral("item 7"), Qt::CaseInsensitive))
                ++expected;
        QCOMPARE(std::size_t(model.rowCount()), expected);
        QVERIFY(expected > 0 && expected < kRows);
        for (int row = 0; row < model.rowCount(); ++row) {
            QVERIFY(QString::fromStdString(c1.textAt(model.sourceRow(row))).contains(QStringLiteral("item 7"), Qt::CaseInsensitive));
            if (row > 0)
                QVERIFY(model.sourceRow(row - 1) < model.sourceRow(row));
        }

        // All columns, numbers included: "4242" appears in numbers and category names.
        timer.restart();
        model.setFilter(QStringLiteral("4242"));
        QVERIFY(waitArranged(model));
        qInfo("filter 1M rows x 20 columns for \"4242\": %.0f ms -> %d rows", ms(timer), model.rowCount());
        std::vector<char> keep(kRows, 0);
        for (std::size_t column = 0; column < m_table->columnCount(); ++column) {
            const data::Column& data = m_table->column(column);
            for (std::size_t row = 0; row < kRows; ++row)
                if (!keep[row] && !data.isMissing(row) && data.textAt(row).find("4242") != std::string::npos)
                    keep[row] = 1;
        }
        QCOMPARE(std::size_t(model.rowCount()), std::size_t(std::count(keep.begin(), keep.end(), 1)));
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(keep[model.sourceRow(row)]);

        // Sort within the filter, then clear it: every row is back, still sorted.
        model.sort(9, Qt::DescendingOrder);
        QVERIFY(waitArranged(model));
        const auto& n1 = m_table->column(9).values();
        for (int row = 0; row + 1 < model.rowCount(); ++row)
            QVERIFY(n1[model.sourceRow(row)] >= n1[model.sourceRow(row + 1)]);
        timer.restart();
        model.setFilter(QString());
        QVERIFY(waitArranged(model));
        qInfo("clear the filter and re-sort 1M rows: %.0f ms", ms(timer));
        QCOMPARE(std::size_t(model.rowCount()), kRows);
        QCOMPARE(model.sortColumn(), 9);
    }

    void cancelKeepsTheRows()
    {
        ui::TableModel model;
        model.setTable(m_table);
        model.sort(1, Qt::AscendingOrder);
        QVERIFY(waitArranged(model));
        const std::size_t first = model.sourceRow(0);
        model.sort(2, Qt::AscendingOrder);
        QVERIFY(model.task()->isRunning());
        model.task()->cancel();
        QSignalSpy arranged(&model, &ui::TableModel::arranged);
        QVERIFY(arranged.wait(60000));
        QCOMPARE(model.sortColumn(), 1);  // the sort state follows the rows shown
        QCOMPARE(model.sourceRow(0), first);
    }

    void smallTablesArrangeAtOnce()
    {
        data::Table table;
        table.addColumn(data::Column::numeric("x", {3, std::nan(""), 1, 2, 1}));
        table.addColumn(data::Column::categoricalFromText("c", {"b", "a", "B", "", "a"},
                                                          {false, false, false, true, false}));
        ui::TableModel model;
        model.setTable(std::make_shared<const data::Table>(std::move(table)));
        QSignalSpy arranged(&model, &ui::TableModel::arranged);
        model.sort(0, Qt::AscendingOrder);
        QCOMPARE(arranged.count(), 1);  // synchronous: no background run for five rows
        QCOMPARE(model.task()->state(), ui::BackgroundTask::State::Idle);
        QCOMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("1"));
        QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 2);
        QCOMPARE(model.headerData(1, Qt::Vertical).toInt(), 4);  // ties keep the file order
        QCOMPARE(model.data(model.index(4, 0)).toString(), QStringLiteral("—"));
        model.sort(1, Qt::DescendingOrder);
        QCOMPARE(model.data(model.index(0, 1)).toString(), QStringLiteral("b"));
        QCOMPARE(model.data(model.index(4, 1)).toString(), QStringLiteral("—"));
        model.setFilter(QStringLiteral("b"), 1);
        QCOMPARE(model.rowCount(), 2);
        model.setFilter(QStringLiteral("1"));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.data(model.index(0, 0), Qt::TextAlignmentRole).toInt() & Qt::AlignRight);
        QVERIFY(model.headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("numeric")));
        model.setTargetColumn("x");
        QVERIFY(model.data(model.index(0, 0), Qt::BackgroundRole).isValid());
    }
};

QTEST_MAIN(TestTableModel)
#include "tst_table_model.moc"
