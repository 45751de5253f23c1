#include "lle/embedding/block_lanczos.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "lle/base/error.hpp"

namespace lle::embedding::detail {
namespace {

/// `out = diag(d) in`.
BlockOperator diagonal_operator(const Eigen::VectorXd& d) {
    return [d](const Eigen::Ref<const DenseMatrix>& in, Eigen::Ref<DenseMatrix> out) {
        out = d.asDiagonal() * in;
    };
}

const std::function<void(Eigen::Ref<Eigen::VectorXd>)> no_projection =
    [](Eigen::Ref<Eigen::VectorXd>) {};

/// Checks that the result holds orthonormal eigenvectors of diag(d) with the given eigenvalues.
void expect_eigenpairs(const BlockLanczosResult& result, const Eigen::VectorXd& d,
                       const Eigen::VectorXd& expected) {
    ASSERT_TRUE(result.converged);
    ASSERT_EQ(result.values.size(), expected.size());
    for (Index i = 0; i < expected.size(); ++i) {
        EXPECT_NEAR(result.values(i), expected(i), 1e-10 * expected(i)) << "pair " << i;
        const Eigen::VectorXd z = result.vectors.col(i);
        EXPECT_LE((d.asDiagonal() * z - result.values(i) * z).norm(), 1e-9 * expected(i))
            << "pair " << i;
    }
    const DenseMatrix gram = result.vectors.transpose() * result.vectors;
    EXPECT_LE((gram - DenseMatrix::Identity(gram.rows(), gram.cols())).norm(), 1e-12);
}

TEST(BlockLanczos, FindsTheLargestEigenpairsOfATwoByTwoMatrix) {
    // [[2, 1], [1, 2]] has the eigenvalues 3 and 1, eigenvectors (1, 1) and (1, -1).
    DenseMatrix t(2, 2);
    t << 2.0, 1.0, 1.0, 2.0;
    const BlockOperator apply = [&t](const Eigen::Ref<const DenseMatrix>& in,
                                     Eigen::Ref<DenseMatrix> out) { out = t * in; };
    const BlockLanczosResult result =
        block_lanczos(apply, no_projection, 2, {.wanted = 1, .block = 1, .basis_size = 2});
    ASSERT_TRUE(result.converged);
    EXPECT_NEAR(result.values(0), 3.0, 1e-14);
    EXPECT_NEAR(std::abs(result.vectors(0, 0)), std::sqrt(0.5), 1e-14);
    EXPECT_NEAR(result.vectors(0, 0), result.vectors(1, 0), 1e-14);
}

TEST(BlockLanczos, EveryBlockSizeFindsTheSamePairs) {
    const Index n = 300;
    const Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(n, 1.0, static_cast<double>(n));
    const Eigen::VectorXd expected = d.tail(3).reverse();
    for (Index block = 1; block <= 4; ++block) {
        SCOPED_TRACE("block " + std::to_string(block));
        const BlockLanczosResult result = block_lanczos(
            diagonal_operator(d), no_projection, n,
            {.wanted = 3, .block = block, .basis_size = 12 * block, .max_restarts = 100});
        expect_eigenpairs(result, d, expected);
    }
}

TEST(BlockLanczos, ConvergesThroughRestartsWithASmallBasis) {
    // Relative gaps of 1/400 at the top: a basis of 8 vectors needs many restarts.
    const Index n = 400;
    const Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(n, 1.0, static_cast<double>(n));
    const BlockLanczosResult result =
        block_lanczos(diagonal_operator(d), no_projection, n,
                      {.wanted = 2, .block = 2, .basis_size = 8, .max_restarts = 1000});
    EXPECT_GT(result.restarts, 0);
    expect_eigenpairs(result, d, d.tail(2).reverse());
}

TEST(BlockLanczos, StaysInTheProjectedSpace) {
    // T = P D P with P removing the first coordinate, where D's largest eigenvalue sits.
    const Index n = 100;
    Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(n, 1.0, static_cast<double>(n));
    d(0) = 1000.0;
    const std::function<void(Eigen::Ref<Eigen::VectorXd>)> project =
        [](Eigen::Ref<Eigen::VectorXd> v) { v(0) = 0.0; };
    const BlockOperator apply = [&](const Eigen::Ref<const DenseMatrix>& in,
                                    Eigen::Ref<DenseMatrix> out) {
        out = d.asDiagonal() * in;
        out.row(0).setZero();
    };
    const BlockLanczosResult result =
        block_lanczos(apply, project, n, {.wanted = 2, .block = 2, .basis_size = 20});
    ASSERT_TRUE(result.converged);
    EXPECT_NEAR(result.values(0), 100.0, 1e-8);
    EXPECT_NEAR(result.values(1), 99.0, 1e-8);
    EXPECT_LE(result.vectors.row(0).norm(), 1e-12);
}

TEST(BlockLanczos, FindsEveryCopyOfAnEigenvalueRepeatedUpToTheBlockSize) {
    // Three distinct eigenvalues: the Krylov space of a block of 2 has dimension 6 and stops
    // growing at the third step (the next block is then replaced by random vectors). Both
    // copies of the top eigenvalue are in it; one start vector would hold only one.
    const Index n = 60;
    Eigen::VectorXd d = Eigen::VectorXd::Ones(n);
    d.head(2).setConstant(5.0);
    d.segment(2, 3).setConstant(3.0);
    const BlockLanczosResult result =
        block_lanczos(diagonal_operator(d), no_projection, n,
                      {.wanted = 2, .block = 2, .basis_size = 12, .max_restarts = 10});
    EXPECT_EQ(result.steps, 3);
    expect_eigenpairs(result, d, Eigen::Vector2d(5.0, 5.0));
}

TEST(BlockLanczos, ConvergesWhenTheBasisFillsTheWholeSpace) {
    // A basis of n vectors holds everything: the Ritz pairs are the eigenpairs, exactly.
    const Index n = 6;
    const Eigen::VectorXd d = (Eigen::VectorXd(n) << 1.0, 2.0, 3.0, 4.0, 5.0, 6.0).finished();
    const BlockLanczosResult result = block_lanczos(diagonal_operator(d), no_projection, n,
                                                    {.wanted = 3, .block = 2, .basis_size = n});
    EXPECT_LE(result.steps, 3);
    expect_eigenpairs(result, d, Eigen::Vector3d(6.0, 5.0, 4.0));
}

TEST(BlockLanczos, ReportsNoConvergenceWhenRestartsRunOut) {
    const Index n = 400;
    const Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(n, 1.0, static_cast<double>(n));
    const BlockLanczosResult result =
        block_lanczos(diagonal_operator(d), no_projection, n,
                      {.wanted = 2, .block = 1, .basis_size = 4, .max_restarts = 2});
    EXPECT_FALSE(result.converged);
    EXPECT_EQ(result.restarts, 2);
    EXPECT_EQ(result.values.size(), 2);
}

TEST(BlockLanczos, RejectsABasisTooSmallForTheBlock) {
    const Eigen::VectorXd d = Eigen::VectorXd::Ones(10);
    EXPECT_THROW(block_lanczos(diagonal_operator(d), no_projection, 10,
                               {.wanted = 2, .block = 2, .basis_size = 3}),
                 Error);
    EXPECT_THROW(block_lanczos(diagonal_operator(d), no_projection, 10,
                               {.wanted = 1, .block = 1, .basis_size = 11}),
                 Error);
}

}  // namespace
}  // namespace lle::embedding::detail
