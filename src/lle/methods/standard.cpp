#include "lle/methods/standard.hpp"

namespace lle::methods {

SparseSymmetricMatrix standard_cost_matrix(const SparseRowMatrix& weights) {
    const Index n = weights.rows();
    SparseSymmetricMatrix identity(n, n);
    identity.setIdentity();

    // M = (I - W)^T (I - W)
    const SparseSymmetricMatrix residual = identity - SparseSymmetricMatrix(weights);
    SparseSymmetricMatrix cost = SparseSymmetricMatrix(residual.transpose()) * residual;
    cost.makeCompressed();
    return cost;
}

}  // namespace lle::methods
