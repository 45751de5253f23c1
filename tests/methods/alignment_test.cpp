#include "lle/methods/alignment.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace lle::methods {
namespace {

TEST(AssembleAlignment, HandComputedOverlappingBlocks) {
    // Block 0 on points {0, 2}: [1 2; 2 3]; block 1 on points {2, 1}: [4 5; 5 6].
    // M = [1 0 2; 0 6 5; 2 5 3 + 4].
    LocalBlocks local{IndexMatrix(2, 2), PointMatrix(2, 4)};
    local.indices << 0, 2, 2, 1;
    local.blocks << 1, 2, 2, 3, 4, 5, 5, 6;
    const Eigen::MatrixXd m = Eigen::MatrixXd(assemble_alignment(local, 3));
    Eigen::MatrixXd expected(3, 3);
    expected << 1, 0, 2, 0, 6, 5, 2, 5, 7;
    EXPECT_EQ(m, expected);
}

TEST(AssembleAlignment, MatchesADenseSumOfRandomBlocks) {
    const Index n = 300, order = 320, m = 7;
    std::mt19937_64 generator(5);
    std::uniform_real_distribution<double> value(-1.0, 1.0);
    LocalBlocks local{IndexMatrix(n, m), PointMatrix(n, m * m)};
    Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(order, order);
    for (Index i = 0; i < n; ++i) {
        std::vector<Index> pool(static_cast<std::size_t>(order));
        std::iota(pool.begin(), pool.end(), Index{0});
        std::shuffle(pool.begin(), pool.end(), generator);
        Eigen::MatrixXd g(m, m);
        for (Index a = 0; a < m; ++a) {
            for (Index b = 0; b < m; ++b) {
                g(a, b) = value(generator);
            }
        }
        const Eigen::MatrixXd block = g * g.transpose();
        for (Index p = 0; p < m; ++p) {
            local.indices(i, p) = pool[static_cast<std::size_t>(p)];
            for (Index q = 0; q < m; ++q) {
                local.blocks(i, p * m + q) = block(p, q);
                expected(pool[static_cast<std::size_t>(p)], pool[static_cast<std::size_t>(q)]) +=
                    block(p, q);
            }
        }
    }
    const SparseSymmetricMatrix assembled = assemble_alignment(local, order);
    EXPECT_LT((Eigen::MatrixXd(assembled) - expected).cwiseAbs().maxCoeff(), 1e-12);
    // Rows sorted within each column, no explicit duplicates.
    for (Index j = 0; j < order; ++j) {
        for (int p = assembled.outerIndexPtr()[j] + 1; p < assembled.outerIndexPtr()[j + 1]; ++p) {
            EXPECT_LT(assembled.innerIndexPtr()[p - 1], assembled.innerIndexPtr()[p]);
        }
    }
}

}  // namespace
}  // namespace lle::methods
