// Cross-validation folds against scikit-learn 1.2.1 (tests/reference/cross_validation_reference.py):
// the same rows in every fold, for every strategy, and the errors.
#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/cross_validation.hpp"

using namespace stepwise;
using nlohmann::json;

class TestCrossValidation : public QObject {
    Q_OBJECT
private slots:
    void foldsMatchScikitLearn()
    {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/cross_validation_reference.json");
        QVERIFY2(in, "run tests/reference/cross_validation_reference.py");
        const json reference = json::parse(in);
        int checked = 0;
        for (const json& c : reference["cases"]) {
            std::string spelling = c["strategy"].get<std::string>();
            if (spelling != "loo")
                spelling.append(":").append(std::to_string(c["k"].get<int>()));
            if (c.contains("gap") && c["gap"].get<int>() > 0)
                spelling.append(":").append(std::to_string(c["gap"].get<int>()));
            const evaluation::CvSpec spec = evaluation::parseCvSpec(spelling);
            QCOMPARE(evaluation::toString(spec), spelling);
            std::vector<int> labels;
            if (c.contains("labels"))
                labels = c["labels"].get<std::vector<int>>();
            const auto folds = evaluation::makeFolds(spec, c["rows"].get<std::size_t>(), labels.empty() ? nullptr : &labels);
            QCOMPARE(folds.size(), c["folds"].size());
            for (std::size_t f = 0; f < folds.size(); ++f) {
                QVERIFY2(folds[f].test == c["folds"][f]["test"].get<std::vector<std::size_t>>(), spelling.c_str());
                QVERIFY2(folds[f].train == c["folds"][f]["train"].get<std::vector<std::size_t>>(), spelling.c_str());
            }
            ++checked;
        }
        QVERIFY(checked >= 15);
    }

    void badSpecsAreUsageErrors()
    {
        for (const char* text : {"kfold", "kfold:1", "kfold:x", "stratified:5:2", "loo:3", "bootstrap:5", "kfold:1001"})
            QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, evaluation::parseCvSpec(text));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, evaluation::makeFolds(evaluation::parseCvSpec("kfold:5"), 4));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::makeFolds(evaluation::parseCvSpec("timeseries:3:10"), 12));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::makeFolds(evaluation::parseCvSpec("stratified:2"), 4));  // no labels
    }

    void aClassSmallerThanTheFoldsIsADataError()
    {
        const std::vector<int> labels = {0, 0, 0, 0, 0, 1, 1};
        try {
            evaluation::makeFolds(evaluation::parseCvSpec("stratified:3"), labels.size(), &labels);
            QFAIL("expected DataError");
        } catch (const core::DataError& error) {
            QVERIFY(std::string(error.what()).find("class 1 has only 2 rows") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestCrossValidation)
#include "tst_cross_validation.moc"
