#include "io/labels.hpp"

#include <fmt/format.h>

#include <string>

#include "io/csv.hpp"
#include "io/detail/support.hpp"
#include "io/idx.hpp"
#include "io/npy.hpp"

namespace lle::io {

std::vector<double> read_labels(const std::filesystem::path& path, std::optional<Index> limit) {
    using detail::ends_with;
    const std::string name = detail::lowercase_filename(path);
    const std::string base = ends_with(name, ".gz") ? name.substr(0, name.size() - 3) : name;
    PointMatrix values;
    if (ends_with(name, ".npy")) {
        values = read_npy(path, limit);
    } else if (ends_with(base, "-ubyte") || ends_with(base, ".idx")) {
        values = read_idx(path, limit);
    } else if (ends_with(base, ".txt") || ends_with(base, ".csv") || ends_with(base, ".tsv") ||
               ends_with(base, ".tab")) {
        TableSelection selection;
        selection.limit = limit;
        values = read_delimited(path, selection).points;
    } else {
        detail::fail(path,
                     "unknown label file type (supported: IDX files named *-ubyte or *.idx, "
                     "optionally .gz; .npy; text with one label per line: .txt, .csv, .tsv, "
                     ".tab, each optionally .gz)");
    }
    if (values.cols() != 1) {
        detail::fail(path, fmt::format("expected one label per row, found {} values per row",
                                       values.cols()));
    }
    return {values.data(), values.data() + values.rows()};
}

}  // namespace lle::io
