#pragma once

/// \file
/// Matrix Market exchange format for sparse matrices.

#include <ostream>

#include "lle/base/types.hpp"

namespace lle::io {

/// Writes `matrix` as `%%MatrixMarket matrix coordinate real general`: the size line
/// `rows cols entries`, then one `i j value` line per stored entry, one-based indices, rows in
/// order, each value in the shortest form that reads back as the same double (at most 17
/// significant digits).
void write_matrix_market(std::ostream& out, const SparseRowMatrix& matrix);

}  // namespace lle::io
