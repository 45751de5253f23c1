#pragma once

/// \file
/// What the command tells about a run: a short summary for people, a JSON report for programs.

#include <ostream>
#include <string>

#include "lle/methods/embed.hpp"

namespace lle::cli {

/// Where the points came from and their shape.
struct InputDescription {
    std::string source;  ///< file path, or a description of the generated data
    Index points = 0;
    Index dimension = 0;
};

/// A few lines for stderr: the problem, time per phase, the neighbour search (for an
/// approximate one its estimated recall and sample size), the weights solver (standard LLE; the
/// gradient solver's steps per point), the eigensolver's outcome, the error.
void write_summary(std::ostream& out, const InputDescription& input, const Parameters& parameters,
                   const Result& result);

/// The same and more as one JSON document: parameters, input shape, timings, the neighbour
/// search (algorithm, and for an approximate one recall and sample size), the weights
/// solver's steps, eigensolver status and counters, eigenvalues, reconstruction error.
void write_json_report(std::ostream& out, const InputDescription& input,
                       const Parameters& parameters, int threads, const Result& result);

}  // namespace lle::cli
