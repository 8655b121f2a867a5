#include "widgets/score_text.hpp"

#include <QLocale>
#include <QObject>

#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/evaluation/success.hpp"

namespace stepwise::ui {

QString scoreText(double value) { return QLocale().toString(value, 'f', 3); }

QString meanStdText(double mean, double std)
{
    return QStringLiteral("%1 ± %2").arg(scoreText(mean), scoreText(std));
}

QString cvText(const std::string& strategy)
{
    try {
        const evaluation::CvSpec spec = evaluation::parseCvSpec(strategy);
        switch (spec.strategy) {
        case evaluation::CvStrategy::StratifiedKFold:
            return QObject::tr("%1-fold stratified").arg(spec.folds);
        case evaluation::CvStrategy::KFold:
            return QObject::tr("%1-fold").arg(spec.folds);
        case evaluation::CvStrategy::LeaveOneOut:
            return QObject::tr("leave-one-out");
        case evaluation::CvStrategy::TimeSeries:
            return spec.gap > 0 ? QObject::tr("%1-fold time series, gap %2").arg(spec.folds).arg(spec.gap)
                                : QObject::tr("%1-fold time series").arg(spec.folds);
        }
    } catch (const core::InvalidParameter&) {
        // Not a strategy this build knows how to read: show the engine's own words.
    }
    return QString::fromStdString(strategy);
}

QString metricDisplayName(core::TaskType task, const std::string& metric)
{
    for (const auto& info : evaluation::metricsFor(task))
        if (info.name == metric)
            return QString::fromStdString(info.displayName);
    return QString::fromStdString(metric);
}

} // namespace stepwise::ui
