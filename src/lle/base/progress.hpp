#pragma once

/// \file
/// How far a long phase has come, reported to a sink the caller gives (the library prints
/// nothing itself).

#include <atomic>
#include <functional>
#include <mutex>
#include <string_view>

#include "lle/base/timer.hpp"
#include "lle/base/types.hpp"

namespace lle {

/// One report on a phase of a run.
struct Progress {
    std::string_view phase;  ///< e.g. "neighbors", "weights", "cost matrix", "eigensolve"
    std::string_view unit;   ///< what `done` counts, e.g. "points"; empty at a phase's end
    Index done = 0;
    Index total = 0;        ///< 0 when the amount of work is not known in advance
    double seconds = 0.0;   ///< since the phase began
    bool finished = false;  ///< the phase is over and `seconds` is its time
};

/// Receives reports, never from two threads at once. An empty sink discards them.
using ProgressSink = std::function<void(const Progress&)>;

/// Counts one phase's units of work from any number of threads and reports to a sink about
/// every 1% of the total (and at most every 50 ms). Reports come from whichever thread crosses
/// the next mark and wins a try-lock; the others carry on without waiting. Loops over points
/// count through a Batch per thread, so that the shared counter is touched once per thousand
/// units, not once per unit.
class ProgressMeter {
  public:
    /// \param sink   may be empty: the meter then only counts. Must outlive the meter.
    /// \param total  units the phase will do as far as known now (see expect()).
    ProgressMeter(const ProgressSink& sink, std::string_view phase, std::string_view unit,
                  Index total = 0)
        : sink_(sink), phase_(phase), unit_(unit), total_(total) {}

    ProgressMeter(const ProgressMeter&) = delete;
    ProgressMeter& operator=(const ProgressMeter&) = delete;

    /// Adds `units` to the total: a stage of the phase announces its work as it begins. Not to
    /// be called concurrently with itself.
    void expect(Index units) {
        total_ += units;
        step_ = total_ / 100 + 1;
    }

    /// Adds `count` units done. Safe to call concurrently.
    void advance(Index count = 1) {
        const Index done = done_.fetch_add(count, std::memory_order_relaxed) + count;
        if (!sink_ || done < next_.load(std::memory_order_relaxed)) {
            return;
        }
        const std::unique_lock lock(report_, std::try_to_lock);
        if (!lock.owns_lock() || done < next_.load(std::memory_order_relaxed)) {
            return;
        }
        next_.store(done + step_, std::memory_order_relaxed);
        const double seconds = clock_.seconds();
        if (seconds - last_report_ >= 0.05) {
            last_report_ = seconds;
            sink_({phase_, unit_, std::min(done, total_), total_, seconds, false});
        }
    }

    Index done() const { return done_.load(std::memory_order_relaxed); }

    /// One thread's share of a loop: counts privately and passes the count on every
    /// `batch_size` units and at the end of its life. A null meter makes it count nothing.
    class Batch {
      public:
        explicit Batch(ProgressMeter* meter) : meter_(meter) {}
        ~Batch() { flush(); }
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;

        void advance() {
            if (meter_ != nullptr && ++pending_ == batch_size) {
                flush();
            }
        }

      private:
        static constexpr Index batch_size = 1024;
        void flush() {
            if (meter_ != nullptr && pending_ > 0) {
                meter_->advance(pending_);
                pending_ = 0;
            }
        }
        ProgressMeter* meter_;
        Index pending_ = 0;
    };

  private:
    const ProgressSink& sink_;
    std::string_view phase_;
    std::string_view unit_;
    Index total_;
    Index step_ = total_ / 100 + 1;
    std::atomic<Index> done_{0};
    std::atomic<Index> next_{0};
    std::mutex report_;
    Stopwatch clock_;
    double last_report_ = -1.0;
};

}  // namespace lle
