#include "io/matrix_market.hpp"

#include <string>

#include "io/detail/support.hpp"

namespace lle::io {

void write_matrix_market(std::ostream& out, const SparseRowMatrix& matrix) {
    std::string text = "%%MatrixMarket matrix coordinate real general\n";
    text += std::to_string(matrix.rows()) + ' ' + std::to_string(matrix.cols()) + ' ' +
            std::to_string(matrix.nonZeros()) + '\n';
    constexpr std::size_t flush_size = std::size_t{1} << 16;
    // One entry per stored value, "i j value" with one-based indices.
    for (Index row = 0; row < matrix.outerSize(); ++row) {
        for (SparseRowMatrix::InnerIterator it(matrix, row); it; ++it) {
            text += std::to_string(it.row() + 1);
            text += ' ';
            text += std::to_string(it.col() + 1);
            text += ' ';
            detail::append_double(text, it.value());
            text += '\n';
        }
        if (text.size() >= flush_size) {
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            text.clear();
        }
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace lle::io
