#pragma once

/// \file
/// Matrix Market exchange format for sparse matrices.

#include <ostream>

#include "lle/base/types.hpp"

namespace lle::io {

/// Writes `matrix` as `%%MatrixMarket matrix coordinate real general`, one-based indices,
/// values at full double precision (17 significant digits), rows in order.
void write_matrix_market(std::ostream& out, const SparseRowMatrix& matrix);

}  // namespace lle::io
