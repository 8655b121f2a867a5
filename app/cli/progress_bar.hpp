#pragma once
// A one-line progress bar on stderr for long CLI work (only when stderr is a terminal).

#include <chrono>
#include <mutex>
#include <string>

#include "stepwise/core/task_control.hpp"

namespace stepwise::cli {

/// Draws "[#####.....]  45%  tree 45 of 100" on stderr, at most ten times a second.
class ProgressBar : public core::TaskObserver {
public:
    /// Draws only if `enabled` (the caller decides: a terminal and not --quiet).
    explicit ProgressBar(bool enabled);
    ~ProgressBar() override;

    void onProgress(double fraction, const std::string& stage) override;
    /// Clears the line so the next output starts clean.
    void finish();

private:
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_lastDraw{};
};

/// True if stderr is an interactive terminal.
bool stderrIsTerminal();

} // namespace stepwise::cli
