#pragma once

/// \file
/// The Lanczos run the two sparse eigensolvers share: Spectra from a seeded random start.

#include <Spectra/SymEigsBase.h>
#include <random>
#include <string>

#include "lle/embedding/eigensolver.hpp"

namespace lle::embedding::detail {

/// Runs `solver` (a Spectra symmetric solver over an operator of order `n`) from a seeded
/// random start, projected by `project` onto the space searched, keeping the eigenvalues
/// `selection` picks; fills `status` (restarts, applications as counted by `applications()`,
/// convergence, the message of a failure naming `what`). True when every wanted pair converged.
template <typename SpectraSolver, typename Project, typename Applications>
bool run_lanczos(SpectraSolver& solver, Index n, Index wanted, const EigenOptions& options,
                 Spectra::SortRule selection, Spectra::SortRule order, Project project,
                 Applications applications, const std::string& what, EigenStatus& status) {
    std::mt19937_64 generator(options.seed);
    std::uniform_real_distribution<double> uniform(-0.5, 0.5);
    Eigen::VectorXd start(n);
    for (Index i = 0; i < n; ++i) {
        start(i) = uniform(generator);
    }
    project(start);
    solver.init(start.data());
    const Index converged =
        solver.compute(selection, options.max_iterations, options.tolerance, order);
    status.iterations = solver.num_iterations();
    status.operator_applications = applications();
    status.converged = solver.info() == Spectra::CompInfo::Successful && converged == wanted;
    if (!status.converged) {
        status.message = what + " converged " + std::to_string(converged) + " of " +
                         std::to_string(wanted) + " eigenpairs in " +
                         std::to_string(status.iterations) + " restarts";
    }
    return status.converged;
}

}  // namespace lle::embedding::detail
