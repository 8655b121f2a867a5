#pragma once
/// \file
/// \brief The Learn panel's text for each step, in fixed sections.

#include <QString>
#include <QStringList>

#include "teaching/step.hpp"

namespace stepwise::ui::teaching {

/// \brief What the Learn panel of one step says. Short, and about the controls on that
/// page (it names them by their labels).
struct LearnContent {
    QString purpose;         ///< "What this step is for": one or two sentences
    QStringList activities;  ///< "Key activities"
    QStringList pitfalls;    ///< "Common pitfalls"
    QStringList tips;        ///< "Tips"
    QString timeShare;       ///< "Typical share of project time", with the caveat that it varies
};

/// \brief The five section titles, in panel order, translated.
QStringList learnSectionTitles();
/// \brief The text of `step`, translated.
LearnContent learnContent(Step step);
/// \brief The panel as simple HTML: a heading, the five sections, a "Check yourself"
/// link (`quiz:<step id>`) to `questionCount` questions when there are any.
QString renderLearnHtml(Step step, const LearnContent& content, int questionCount);

} // namespace stepwise::ui::teaching
