#include "widgets/teaching/confusion_explanation.hpp"

#include <QCoreApplication>
#include <QLocale>

namespace stepwise::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("ConfusionExplanation", text); }
QString count(std::int64_t n) { return QLocale().toString(qlonglong(n)); }
QString rate(double value) { return QString::number(value, 'f', 3); }
// "3 / 4 = 0.750", or "0 / 0 (undefined)".
QString ratio(std::int64_t part, std::int64_t whole)
{
    QString text = count(part) + QStringLiteral(" / ") + count(whole);
    return whole > 0 ? text + QStringLiteral(" = ") + rate(double(part) / double(whole)) : text + tr(" (undefined)");
}

} // namespace

QString explainConfusionCell(const std::vector<std::vector<std::int64_t>>& matrix, const QStringList& classNames,
                             const QString& target, int actual, int predicted)
{
    const int classes = int(matrix.size());
    if (actual < 0 || predicted < 0 || actual >= classes || predicted >= classes ||
        int(matrix[std::size_t(actual)].size()) != classes)
        return {};
    const auto name = [&](int c) { return c < classNames.size() ? classNames[c] : QString::number(c); };
    const auto rowsOf = [&](int c) {
        return target.isEmpty() ? tr("class %1").arg(name(c)) : QStringLiteral("%1 = %2").arg(target, name(c));
    };
    std::int64_t rowTotal = 0, columnTotal = 0;
    for (int c = 0; c < classes; ++c) {
        rowTotal += matrix[std::size_t(actual)][std::size_t(c)];
        columnTotal += matrix[std::size_t(c)][std::size_t(predicted)];
    }
    const std::int64_t n = matrix[std::size_t(actual)][std::size_t(predicted)];
    // Precision of the predicted class and recall of the actual one, which this cell moves.
    std::int64_t predictedRight = matrix[std::size_t(predicted)][std::size_t(predicted)];
    std::int64_t actualFound = matrix[std::size_t(actual)][std::size_t(actual)];
    std::int64_t actualTotal = rowTotal;
    const QString precision = tr("precision of %1: %2 of the rows predicted %1 are right (%3)")
                                  .arg(name(predicted), count(predictedRight), ratio(predictedRight, columnTotal));
    const QString recall = tr("recall of %1: %2 of its %3 rows are found (%4)")
                               .arg(name(actual), count(actualFound), count(actualTotal), ratio(actualFound, actualTotal));
    const QString rows = n == 1 ? tr("1 test row that is actually %1 was").arg(rowsOf(actual))
                                : tr("%1 test rows that are actually %2 were").arg(count(n), rowsOf(actual));
    const bool binary = classes == 2;
    if (actual == predicted) {
        QString kind;
        if (binary)
            kind = actual == 1 ? tr("true positives: class %1 rightly found").arg(name(1))
                               : tr("true negatives: class %1 rightly left out").arg(name(1));
        else
            kind = tr("correct predictions of class %1").arg(name(actual));
        return tr("%1 predicted %2 — %3. They make the %4 and the %5.")
            .arg(rows, name(predicted), kind, recall, precision);
    }
    QString kind;
    if (binary)
        kind = predicted == 1 ? tr("false positives for class %1 (false alarms)").arg(name(1))
                              : tr("false negatives for class %1 (misses)").arg(name(1));
    else
        kind = tr("false positives for class %1 and false negatives for class %2").arg(name(predicted), name(actual));
    // The precision of the predicted class and the recall of the actual class both lose them.
    std::int64_t predictedTotal = columnTotal;
    const QString lowerPrecision = tr("the precision of %1 (%2)").arg(name(predicted), ratio(predictedRight, predictedTotal));
    const QString lowerRecall = tr("the recall of %1 (%2)").arg(name(actual), ratio(actualFound, actualTotal));
    return tr("%1 predicted %2 — %3. They lower %4 and %5.").arg(rows, name(predicted), kind, lowerPrecision, lowerRecall);
}

QString explainThreshold(const evaluation::ThresholdPoint& now, const evaluation::ThresholdPoint& atHalf,
                         const QStringList& classNames, const QString& target)
{
    const QString negative = classNames.size() > 0 ? classNames[0] : QStringLiteral("0");
    const QString positive = classNames.size() > 1 ? classNames[1] : QStringLiteral("1");
    const QString quoted = QStringLiteral("“%1”");
    const std::int64_t rows = now.truePositives + now.falsePositives + now.falseNegatives + now.trueNegatives;
    const std::int64_t positiveNow = now.truePositives + now.falsePositives;
    const std::int64_t positiveHalf = atHalf.truePositives + atHalf.falsePositives;
    const QString probability =
        target.isEmpty() ? tr("P(%1)").arg(positive) : tr("P(%1 = %2)").arg(target, positive);
    QString text = tr("At threshold %1, %2 of the %3 test rows are predicted %4 (%5 > %1).")
                       .arg(QString::number(now.threshold, 'f', 3), count(positiveNow), count(rows),
                            quoted.arg(positive), probability);
    const std::int64_t flipped = positiveNow > positiveHalf ? positiveNow - positiveHalf : positiveHalf - positiveNow;
    if (flipped == 0) {
        text += QLatin1Char(' ') +
                tr("That is the saved model's reading at 0.5. Raise the threshold and the rows just above it flip "
                   "to %1: fewer false alarms (precision rises), more misses (recall falls). Lower it for the "
                   "reverse.")
                    .arg(quoted.arg(negative));
        return text;
    }
    const bool raised = positiveNow < positiveHalf;
    // The flipped rows are exactly the ones between the two thresholds: their true class
    // is the change in true and false positives.
    const std::int64_t reallyPositive = raised ? atHalf.truePositives - now.truePositives
                                               : now.truePositives - atHalf.truePositives;
    const std::int64_t reallyNegative = raised ? atHalf.falsePositives - now.falsePositives
                                               : now.falsePositives - atHalf.falsePositives;
    if (flipped == 1)
        text += QLatin1Char(' ') +
                tr("Compared with 0.5, 1 row flipped from %1 to %2: it really is %3 (%4).")
                    .arg(quoted.arg(raised ? positive : negative), quoted.arg(raised ? negative : positive),
                         quoted.arg(reallyPositive == 1 ? positive : negative),
                         raised ? (reallyPositive == 1 ? tr("now missed") : tr("a false alarm avoided"))
                                : (reallyPositive == 1 ? tr("found now") : tr("a new false alarm")));
    else if (raised)
        text += QLatin1Char(' ') + tr("Compared with 0.5, %1 rows flipped from %2 to %3: %4 of them really are %3 "
                                      "(false alarms avoided) and %5 really are %2 (now missed).")
                                       .arg(count(flipped), quoted.arg(positive), quoted.arg(negative),
                                            count(reallyNegative), count(reallyPositive));
    else
        text += QLatin1Char(' ') + tr("Compared with 0.5, %1 rows flipped from %2 to %3: %4 of them really are %3 "
                                      "(found now) and %5 really are %2 (new false alarms).")
                                       .arg(count(flipped), quoted.arg(negative), quoted.arg(positive),
                                            count(reallyPositive), count(reallyNegative));
    text += QLatin1Char(' ') + tr("Precision %1 → %2, recall %3 → %4: ")
                                   .arg(rate(atHalf.precision), rate(now.precision), rate(atHalf.recall), rate(now.recall));
    text += raised ? tr("a stricter threshold trades recall for precision.")
                   : tr("a looser threshold trades precision for recall.");
    return text;
}

} // namespace stepwise::ui
