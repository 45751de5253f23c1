#include "cli/progress_display.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace lle::cli {
namespace {

/// A phase shorter than this shows no bar.
constexpr double bar_delay_seconds = 1.0;
constexpr int bar_width = 30;

/// Counts and rates as people read them: 950, 12.3k, 4.1M.
std::string compact(double value) {
    if (value >= 1e6) {
        return fmt::format("{:.1f}M", value / 1e6);
    }
    if (value >= 1e4) {
        return fmt::format("{:.1f}k", value / 1e3);
    }
    return fmt::format("{:.0f}", value);
}

std::string duration(double seconds) {
    if (seconds >= 3600.0) {
        return fmt::format("{}h{:02}m", static_cast<int>(seconds / 3600.0),
                           static_cast<int>(std::fmod(seconds, 3600.0) / 60.0));
    }
    if (seconds >= 60.0) {
        return fmt::format("{}m{:02}s", static_cast<int>(seconds / 60.0),
                           static_cast<int>(std::fmod(seconds, 60.0)));
    }
    return fmt::format("{:.0f}s", std::ceil(seconds));
}

}  // namespace

void ProgressDisplay::operator()(const Progress& progress) {
    if (progress.finished) {
        // "\r\033[K": back to the start of the line and erase it.
        fmt::print(out_, "{}lle: {} {:.3f} s\n", bar_shown_ ? "\r\033[K" : "", progress.phase,
                   progress.seconds);
        bar_shown_ = false;
        std::fflush(out_);
        return;
    }
    if (!terminal_ || progress.seconds < bar_delay_seconds) {
        return;
    }
    std::string line = fmt::format("lle: {} ", progress.phase);
    if (progress.total > 0) {
        const double fraction = std::clamp(
            static_cast<double>(progress.done) / static_cast<double>(progress.total), 0.0, 1.0);
        const int filled = static_cast<int>(fraction * bar_width);
        const double rate = static_cast<double>(progress.done) / progress.seconds;
        line +=
            fmt::format("[{}{}] {:3.0f}% {}/{} {}, {}/s", std::string(filled, '#'),
                        std::string(bar_width - filled, '.'), 100.0 * fraction,
                        compact(static_cast<double>(progress.done)),
                        compact(static_cast<double>(progress.total)), progress.unit, compact(rate));
        if (rate > 0.0) {
            line += fmt::format(
                ", {} left", duration(static_cast<double>(progress.total - progress.done) / rate));
        }
    } else {
        line += fmt::format("{} ...", progress.unit);
    }
    fmt::print(out_, "\r\033[K{}", line);
    bar_shown_ = true;
    std::fflush(out_);
}

}  // namespace lle::cli
