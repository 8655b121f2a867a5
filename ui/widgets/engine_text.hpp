#pragma once
/// \file
/// \brief Text from the Qt-free engine, shown through the translation catalogue.

#include <QString>

#include <string>

namespace stepwise::ui {

/// \brief `text` as written by the engine (names and help of steps, models and metrics;
/// its findings), looked up in the translation catalogue under the context
/// "stepwise::engine" like any tr() text. The engine stays English and Qt-free; a
/// translation supplies its fixed texts (names, help) like the interface's own.
QString engineText(const std::string& text);

} // namespace stepwise::ui
