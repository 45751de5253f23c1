#include "lle/methods/standard.hpp"

#include "lle/embedding/eigensolver.hpp"

namespace lle::methods {

SparseRowMatrix residual_matrix(const SparseRowMatrix& weights) {
    SparseRowMatrix identity(weights.rows(), weights.cols());
    identity.setIdentity();
    return identity - weights;
}

SparseSymmetricMatrix standard_cost_matrix(const SparseRowMatrix& weights) {
    return embedding::detail::form_product(residual_matrix(weights), embedding::EigenOptions{});
}

}  // namespace lle::methods
