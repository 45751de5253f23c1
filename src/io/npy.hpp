#pragma once

/// \file
/// NumPy `.npy` arrays (format versions 1.0, 2.0 and 3.0).

#include <filesystem>
#include <optional>
#include <ostream>

#include "io/memory_file.hpp"
#include "lle/base/types.hpp"

namespace lle::io {

/// Reads a one- or two-dimensional array as `n x D` doubles (a one-dimensional array of length n
/// becomes `n x 1`): float32 or float64, or signed or unsigned integers of 1 to 8 bytes (image
/// data), little or big endian, C or Fortran order. At most `limit` rows are kept. The header is
/// validated before anything large is allocated: the declared shape must match the file's size.
/// Errors (malformed header, unsupported dtype or shape, size mismatch, NaN or infinity) throw
/// lle::DataError naming the file.
///
/// `Scalar` is the points' type: `double` (the default) or `float`. Elements are converted
/// straight into it, a chunk at a time, so a float32 file read as `float` is copied once,
/// exactly, with no double copy. A value beyond float's range is a DataError.
template <typename Scalar = double>
PointMatrixOf<Scalar> read_npy(const std::filesystem::path& path, std::optional<Index> limit = {},
                               double max_bytes = 0.0);

/// The same for a file held in memory; `file.name` names it in errors.
template <typename Scalar = double>
PointMatrixOf<Scalar> read_npy(const MemoryFile& file, std::optional<Index> limit = {});

/// Writes `values` as a C-order little-endian float64 `.npy` array (version 1.0).
void write_npy(std::ostream& out, const DenseMatrix& values);

}  // namespace lle::io
