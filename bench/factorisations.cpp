// Compares the sparse factorisations the shift-invert eigensolver could use on standard LLE's
// cost matrix M of a swiss roll: CHOLMOD's supernodal Cholesky (what lle uses) against Eigen's
// simplicial LLT and LDLT, all with AMD ordering, factoring M + eps I and solving with it.
//
// It also times the alternative that never forms M = A^T A, A = I - W: an LU factorisation of A
// itself (UMFPACK, symmetric strategy: AMD on A + A^T), whose fill is that of the one-hop
// neighbour graph rather than the two-hop graph of M. A is singular (A 1 = 0), so the factored
// matrix is A + e_0 e_0^T; on vectors orthogonal to 1, (A^T A)^+ b is then two solves with it
// and two projections (onto the complement of 1 and of A's left null vector u, itself one more
// solve). One "application" below is those two solves.
//
// Usage: lle-bench-factorisations [n = 100000] [k = 10]

#include <umfpack.h>
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

/// UMFPACK's LU of A + e_0 e_0^T, A = I - W: analysis, factorisation, and the two solves
/// (with its transpose, then with it) of one application of (A^T A)^+.
void measure_lu(const lle::SparseRowMatrix& weights) {
    using Matrix = Eigen::SparseMatrix<double, Eigen::ColMajor, long>;
    const long n = weights.rows();
    Matrix pinned(n, n);
    {
        std::vector<Eigen::Triplet<double, long>> entries;
        for (long i = 0; i < n; ++i) {
            entries.emplace_back(i, i, i == 0 ? 2.0 : 1.0);
            for (lle::SparseRowMatrix::InnerIterator w(weights, i); w; ++w) {
                entries.emplace_back(i, w.col(), -w.value());
            }
        }
        pinned.setFromTriplets(entries.begin(), entries.end());
        pinned.makeCompressed();
    }
    double control[UMFPACK_CONTROL];
    double info[UMFPACK_INFO];
    umfpack_dl_defaults(control);
    control[UMFPACK_STRATEGY] = UMFPACK_STRATEGY_SYMMETRIC;
    control[UMFPACK_IRSTEP] = 0;  // no iterative refinement: one pass per solve
    void* symbolic = nullptr;
    void* numeric = nullptr;
    lle::Stopwatch stopwatch;
    umfpack_dl_symbolic(n, n, pinned.outerIndexPtr(), pinned.innerIndexPtr(), pinned.valuePtr(),
                        &symbolic, control, info);
    const double analyse = stopwatch.seconds();
    stopwatch.restart();
    const long status = umfpack_dl_numeric(pinned.outerIndexPtr(), pinned.innerIndexPtr(),
                                           pinned.valuePtr(), symbolic, &numeric, control, info);
    const double numeric_seconds = stopwatch.seconds();
    if (status != UMFPACK_OK) {
        std::printf("| UMFPACK LU of I - W (pinned) | failed (%ld) | | | |\n", status);
        return;
    }
    long lower = 0, upper = 0, rows = 0, cols = 0, diagonal = 0;
    umfpack_dl_get_lunz(&lower, &upper, &rows, &cols, &diagonal, numeric);
    Eigen::VectorXd x = Eigen::VectorXd::Random(n);
    Eigen::VectorXd y(n);
    stopwatch.restart();
    for (int i = 0; i < solves; ++i) {
        umfpack_dl_solve(UMFPACK_At, pinned.outerIndexPtr(), pinned.innerIndexPtr(),
                         pinned.valuePtr(), y.data(), x.data(), numeric, control, info);
        umfpack_dl_solve(UMFPACK_A, pinned.outerIndexPtr(), pinned.innerIndexPtr(),
                         pinned.valuePtr(), x.data(), y.data(), numeric, control, info);
        x.normalize();
    }
    const double solve = stopwatch.seconds();
    std::printf("| UMFPACK LU of I - W (pinned), L + U nnz %ld | %.2f | %.2f | %.3f | %.2f |\n",
                lower + upper, analyse, numeric_seconds, solve / solves,
                analyse + numeric_seconds + solve);
    umfpack_dl_free_numeric(&numeric);
    umfpack_dl_free_symbolic(&symbolic);
}

/// CHOLMOD's supernodal Cholesky of A^T A + eps I computed from A = I - W itself (CHOLMOD
/// factors F F^T + beta I for an unsymmetric F; here F = A^T, whose compressed columns are A's
/// compressed rows), with the given ordering of F F^T.
void measure_product(const char* name, const lle::SparseRowMatrix& weights, int ordering,
                     double shift) {
    const int n = static_cast<int>(weights.rows());
    lle::SparseRowMatrix a = lle::methods::residual_matrix(weights);
    a.makeCompressed();
    cholmod_common common;
    cholmod_start(&common);
    common.nmethods = 1;
    common.method[0].ordering = ordering;
    common.postorder = 1;
    common.supernodal = CHOLMOD_SUPERNODAL;
    cholmod_sparse f{};
    f.nrow = f.ncol = static_cast<std::size_t>(n);
    f.nzmax = static_cast<std::size_t>(a.nonZeros());
    f.p = a.outerIndexPtr();
    f.i = a.innerIndexPtr();
    f.x = a.valuePtr();
    f.stype = 0;
    f.itype = CHOLMOD_INT;
    f.xtype = CHOLMOD_REAL;
    f.dtype = CHOLMOD_DOUBLE;
    f.sorted = 1;
    f.packed = 1;
    lle::Stopwatch stopwatch;
    cholmod_factor* factor = cholmod_analyze(&f, &common);
    const double analyse = stopwatch.seconds();
    stopwatch.restart();
    double beta[2] = {shift, 0.0};
    cholmod_factorize_p(&f, beta, nullptr, 0, factor, &common);
    const double numeric = stopwatch.seconds();
    if (common.status != CHOLMOD_OK) {
        std::printf("| %s | failed (%d) | | | |\n", name, common.status);
        cholmod_free_factor(&factor, &common);
        cholmod_finish(&common);
        return;
    }
    Eigen::VectorXd x = Eigen::VectorXd::Random(n);
    cholmod_dense b{};
    b.nrow = b.d = static_cast<std::size_t>(n);
    b.ncol = 1;
    b.nzmax = static_cast<std::size_t>(n);
    b.xtype = CHOLMOD_REAL;
    b.dtype = CHOLMOD_DOUBLE;
    stopwatch.restart();
    for (int i = 0; i < solves; ++i) {
        b.x = x.data();
        cholmod_dense* y = cholmod_solve(CHOLMOD_A, factor, &b, &common);
        x = Eigen::Map<Eigen::VectorXd>(static_cast<double*>(y->x), n).normalized();
        cholmod_free_dense(&y, &common);
    }
    const double solve = stopwatch.seconds();
    std::printf("| %s, L nnz %.0f | %.2f | %.2f | %.3f | %.2f |\n", name, common.lnz, analyse,
                numeric, solve / solves, analyse + numeric + solve);
    cholmod_free_factor(&factor, &common);
    cholmod_finish(&common);
}

}  // namespace

int main(int argc, char** argv) {
    const lle::Index n = argc > 1 ? std::atol(argv[1]) : 100000;
    const lle::Index k = argc > 2 ? std::atol(argv[2]) : 10;

    const lle::PointMatrix points = lle::datasets::swiss_roll(n, 0.0, 0).points;
    const lle::neighbors::NeighborGraph graph = lle::neighbors::k_nearest(points, k);
    const lle::PointMatrix w =
        lle::weights::barycentric_weights(points, points, graph.indices, {.reg = 1e-3}).values;
    const lle::SparseRowMatrix weights = lle::weights::to_sparse(w, graph.indices, n);
    lle::Stopwatch assembly;
    const lle::SparseSymmetricMatrix m = lle::methods::standard_cost_matrix(weights);
    const double assembly_seconds = assembly.seconds();
    const double shift = 1e-14 * m.diagonal().mean();

    std::printf("M of a swiss roll: n = %ld, k = %ld, nnz = %ld, assembled in %.2f s\n\n",
                static_cast<long>(n), static_cast<long>(k), static_cast<long>(m.nonZeros()),
                assembly_seconds);
    std::printf(
        "| factorisation | analyse (s) | factor (s) | one application of the inverse (s) | "
        "total with %d applications (s) |\n|---|---|---|---|---|\n",
        solves);

    Eigen::CholmodSupernodalLLT<lle::SparseSymmetricMatrix, Eigen::Lower> cholmod;
    cholmod.cholmod().nmethods = 1;
    cholmod.cholmod().method[0].ordering = CHOLMOD_AMD;
    measure("CHOLMOD supernodal LLT of M + eps I", cholmod, m, shift);

    Eigen::CholmodSupernodalLLT<lle::SparseSymmetricMatrix, Eigen::Upper> upper;
    upper.cholmod().nmethods = 1;
    upper.cholmod().method[0].ordering = CHOLMOD_AMD;
    measure("CHOLMOD supernodal LLT of M + eps I, upper triangle", upper, m, shift);

    Eigen::SimplicialLLT<lle::SparseSymmetricMatrix, Eigen::Lower> llt;
    measure("Eigen SimplicialLLT of M + eps I", llt, m, shift);

    Eigen::SimplicialLDLT<lle::SparseSymmetricMatrix, Eigen::Lower> ldlt;
    measure("Eigen SimplicialLDLT of M + eps I", ldlt, m, shift);

    measure_lu(weights);
    measure_product("CHOLMOD supernodal LLT of A^T A + eps I from A, AMD", weights, CHOLMOD_AMD,
                    shift);
    measure_product("CHOLMOD supernodal LLT of A^T A + eps I from A, COLAMD", weights,
                    CHOLMOD_COLAMD, shift);
    return 0;
}
