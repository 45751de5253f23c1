#pragma once

/// \file
/// Shows a run's progress on stderr: a live bar on a terminal, one line per phase otherwise.

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "lle/base/progress.hpp"

namespace lle::cli {

/// A ProgressSink for people.
///
/// When `terminal` is true, a phase still running after `delay_seconds` gets a line redrawn in
/// place: a bar with the fraction done, the rate and the time left for phases that know their
/// total, the step under way and the time so far for those that do not. A thread of the
/// display's own redraws it about every `delay_seconds / 4`, so that a step that reports
/// nothing while it runs (a sparse factorisation, say) still shows its time. Every phase that
/// ends, on a terminal or not, leaves one line with its time; a display destroyed with its
/// line shown (an error ended the run) erases it. Give the library a sink that refers to one
/// display (it is neither copyable nor movable).
class ProgressDisplay {
  public:
    /// `columns`: the terminal's width, which a redrawn line must stay within (a line that wraps
    /// cannot be erased in place); 0 when unknown.
    ProgressDisplay(std::FILE* out, bool terminal, double delay_seconds = 1.0, int columns = 0);
    ~ProgressDisplay();
    ProgressDisplay(const ProgressDisplay&) = delete;
    ProgressDisplay& operator=(const ProgressDisplay&) = delete;

    void operator()(const Progress& progress);

    /// Writes `line` and a newline on a line of its own, under the bar if one is shown (which
    /// is drawn again below it).
    void message(std::string_view line);

  private:
    using Clock = std::chrono::steady_clock;

    /// Draws the running phase's line, if it has run long enough. `mutex_` is held.
    void draw();
    void redraw_until_stopped();

    std::FILE* out_;
    bool terminal_;
    double delay_seconds_;
    int columns_;
    bool bar_shown_ = false;

    // The running phase as last reported (`running_`), and when it began.
    bool running_ = false;
    std::string phase_;
    std::string unit_;
    Index done_ = 0;
    Index total_ = 0;
    Clock::time_point phase_start_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread redrawing_;
};

}  // namespace lle::cli
