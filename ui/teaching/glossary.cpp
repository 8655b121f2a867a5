#include "teaching/glossary.hpp"

#include <QCoreApplication>

#include <algorithm>

namespace stepwise::ui::teaching {
namespace {

/// The texts live in one class so every string goes through tr() with one context.
class GlossaryText {
    Q_DECLARE_TR_FUNCTIONS(Glossary)
public:
    static std::vector<GlossaryEntry> build();
};

std::vector<GlossaryEntry> GlossaryText::build()
{
    std::vector<GlossaryEntry> e;
    const auto add = [&e](const char* key, const QString& term, const QString& why, const QString& more) {
        e.push_back({QString::fromLatin1(key), term, why, more});
    };

    // --- metrics: classification ----------------------------------------------------
    add("metric/accuracy", tr("Accuracy"), tr("The share of rows classified correctly — easy to read, but it flatters a model when one class dominates."),
        tr("With 90 % of rows in one class, always answering that class scores 0.90. Compare it with that baseline, "
           "and prefer balanced accuracy or F1 (macro) for unbalanced targets."));
    add("metric/balanced_accuracy", tr("Balanced accuracy"), tr("Recall averaged over the classes, so a small class counts as much as a large one."),
        tr("Always answering the majority class scores 1/k with k classes (0.5 for two). Use it instead of accuracy "
           "when the classes are unbalanced."));
    add("metric/precision_macro", tr("Precision (macro)"), tr("When the model says “class X”, how often is it right — averaged over classes with equal weight."),
        tr("High precision means few false alarms. Choose it when acting on a wrong prediction is expensive (a "
           "spam filter that must not bin real mail)."));
    add("metric/recall_macro", tr("Recall (macro)"), tr("Of all rows that really are class X, how many the model finds — averaged over classes with equal weight."),
        tr("High recall means few misses. Choose it when missing a case is expensive (a disease screen). Recall "
           "and precision trade off through the decision threshold."));
    add("metric/f1_macro", tr("F1 (macro)"), tr("Balances precision and recall and gives every class the same weight — a good default for unbalanced classes."),
        tr("F1 is the harmonic mean of precision and recall, so it is low when either is low. Macro averaging "
           "means a rare class that is always missed pulls the score down hard."));
    add("metric/f1_weighted", tr("F1 (weighted)"), tr("F1 averaged over classes weighted by their size, so large classes dominate."),
        tr("It follows the class balance of the data: a model can ignore a rare class and still score well. Use "
           "macro F1 when the rare classes matter."));
    add("metric/precision_weighted", tr("Precision (weighted)"), tr("Precision averaged over classes weighted by their size."),
        tr("Large classes dominate it. Read it next to the macro version: a big gap means small classes are "
           "handled worse."));
    add("metric/recall_weighted", tr("Recall (weighted)"), tr("Recall averaged over classes weighted by their size; for one label per row it equals accuracy."),
        tr("Because it equals accuracy, it shares accuracy's blind spot for rare classes."));
    add("metric/precision_micro", tr("Precision (micro)"), tr("Precision from counts pooled over all classes; for one label per row it equals accuracy."),
        tr("Micro averaging counts every row once, so big classes dominate. It is listed so the numbers match "
           "scikit-learn's report."));
    add("metric/recall_micro", tr("Recall (micro)"), tr("Recall from counts pooled over all classes; for one label per row it equals accuracy."),
        tr("Pooled counts: every row counts once. Prefer the macro version to see rare classes."));
    add("metric/f1_micro", tr("F1 (micro)"), tr("F1 from counts pooled over all classes; for one label per row it equals accuracy."),
        tr("Large classes dominate it. Use macro F1 when each class matters equally."));
    add("metric/specificity_macro", tr("Specificity (macro)"), tr("Of the rows that are not class X, how many are correctly not called X — few false alarms."),
        tr("The true-negative rate, averaged over classes. It matters when false alarms are costly, and is the "
           "x-axis of the ROC curve (as 1 − specificity)."));
    add("metric/mcc", tr("Matthews correlation"), tr("One number from the whole confusion matrix, from −1 to 1 with 0 as chance — fair on unbalanced classes."),
        tr("It is only high when the model does well on every cell of the matrix, so it cannot be gamed by "
           "predicting the majority class."));
    add("metric/cohen_kappa", tr("Cohen's kappa"), tr("Agreement between prediction and truth beyond what chance alone would give; 0 is chance, 1 is perfect."),
        tr("It corrects accuracy for the agreement expected by luck given the class shares. Above about 0.6 is "
           "usually read as substantial agreement."));
    add("metric/roc_auc", tr("ROC AUC"), tr("How well the probabilities rank the rows: the chance a random positive is scored above a random negative."),
        tr("It judges the ranking at every threshold at once, so it does not depend on the 0.5 cut-off. 0.5 is "
           "guessing, 1.0 is perfect. With a rare positive class, also look at average precision."));
    add("metric/roc_auc_ovr_weighted", tr("ROC AUC (one-vs-rest, weighted)"), tr("ROC AUC of each class against the rest, averaged with weights by class size."),
        tr("For more than two classes. Weighting follows the class balance, so large classes dominate."));
    add("metric/roc_auc_ovo", tr("ROC AUC (one-vs-one)"), tr("ROC AUC averaged over every pair of classes; little affected by class imbalance."),
        tr("Hand and Till's multiclass AUC: each pair of classes counts equally, whatever its size."));
    add("metric/roc_auc_ovo_weighted", tr("ROC AUC (one-vs-one, weighted)"), tr("One-vs-one ROC AUC with each pair of classes weighted by how common it is."),
        tr("A middle way between the plain one-vs-one average and the class balance of the data."));
    add("metric/average_precision", tr("Average precision"), tr("The area under the precision-recall curve — the better ranking score when positives are rare."),
        tr("Unlike ROC AUC it ignores true negatives, so a flood of easy negatives cannot make it look good. The "
           "baseline is the share of positives, not 0.5."));
    add("metric/log_loss", tr("Log loss"), tr("How much probability the model gave the true class; confident mistakes cost the most. Lower is better."),
        tr("It judges the probabilities themselves, not just the label. A model that says 0.99 and is wrong pays "
           "heavily — use it when the probabilities will be used as risks."));
    add("metric/brier", tr("Brier score"), tr("Mean squared difference between predicted probabilities and what happened; lower is better."),
        tr("It rewards calibrated probabilities: if the model says 0.8, it should be right about 8 times in 10. "
           "See the calibration curve on the Curves tab."));

    // --- metrics: regression ----------------------------------------------------------
    add("metric/r2", tr("R²"), tr("The share of the target's variance the model explains: 1 is perfect, 0 is no better than predicting the mean."),
        tr("It has no units, so it compares across targets, but it can be negative on test rows when the model is "
           "worse than the mean. Read it with an error in the target's units (RMSE or MAE)."));
    add("metric/mse", tr("MSE"), tr("Mean squared error, in squared target units; squaring makes large errors weigh heavily."),
        tr("It is what most regression models minimise while training. Its units are hard to read — take the "
           "square root (RMSE) to report it."));
    add("metric/rmse", tr("RMSE"), tr("Root mean squared error in the target's units; large errors weigh heavily."),
        tr("Read it as a typical error size that punishes big misses. Compare it with the target's spread: an RMSE "
           "near the standard deviation means the model barely beats the mean."));
    add("metric/mae", tr("MAE"), tr("Mean absolute error in the target's units: the average size of a miss."),
        tr("Easier to explain than RMSE and less moved by a few wild errors. If RMSE is much larger than MAE, a "
           "few rows have very large errors — look at the residuals."));
    add("metric/median_ae", tr("Median absolute error"), tr("The middle absolute error: half the predictions miss by less than this."),
        tr("Outliers do not move it at all, so it describes the typical row; read it next to RMSE to see the tail."));
    add("metric/explained_variance", tr("Explained variance"), tr("Like R², but ignores a constant offset in the predictions."),
        tr("When it is clearly higher than R², the predictions are biased — shifted up or down on average."));
    add("metric/mape", tr("MAPE"), tr("Mean absolute error relative to the actual value (0.1 is 10 %); meaningless when actual values are near zero."),
        tr("Business users like percentages, but small actual values blow it up, and it punishes over-prediction "
           "more than under-prediction."));

    // --- Problem ------------------------------------------------------------------------
    add("option/task", tr("Kind of prediction"), tr("Classification predicts a category, regression a number; it decides the models and metrics on offer."),
        tr("A number that names a group (class 1/2/3, a postcode) is still a category. If the answer is “which "
           "one?”, it is classification; if it is “how much?”, regression."));
    add("option/objective", tr("Objective"), tr("One sentence on what is predicted, for whom and why; it keeps later choices honest."),
        tr("Write who uses the prediction and what they do with it. That tells you which mistakes are costly, and so "
           "which metric to choose."));
    add("option/target", tr("Target column"), tr("The column the model learns to predict; every other column may become an input."),
        tr("It must be known for the training rows and unknown at prediction time. A column computed from the target "
           "is a leak, not an input."));
    add("option/success_metric", tr("Success metric"), tr("The one number the model is judged by; choose it for the mistakes that matter, before training."),
        tr("Unbalanced classes: F1 (macro) or balanced accuracy rather than accuracy. Risks used as probabilities: "
           "log loss. Regression: RMSE or MAE in the target's units."));
    add("option/success_threshold", tr("Success threshold"), tr("The bar the metric must reach; set it before seeing results so the verdict means something."),
        tr("Take it from the need (“at least as good as today's rule”) or from a baseline. Moving the bar after "
           "seeing the score makes any model pass."));
    add("option/latency_budget", tr("Latency budget"), tr("How fast one prediction must be; a slower but more accurate model can miss the deadline."),
        tr("Measured as the 99th percentile of single-row predictions through the whole pipeline. Forests and "
           "k-nearest neighbours are slower per row than linear models."));
    add("option/interpretability", tr("Interpretability"), tr("Whether people must understand each prediction; it rules some models in or out."),
        tr("When decisions must be explained (credit, medicine), prefer linear models or shallow trees, whose "
           "reasons can be read; ensembles need extra explanation tools."));
    add("option/retraining_cadence", tr("Retraining cadence"), tr("How often the model will be retrained as the world changes."),
        tr("Data drifts: habits, prices and sensors change. A model retrained often can be simpler; one trained once "
           "must be checked for drift on the Export step."));

    // --- Data ---------------------------------------------------------------------------
    add("option/dataset", tr("Bundled datasets"), tr("Small, well-known tables to learn the workflow on before using your own data."),
        tr("Titanic (classification with gaps and a leak), iris (three balanced classes), diabetes and mpg "
           "(regression) each show a different lesson."));
    add("option/column_kind", tr("Column type"), tr("Decides how a column is used: numbers are scaled, categories encoded, IDs left out."),
        tr("Check the guessed types. Numbers that name groups are categories; free text and IDs carry no general "
           "signal; a date needs its parts extracted."));
    add("option/target_leak", tr("Target leak"), tr("A column that gives the answer away; a model with it looks perfect and fails in use."),
        tr("Ask for every column: would I know this value at the moment I must predict? On Titanic, “alive” is "
           "“survived” in words."));

    // --- Prep: the split ----------------------------------------------------------------
    add("option/test_size", tr("Test size"), tr("The share of rows held back for one honest final exam; the model never learns from them."),
        tr("0.2–0.3 is common. A larger test part gives a steadier estimate but leaves less to learn from; with few "
           "rows, prefer cross-validation on the training part."));
    add("option/validation_size", tr("Validation size"), tr("Rows held back to compare settings and models, so the test rows stay untouched until the end."),
        tr("Every choice made by looking at a score is a little fitting. Make those choices on validation rows (or "
           "cross-validation), and look at the test score once."));
    add("option/stratify", tr("Stratify"), tr("Keeps each class's share the same in every part, so a rare class is not missing from the test rows."),
        tr("Turn it on for classification, especially with small or unbalanced classes. It does not apply to "
           "regression or to a split by time."));
    add("option/time_column", tr("Time order"), tr("Splits by time — past rows train, newer rows test — when the model will predict the future."),
        tr("A random split lets the model peek at the future and scores too well. Use a time column when rows are "
           "ordered in time and predictions will be made forward."));
    add("option/seed", tr("Seed"), tr("Fixes every random choice — the split, the folds, the model — so the same seed gives the same result."),
        tr("Keep it fixed while you compare choices, so differences come from the choice and not from luck. Try a "
           "few seeds at the end to see how much the score moves."));
    add("option/duplicates", tr("Duplicate rows"), tr("A row repeated in both training and test rows is a question the model has already seen."),
        tr("Dropping exact duplicates before the split keeps the test honest — unless repeats are real, separate "
           "events."));

    // --- Training -------------------------------------------------------------------------
    add("option/models", tr("Models to compare"), tr("Several models trained on the same rows and scored the same way, ranked on a leaderboard."),
        tr("Start with a simple baseline (logistic or linear regression): a complex model must beat it clearly to be "
           "worth its cost."));
    add("option/cross_validation", tr("Cross-validation"), tr("Scores each model k times on parts of the training rows it did not learn from; the spread shows how much is luck."),
        tr("Every prep and feature step is refitted inside each fold, so nothing leaks. The mean ± std is steadier "
           "than one validation split, at k times the cost."));
    add("option/cv_stratified", tr("Stratified k-fold"), tr("k folds that each keep the class shares — the default for classification."),
        tr("Plain k-fold can put too few rows of a rare class in a fold; stratifying prevents it."));
    add("option/cv_kfold", tr("K-fold"), tr("Splits the training rows into k folds at random; each fold is tested once."),
        tr("The default for regression. For classes, prefer the stratified version."));
    add("option/cv_loo", tr("Leave-one-out"), tr("Each row is its own test fold: as many fits as rows."),
        tr("Only for very small data: it uses nearly every row for training but is slow, and its estimate can "
           "vary a lot."));
    add("option/cv_time_series", tr("Time series folds"), tr("Each fold trains on the past and tests on the block right after it — never on the future."),
        tr("Use it whenever the split is by time. A gap between training and test blocks keeps slowly changing "
           "values from leaking across."));
    add("option/cv_folds", tr("Folds (k)"), tr("How many parts the training rows are cut into; 5 or 10 is usual."),
        tr("More folds: each model learns from more rows and the estimate is less biased, but it costs more fits."));
    add("option/cv_gap", tr("Gap"), tr("Rows skipped between each training window and its test block, so neighbouring rows cannot leak."),
        tr("Set it to how far ahead you predict, or to how long a value keeps influencing the next rows."));
    add("option/search", tr("Hyper-parameter search"), tr("Tries many settings and keeps the best by cross-validation or validation — never by the test score."),
        tr("Tuning on the test rows makes the test score an optimistic guess. Search on validation rows or folds, "
           "then check once on the test rows."));
    add("option/search_kind", tr("Search kind"), tr("Grid tries every combination; random draws try a fixed number of them."),
        tr("Random search finds good settings with far fewer fits when only a few parameters matter, which is "
           "common."));
    add("option/search_iterations", tr("Draws"), tr("How many random combinations are tried; more finds better settings at more cost."),
        tr("20–60 draws are often enough to get close to the best a grid would find."));
    add("option/search_scoring", tr("Search scoring"), tr("The metric the search maximises; normally your success metric."),
        tr("Optimising one metric can hurt another: a search for accuracy on unbalanced data may ignore the rare "
           "class."));

    // --- Evaluation -----------------------------------------------------------------------
    add("option/decision_threshold", tr("Decision threshold"), tr("The probability above which a row is called positive; moving it trades precision for recall."),
        tr("0.5 is only a default. Lower it to catch more positives at the price of more false alarms; choose it on "
           "validation rows, not on the test rows."));
    add("option/confusion_matrix", tr("Confusion matrix"), tr("Counts of actual (rows) against predicted (columns) classes; the diagonal is correct."),
        tr("Off-diagonal cells show which classes get mixed up. Row % on the diagonal is recall, column % is "
           "precision. Click a cell to see its rows."));

    // --- Export ---------------------------------------------------------------------------
    add("option/model_file", tr("Model file"), tr("Saves the whole pipeline — prep, features and model — so new rows get exactly the training-time treatment."),
        tr("Saving only the model would lose the fill values, scales and encodings learned from the training rows."));
    add("option/onnx", tr("ONNX export"), tr("Runs the same pipeline in ONNX Runtime from C#, Java, JavaScript or Python, without Stepwise."),
        tr("Check that the exported model gives the same predictions as Stepwise on a few rows before relying on it."));
    add("option/drift", tr("Drift"), tr("New data that no longer looks like the training data; predictions quietly get worse."),
        tr("Categories never seen in training and shifted distributions are warnings. Monitor them and retrain on "
           "fresh data."));

    // --- hyper-parameters shared by models -------------------------------------------------
    add("param/n_estimators", tr("n_estimators"), tr("How many trees the forest averages; more trees are steadier but slower."),
        tr("The score levels off after a few hundred trees; more rarely hurts accuracy, only time and memory."));
    add("param/max_depth", tr("max_depth"), tr("How many questions a tree may ask in a row; deeper trees fit more detail and overfit sooner."),
        tr("Limit it when the training score is far above the validation score. “none” grows until the leaves are "
           "pure or small."));
    add("param/min_samples_split", tr("min_samples_split"), tr("A node needs at least this many rows to be split; larger values make simpler trees."),
        tr("Raise it to stop the tree from chasing a handful of rows."));
    add("param/min_samples_leaf", tr("min_samples_leaf"), tr("Each leaf must keep at least this many rows; larger values smooth the predictions."),
        tr("One of the most effective ways to reduce overfitting in trees: 5–20 is a common range on small data."));
    add("param/max_features", tr("max_features"), tr("How many columns each split may choose from; fewer makes the trees more different from each other."),
        tr("Diverse trees average better: “sqrt” is the usual choice for classification forests."));
    add("param/criterion", tr("criterion"), tr("How a split's quality is measured (Gini or entropy for classes, squared error for numbers)."),
        tr("Gini and entropy nearly always pick similar splits; it is rarely worth tuning."));
    add("param/class_weight", tr("class_weight"), tr("“balanced” makes mistakes on a rare class cost more, so the model stops ignoring it."),
        tr("An alternative to resampling: it changes the loss instead of the rows. Expect higher recall on the rare "
           "class and lower precision."));
    add("param/bootstrap", tr("bootstrap"), tr("Each tree learns from a random sample of rows drawn with replacement, which makes the trees differ."),
        tr("It is what lets a forest report an out-of-bag score on rows each tree did not see."));
    add("param/oob_score", tr("oob_score"), tr("Scores the forest on the rows each tree did not see — a free validation estimate."),
        tr("Needs bootstrap. It is close to a cross-validation score at no extra training cost."));
    add("param/max_bins", tr("max_bins"), tr("Numbers are grouped into at most this many bins before splitting, which makes training much faster."),
        tr("255 bins lose almost nothing; fewer bins train faster and smooth a little."));
    add("param/learning_rate", tr("learning_rate"), tr("How much each new tree corrects the previous ones; smaller steps need more trees but generalise better."),
        tr("Lower it (0.05) and raise max_iter together; early stopping then picks the number of trees."));
    add("param/max_iter", tr("max_iter"), tr("The most boosting rounds or solver iterations allowed."),
        tr("For boosting it is the number of trees; for linear models, raise it if the solver reports that it did "
           "not converge."));
    add("param/max_leaf_nodes", tr("max_leaf_nodes"), tr("The most leaves a tree may have; it limits each tree's complexity."),
        tr("Boosting works best with many small trees; 31 is a common default."));
    add("param/l2_regularization", tr("l2_regularization"), tr("Shrinks the leaf values of the boosted trees, which calms overfitting."),
        tr("Try 0.1–1 when the training score runs far ahead of validation."));
    add("param/early_stopping", tr("early_stopping"), tr("Stops adding trees when a held-out part of the training rows stops improving."),
        tr("Saves time and prevents overfitting; it uses validation_fraction of the training rows."));
    add("param/validation_fraction", tr("validation_fraction"), tr("The share of training rows early stopping watches."),
        tr("These rows are taken from the training rows only; the test rows are never used."));
    add("param/n_iter_no_change", tr("n_iter_no_change"), tr("How many rounds without improvement before early stopping gives up."),
        tr("Larger values are more patient and less likely to stop on a lucky dip."));
    add("param/tol", tr("tol"), tr("The smallest improvement that still counts; the solver stops below it."),
        tr("Rarely worth changing; lower it only if the fit is visibly unfinished."));
    add("param/C", tr("C"), tr("Inverse strength of regularisation: small C keeps the weights small and the model simple."),
        tr("Lower C when the model overfits, raise it when it underfits. Try values on a log scale: 0.01, 0.1, 1, 10. "
           "Scale the inputs first."));
    add("param/alpha", tr("alpha"), tr("Strength of regularisation: larger alpha shrinks the weights more."),
        tr("Ridge shrinks all weights; lasso can set some to exactly zero, which selects columns. Scale the inputs "
           "first so the penalty treats them alike."));
    add("param/penalty", tr("penalty"), tr("Which regularisation keeps the weights small: l2 shrinks all, l1 sets some to zero."),
        tr("Elastic net mixes the two with l1_ratio. l1 is useful when many columns are irrelevant."));
    add("param/l1_ratio", tr("l1_ratio"), tr("The mix of l1 and l2 in an elastic-net penalty: 0 is pure l2, 1 pure l1."),
        tr("Only used with penalty = elasticnet."));
    add("param/fit_intercept", tr("fit_intercept"), tr("Whether the model learns a constant offset; leave it on unless the data is centred."),
        tr("Without an intercept the prediction for all-zero inputs is forced to zero."));
    add("param/epsilon", tr("epsilon"), tr("Errors smaller than this are ignored by the support-vector regression loss."),
        tr("In the target's units: it sets how precise the fit tries to be."));
    add("param/n_neighbors", tr("n_neighbors"), tr("How many nearby rows vote on a prediction; few neighbours follow noise, many blur the classes."),
        tr("Odd values avoid ties for two classes. Scale the inputs first — distances are meaningless otherwise."));
    add("param/weights", tr("weights"), tr("Whether closer neighbours count more (“distance”) or all count the same (“uniform”)."),
        tr("“distance” helps when the density of rows varies."));
    add("param/p", tr("p"), tr("The distance used: 1 is Manhattan (sum of differences), 2 Euclidean (straight line)."),
        tr("Manhattan is less dominated by one large difference."));
    add("param/algorithm", tr("algorithm"), tr("How the neighbours are searched; it changes speed, never the answer."),
        tr("Trees are fast with few columns; brute force wins with many."));
    add("param/leaf_size", tr("leaf_size"), tr("A speed setting of the neighbour search trees; it does not change the predictions."),
        tr("Leave it at the default unless predictions are slow."));
    add("param/var_smoothing", tr("var_smoothing"), tr("Adds a little variance to every column so a column with almost no spread cannot dominate."),
        tr("Raise it if naive Bayes gives extreme probabilities."));

    // --- prep and feature steps ---------------------------------------------------------------
    add("param/impute/numeric", tr("Imputation of numbers"), tr("How missing numbers are filled: the median is robust to outliers, the mean is not."),
        tr("The fill value is learned from the training rows only. “constant” uses numeric_fill; ffill/bfill copy "
           "the previous or next row and suit data ordered in time."));
    add("param/impute/categorical", tr("Imputation of categories"), tr("How missing categories are filled: the most frequent value, or a constant such as “missing”."),
        tr("A constant keeps the fact that a value was missing, which is sometimes informative (no cabin recorded)."));
    add("param/impute/numeric_fill", tr("numeric_fill"), tr("The number used when missing numbers are filled with a constant."),
        tr("0 or -1 are common; pick a value the column never takes so the model can tell the gap apart."));
    add("param/impute/categorical_fill", tr("categorical_fill"), tr("The category used when missing categories are filled with a constant."),
        tr("A clear word such as “missing” makes the gap its own category."));
    add("param/impute/indicator", tr("Missing indicator"), tr("Adds a yes/no column per filled column, so the model still knows a value was missing."),
        tr("Useful when being missing means something (age not recorded for some passengers)."));
    for (const char* kind : {"clip_outliers", "remove_outliers"}) {
        const QString prefix = QStringLiteral("param/%1/").arg(QLatin1String(kind));
        e.push_back({prefix + QStringLiteral("method"), tr("Outlier rule"),
                     tr("IQR flags values far outside the middle half of the data; z-score flags values many standard "
                        "deviations from the mean."),
                     tr("IQR is robust to the outliers it looks for; z-score suits roughly bell-shaped columns. Clipping "
                        "keeps the rows, removing drops them — from the training rows only.")});
        e.push_back({prefix + QStringLiteral("iqr_factor"), tr("IQR factor"),
                     tr("How many interquartile ranges beyond the quartiles a value must be to count as an outlier."),
                     tr("1.5 is Tukey's usual fence; 3 flags only extreme values.")});
        e.push_back({prefix + QStringLiteral("z_limit"), tr("z limit"),
                     tr("How many standard deviations from the mean a value must be to count as an outlier."),
                     tr("3 is common. A real but rare value is not an error — check before removing it.")});
    }
    add("param/resample/method", tr("Resampling"), tr("Balances the classes in the training rows: repeat rare rows (over), drop common rows (under) or invent new ones (SMOTE)."),
        tr("It changes the training rows only; the test rows keep the real class shares so the scores stay honest. "
           "Class weights are an alternative."));
    add("param/resample/k_neighbors", tr("SMOTE neighbours"), tr("How many neighbours SMOTE interpolates between to invent a new rare row."),
        tr("Needs at least that many rows of the rare class plus one."));
    add("param/scale/method", tr("Scaling"), tr("Puts numeric columns on comparable ranges; linear models, SVMs and k-nearest neighbours need it, trees do not."),
        tr("standard: mean 0, std 1; minmax: 0 to 1; robust: median and IQR, for columns with outliers. The scales "
           "are learned from the training rows only."));
    add("param/encode/method", tr("One-hot vs ordinal"), tr("One-hot gives each category its own 0/1 column; ordinal numbers the categories in an order."),
        tr("Use one-hot for categories without an order (port of embarkation). Ordinal with a wrong order invents a "
           "ranking the model will use; use it only for ordered categories (low < mid < high) or with trees."));
    add("param/encode/order", tr("Category order"), tr("The order an ordinal encoding numbers the categories in."),
        tr("Give the real order (small, medium, large); the default alphabetical order is usually meaningless."));
    add("param/encode/unknown", tr("Unknown categories"), tr("What happens to a category never seen in training: ignore it (all zeros) or stop with an error."),
        tr("“ignore” keeps predictions running when new categories appear; watch them as a sign of drift."));
    add("param/drop_duplicates/keep", tr("Which duplicate to keep"), tr("Keep the first or last copy of a repeated row, or drop every copy."),
        tr("Dropping every copy also removes rows whose label is contradicted by a twin."));
    add("param/drop_sparse_columns/max_missing", tr("Most missing allowed"), tr("Columns missing more than this share of values are dropped."),
        tr("A column that is mostly empty rarely helps and fills mostly with guesses."));
    add("param/select_features/method", tr("Feature selection"), tr("Keeps the columns that carry signal: drop near-constant or duplicated columns, or keep the k best."),
        tr("Selection is learned from the training rows only; selecting on all rows leaks the test answers."));
    add("param/bin/strategy", tr("Binning strategy"), tr("Cuts a number into ranges: equal widths (uniform), equal counts (quantile) or your own edges."),
        tr("Quantile bins each hold about the same number of rows; uniform bins are easier to read."));
    add("param/bin/bins", tr("Number of bins"), tr("How many ranges the column is cut into."),
        tr("Few bins lose detail; many bins hold few rows each and overfit."));
    return e;
}

} // namespace

std::vector<GlossaryEntry> glossaryEntries() { return GlossaryText::build(); }

std::optional<GlossaryEntry> glossaryEntry(const QString& key)
{
    // Built once per call: the texts follow a translator installed at run time.
    const auto entries = glossaryEntries();
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const GlossaryEntry& e) { return e.key == key; });
    if (it == entries.end())
        return std::nullopt;
    return *it;
}

QString glossaryAnchor(const QString& key)
{
    QString anchor = QStringLiteral("why-") + key;
    anchor.replace(QLatin1Char('/'), QLatin1Char('-'));
    return anchor;
}

QString metricGlossaryKey(const std::string& metricName)
{
    return QStringLiteral("metric/") + QString::fromStdString(metricName);
}

QString paramGlossaryKey(const std::string& owner, const std::string& name)
{
    const QString own = QStringLiteral("param/%1/%2").arg(QString::fromStdString(owner), QString::fromStdString(name));
    if (glossaryEntry(own))
        return own;
    const QString shared = QStringLiteral("param/") + QString::fromStdString(name);
    if (glossaryEntry(shared))
        return shared;
    return {};
}

} // namespace stepwise::ui::teaching
