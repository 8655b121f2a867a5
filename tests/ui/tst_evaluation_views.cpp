// The Evaluation step's tab widgets on real trained sessions (titanic for
// classification, diabetes for regression): the residual plot draws actual − predicted
// for every test row and the error histogram counts every test row once; the
// permutation importance bars are the engine's result, sorted, with the model's own
// importances beside them (or the sentence that it has none); the learning curve runs
// off the GUI thread, cancels within a second and equals the engine's curve, as does the
// validation curve; "Use this model for export" makes the selected leaderboard model the
// kept one and the next result's pipeline predicts as that entry's did; the estimate
// check shows the runner's warnings in its banner. Each view is saved to
// $STEPWISE_SCREENSHOT_DIR when it is set.
#include <QtTest>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <functional>

#include "session/session.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/data/distribution.hpp"
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/model_analysis.hpp"
#include "stepwise/workflow/runner.hpp"
#include "tasks/background_task.hpp"
#include "widgets/charts/distribution_chart.hpp"
#include "widgets/charts/interval_bar_chart.hpp"
#include "widgets/charts/residual_chart.hpp"
#include "widgets/charts/score_curve_chart.hpp"
#include "widgets/evaluation/estimate_check_view.hpp"
#include "widgets/evaluation/importance_view.hpp"
#include "widgets/evaluation/learning_curve_view.hpp"
#include "widgets/evaluation/model_comparison_view.hpp"
#include "widgets/evaluation/residuals_view.hpp"
#include "widgets/score_text.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"

using namespace stepwise;

namespace {

// Loads a bundled dataset (its suggested target and task) and waits for the profile,
// which drops leaking columns such as titanic's `alive`.
bool loadBuiltin(ui::Session& session, const char* name)
{
    session.setObjective(QStringLiteral("Evaluate a model"));
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = name;
    QSignalSpy loaded(&session, &ui::Session::dataChanged);
    session.loadData(source);
    if (!loaded.wait(30000) || !session.table())
        return false;
    QElapsedTimer clock;
    clock.start();
    while ((session.profileTask()->isRunning() || !session.profile()) && clock.elapsed() < 30000)
        QTest::qWait(20);
    return session.profile() != nullptr;
}

// Edits the recipe with `edit`, trains, and waits for the result.
bool train(ui::Session& session, const std::function<void(workflow::Recipe&)>& edit)
{
    workflow::Recipe recipe = session.recipe();
    edit(recipe);
    session.editRecipe(recipe, QStringLiteral("test set-up"));
    QSignalSpy result(&session, &ui::Session::resultChanged);
    session.train();
    if (!result.wait(180000))
        return false;
    QElapsedTimer clock;
    clock.start();
    while (session.isTraining() && clock.elapsed() < 10000)
        QTest::qWait(10);
    return session.result() != nullptr;
}

// Shows `view` at a laptop's size and saves it when STEPWISE_SCREENSHOT_DIR is set.
void screenshot(QWidget& view, const QString& name)
{
    const QString folder = qEnvironmentVariable("STEPWISE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    view.resize(1280, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::qWait(50);
    const QString path = QDir(folder).filePath(name + QStringLiteral(".png"));
    QVERIFY(view.grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

// Waits until `task` has finished a run.
bool waitIdle(ui::BackgroundTask* task, int timeoutMs = 180000)
{
    QElapsedTimer clock;
    clock.start();
    while (task->isRunning() && clock.elapsed() < timeoutMs)
        QTest::qWait(10);
    return !task->isRunning();
}

} // namespace

class TestEvaluationViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void residualsAreActualMinusPredicted()
    {
        ui::Session session;
        ui::ResidualsView view(&session);
        QVERIFY(view.summaryText().contains(QStringLiteral("Training step")));
        QVERIFY(view.residualChart()->placeholderText().contains(QStringLiteral("regression")));
        QVERIFY(view.residualChart()->title().isEmpty());

        QVERIFY(loadBuiltin(session, "diabetes"));
        QCOMPARE(session.recipe().problem.task, core::TaskType::Regression);
        QVERIFY(train(session, [](workflow::Recipe& r) { r.model = workflow::ModelChoice{"ridge", {}}; }));
        const auto result = session.result();
        QVERIFY(result->regression.has_value());
        QTRY_VERIFY_WITH_TIMEOUT(view.summary() != nullptr, 20000);

        // Every test row is a dot (fewer than the thinning limit) at (predicted, actual − predicted).
        const Eigen::Index n = result->testActualValue.size();
        QCOMPARE(std::size_t(n), result->testRows.size());
        QVERIFY(n > 50 && n < ui::ResidualChart::kMaxPoints);
        const QList<QPointF> points = view.residualChart()->points();
        QCOMPARE(points.size(), int(n));
        QCOMPARE(view.residualChart()->stride(), 1);
        std::vector<double> residuals;
        for (Eigen::Index i = 0; i < n; ++i) {
            const double residual = result->testActualValue[i] - result->testPredictions.values[i];
            residuals.push_back(residual);
            QCOMPARE(points[int(i)].x(), result->testPredictions.values[i]);
            QCOMPARE(points[int(i)].y(), residual);
        }
        QVERIFY(view.residualChart()->title().contains(QString::number(n)));

        // The histogram counts each test row once, in numpy's "auto" number of bins.
        const auto summary = view.summary();
        std::size_t counted = 0;
        for (std::size_t c : summary->histogram.counts)
            counted += c;
        QCOMPARE(counted, result->testRows.size());
        QCOMPARE(summary->histogram.counts.size(), data::autoBinCount(residuals));
        QCOMPARE(view.histogramChart()->shape(), ui::DistributionChart::Shape::Histogram);
        QCOMPARE(view.histogramChart()->barCount(), int(summary->histogram.counts.size()));
        QVERIFY(view.histogramChart()->title().contains(QStringLiteral("Error")));

        // Mean and median error, stated in words.
        double mean = 0.0;
        for (double r : residuals)
            mean += r;
        mean /= double(residuals.size());
        std::vector<double> sorted = residuals;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t half = sorted.size() / 2;
        const double median = sorted.size() % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2.0;
        QVERIFY(std::abs(summary->mean - mean) <= 1e-9 * std::max(1.0, std::abs(mean)));
        QCOMPARE(summary->median, median);
        QVERIFY(view.summaryText().contains(QLocale().toString(summary->mean, 'g', 4)));
        QVERIFY(view.summaryText().contains(QLocale().toString(summary->median, 'g', 4)));
        screenshot(view, QStringLiteral("evaluation_residuals"));

        // A classifier has no residuals: the view says so.
        ui::Session titanic;
        QVERIFY(loadBuiltin(titanic, "titanic"));
        ui::ResidualsView classification(&titanic);
        QVERIFY(train(titanic, [](workflow::Recipe& r) { r.model = workflow::ModelChoice{"logistic_regression", {}}; }));
        QVERIFY(classification.summaryText().contains(QStringLiteral("regression")));
        QVERIFY(!classification.summary());
    }

    void importanceBarsAreTheEngineResult()
    {
        ui::Session session;
        QVERIFY(loadBuiltin(session, "titanic"));
        ui::ImportanceView view(&session);
        QVERIFY(view.permutationChart()->placeholderText().contains(QStringLiteral("Training step")));
        QCOMPARE(view.repeatsSpin()->value(), 5);
        QVERIFY(train(session, [](workflow::Recipe& r) {
            r.model = workflow::ModelChoice{"random_forest", {{"n_estimators", "40"}}};
        }));
        const auto result = session.result();
        QTRY_VERIFY_WITH_TIMEOUT(view.importance() != nullptr, 60000);
        QCOMPARE(view.metric(), std::string("accuracy"));

        core::TaskControl control;
        const auto table = session.table();
        const workflow::PermutationImportance expected = workflow::permutationImportance(
            *result->pipeline, *table, result->testRows, "accuracy", 5, session.resultRecipe().seed, control);
        const auto& bars = view.permutationChart()->bars();
        QCOMPARE(bars.size(), std::min<std::size_t>(expected.columns.size(), ui::ImportanceView::kMaxBars));
        for (std::size_t i = 0; i < bars.size(); ++i) {
            if (i > 0)
                QVERIFY(bars[i - 1].value >= bars[i].value);  // sorted by mean drop, largest on top
            const auto column = std::find(expected.columns.begin(), expected.columns.end(), bars[i].label.toStdString());
            QVERIFY(column != expected.columns.end());
            const std::size_t c = std::size_t(column - expected.columns.begin());
            QCOMPARE(bars[i].value, expected.mean[c]);
            QCOMPARE(bars[i].spread, expected.std[c]);
        }
        QVERIFY(view.permutationChart()->whiskerCount() > 0);
        QVERIFY(view.permutationChart()->valueTitle().contains(QStringLiteral("Accuracy")));
        // Sex is what the titanic is known for; "who" (man, woman, child) and "adult_male"
        // carry it too, and the forest may lean on either.
        QVERIFY2(QStringList({"sex", "who", "adult_male"}).contains(bars.front().label), qPrintable(bars.front().label));

        // The forest's own view: impurity importances over the pipeline's features, sorted.
        QVERIFY(view.ownCaption().contains(QStringLiteral("Impurity")));
        const Eigen::VectorXd own = result->pipeline->model().featureImportances();
        std::vector<double> ownSorted(own.data(), own.data() + own.size());
        std::sort(ownSorted.rbegin(), ownSorted.rend());
        const auto& ownBars = view.ownChart()->bars();
        QVERIFY(!ownBars.empty());
        for (std::size_t i = 0; i < ownBars.size(); ++i)
            QCOMPARE(ownBars[i].value, ownSorted[i]);
        QVERIFY(std::abs(own.sum() - 1.0) < 1e-9);
        screenshot(view, QStringLiteral("evaluation_importance"));

        // Fewer repeats: computed again, still the engine's numbers.
        view.repeatsSpin()->setValue(2);
        QTRY_VERIFY_WITH_TIMEOUT(view.importance() && view.importance()->drops.front().size() == 2, 60000);
        const workflow::PermutationImportance two = workflow::permutationImportance(
            *result->pipeline, *table, result->testRows, "accuracy", 2, session.resultRecipe().seed, control);
        QCOMPARE(view.importance()->mean, two.mean);

        // A linear model shows coefficients; kNN has none of its own.
        QVERIFY(train(session, [](workflow::Recipe& r) { r.model = workflow::ModelChoice{"logistic_regression", {}}; }));
        QTRY_VERIFY_WITH_TIMEOUT(view.importance() != nullptr, 60000);
        QVERIFY(view.ownCaption().contains(QStringLiteral("coefficients")));
        QVERIFY(!view.ownChart()->bars().empty());
        QVERIFY(train(session, [](workflow::Recipe& r) { r.model = workflow::ModelChoice{"knn", {}}; }));
        QTRY_VERIFY_WITH_TIMEOUT(view.importance() != nullptr, 60000);
        QCOMPARE(view.ownCaption(), QStringLiteral("This model has none."));
        QVERIFY(view.ownChart()->bars().empty());
        QVERIFY(view.ownChart()->placeholderText().contains(QStringLiteral("k-nearest")));

        // Regression: the drop of R², and ridge's coefficients.
        ui::Session diabetes;
        QVERIFY(loadBuiltin(diabetes, "diabetes"));
        ui::ImportanceView regression(&diabetes);
        QVERIFY(train(diabetes, [](workflow::Recipe& r) { r.model = workflow::ModelChoice{"ridge", {}}; }));
        QTRY_VERIFY_WITH_TIMEOUT(regression.importance() != nullptr, 60000);
        QCOMPARE(regression.metric(), std::string("r2"));
        const auto ridge = diabetes.result();
        const workflow::PermutationImportance r2 = workflow::permutationImportance(
            *ridge->pipeline, *diabetes.table(), ridge->testRows, "r2", 5, diabetes.resultRecipe().seed, control);
        QCOMPARE(regression.importance()->mean, r2.mean);
        const auto& r2Bars = regression.permutationChart()->bars();
        QCOMPARE(r2Bars.size(), r2.columns.size());
        for (std::size_t i = 1; i < r2Bars.size(); ++i)
            QVERIFY(r2Bars[i - 1].value >= r2Bars[i].value);
        QVERIFY(regression.permutationChart()->valueTitle().contains(QStringLiteral("R²")));
        QVERIFY(regression.ownCaption().contains(QStringLiteral("coefficients")));
        QCOMPARE(regression.ownChart()->bars().size(), ridge->pipeline->featureNames().size());
        screenshot(regression, QStringLiteral("evaluation_importance_regression"));
    }

    void learningCurveRunsOffTheGuiThreadAndCancels()
    {
        ui::Session session;
        QVERIFY(loadBuiltin(session, "titanic"));
        ui::LearningCurveView view(&session);
        QVERIFY(!view.learningButton()->isEnabled());
        QVERIFY(view.learningChart()->placeholderText().contains(QStringLiteral("Training step")));
        QVERIFY(train(session, [](workflow::Recipe& r) {
            r.model = workflow::ModelChoice{"random_forest", {{"n_estimators", "150"}}};
        }));
        QVERIFY(view.learningButton()->isEnabled());
        // 5 training sizes × the default 5 folds.
        QVERIFY(view.learningButton()->text().contains(QStringLiteral("25 fits")));
        QCOMPARE(view.paramCombo()->currentText(), QStringLiteral("n_estimators"));
        QVERIFY(!view.valuesEdit()->text().isEmpty());

        // The event loop keeps running while the curve is computed.
        int ticks = 0;
        int ticksWhileRunning = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] {
            ++ticks;
            if (view.learningTask()->isRunning())
                ++ticksWhileRunning;
        });
        ticker.start();
        QTest::mouseClick(view.learningButton(), Qt::LeftButton);
        QVERIFY(view.learningTask()->isRunning());
        QVERIFY(!view.learningButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(ticksWhileRunning >= 5 || !view.learningTask()->isRunning(), 5000);
        QVERIFY2(view.learningTask()->isRunning(), "the learning curve finished before it could be cancelled");

        // Cancel: stops within a second, keeps nothing, and Compute works again.
        QVERIFY(!view.learningProgress()->isHidden());
        QSignalSpy finished(view.learningTask(), &ui::BackgroundTask::finished);
        QElapsedTimer sinceCancel;
        sinceCancel.start();
        QTest::mouseClick(view.learningProgress()->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        qInfo("learning curve cancel took %lld ms", sinceCancel.elapsed());
        QVERIFY(sinceCancel.elapsed() <= 1000);
        QCOMPARE(view.learningTask()->state(), ui::BackgroundTask::State::Cancelled);
        QVERIFY(!view.learningCurve());
        QVERIFY(view.learningChart()->placeholderText().contains(QStringLiteral("Cancelled")));
        QVERIFY(view.learningButton()->isEnabled());

        ticksWhileRunning = 0;
        QTest::mouseClick(view.learningButton(), Qt::LeftButton);
        QVERIFY(waitIdle(view.learningTask()));
        QCOMPARE(view.learningTask()->state(), ui::BackgroundTask::State::Succeeded);
        QVERIFY(ticksWhileRunning > 0);
        ticker.stop();
        QVERIFY(view.learningCurve());

        // The chart is the engine's curve.
        core::TaskControl control;
        const workflow::Recipe kept = ui::keptModelRecipe(session.resultRecipe(), *session.result());
        const workflow::LearningCurve expected =
            workflow::learningCurve(kept, *session.table(), control, ui::LearningCurveView::fractions());
        const auto& curves = view.learningChart()->curves();
        QCOMPARE(curves.size(), std::size_t(2));
        QCOMPARE(view.learningChart()->x().size(), expected.trainSizes.size());
        for (std::size_t i = 0; i < expected.trainSizes.size(); ++i) {
            QCOMPARE(view.learningChart()->x()[i], double(expected.trainSizes[i]));
            QCOMPARE(curves[0].mean[i], expected.points[i].trainMean);
            QCOMPARE(curves[0].std[i], expected.points[i].trainStd);
            QCOMPARE(curves[1].mean[i], expected.points[i].testMean);
            QCOMPARE(curves[1].std[i], expected.points[i].testStd);
        }
        QVERIFY(view.learningChart()->title().contains(QStringLiteral("Accuracy")));

        // The validation curve of one hyper-parameter, over the typed values.
        view.valuesEdit()->setText(QStringLiteral("5, 20, 60"));
        QVERIFY(view.validationButton()->text().contains(QStringLiteral("15 fits")));
        QTest::mouseClick(view.validationButton(), Qt::LeftButton);
        QVERIFY(waitIdle(view.validationTask()));
        QCOMPARE(view.validationTask()->state(), ui::BackgroundTask::State::Succeeded);
        const workflow::ValidationCurve validation =
            workflow::validationCurve(kept, *session.table(), "n_estimators", {"5", "20", "60"}, control);
        QCOMPARE(view.validationChart()->xLabels(), (QStringList{"5", "20", "60"}));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(view.validationChart()->curves()[0].mean[i], validation.points[i].trainMean);
            QCOMPARE(view.validationChart()->curves()[1].mean[i], validation.points[i].testMean);
        }
        screenshot(view, QStringLiteral("evaluation_learning_curve"));

        // A value the parameter does not take: the engine's message, not a crash.
        view.valuesEdit()->setText(QStringLiteral("0, 10"));
        QTest::mouseClick(view.validationButton(), Qt::LeftButton);
        QVERIFY(waitIdle(view.validationTask()));
        QCOMPARE(view.validationTask()->state(), ui::BackgroundTask::State::Failed);
        QVERIFY(view.validationChart()->placeholderText().contains(QStringLiteral("n_estimators")));

        // A new result clears both curves.
        QVERIFY(train(session, [](workflow::Recipe& r) { r.model = workflow::ModelChoice{"decision_tree", {}}; }));
        QVERIFY(!view.learningCurve());
        QVERIFY(view.learningChart()->title().isEmpty());
        QCOMPARE(view.paramCombo()->currentText(), QStringLiteral("max_depth"));
        QVERIFY(view.valuesEdit()->text().endsWith(QStringLiteral("none")));

        // Regression, with the recipe's own 3-fold cross-validation: 15 fits, scored by R².
        ui::Session diabetes;
        QVERIFY(loadBuiltin(diabetes, "diabetes"));
        ui::LearningCurveView regression(&diabetes);
        QVERIFY(train(diabetes, [](workflow::Recipe& r) {
            r.model = workflow::ModelChoice{"ridge", {}};
            r.crossValidation = evaluation::parseCvSpec("kfold:3");
        }));
        QVERIFY(regression.learningButton()->text().contains(QStringLiteral("15 fits")));
        QCOMPARE(regression.paramCombo()->currentText(), QStringLiteral("alpha"));
        QTest::mouseClick(regression.learningButton(), Qt::LeftButton);
        QVERIFY(waitIdle(regression.learningTask()));
        QCOMPARE(regression.learningTask()->state(), ui::BackgroundTask::State::Succeeded);
        const workflow::LearningCurve ridge = workflow::learningCurve(
            ui::keptModelRecipe(diabetes.resultRecipe(), *diabetes.result()), *diabetes.table(), control,
            ui::LearningCurveView::fractions());
        QCOMPARE(ridge.metric, std::string("r2"));
        for (std::size_t i = 0; i < ridge.points.size(); ++i)
            QCOMPARE(regression.learningChart()->curves()[1].mean[i], ridge.points[i].testMean);
        QVERIFY(regression.learningChart()->title().contains(QStringLiteral("R²")));
        QTest::mouseClick(regression.validationButton(), Qt::LeftButton);
        QVERIFY(waitIdle(regression.validationTask()));
        QCOMPARE(regression.validationTask()->state(), ui::BackgroundTask::State::Succeeded);
        QCOMPARE(regression.validationChart()->xLabels().size(), int(regression.typedValues().size()));
        screenshot(regression, QStringLiteral("evaluation_learning_curve_regression"));
    }

    void suggestedValuesStayInRange()
    {
        for (const auto& info : models::modelRegistry())
            for (const auto& spec : info.params) {
                if (spec.kind != core::ParamKind::Integer && spec.kind != core::ParamKind::Real)
                    continue;
                const QStringList values = ui::suggestedValues(spec);
                QVERIFY2(values.size() >= 2, qPrintable(QString::fromStdString(info.name + "." + spec.name)));
                for (const QString& value : values) {
                    std::map<std::string, std::string> params{{spec.name, value.toStdString()}};
                    try {
                        core::resolveParams(info.params, params, info.name);
                    } catch (const std::exception& error) {
                        QFAIL(error.what());
                    }
                }
            }
    }

    void comparisonUsesTheChosenModelForExport()
    {
        ui::Session session;
        QVERIFY(loadBuiltin(session, "titanic"));
        ui::ModelComparisonView view(&session);
        QVERIFY(view.noteText().contains(QStringLiteral("Training step")));
        QVERIFY(train(session, [](workflow::Recipe& r) {
            r.model = workflow::ModelChoice{"random_forest", {{"n_estimators", "30"}}};
        }));
        // One model: how to compare.
        QVERIFY(view.noteText().contains(QStringLiteral("tick more models")));

        QVERIFY(train(session, [](workflow::Recipe& r) {
            r.prep.validationSize = 0.2;
            r.compareWith = {workflow::ModelChoice{"logistic_regression", {}}, workflow::ModelChoice{"knn", {}}};
        }));
        const auto before = session.result();
        QCOMPARE(before->leaderboard.size(), std::size_t(3));
        QTableWidget* table = view.table();
        QCOMPARE(table->rowCount(), 3);
        const auto& metrics = evaluation::metricsFor(core::TaskType::Classification);
        QCOMPARE(table->columnCount(), 1 + int(metrics.size()) + 2);
        QVERIFY(table->horizontalHeaderItem(int(metrics.size()) + 1)->text().contains(QStringLiteral("validation")));
        int other = -1;
        for (int row = 0; row < 3; ++row) {
            const auto& entry = before->leaderboard.at(std::size_t(view.entryAt(row)));
            QCOMPARE(table->item(row, 0)->text().contains(QStringLiteral("★")), entry.kept);
            for (std::size_t m = 0; m < metrics.size(); ++m) {
                const auto value = evaluation::metricValue(*entry.classification, metrics[m].name);
                QCOMPARE(table->item(row, 1 + int(m))->text(), value ? ui::scoreText(*value) : QStringLiteral("—"));
            }
            QCOMPARE(table->item(row, int(metrics.size()) + 1)->text(), ui::scoreText(*entry.validationScore));
            if (entry.model.name == "logistic_regression")
                other = row;
        }
        QVERIFY(other >= 0);
        screenshot(view, QStringLiteral("evaluation_comparison"));

        // The kept model cannot be "used" again; the other one can.
        QVERIFY(!view.useButton()->isEnabled());
        table->selectRow(other);
        QVERIFY(view.useButton()->isEnabled());
        const std::size_t chosen = std::size_t(view.entryAt(other));
        const auto chosenPipeline = before->leaderboard[chosen].pipeline;
        const double chosenAccuracy = before->leaderboard[chosen].classification->accuracy;
        QSignalSpy result(&session, &ui::Session::resultChanged);
        QTest::mouseClick(view.useButton(), Qt::LeftButton);
        QCOMPARE(session.recipe().model.name, std::string("logistic_regression"));
        QCOMPARE(session.recipe().compareWith.front().name, std::string("random_forest"));
        QVERIFY(session.isTraining());
        QVERIFY(!view.useButton()->isEnabled());
        QVERIFY(result.wait(180000));
        QTRY_VERIFY(!session.isTraining());

        // The new result's kept pipeline is the chosen entry's: same predictions.
        const auto after = session.result();
        QVERIFY(session.hasCurrentResult());
        const auto kept = std::find_if(after->leaderboard.begin(), after->leaderboard.end(),
                                       [](const auto& entry) { return entry.kept; });
        QVERIFY(kept != after->leaderboard.end());
        QCOMPARE(kept->model.name, std::string("logistic_regression"));
        QVERIFY(kept->pipeline == after->pipeline);
        QCOMPARE(after->classification->accuracy, chosenAccuracy);
        const data::Table testRows = session.table()->selectRows(after->testRows);
        QCOMPARE(after->pipeline->predict(testRows).classIndex, chosenPipeline->predict(testRows).classIndex);
        for (int row = 0; row < table->rowCount(); ++row)
            QCOMPARE(table->item(row, 0)->text().contains(QStringLiteral("★")),
                     table->item(row, 0)->text().contains(QStringLiteral("Logistic")));
        // Undo brings the forest back as the kept model (the recipe, not the result).
        session.undoStack()->undo();
        QCOMPARE(session.recipe().model.name, std::string("random_forest"));
        QVERIFY(!session.hasCurrentResult());
        QVERIFY(!view.useButton()->isEnabled());

        // Regression, ranked by cross-validation: every regression metric, mean ± std.
        ui::Session diabetes;
        QVERIFY(loadBuiltin(diabetes, "diabetes"));
        ui::ModelComparisonView regression(&diabetes);
        QVERIFY(train(diabetes, [](workflow::Recipe& r) {
            r.model = workflow::ModelChoice{"ridge", {}};
            r.compareWith = {workflow::ModelChoice{"decision_tree", {{"max_depth", "3"}}}};
            r.crossValidation = evaluation::parseCvSpec("kfold:3");
        }));
        const auto& regressionMetrics = evaluation::metricsFor(core::TaskType::Regression);
        QCOMPARE(regression.table()->rowCount(), 2);
        QCOMPARE(regression.table()->columnCount(), 1 + int(regressionMetrics.size()) + 2);
        for (int row = 0; row < 2; ++row) {
            const auto& entry = diabetes.result()->leaderboard.at(std::size_t(regression.entryAt(row)));
            QCOMPARE(regression.table()->item(row, 1 + int(regressionMetrics.size()))->text(),
                     ui::meanStdText(entry.crossValidation->mean, entry.crossValidation->std));
        }
        QCOMPARE(regression.chart()->whiskerCount(), 2);
        screenshot(regression, QStringLiteral("evaluation_comparison_regression"));
    }

    void estimateCheckShowsItsWarnings()
    {
        ui::Session session;
        ui::EstimateCheckView view(&session);
        QVERIFY(view.chart()->placeholderText().contains(QStringLiteral("Training step")));
        QVERIFY(loadBuiltin(session, "titanic"));
        // An unpruned tree learns its training rows by heart: the check calls it overfitting.
        session.setMaxLatency(1000.0);
        QVERIFY(train(session, [](workflow::Recipe& r) {
            r.model = workflow::ModelChoice{"decision_tree", {}};
            r.prep.validationSize = 0.2;
        }));
        const auto result = session.result();
        const workflow::EstimateCheck& check = result->estimateCheck;
        QVERIFY(check.train && check.estimate && check.test);
        QVERIFY(!check.warnings.empty());
        QCOMPARE(view.banner()->attentionCount(), int(check.warnings.size()));
        for (const std::string& warning : check.warnings)
            QVERIFY(view.banner()->text().contains(QString::fromStdString(warning)));
        QVERIFY(view.banner()->isVisibleTo(&view));

        const auto& bars = view.chart()->bars();
        QCOMPARE(bars.size(), std::size_t(3));
        QCOMPARE(bars[0].value, *check.train);
        QCOMPARE(bars[1].value, *check.estimate);
        QCOMPARE(bars[2].value, *check.test);
        QVERIFY(view.numbersText().contains(ui::scoreText(*check.test)));
        QVERIFY(view.numbersText().contains(QStringLiteral("validation rows")));

        QVERIFY(result->latency.samples > 0);
        QVERIFY(view.latencyText().contains(QStringLiteral("Median")));
        const auto verdict = session.latencyVerdict();
        QVERIFY(verdict.has_value());
        QVERIFY(view.latencyText().contains(verdict->passed ? QStringLiteral("Within") : QStringLiteral("Over")));
        // A budget no model meets, set after training: judged at once, and a warning.
        session.setMaxLatency(1e-6);
        QVERIFY(view.latencyText().contains(QStringLiteral("Over")));
        QVERIFY(view.banner()->text().contains(QStringLiteral("budget")));
        QCOMPARE(view.banner()->attentionCount(), int(check.warnings.size()) + 1);
        session.setMaxLatency(1000.0);
        screenshot(view, QStringLiteral("evaluation_estimate_check"));

        // Regression with cross-validation: the estimate carries its spread as a whisker.
        ui::Session diabetes;
        QVERIFY(loadBuiltin(diabetes, "diabetes"));
        ui::EstimateCheckView regression(&diabetes);
        QVERIFY(train(diabetes, [](workflow::Recipe& r) {
            r.model = workflow::ModelChoice{"ridge", {}};
            r.crossValidation = evaluation::parseCvSpec("kfold:5");
        }));
        const workflow::EstimateCheck& cv = diabetes.result()->estimateCheck;
        QCOMPARE(cv.estimateSource, std::string("cross-validation"));
        QVERIFY(cv.estimate && cv.estimateSpread > 0.0);
        QCOMPARE(regression.chart()->bars().at(1).spread, cv.estimateSpread);
        QCOMPARE(regression.chart()->whiskerCount(), 1);
        QVERIFY(regression.numbersText().contains(ui::meanStdText(*cv.estimate, cv.estimateSpread)));
        QCOMPARE(regression.banner()->attentionCount(), int(cv.warnings.size()));
        QVERIFY(regression.latencyText().contains(QStringLiteral("No budget")));
        screenshot(regression, QStringLiteral("evaluation_estimate_check_regression"));
    }
};

QTEST_MAIN(TestEvaluationViews)
#include "tst_evaluation_views.moc"
