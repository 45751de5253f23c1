#pragma once

/// \file
/// What the command tells about a run: a short summary for people, a JSON report for programs.

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "lle/base/progress.hpp"
#include "lle/methods/embed.hpp"
#include "lle/quality/trustworthiness.hpp"

namespace lle::cli {

/// Where the points came from, their shape and their precision in memory.
struct InputDescription {
    std::string source;  ///< file path, or a description of the generated data
    Index points = 0;
    Index dimension = 0;
    std::string dtype = "float64";  ///< "float64" or "float32": how the points were held
};

/// One phase of a run as it ended: its time and the process's peak resident size by then.
struct PhaseRecord {
    std::string name;
    double seconds = 0.0;
    double peak_resident_bytes = 0.0;
};

/// A ProgressSink that notes each phase's end (its time, and the peak resident size sampled
/// then) and passes every report on to `next` (which may be empty). The peaks never decrease:
/// each is the peak of the whole process so far.
class PhaseRecorder {
  public:
    explicit PhaseRecorder(ProgressSink next = {}) : next_(std::move(next)) {}

    void operator()(const Progress& progress);

    const std::vector<PhaseRecord>& phases() const { return phases_; }

  private:
    ProgressSink next_;
    std::vector<PhaseRecord> phases_;
};

/// The machine's side of a run: threads, the memory limit it was held to, its peak use.
struct Resources {
    int threads = 0;
    double memory_limit_bytes = 0.0;  ///< 0 when unchecked
    double peak_resident_bytes = 0.0;
    /// The phases as they ended, each with the peak resident size sampled then (empty when
    /// nobody recorded them: the report then gives Result::timings without peaks).
    std::vector<PhaseRecord> phases;
};

/// A few lines for stderr: the problem, time per phase, the neighbour search (for an
/// approximate one its estimated recall and sample size), the weights solver (standard LLE; the
/// gradient solver's steps per point), the eigensolver's outcome (with the factor the sparse
/// solver ran on), the error, peak memory, and
/// when they were computed, a line on the diagnostics and one on the quality measures.
void write_summary(std::ostream& out, const InputDescription& input, const Parameters& parameters,
                   const Resources& resources, const Result& result,
                   const std::optional<quality::Quality>& quality = std::nullopt);

/// The same and more as one JSON document: version, parameters, input shape, timings, each
/// phase's time and peak resident size, the neighbour search (algorithm, and for an
/// approximate one recall and sample size), duplicates and components, the weights solver's
/// steps, eigensolver status and counters (and the factorisation that served), eigenvalues,
/// reconstruction error, memory, a summary of the per-point diagnostics (null without them) and the
/// quality measures (null unless given).
void write_json_report(std::ostream& out, const InputDescription& input,
                       const Parameters& parameters, const Resources& resources,
                       const Result& result,
                       const std::optional<quality::Quality>& quality = std::nullopt);

}  // namespace lle::cli
