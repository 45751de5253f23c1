#include "lle/methods/hessian.hpp"

#include "lle/base/error.hpp"

namespace lle::methods {

SparseSymmetricMatrix hessian_cost_matrix(PointsView, const IndexMatrix&, Index, double) {
    throw Error("the hessian method is not available in this build");
}

}  // namespace lle::methods
