#pragma once

/// \file
/// Delimited text tables: CSV (comma) and TSV (tab), optionally gzip-compressed.

#include <filesystem>
#include <optional>
#include <vector>

#include "io/memory_file.hpp"
#include "lle/base/types.hpp"

namespace lle::io {

/// Which part of a table to read.
struct TableSelection {
    std::vector<Index> columns;         ///< columns to keep (from 0); empty keeps all others
    std::optional<Index> label_column;  ///< column set aside as labels, never a feature
    std::optional<Index> limit;         ///< read at most this many data rows
    /// Bytes the points may take (0: no limit): beyond, reading stops with lle::ResourceError
    /// (for binary formats before anything is allocated, for text as the rows arrive).
    double max_bytes = 0.0;
};

/// A table read from a file: numeric features of type `Scalar` (`double` or `float`) and,
/// when asked for, a label per row.
template <typename Scalar>
struct TableOf {
    PointMatrixOf<Scalar> points;  ///< `n x D`
    std::vector<double> labels;    ///< `n` values when a label column was selected, else empty
};

/// A table of double-precision features.
using Table = TableOf<double>;

/// Reads a CSV or TSV file (delimiter chosen by extension: `.tsv`/`.tab` tab, otherwise comma;
/// a trailing `.gz` is decompressed). Cells may be surrounded by spaces and enclosed in double
/// quotes; lines may end in CRLF. The first non-blank line is a header, and is skipped, when one
/// of the cells to be read is not a number. Blank lines are skipped. Only the selected columns
/// (and the label column) must be numeric. Every data error (empty file, ragged row, a cell that
/// is not a number, NaN or infinity, a selected column out of range) throws lle::DataError
/// naming the file, the line (from 1) and the column (from 0); an invalid selection (a negative
/// index, the label column among `columns`, `limit` < 1) throws lle::ParameterError.
///
/// `Scalar` is the features' type: `double` (the default) or `float`. Cells are parsed as
/// doubles and stored rounded to `Scalar` as they are read, so a `float` table never has a
/// double copy; a value beyond float's range is a DataError. Labels are always doubles.
template <typename Scalar = double>
TableOf<Scalar> read_delimited(const std::filesystem::path& path,
                               const TableSelection& selection = {});

/// The same for a file held in memory: `file.name`'s extension chooses the delimiter and names
/// the data in errors; gzip data is recognised by its signature, as in a file.
template <typename Scalar = double>
TableOf<Scalar> read_delimited(const MemoryFile& file, const TableSelection& selection = {});

/// Writes one row per point, values separated by commas, each in the shortest form that reads
/// back as the same double (at most 17 significant digits), lines ending in '\n', no header.
void write_csv(std::ostream& out, const DenseMatrix& values);

}  // namespace lle::io
