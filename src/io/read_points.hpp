#pragma once

/// \file
/// Reads a point set from any supported format, chosen by the file's extension.

#include <filesystem>

#include "io/csv.hpp"

namespace lle::io {

/// Reads points from `.csv`, `.tsv`, `.tab` (each optionally `.gz`), `.npy`, or IDX files
/// (`*-ubyte`, `.idx`, `*.idx3-ubyte`, ... optionally `.gz`). Column selection and the label
/// column apply to delimited text only (lle::ParameterError for other formats); `limit`
/// applies to all. An unknown extension throws lle::DataError listing the supported ones.
///
/// `Scalar` is the points' type: `double` (the default) or `float`. Every reader converts
/// straight into it, so single-precision points (half the memory) are never also held in
/// double; values beyond float's range are a DataError.
template <typename Scalar = double>
TableOf<Scalar> read_points(const std::filesystem::path& path,
                            const TableSelection& selection = {});

}  // namespace lle::io
