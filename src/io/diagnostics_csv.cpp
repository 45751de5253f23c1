#include "io/diagnostics_csv.hpp"

#include <string>

#include "io/csv.hpp"
#include "lle/base/error.hpp"

namespace lle::io {

void write_diagnostics_csv(std::ostream& out, const weights::LocalFitDiagnostics& diagnostics,
                           const std::vector<double>& labels) {
    const Index n = diagnostics.size();
    const bool labelled = !labels.empty();
    require_parameter(!labelled || static_cast<Index>(labels.size()) == n, "labels",
                      "one per point (" + std::to_string(n) + ")", std::to_string(labels.size()));
    out << (labelled ? "row,residual,condition,regularised,kth_distance,label\n"
                     : "row,residual,condition,regularised,kth_distance\n");

    // Every column as doubles, written by write_csv(): row numbers and flags print as integers
    // (exact up to 2^53), and an infinite condition number as "inf", which NumPy reads back.
    DenseMatrix table(n, labelled ? 6 : 5);
    table.col(0) = Eigen::VectorXd::LinSpaced(n, 0.0, static_cast<double>(n - 1));
    table.col(1) = diagnostics.residual;
    table.col(2) = diagnostics.condition;
    table.col(3) = diagnostics.regularised.cast<double>();
    table.col(4) = diagnostics.kth_distance;
    if (labelled) {
        table.col(5) = Eigen::Map<const Eigen::VectorXd>(labels.data(), n);
    }
    write_csv(out, table);
}

}  // namespace lle::io
