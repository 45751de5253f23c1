#include "io/diagnostics_csv.hpp"

#include <string>

#include "io/detail/support.hpp"
#include "lle/base/error.hpp"

namespace lle::io {

void write_diagnostics_csv(std::ostream& out, const weights::LocalFitDiagnostics& diagnostics,
                           const std::vector<double>& labels) {
    const Index n = diagnostics.size();
    const bool labelled = !labels.empty();
    require_parameter(!labelled || static_cast<Index>(labels.size()) == n, "labels",
                      "one per point (" + std::to_string(n) + ")", std::to_string(labels.size()));
    std::string text = labelled ? "row,residual,condition,regularised,kth_distance,label\n"
                                : "row,residual,condition,regularised,kth_distance\n";
    constexpr std::size_t flush_size = std::size_t{1} << 16;
    // std::to_chars writes an infinite condition number as "inf", which NumPy reads back.
    for (Index i = 0; i < n; ++i) {
        text += std::to_string(i);
        text += ',';
        detail::append_double(text, diagnostics.residual(i));
        text += ',';
        detail::append_double(text, diagnostics.condition(i));
        text += diagnostics.regularised(i) ? ",1," : ",0,";
        detail::append_double(text, diagnostics.kth_distance(i));
        if (labelled) {
            text += ',';
            detail::append_double(text, labels[static_cast<std::size_t>(i)]);
        }
        text += '\n';
        if (text.size() >= flush_size) {
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            text.clear();
        }
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace lle::io
