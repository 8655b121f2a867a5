#include "widgets/engine_text.hpp"

#include <QCoreApplication>

namespace stepwise::ui {

QString engineText(const std::string& text)
{
    if (text.empty())
        return {};
    return QCoreApplication::translate("stepwise::engine", text.c_str());
}

} // namespace stepwise::ui
