#pragma once

/// \file
/// IDX files as used by MNIST and Fashion-MNIST, plain or gzip-compressed.

#include <filesystem>
#include <optional>

#include "io/memory_file.hpp"
#include "lle/base/types.hpp"

namespace lle::io {

/// Reads an IDX file (magic `0 0 type ndim`, big-endian dimensions, then the data; any of the
/// standard element types). The first dimension is the point count and the remaining ones are
/// flattened into features, so 60000 images of 28 x 28 become `60000 x 784`. A `.gz` file is
/// decompressed while reading. At most `limit` points are read, and only their bytes. Memory
/// for the points is allocated at once only when the file's size vouches for the header;
/// otherwise (gzip, a pipe) it grows with the data actually read. Errors
/// (bad magic, truncated data, shape overflow, NaN or infinity in float data) throw
/// lle::DataError naming the file.
///
/// `Scalar` is the points' type: `double` (the default) or `float`. Elements are converted
/// straight into it, so a `float` matrix (half the memory; exact for 8- and 16-bit integers and
/// float data) never has a double copy. A value beyond float's range is a DataError.
template <typename Scalar = double>
PointMatrixOf<Scalar> read_idx(const std::filesystem::path& path, std::optional<Index> limit = {},
                               double max_bytes = 0.0);

/// The same for a file held in memory (gzip data is recognised by its signature); `file.name`
/// names it in errors.
template <typename Scalar = double>
PointMatrixOf<Scalar> read_idx(const MemoryFile& file, std::optional<Index> limit = {});

}  // namespace lle::io
