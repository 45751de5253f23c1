// Compares the sparse factorisations the shift-invert eigensolver could use on standard LLE's
// cost matrix M of a swiss roll: CHOLMOD's supernodal Cholesky (what lle uses) against Eigen's
// simplicial LLT and LDLT, all with AMD ordering, factoring M + eps I and solving with it.
//
// Usage: lle-bench-factorisations [n = 100000] [k = 10]

#include <Eigen/CholmodSupport>
#include <Eigen/SparseCholesky>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lle/base/timer.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/standard.hpp"
#include "lle/neighbors/knn.hpp"
#include "lle/weights/barycentric.hpp"

namespace {

constexpr int solves = 20;

template <typename Factorisation>
void measure(const char* name, Factorisation& factor, const lle::SparseSymmetricMatrix& m,
             double shift) {
    lle::Stopwatch stopwatch;
    factor.setShift(shift);
    factor.analyzePattern(m);
    const double analyse = stopwatch.seconds();
    stopwatch.restart();
    factor.factorize(m);
    const double numeric = stopwatch.seconds();
    if (factor.info() != Eigen::Success) {
        std::printf("| %s | failed | | | |\n", name);
        return;
    }
    stopwatch.restart();
    Eigen::VectorXd x = Eigen::VectorXd::Random(m.rows());
    for (int i = 0; i < solves; ++i) {
        x = factor.solve(x).normalized();
    }
    const double solve = stopwatch.seconds();
    std::printf("| %s | %.2f | %.2f | %.3f | %.2f |\n", name, analyse, numeric, solve / solves,
                analyse + numeric + solve);
}

}  // namespace

int main(int argc, char** argv) {
    const lle::Index n = argc > 1 ? std::atol(argv[1]) : 100000;
    const lle::Index k = argc > 2 ? std::atol(argv[2]) : 10;

    const lle::PointMatrix points = lle::datasets::swiss_roll(n, 0.0, 0).points;
    const lle::neighbors::NeighborGraph graph = lle::neighbors::k_nearest(points, k);
    const lle::PointMatrix w =
        lle::weights::barycentric_weights(points, points, graph.indices, {.reg = 1e-3}).values;
    const lle::SparseSymmetricMatrix m =
        lle::methods::standard_cost_matrix(lle::weights::to_sparse(w, graph.indices, n));
    const double shift = 1e-14 * m.diagonal().mean();

    std::printf("M of a swiss roll: n = %ld, k = %ld, nnz = %ld\n\n", static_cast<long>(n),
                static_cast<long>(k), static_cast<long>(m.nonZeros()));
    std::printf(
        "| factorisation of M + eps I | analyse (s) | factor (s) | one solve (s) | "
        "total with %d solves (s) |\n|---|---|---|---|---|\n",
        solves);

    Eigen::CholmodSupernodalLLT<lle::SparseSymmetricMatrix, Eigen::Lower> cholmod;
    cholmod.cholmod().nmethods = 1;
    cholmod.cholmod().method[0].ordering = CHOLMOD_AMD;
    measure("CHOLMOD supernodal LLT", cholmod, m, shift);

    Eigen::SimplicialLLT<lle::SparseSymmetricMatrix, Eigen::Lower> llt;
    measure("Eigen SimplicialLLT", llt, m, shift);

    Eigen::SimplicialLDLT<lle::SparseSymmetricMatrix, Eigen::Lower> ldlt;
    measure("Eigen SimplicialLDLT", ldlt, m, shift);
    return 0;
}
