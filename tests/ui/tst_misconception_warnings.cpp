// Misconception warnings where the mistake is made: each test makes the mistake through the
// page's widgets or the session, checks that the warning (what was seen, why it misleads,
// what to do) appears on that page's banner, undoes the mistake and checks it goes away.
// With STEPWISE_TEST_PICTURES=DIR a page with a warning is saved there as a picture.
#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QUndoStack>

#include <cmath>

#include "pages/evaluation_page.hpp"
#include "pages/features_page.hpp"
#include "pages/prep_page.hpp"
#include "pages/problem_page.hpp"
#include "pages/stage_pipeline.hpp"
#include "pages/training_page.hpp"
#include "session/live_preview.hpp"
#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "widgets/status_banner.hpp"

using namespace stepwise;

namespace {

constexpr int kWaitMs = 30000;

bool load(ui::Session& session, const data::DataSource& source, const QString& target)
{
    QSignalSpy loaded(&session, &ui::Session::dataChanged);
    session.loadData(source);
    if (!loaded.wait(kWaitMs))
        return false;
    if (!QTest::qWaitFor([&] { return session.table() != nullptr; }, kWaitMs))
        return false;
    if (!target.isEmpty())
        session.setTarget(target);
    return session.table() != nullptr;
}

bool loadBuiltin(ui::Session& session, const char* name, const QString& target = {})
{
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = name;
    return load(session, source, target);
}

bool writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

/// 120 rows: x1 = 0..119 (standardised over all rows when `scaled`), x2, a colour, a balanced target.
QByteArray numbersCsv(bool scaled)
{
    const int n = 120;
    const double mean = (n - 1) / 2.0;
    double squares = 0.0;
    for (int i = 0; i < n; ++i)
        squares += (i - mean) * (i - mean);
    const double sd = std::sqrt(squares / n);
    QByteArray text = "x1,x2,colour,y\n";
    static const char* colours[] = {"red", "green", "blue"};
    for (int i = 0; i < n; ++i) {
        const double x1 = scaled ? (i - mean) / sd : double(i);
        text += QByteArray::number(x1, 'g', 17) + ',' + QByteArray::number((i * 37) % 101) + ',' + colours[i % 3] +
                ',' + (i % 2 ? "a" : "b") + '\n';
    }
    return text;
}

/// 200 rows of which 20 (10 %) have y = "yes".
QByteArray imbalancedCsv()
{
    QByteArray text = "x1,x2,y\n";
    for (int i = 0; i < 200; ++i)
        text += QByteArray::number(i) + ',' + QByteArray::number((i * 53) % 97) + ',' + (i % 10 == 0 ? "yes" : "no") +
                '\n';
    return text;
}

/// 100 distinct rows, each three times.
QByteArray duplicatedCsv()
{
    QByteArray text = "x1,x2,y\n";
    for (int copy = 0; copy < 3; ++copy)
        for (int i = 0; i < 100; ++i)
            text += QByteArray::number(i) + ',' + QByteArray::number((i * 7) % 13) + ',' + (i % 2 ? "a" : "b") + '\n';
    return text;
}

data::DataSource fileSource(const QString& path) { return data::parseDataLocation(path.toStdString()); }

bool shows(const ui::StatusBanner* banner, const QString& part)
{
    return banner->text().contains(QStringLiteral("Common mistake")) && banner->text().contains(part);
}

void savePicture(QWidget* widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("STEPWISE_TEST_PICTURES");
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    QTest::qWait(200);  // the banner lays out its new message on the next turn of the event loop
    QVERIFY(widget->grab().save(QDir(folder).filePath(name)));
}

bool train(ui::Session& session)
{
    QSignalSpy result(&session, &ui::Session::resultChanged);
    session.train();
    return result.wait(120000) && session.hasCurrentResult();
}

} // namespace

class TestMisconceptionWarnings : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void scalingBeforeSplittingOnTheFeaturesPage()
    {
        const QString scaled = m_dir.filePath(QStringLiteral("scaled.csv"));
        const QString raw = m_dir.filePath(QStringLiteral("raw.csv"));
        QVERIFY(writeText(scaled, numbersCsv(true)));
        QVERIFY(writeText(raw, numbersCsv(false)));
        ui::Session session;
        ui::FeaturesPage page(&session);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const auto current = [&] { return page.pipeline()->livePreview()->isCurrent(); };

        QVERIFY(load(session, fileSource(raw), QStringLiteral("y")));
        QTRY_VERIFY_WITH_TIMEOUT(current() && page.pipeline()->check(), kWaitMs);
        QVERIFY(!shows(page.banner(), QStringLiteral("scaled before it was split")));

        // The mistake: data scaled over all rows before it reached Stepwise.
        QVERIFY(load(session, fileSource(scaled), QStringLiteral("y")));
        QTRY_VERIFY_WITH_TIMEOUT(shows(page.banner(), QStringLiteral("scaled before it was split")), kWaitMs);
        const QString text = page.banner()->text();
        QVERIFY(text.contains(QStringLiteral("'x1'")));
        QVERIFY(text.contains(QStringLiteral("Why it misleads:")));
        QVERIFY(text.contains(QStringLiteral("fits scalers on the training rows only")));
        savePicture(&page, QStringLiteral("warning-scaling-before-splitting.png"));

        // Loading the unscaled data fixes it.
        QVERIFY(load(session, fileSource(raw), QStringLiteral("y")));
        QTRY_VERIFY_WITH_TIMEOUT(current() && !shows(page.banner(), QStringLiteral("scaled before it was split")),
                                 kWaitMs);
    }

    void labelEncodingANominalColumnOnTheFeaturesPage()
    {
        ui::Session session;
        ui::FeaturesPage page(&session);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(loadBuiltin(session, "titanic", QStringLiteral("survived")));
        const auto current = [&] { return page.pipeline()->livePreview()->isCurrent(); };
        QTRY_VERIFY_WITH_TIMEOUT(current() && page.pipeline()->check(), kWaitMs);
        QVERIFY(!shows(page.banner(), QStringLiteral("ordinal (label) encoding")));

        // The mistake: the encoding step switched from one-hot to ordinal.
        workflow::Recipe recipe = session.recipe();
        auto& encode = recipe.features.steps.at(1);
        QCOMPARE(encode.kind, std::string("encode"));
        encode.params["method"] = "ordinal";
        session.editRecipe(recipe, QStringLiteral("Ordinal encoding"));
        QTRY_VERIFY_WITH_TIMEOUT(current() && shows(page.banner(), QStringLiteral("ordinal (label) encoding")),
                                 kWaitMs);
        QVERIFY(page.banner()->text().contains(QStringLiteral("'embarked'")));
        QVERIFY(page.banner()->text().contains(QStringLiteral("Use one-hot encoding")));

        session.undoStack()->undo();
        QCOMPARE(session.recipe().features.steps.at(1).params.at("method"), std::string("onehot"));
        QTRY_VERIFY_WITH_TIMEOUT(current() && !shows(page.banner(), QStringLiteral("ordinal (label) encoding")),
                                 kWaitMs);
    }

    void accuracyOnAnImbalancedTargetOnTheProblemAndEvaluationPages()
    {
        const QString path = m_dir.filePath(QStringLiteral("imbalanced.csv"));
        QVERIFY(writeText(path, imbalancedCsv()));
        ui::Session session;
        session.setObjective(QStringLiteral("Find the rare yes"));
        ui::ProblemPage problem(&session);
        ui::EvaluationPage evaluation(&session);
        problem.resize(1200, 800);
        problem.show();
        QVERIFY(QTest::qWaitForWindowExposed(&problem));
        QVERIFY(load(session, fileSource(path), QStringLiteral("y")));
        QTRY_COMPARE_WITH_TIMEOUT(session.classCounts().size(), std::size_t(2), kWaitMs);

        // The mistake: accuracy as the success metric, picked in the page's combo box.
        auto* success = problem.findChild<QCheckBox*>(QStringLiteral("successCheck"));
        auto* metric = problem.findChild<QComboBox*>(QStringLiteral("metricCombo"));
        QVERIFY(success && metric);
        success->setChecked(true);
        metric->setCurrentIndex(metric->findData(QStringLiteral("accuracy")));
        QCOMPARE(session.recipe().problem.success->metric, std::string("accuracy"));
        QTRY_VERIFY(shows(problem.banner(), QStringLiteral("accuracy")));
        QVERIFY(problem.banner()->text().contains(QStringLiteral("('yes') is only 10 %")));
        QVERIFY(problem.banner()->text().contains(QStringLiteral("90 % accuracy")));
        savePicture(&problem, QStringLiteral("warning-accuracy-on-imbalanced.png"));

        // Next to accuracy on the Evaluation page too.
        workflow::Recipe recipe = session.recipe();
        recipe.model.name = "logistic_regression";
        session.editRecipe(recipe, QStringLiteral("fast model"));
        QVERIFY(train(session));
        QTRY_VERIFY(shows(evaluation.banner(), QStringLiteral("('yes') is only 10 %")));

        // F1 (macro) is the fix, on both pages.
        metric->setCurrentIndex(metric->findData(QStringLiteral("f1_macro")));
        QCOMPARE(session.recipe().problem.success->metric, std::string("f1_macro"));
        QVERIFY(!shows(problem.banner(), QStringLiteral("accuracy")));
        QTRY_VERIFY(!shows(evaluation.banner(), QStringLiteral("('yes') is only 10 %")));
    }

    void testingOnTrainingDataOnThePrepPage()
    {
        const QString path = m_dir.filePath(QStringLiteral("duplicated.csv"));
        QVERIFY(writeText(path, duplicatedCsv()));
        ui::Session session;
        ui::PrepPage page(&session);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(load(session, fileSource(path), QStringLiteral("y")));
        const auto current = [&] { return page.pipeline()->livePreview()->isCurrent(); };
        // The mistake: every row three times, so the test rows are copies of training rows.
        QTRY_VERIFY_WITH_TIMEOUT(current() && shows(page.banner(), QStringLiteral("exact copies of training rows")),
                                 kWaitMs);
        QVERIFY(page.banner()->text().contains(QStringLiteral("tests its memory")));

        // Dropping duplicate rows before the split fixes it; undoing brings it back.
        workflow::Recipe recipe = session.recipe();
        recipe.prep.steps.insert(recipe.prep.steps.begin(), prep::StepSpec{"drop_duplicates", true, {}, {}});
        session.editRecipe(recipe, QStringLiteral("Drop duplicate rows"));
        QTRY_VERIFY_WITH_TIMEOUT(current() && !shows(page.banner(), QStringLiteral("exact copies")), kWaitMs);
        session.undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(current() && shows(page.banner(), QStringLiteral("exact copies")), kWaitMs);
    }

    void tuningOnTheTestSetOnTheTrainingPage()
    {
        ui::Session session;
        ui::TrainingPage page(&session);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(loadBuiltin(session, "titanic", QStringLiteral("survived")));
        const QString tuning = QStringLiteral("choosing hyper-parameters by the test score");

        // Train, look at the test score, change max_depth, train again… without validation.
        for (int depth = 2; depth <= 5; ++depth) {
            session.setModel({"decision_tree", {{"max_depth", std::to_string(depth)}}});
            QVERIFY(!shows(page.banner(), tuning));
            QVERIFY(train(session));
        }
        // The fourth run is the third retrain that changed only hyper-parameters.
        QVERIFY(shows(page.banner(), tuning));
        QVERIFY(page.banner()->text().contains(QStringLiteral("turn on cross-validation or a validation set"),
                                               Qt::CaseInsensitive));
        savePicture(&page, QStringLiteral("warning-tuning-on-test-set.png"));

        // Turning on cross-validation is the fix.
        workflow::Recipe recipe = session.recipe();
        recipe.crossValidation = evaluation::CvSpec{};
        session.editRecipe(recipe, QStringLiteral("Cross-validate"));
        QVERIFY(!shows(page.banner(), tuning));
        session.undoStack()->undo();
        QVERIFY(shows(page.banner(), tuning));
    }

    void aBlackBoxWhenInterpretabilityIsRequiredOnTheTrainingPage()
    {
        ui::Session session;
        ui::TrainingPage page(&session);
        const QString warning = QStringLiteral("requires every prediction to be explainable");
        session.setModel({"random_forest", {}});
        QVERIFY(!shows(page.banner(), warning));
        session.setInterpretability(workflow::Interpretability::Required);
        QVERIFY(shows(page.banner(), warning));
        QVERIFY(page.banner()->text().contains(QStringLiteral("'random_forest'")));
        session.setModel({"knn", {}});
        QVERIFY(page.banner()->text().contains(QStringLiteral("'knn'")));
        session.setModel({"decision_tree", {{"max_depth", "3"}}});
        QVERIFY(!shows(page.banner(), warning));
        session.setModel({"gradient_boosting", {}});
        QVERIFY(shows(page.banner(), warning));
        session.setInterpretability(workflow::Interpretability::Preferred);
        QVERIFY(!shows(page.banner(), warning));
    }
};

QTEST_MAIN(TestMisconceptionWarnings)
#include "tst_misconception_warnings.moc"
