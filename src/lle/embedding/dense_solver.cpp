#include <climits>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/embedding/eigensolver.hpp"

// LAPACK's symmetric eigensolver with index range (relatively robust representations), the
// routine scipy.linalg.eigh uses for a subset of eigenpairs. Fortran calling convention.
extern "C" void dsyevr_(const char* jobz, const char* range, const char* uplo, const int* n,
                        double* a, const int* lda, const double* vl, const double* vu,
                        const int* il, const int* iu, const double* abstol, int* m, double* w,
                        double* z, const int* ldz, int* isuppz, double* work, const int* lwork,
                        int* iwork, const int* liwork, int* info, std::size_t jobz_len,
                        std::size_t range_len, std::size_t uplo_len);

namespace lle::embedding::detail {

EigenResult dense_eigenpairs(const SparseSymmetricMatrix& matrix, const EigenOptions& options) {
    const Index order = matrix.rows();
    require_parameter(order <= INT_MAX / 2, "matrix order",
                      "n <= " + std::to_string(INT_MAX / 2) + " for the dense solver",
                      std::to_string(order));
    DenseMatrix a = DenseMatrix(matrix);

    const int n = static_cast<int>(order);
    // The null space holds the bottom eigenvectors, so the wanted pairs follow it in order.
    const Index skip = options.null_space.cols();
    const int first = static_cast<int>(skip) + 1;  // one-based, inclusive
    const int last = static_cast<int>(skip + options.count);
    const double unused_bound = 0.0;
    const double abstol = 0.0;  // LAPACK's default accuracy, eps * |T|
    int found = 0;
    int info = 0;

    EigenResult result;
    // LAPACK may write up to n eigenvalues into W (all of a tied cluster), even for an index
    // range; only the first `count` are kept.
    Eigen::VectorXd values(order);
    result.vectors.resize(order, options.count);
    std::vector<int> support(2 * static_cast<std::size_t>(order));

    // Workspace query first, then the computation.
    int lwork = -1;
    int liwork = -1;
    double work_size = 0.0;
    int iwork_size = 0;
    dsyevr_("V", "I", "L", &n, a.data(), &n, &unused_bound, &unused_bound, &first, &last, &abstol,
            &found, values.data(), result.vectors.data(), &n, support.data(), &work_size, &lwork,
            &iwork_size, &liwork, &info, 1, 1, 1);
    lwork = static_cast<int>(work_size);
    liwork = iwork_size;
    std::vector<double> work(static_cast<std::size_t>(lwork));
    std::vector<int> iwork(static_cast<std::size_t>(liwork));
    dsyevr_("V", "I", "L", &n, a.data(), &n, &unused_bound, &unused_bound, &first, &last, &abstol,
            &found, values.data(), result.vectors.data(), &n, support.data(), work.data(), &lwork,
            iwork.data(), &liwork, &info, 1, 1, 1);

    result.values = values.head(options.count);
    result.status.iterations = 1;
    result.status.converged = info == 0 && found == options.count;
    if (!result.status.converged) {
        result.status.message = "LAPACK dsyevr failed (info = " + std::to_string(info) + ", " +
                                std::to_string(found) + " eigenvalues found)";
    }
    return result;
}

}  // namespace lle::embedding::detail
