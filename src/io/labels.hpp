#pragma once

/// \file
/// Class labels kept apart from the points: one number per input row, e.g. the
/// `train-labels-idx1-ubyte.gz` file that comes with MNIST-style image files.

#include <filesystem>
#include <optional>
#include <vector>

#include "lle/base/types.hpp"

namespace lle::io {

/// Reads one label per row, by the file's extension (any case):
/// - IDX (`*-ubyte`, `*.idx`, optionally `.gz`) with one dimension, as MNIST's label files;
/// - NumPy `.npy`, a one-dimensional array (or one column) of integers or floats;
/// - text with one label per line (`.txt`, `.csv`, `.tsv`, `.tab`, optionally `.gz`); a first
///   line that is not a number is a header and is skipped.
///
/// Each format is read by its point reader (read_idx(), read_npy(), read_delimited()), so the
/// same errors apply and name the file. At most `limit` labels are read, as `--limit` reads
/// at most that many points. Labels are numbers: a text label that is not one is a DataError
/// naming its line. A file with more than one value per row (an image file given by mistake)
/// is a DataError naming the file and its column count; an unknown extension is a DataError
/// listing the supported ones.
std::vector<double> read_labels(const std::filesystem::path& path, std::optional<Index> limit = {});

}  // namespace lle::io
