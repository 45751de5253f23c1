#pragma once

/// \file
/// The per-point diagnostics of a run as a CSV table.

#include <ostream>
#include <vector>

#include "lle/weights/diagnostics.hpp"

namespace lle::io {

/// Writes one line per point with the header `row,residual,condition,regularised,kth_distance`
/// (and `,label` when `labels` is not empty): the row number from 0, the residual, the
/// condition number (`inf` when singular), 1 or 0 for regularised, the k-th neighbour
/// distance, then the label. Numbers are in the shortest form that reads back as the same
/// double; lines end in '\n'.
///
/// \param labels  empty, or one per point (ParameterError otherwise).
void write_diagnostics_csv(std::ostream& out, const weights::LocalFitDiagnostics& diagnostics,
                           const std::vector<double>& labels = {});

}  // namespace lle::io
