#include "lle/methods/modified.hpp"

#include "lle/base/error.hpp"

namespace lle::methods {

SparseSymmetricMatrix modified_cost_matrix(PointsView, const IndexMatrix&, Index, double, double) {
    throw Error("the modified method is not available in this build");
}

}  // namespace lle::methods
