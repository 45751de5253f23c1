#include "lle/embedding/block_lanczos.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "lle/base/error.hpp"

namespace lle::embedding::detail {
namespace {

/// What is left of a vector after orthogonalisation, below this fraction of its length before,
/// is rounding: the Krylov space has stopped growing in that direction.
constexpr double breakdown = 1e-10;

/// An orthonormal basis of `n`-vectors grown block by block.
class KrylovBasis {
  public:
    KrylovBasis(Index n, Index capacity, std::uint64_t seed,
                const std::function<void(Eigen::Ref<Eigen::VectorXd>)>& project)
        : vectors_(n, capacity), generator_(seed), project_(project) {}

    DenseMatrix& vectors() { return vectors_; }

    /// Columns `[first, first + b)` of `vectors()` made orthonormal and orthogonal to the
    /// columns before `first`, in place, twice over (Gram-Schmidt, twice). Returns the
    /// coefficients: `old = Q_{<first} before + Q_new after`, `before` of `first x b`, `after`
    /// upper triangular `b x b`. A column that had nothing left (the Krylov space stopped
    /// growing in its direction) is replaced by a random one, its diagonal entry in `after`
    /// being 0; by zero when the basis already spans the whole space searched.
    void orthonormalise(Index first, Index b, DenseMatrix& before, DenseMatrix& after) {
        // Against the old columns the whole block at once: each pass reads them once.
        auto block = vectors_.middleCols(first, b);
        const auto old = vectors_.leftCols(first);
        const Eigen::VectorXd lengths = block.colwise().norm();
        before = DenseMatrix::Zero(first, b);
        for (int pass = 0; pass < 2 && first > 0; ++pass) {
            const DenseMatrix coefficients = old.transpose() * block;
            block.noalias() -= old * coefficients;
            before += coefficients;
        }
        // Then among the new columns, one after another.
        after = DenseMatrix::Zero(b, b);
        for (Index c = 0; c < b; ++c) {
            const Index column = first + c;
            const Eigen::VectorXd coefficients = orthogonalise(column, first);
            after.col(c).head(c) = coefficients;
            const double left = vectors_.col(column).norm();
            if (left > breakdown * lengths(c) && left > 0.0) {
                vectors_.col(column) /= left;
                after(c, c) = left;
                continue;
            }
            fill_random(column);
            orthogonalise(column, 0);
            const double random_left = vectors_.col(column).norm();
            vectors_.col(column) *= random_left > breakdown ? 1.0 / random_left : 0.0;
        }
    }

    void fill_random(Index column) {
        std::uniform_real_distribution<double> uniform(-0.5, 0.5);
        for (Index i = 0; i < vectors_.rows(); ++i) {
            vectors_(i, column) = uniform(generator_);
        }
        project_(vectors_.col(column));
    }

  private:
    /// Removes from column `column` its components along the columns `[from, column)`, twice;
    /// returns the coefficients removed.
    Eigen::VectorXd orthogonalise(Index column, Index from) {
        const auto others = vectors_.middleCols(from, column - from);
        Eigen::VectorXd total = Eigen::VectorXd::Zero(column - from);
        for (int pass = 0; pass < 2; ++pass) {
            const Eigen::VectorXd coefficients = others.transpose() * vectors_.col(column);
            vectors_.col(column).noalias() -= others * coefficients;
            total += coefficients;
        }
        return total;
    }

    DenseMatrix vectors_;
    std::mt19937_64 generator_;
    const std::function<void(Eigen::Ref<Eigen::VectorXd>)>& project_;
};

}  // namespace

BlockLanczosResult block_lanczos(const BlockOperator& apply,
                                 const std::function<void(Eigen::Ref<Eigen::VectorXd>)>& project,
                                 Index n, const BlockLanczosSettings& settings) {
    const Index b = settings.block;
    const Index wanted = settings.wanted;
    const Index capacity = settings.basis_size;
    if (b < 1 || wanted < 1 || capacity < wanted + b || capacity > n) {
        throw Error("block Lanczos: a basis of " + std::to_string(capacity) +
                    " vectors cannot hold " + std::to_string(wanted) + " pairs and a block of " +
                    std::to_string(b) + " in a space of " + std::to_string(n));
    }

    // Q: columns [0, size) in use, the newest block [newest, size); room for the next block.
    KrylovBasis basis(n, capacity + b, settings.seed, project);
    DenseMatrix& q = basis.vectors();
    DenseMatrix before, after;
    for (Index c = 0; c < b; ++c) {
        basis.fill_random(c);
    }
    basis.orthonormalise(0, b, before, after);
    Index newest = 0;
    Index size = b;
    DenseMatrix h = DenseMatrix::Zero(capacity, capacity);  // Q^T T Q on [0, size)
    DenseMatrix image(n, b);
    const double smallest_scale = std::pow(std::numeric_limits<double>::epsilon(), 2.0 / 3.0);

    BlockLanczosResult result;
    for (;;) {
        apply(q.middleCols(newest, b), image);
        ++result.steps;
        // T Q_newest = Q before + Q_next after: the new columns of H, and the next block.
        q.middleCols(size, b) = image;
        basis.orthonormalise(size, b, before, after);
        h.block(0, newest, size, b) = before;
        h.block(newest, 0, b, size) = before.transpose();
        const DenseMatrix diagonal = h.block(newest, newest, b, b);
        h.block(newest, newest, b, b) = 0.5 * (diagonal + diagonal.transpose());

        const Eigen::SelfAdjointEigenSolver<DenseMatrix> ritz(h.topLeftCorner(size, size));
        const Eigen::VectorXd values = ritz.eigenvalues().reverse();
        const DenseMatrix coordinates = ritz.eigenvectors().rowwise().reverse();
        bool converged = size >= wanted;
        for (Index i = 0; converged && i < wanted; ++i) {
            const double residual = (after * coordinates.block(newest, i, b, 1)).norm();
            converged = converged && residual <= settings.tolerance *
                                                     std::max(smallest_scale, std::abs(values(i)));
        }
        const bool full = size + b > capacity;
        if (converged || (full && result.restarts == settings.max_restarts)) {
            result.values = values.head(wanted);
            result.vectors = q.leftCols(size) * coordinates.leftCols(wanted);
            result.converged = converged;
            return result;
        }
        if (!full) {
            h.block(size, newest, b, b) = after;
            h.block(newest, size, b, b) = after.transpose();
            newest = size;
            size += b;
            continue;
        }
        // Thick restart: Q <- [Q Y_kept, Q_next]. T Q Y_kept = Q Y_kept Theta + Q_next after
        // Y_kept,newest, so H becomes diag(Theta) bordered by that coupling.
        const Index kept = std::min(capacity - b, wanted + (capacity - b - wanted) / 2);
        // In slices of rows, so that the new basis needs no second n x kept matrix.
        constexpr Index slice = 1024;
        for (Index row = 0; row < n; row += slice) {
            const Index rows = std::min(slice, n - row);
            const DenseMatrix ritz_vectors =
                q.block(row, 0, rows, size) * coordinates.leftCols(kept);
            const DenseMatrix next = q.block(row, size, rows, b);
            q.block(row, 0, rows, kept) = ritz_vectors;
            q.block(row, kept, rows, b) = next;
        }
        const DenseMatrix coupling = after * coordinates.block(newest, 0, b, kept);
        h.setZero();
        h.diagonal().head(kept) = values.head(kept);
        h.block(kept, 0, b, kept) = coupling;
        h.block(0, kept, kept, b) = coupling.transpose();
        newest = kept;
        size = kept + b;
        ++result.restarts;
    }
}

}  // namespace lle::embedding::detail
