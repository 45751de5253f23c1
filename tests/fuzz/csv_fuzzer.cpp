/// \file
/// Fuzz target of the CSV/TSV reader (io/csv.hpp): the input is a file's bytes, read as
/// comma-separated text (all columns, in double and single precision, and two columns
/// selected in reverse order) and as tab-separated text with a label column and a limit.
/// Besides "no crash, only DataError", it checks what the reader promises: finite values, a
/// label per row, at most `limit` rows, float32 cells equal to the float64 ones rounded, and a
/// column selection equal to the same columns of the whole table.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "io/csv.hpp"

namespace {

using lle::fuzz::check;
using lle::fuzz::outcome_of;

template <typename Scalar>
void check_table(const lle::io::TableOf<Scalar>& table) {
    check(table.points.rows() >= 1 && table.points.cols() >= 1, "a table has rows and columns");
    check(table.points.allFinite(), "every value is finite");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    const lle::io::MemoryFile csv{"fuzz.csv", bytes};
    const auto whole = outcome_of("fuzz.csv", [&] { return lle::io::read_delimited(csv); });
    if (whole.value) {
        const auto& points = whole.value->points;
        check_table(*whole.value);
        check(whole.value->labels.empty(), "no labels unless a label column is selected");

        const auto single =
            outcome_of("fuzz.csv", [&] { return lle::io::read_delimited<float>(csv); });
        check(single.value ? single.value->points == points.cast<float>()
                           : single.failed_with("is outside the range of float32"),
              "float32 cells are the float64 ones rounded, or out of float32's range");

        if (points.cols() >= 2) {
            lle::io::TableSelection reversed;
            reversed.columns = {1, 0};
            const auto selected =
                outcome_of("fuzz.csv", [&] { return lle::io::read_delimited(csv, reversed); });
            check(selected.value && selected.value->points.cols() == 2 &&
                      selected.value->points.col(0) == points.col(1) &&
                      selected.value->points.col(1) == points.col(0),
                  "selected columns are those columns of the whole table");
        }
    }

    const lle::io::MemoryFile tsv{"fuzz.tsv", bytes};
    lle::io::TableSelection labelled;
    labelled.label_column = 0;
    labelled.limit = 3;
    const auto table =
        outcome_of("fuzz.tsv", [&] { return lle::io::read_delimited(tsv, labelled); });
    if (table.value) {
        check_table(*table.value);
        const auto rows = static_cast<std::size_t>(table.value->points.rows());
        check(rows <= 3, "no more rows than the limit");
        check(table.value->labels.size() == rows, "one label per row");
        for (const double label : table.value->labels) {
            check(std::isfinite(label), "labels are finite");
        }
    }
    return 0;
}
