#pragma once

/// \file
/// The model file: a fitted embedding saved for `lle transform`.
///
/// Layout, all numbers little-endian, no padding:
///
///     offset  size    field
///     0       8       magic "LLEMODEL"
///     8       4       format version, uint32 (this is version 1)
///     12      4       method, uint32: 0 standard, 1 modified, 2 hessian, 3 ltsa
///     16      8       n, training points, uint64
///     24      8       D, input dimension, uint64
///     32      8       d, embedding dimension, uint64
///     40      8       k, neighbours, uint64
///     48      8       reg, float64
///     56      8       hessian_tol, float64
///     64      8       modified_tol, float64
///     72      8 n D   training points, float64, row by row
///     ...     8 n d   embedding, float64, row by row
///
/// The file ends there; its size must be exactly `72 + 8 n (D + d)` bytes.

#include <filesystem>
#include <ostream>

#include "io/memory_file.hpp"
#include "lle/methods/model.hpp"

namespace lle::io {

/// Writes `model` in the layout above.
void write_model(std::ostream& out, const Model& model);

/// Reads a model file, checking the magic, version, method, sizes (against the file's length,
/// before allocating) and that every number is finite. Errors throw lle::DataError naming the
/// file and what is wrong (not a model file, truncated, unsupported version, ...).
Model read_model(const std::filesystem::path& path);

/// The same for a model file held in memory; `file.name` names it in errors.
Model read_model(const MemoryFile& file);

}  // namespace lle::io
