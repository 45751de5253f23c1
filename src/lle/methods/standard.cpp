#include "lle/methods/standard.hpp"

#include "lle/methods/detail/gather_columns.hpp"

namespace lle::methods {

SparseSymmetricMatrix standard_cost_matrix(const SparseRowMatrix& weights,
                                           ProgressMeter* progress) {
    const Index n = weights.rows();
    SparseRowMatrix identity(n, n);
    identity.setIdentity();

    // R = I - W, kept by rows; R^T by rows lists, for each column j of R, the rows i that
    // touch it. The time goes into fetching the rows R_{i,:}, which lie far apart in memory
    // unless the points are stored in spatial order.
    const SparseRowMatrix residual = identity - weights;
    const SparseRowMatrix incidence = residual.transpose();

    // M_{:,j} = sum_{i : R_ij != 0} R_ij R_{i,:}^T
    return detail::gather_columns(
        n,
        [&](Index j, detail::ColumnTerms& terms) {
            for (SparseRowMatrix::InnerIterator i(incidence, j); i; ++i) {
                for (SparseRowMatrix::InnerIterator l(residual, i.col()); l; ++l) {
                    terms.emplace_back(static_cast<int>(l.col()), i.value() * l.value());
                }
            }
        },
        progress);
}

}  // namespace lle::methods
