#include "cli/progress_display.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace lle::cli {
namespace {

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
    return seconds < 1.0 ? "<1s" : fmt::format("{:.0f}s", seconds);
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::FILE* out, bool terminal, double delay_seconds, int columns)
    : out_(out), terminal_(terminal), delay_seconds_(delay_seconds), columns_(columns) {
    if (terminal_) {
        redrawing_ = std::thread([this] { redraw_until_stopped(); });
    }
}

ProgressDisplay::~ProgressDisplay() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (redrawing_.joinable()) {
        redrawing_.join();
    }
    if (bar_shown_) {
        fmt::print(out_, "\r\033[K");
        std::fflush(out_);
    }
}

void ProgressDisplay::message(std::string_view line) {
    const std::lock_guard<std::mutex> lock(mutex_);
    fmt::print(out_, "{}{}\n", bar_shown_ ? "\r\033[K" : "", line);
    bar_shown_ = false;
    std::fflush(out_);
    draw();
}

void ProgressDisplay::operator()(const Progress& progress) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (progress.finished) {
        // "\r\033[K": back to the start of the line and erase it.
        fmt::print(out_, "{}lle: {} {:.3f} s\n", bar_shown_ ? "\r\033[K" : "", progress.phase,
                   progress.seconds);
        bar_shown_ = false;
        running_ = false;
        std::fflush(out_);
        return;
    }
    if (!terminal_) {
        return;
    }
    // A phase's first report says how long it has run; later ones are timed from there.
    if (!running_ || phase_ != progress.phase) {
        phase_start_ = Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(progress.seconds));
    }
    running_ = true;
    phase_ = progress.phase;
    unit_ = progress.unit;
    done_ = progress.done;
    total_ = progress.total;
    draw();
}

void ProgressDisplay::draw() {
    const double seconds = std::chrono::duration<double>(Clock::now() - phase_start_).count();
    if (!running_ || seconds < delay_seconds_) {
        return;
    }
    std::string line = fmt::format("lle: {} ", phase_);
    if (total_ > 0) {
        const double fraction =
            std::clamp(static_cast<double>(done_) / static_cast<double>(total_), 0.0, 1.0);
        const int filled = static_cast<int>(fraction * bar_width);
        const double rate = static_cast<double>(done_) / seconds;
        line += fmt::format("[{}{}] {:3.0f}% {}/{} {}, {}/s", std::string(filled, '#'),
                            std::string(bar_width - filled, '.'), 100.0 * fraction,
                            compact(static_cast<double>(done_)),
                            compact(static_cast<double>(total_)), unit_, compact(rate));
        if (rate > 0.0) {
            line += fmt::format(", {} left", duration(static_cast<double>(total_ - done_) / rate));
        }
    } else {
        line += fmt::format("{} ... {}", unit_, duration(seconds));
    }
    // The last column left free: a line that fills it wraps on some terminals.
    if (columns_ > 1 && static_cast<int>(line.size()) > columns_ - 1) {
        line.resize(static_cast<std::size_t>(columns_ - 1));
    }
    fmt::print(out_, "\r\033[K{}", line);
    bar_shown_ = true;
    std::fflush(out_);
}

void ProgressDisplay::redraw_until_stopped() {
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(delay_seconds_ / 4.0));
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
        draw();
    }
}

}  // namespace lle::cli
