#include "io/csv.hpp"

#include <fmt/format.h>
#include <locale.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "io/detail/input.hpp"
#include "io/detail/support.hpp"
#include "lle/base/error.hpp"

namespace lle::io {
namespace {

using detail::fail;

/// Outcome of reading one cell as a number.
enum class CellStatus { number, empty, not_a_number, nan, infinite, out_of_range };

/// A decimal that from_chars rejects as out of range is either too large for a double
/// (overflow) or so small that it rounds to zero or a subnormal (underflow, which is accepted).
/// strtod_l with the "C" locale tells them apart; this path is taken only for such values.
bool parse_out_of_range(std::string_view text, double& value) {
    static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(0));
    const std::string copy(text);
    value = strtod_l(copy.c_str(), nullptr, c_locale);
    return std::isfinite(value);
}

/// Reads a whole cell as a double. A leading '+' is accepted, as is any spelling from_chars
/// knows (".5", "1e-3"); NaN and infinities are recognised so that they can be reported.
CellStatus parse_number(std::string_view text, double& value) {
    if (text.empty()) {
        return CellStatus::empty;
    }
    std::string_view digits = text;
    if (digits.size() > 1 && digits.front() == '+' && digits[1] != '-' && digits[1] != '+') {
        digits.remove_prefix(1);
    }
    const char* end = digits.data() + digits.size();
    const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
    if (ptr != end || ec == std::errc::invalid_argument) {
        return CellStatus::not_a_number;
    }
    if (ec == std::errc::result_out_of_range) {
        return parse_out_of_range(digits, value) ? CellStatus::number : CellStatus::out_of_range;
    }
    if (std::isnan(value)) {
        return CellStatus::nan;
    }
    if (std::isinf(value)) {
        return CellStatus::infinite;
    }
    return CellStatus::number;
}

bool is_blank(char c, char delimiter) {
    return c == ' ' || (c == '\t' && delimiter != '\t');
}

/// Splits one line (line end removed) into cells. Spaces around a cell are dropped. A cell may
/// be enclosed in double quotes, inside which the delimiter is literal and `""` stands for one
/// quote; the quotes are removed (a doubled quote is kept as two characters, which is enough
/// since such a cell is never a number).
void split_cells(std::string_view line, char delimiter, std::vector<std::string_view>& cells) {
    cells.clear();
    std::size_t pos = 0;
    const std::size_t size = line.size();
    while (true) {
        while (pos < size && is_blank(line[pos], delimiter)) {
            ++pos;
        }
        const std::size_t start = pos;
        std::string_view cell;
        bool parsed_quoted = false;
        if (pos < size && line[pos] == '"') {
            std::size_t close = pos + 1;
            while (close < size) {
                if (line[close] == '"') {
                    if (close + 1 < size && line[close + 1] == '"') {
                        close += 2;
                        continue;
                    }
                    break;
                }
                ++close;
            }
            std::size_t after = close + 1;
            while (after < size && is_blank(line[after], delimiter)) {
                ++after;
            }
            if (close < size && (after == size || line[after] == delimiter)) {
                cell = line.substr(pos + 1, close - pos - 1);
                pos = after;
                parsed_quoted = true;
            }
            // Otherwise (unterminated quote, text after the closing quote) the cell is taken
            // verbatim below, and will be reported as not a number.
        }
        if (!parsed_quoted) {
            const void* found = std::memchr(line.data() + start, delimiter, size - start);
            const std::size_t stop =
                found != nullptr
                    ? static_cast<std::size_t>(static_cast<const char*>(found) - line.data())
                    : size;
            std::size_t last = stop;
            while (last > start && is_blank(line[last - 1], delimiter)) {
                --last;
            }
            cell = line.substr(start, last - start);
            pos = stop;
        }
        cells.push_back(cell);
        if (pos >= size) {
            break;
        }
        ++pos;  // skip the delimiter
    }
}

/// A cell's text for an error message, in double quotes (see detail::escaped).
std::string quote_cell(std::string_view cell) {
    return fmt::format("\"{}\"", detail::escaped(cell));
}

/// Turns a delimited file into rows of numbers one line at a time; features are stored as
/// `Scalar`.
template <typename Scalar>
class TableBuilder {
  public:
    TableBuilder(const std::filesystem::path& path, char delimiter, const TableSelection& selection)
        : path_(path), delimiter_(delimiter), selection_(selection) {}

    /// Consumes one line without its '\n'. Returns false once `limit` rows have been read.
    bool add_line(std::string_view line) {
        ++line_number_;
        if (line_number_ == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") {
            line.remove_prefix(3);  // UTF-8 byte order mark, as some spreadsheets write it
        }
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; })) {
            return true;
        }
        split_cells(line, delimiter_, cells_);
        if (!column_count_) {
            start_table();
            if (is_header()) {
                return true;
            }
        }
        if (static_cast<Index>(cells_.size()) != *column_count_) {
            fail_at_line(
                fmt::format("expected {} columns, found {}", *column_count_, cells_.size()));
        }
        for (const Index column : features_) {
            Scalar value{};
            if (!detail::store_as(cell_value(column, false), value)) {
                fail_at_cell(column,
                             fmt::format("{} is outside the range of {}",
                                         quote_cell(cells_[static_cast<std::size_t>(column)]),
                                         detail::precision_name<Scalar>()));
            }
            values_.push_back(value);
        }
        if (selection_.label_column) {
            labels_.push_back(cell_value(*selection_.label_column, true));
        }
        ++rows_;
        detail::require_points_fit(path_, static_cast<double>(rows_),
                                   static_cast<double>(features_.size()), sizeof(Scalar),
                                   selection_.max_bytes, true);
        return !selection_.limit || rows_ < *selection_.limit;
    }

    TableOf<Scalar> finish() {
        if (rows_ == 0) {
            fail(path_, "no data rows");
        }
        TableOf<Scalar> table;
        const auto feature_count = static_cast<Index>(features_.size());
        table.points =
            Eigen::Map<const PointMatrixOf<Scalar>>(values_.data(), rows_, feature_count);
        table.labels = std::move(labels_);
        return table;
    }

  private:
    /// On the first non-blank line: fixes the column count and checks the selection against it.
    void start_table() {
        const auto count = static_cast<Index>(cells_.size());
        column_count_ = count;
        const auto check = [&](Index column, std::string_view what) {
            if (column >= count) {
                fail(path_, fmt::format("{} {} is out of range (the file has {} columns)", what,
                                        column, count));
            }
        };
        for (const Index column : selection_.columns) {
            check(column, "column");
        }
        if (selection_.label_column) {
            check(*selection_.label_column, "label column");
        }
        if (!selection_.columns.empty()) {
            features_ = selection_.columns;
        } else {
            for (Index column = 0; column < count; ++column) {
                if (column != selection_.label_column) {
                    features_.push_back(column);
                }
            }
        }
        if (features_.empty()) {
            fail(path_,
                 fmt::format("no feature columns (the file has {} column, the label)", count));
        }
    }

    /// The first line is a header when no cell that would be read is a number: a first data
    /// line with one mistyped cell is then reported, not silently dropped. NaN and infinity
    /// count as numbers here, so that they are reported on a first data line.
    bool is_header() const {
        double value = 0.0;
        const auto is_text = [&](Index column) {
            const auto status = parse_number(cells_[static_cast<std::size_t>(column)], value);
            return status == CellStatus::empty || status == CellStatus::not_a_number;
        };
        return std::all_of(features_.begin(), features_.end(), is_text) &&
               (!selection_.label_column || is_text(*selection_.label_column));
    }

    double cell_value(Index column, bool is_label) const {
        const std::string_view cell = cells_[static_cast<std::size_t>(column)];
        double value = 0.0;
        const char* note = is_label ? " (labels must be numeric)" : "";
        switch (parse_number(cell, value)) {
            case CellStatus::number:
                return value;
            case CellStatus::empty:
                fail_at_cell(column, fmt::format("empty cell, expected a number{}", note));
            case CellStatus::not_a_number:
                fail_at_cell(column, fmt::format("{} is not a number{}", quote_cell(cell), note));
            case CellStatus::nan:
                fail_at_cell(column, "NaN is not allowed");
            case CellStatus::infinite:
                fail_at_cell(column, "infinity is not allowed");
            case CellStatus::out_of_range:
                fail_at_cell(column,
                             fmt::format("{} is outside the range of a double", quote_cell(cell)));
        }
        return value;
    }

    [[noreturn]] void fail_at_line(std::string_view message) const {
        fail(path_, fmt::format("line {}: {}", line_number_, message));
    }

    [[noreturn]] void fail_at_cell(Index column, std::string_view message) const {
        fail(path_, fmt::format("line {}, column {}: {}", line_number_, column, message));
    }

    const std::filesystem::path& path_;
    char delimiter_;
    const TableSelection& selection_;

    std::vector<std::string_view> cells_;  // cells of the current line, reused
    std::optional<Index> column_count_;    // set by the first non-blank line
    std::vector<Index> features_;          // file columns read as features, in output order
    Index line_number_ = 0;
    Index rows_ = 0;
    std::vector<Scalar> values_;  // row-major, features_.size() per row
    std::vector<double> labels_;
};

void check_selection(const TableSelection& selection) {
    for (auto column = selection.columns.begin(); column != selection.columns.end(); ++column) {
        require_parameter(*column >= 0, "columns", ">= 0", std::to_string(*column));
        // The same column twice would give two identical coordinates: a mistake, not a wish.
        require_parameter(std::find(selection.columns.begin(), column, *column) == column,
                          "columns", "each column listed once",
                          "column " + std::to_string(*column) + " twice");
    }
    if (selection.label_column) {
        const Index label = *selection.label_column;
        require_parameter(label >= 0, "label_column", ">= 0", std::to_string(label));
        const auto& columns = selection.columns;
        if (std::find(columns.begin(), columns.end(), label) != columns.end()) {
            throw ParameterError(fmt::format(
                "label_column {} is also listed in columns: a label is never a feature", label));
        }
    }
    if (selection.limit) {
        require_parameter(*selection.limit >= 1, "limit", ">= 1", std::to_string(*selection.limit));
    }
}

char delimiter_for(const std::filesystem::path& path) {
    std::string name = detail::lowercase_filename(path);
    if (detail::ends_with(name, ".gz")) {
        name.resize(name.size() - 3);
    }
    return detail::ends_with(name, ".tsv") || detail::ends_with(name, ".tab") ? '\t' : ',';
}

/// Parses a delimited table from `input`, after check_selection: the one parser behind both
/// entry points.
template <typename Scalar>
TableOf<Scalar> parse_delimited(detail::Input& input, const TableSelection& selection) {
    const std::filesystem::path& path = input.name();
    TableBuilder<Scalar> builder(path, delimiter_for(path), selection);

    // Read large chunks and hand complete lines to the builder; a partial last line moves to
    // the front of the buffer. The buffer holds 1 MiB, or the whole stored file when that is
    // smaller, and grows only for a line longer than itself.
    constexpr std::uint64_t chunk = std::uint64_t{1} << 20;
    const std::uint64_t stored = input.stored_size().value_or(chunk);
    std::vector<char> buffer(
        static_cast<std::size_t>(std::clamp<std::uint64_t>(stored + 1, 4096, chunk)));
    std::size_t filled = 0;
    while (true) {
        if (filled == buffer.size()) {
            buffer.resize(buffer.size() * 2);
        }
        const std::size_t got = input.read(buffer.data() + filled, buffer.size() - filled);
        const bool at_end = filled + got < buffer.size();
        filled += got;

        std::size_t start = 0;
        while (start < filled) {
            const void* newline = std::memchr(buffer.data() + start, '\n', filled - start);
            if (newline == nullptr) {
                break;
            }
            const auto stop =
                static_cast<std::size_t>(static_cast<const char*>(newline) - buffer.data());
            if (!builder.add_line({buffer.data() + start, stop - start})) {
                return builder.finish();
            }
            start = stop + 1;
        }
        if (at_end) {
            if (start < filled) {
                builder.add_line({buffer.data() + start, filled - start});
            }
            return builder.finish();
        }
        std::memmove(buffer.data(), buffer.data() + start, filled - start);
        filled -= start;
    }
}

}  // namespace

template <typename Scalar>
TableOf<Scalar> read_delimited(const std::filesystem::path& path, const TableSelection& selection) {
    check_selection(selection);
    detail::Input input(path, detail::Compression::gzip);
    return parse_delimited<Scalar>(input, selection);
}

template <typename Scalar>
TableOf<Scalar> read_delimited(const MemoryFile& file, const TableSelection& selection) {
    check_selection(selection);
    detail::Input input(file, detail::Compression::gzip);
    return parse_delimited<Scalar>(input, selection);
}

template TableOf<double> read_delimited<double>(const std::filesystem::path&,
                                                const TableSelection&);
template TableOf<float> read_delimited<float>(const std::filesystem::path&, const TableSelection&);
template TableOf<double> read_delimited<double>(const MemoryFile&, const TableSelection&);
template TableOf<float> read_delimited<float>(const MemoryFile&, const TableSelection&);

void write_csv(std::ostream& out, const DenseMatrix& values) {
    std::string chunk;
    constexpr std::size_t flush_size = std::size_t{1} << 16;
    for (Index i = 0; i < values.rows(); ++i) {
        for (Index j = 0; j < values.cols(); ++j) {
            if (j > 0) {
                chunk += ',';
            }
            detail::append_double(chunk, values(i, j));
        }
        chunk += '\n';
        if (chunk.size() >= flush_size) {
            out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            chunk.clear();
        }
    }
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
}

}  // namespace lle::io
