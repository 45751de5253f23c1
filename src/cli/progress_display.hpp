#pragma once

/// \file
/// Shows a run's progress on stderr: a live bar on a terminal, one line per phase otherwise.

#include <cstdio>

#include "lle/base/progress.hpp"

namespace lle::cli {

/// A ProgressSink for people.
///
/// When `terminal` is true, a phase still running after about a second gets a bar redrawn in
/// place, with the fraction done, the rate and the time left (for phases that know their
/// total; the step under way for those that do not). Every phase that ends, on a terminal or
/// not, leaves one line with its time. Copies do not share the bar's state: give the library a
/// sink that refers to one display.
class ProgressDisplay {
  public:
    ProgressDisplay(std::FILE* out, bool terminal) : out_(out), terminal_(terminal) {}

    void operator()(const Progress& progress);

  private:
    std::FILE* out_;
    bool terminal_;
    bool bar_shown_ = false;
};

}  // namespace lle::cli
