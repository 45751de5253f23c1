#include "io/read_points.hpp"

#include <string>

#include "io/detail/support.hpp"
#include "io/idx.hpp"
#include "io/npy.hpp"
#include "lle/base/error.hpp"

namespace lle::io {
namespace {

enum class Format { delimited, npy, idx };

/// The format named by the file's extension, ignoring case; a trailing `.gz` is looked through
/// for text and IDX files.
Format format_of(const std::filesystem::path& path) {
    using detail::ends_with;
    const std::string name = detail::lowercase_filename(path);
    if (ends_with(name, ".npy")) {
        return Format::npy;
    }
    const std::string base = ends_with(name, ".gz") ? name.substr(0, name.size() - 3) : name;
    if (ends_with(base, ".csv") || ends_with(base, ".tsv") || ends_with(base, ".tab")) {
        return Format::delimited;
    }
    // MNIST-style names: train-images-idx3-ubyte, t10k-labels.idx1-ubyte, digits.idx.
    if (ends_with(base, "-ubyte") || ends_with(base, ".idx")) {
        return Format::idx;
    }
    detail::fail(path,
                 "unknown file type (supported: .csv, .tsv, .tab, each optionally .gz; "
                 ".npy; IDX files named *-ubyte or *.idx, optionally .gz)");
}

}  // namespace

template <typename Scalar>
TableOf<Scalar> read_points(const std::filesystem::path& path, const TableSelection& selection) {
    const Format format = format_of(path);
    if (format == Format::delimited) {
        return read_delimited<Scalar>(path, selection);
    }
    const std::string what = format == Format::npy ? ".npy" : "IDX";
    if (!selection.columns.empty()) {
        throw ParameterError("columns apply to delimited text only (.csv, .tsv, .tab), not to " +
                             what + " file " + detail::shown(path));
    }
    if (selection.label_column) {
        throw ParameterError(
            "label_column applies to delimited text only (.csv, .tsv, .tab), "
            "not to " +
            what + " file " + detail::shown(path));
    }
    TableOf<Scalar> table;
    table.points = format == Format::npy
                       ? read_npy<Scalar>(path, selection.limit, selection.max_bytes)
                       : read_idx<Scalar>(path, selection.limit, selection.max_bytes);
    return table;
}

template TableOf<double> read_points<double>(const std::filesystem::path&, const TableSelection&);
template TableOf<float> read_points<float>(const std::filesystem::path&, const TableSelection&);

}  // namespace lle::io
