#pragma once

/// \file
/// Wall-clock timing of pipeline phases.

#include <chrono>
#include <string>
#include <vector>

namespace lle {

/// Measures wall-clock time from construction (or the last restart) on a monotonic clock.
class Stopwatch {
  public:
    Stopwatch() : start_(Clock::now()) {}

    void restart() { start_ = Clock::now(); }

    /// Seconds since construction or the last restart.
    double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point start_;
};

/// Wall time of one named phase of a run.
struct PhaseTime {
    std::string name;
    double seconds = 0.0;
};

using PhaseTimes = std::vector<PhaseTime>;

}  // namespace lle
