#include "lle/methods/ltsa.hpp"

#include "lle/base/error.hpp"

namespace lle::methods {

SparseSymmetricMatrix ltsa_cost_matrix(PointsView, const IndexMatrix&, Index) {
    throw Error("the ltsa method is not available in this build");
}

}  // namespace lle::methods
