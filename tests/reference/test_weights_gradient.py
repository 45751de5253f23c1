"""The gradient weights solver (`--weights-solver gradient`) against scikit-learn and against
the closed form.

On a swiss roll (no distance ties) the weights must match scikit-learn's
`barycenter_kneighbors_graph`; on scikit-learn's digits (integer pixels, tied neighbours, see
test_standard_lle.py) they must match its `barycenter_weights` on our neighbour lists. Both
to 1e-8, the solver's own promise, and in both cases the embedding must be the closed-form
run's. The report must carry the solver's steps per point.
"""

from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_swiss_roll
from sklearn.manifold._locally_linear import barycenter_kneighbors_graph, barycenter_weights

from reference_checks import (
    assert_eigenvalues_close,
    largest_principal_angle,
    neighbour_lists,
    weights_at,
)

REG = 1e-3
K = 10
WEIGHT_TOL = 1e-8
ANGLE_TOL = 1e-8  # radians, between two runs of the same eigensolver (measured: 1.5e-10)

DIGITS_PATH = Path("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz")


@pytest.fixture(scope="module")
def swiss(tmp_path_factory):
    x, _ = make_swiss_roll(2000, random_state=3)
    path = tmp_path_factory.mktemp("swiss_gradient") / "swiss_roll.npy"
    np.save(path, x)
    return x, path


@pytest.fixture(scope="module")
def digits():
    if not DIGITS_PATH.is_file():
        pytest.skip(f"scikit-learn's digits data not found at {DIGITS_PATH}")
    return np.loadtxt(DIGITS_PATH, delimiter=",")[:, :64]


def both_solvers(run_lle_module, name, args, input_path):
    """The closed-form and the gradient run of the same command, in that order."""
    return [run_lle_module(f"{name}_{solver}", [*args, "--weights-solver", solver], input_path)
            for solver in ("closed", "gradient")]


@pytest.fixture(scope="module")
def swiss_runs(swiss, run_lle_module):
    _, path = swiss
    return both_solvers(run_lle_module, "swiss", ["-k", K, "-d", 2], path)


@pytest.fixture(scope="module")
def digits_runs(digits, run_lle_module):
    return both_solvers(run_lle_module, "digits", ["--label-column", 64, "-k", K, "-d", 2],
                        DIGITS_PATH)


def assert_same_embedding(closed, gradient):
    assert_eigenvalues_close(gradient.report["eigenvalues"], closed.report["eigenvalues"])
    angle = largest_principal_angle(closed.embedding, gradient.embedding)
    assert angle < ANGLE_TOL, f"largest principal angle {angle:.3e} rad"


def assert_reported_steps(closed, gradient, mean_range, max_steps):
    assert closed.report["parameters"]["weights_solver"] == "closed"
    assert closed.report["weights"] == {"solver": "closed", "mean_iterations": 0.0,
                                        "max_iterations": 0, "unconverged": 0}
    assert gradient.report["parameters"]["weights_solver"] == "gradient"
    assert gradient.report["parameters"]["weights_tolerance"] == 1e-12
    steps = gradient.report["weights"]
    assert steps["solver"] == "gradient"
    assert steps["unconverged"] == 0
    assert mean_range[0] <= steps["mean_iterations"] <= mean_range[1], steps
    assert 1 <= steps["max_iterations"] <= max_steps, steps


def test_swiss_weights_match_sklearn(swiss, swiss_runs):
    x, _ = swiss
    _, gradient = swiss_runs
    ref = barycenter_kneighbors_graph(x, K, reg=REG).tocsr()
    ind = neighbour_lists(gradient.weights, K)
    assert np.array_equal(ind, np.sort(ref.indices.reshape(len(x), K), axis=1))
    diff = abs(gradient.weights.tocsr() - ref).max()
    assert diff <= WEIGHT_TOL, f"max |W - W_sklearn| = {diff:.3e}"
    sums = np.asarray(gradient.weights.tocsr().sum(axis=1)).ravel()
    assert np.abs(sums - 1).max() <= 1e-13


def test_swiss_embedding_is_the_closed_forms(swiss_runs):
    assert_same_embedding(*swiss_runs)


def test_swiss_report_counts_the_steps(swiss_runs):
    # D = 3: C + r I has at most four distinct eigenvalues, so about four steps at most.
    assert_reported_steps(*swiss_runs, mean_range=(2.0, 4.0), max_steps=6)


def test_digits_weights_match_sklearn_on_our_neighbours(digits, digits_runs):
    closed, gradient = digits_runs
    ind = neighbour_lists(gradient.weights, K)
    assert np.array_equal(ind, neighbour_lists(closed.weights, K))
    ref = barycenter_weights(digits, digits, ind, reg=REG)
    diff = np.abs(weights_at(gradient.weights, ind) - ref).max()
    assert diff <= WEIGHT_TOL, f"max |W - barycenter_weights| = {diff:.3e}"


def test_digits_embedding_is_the_closed_forms(digits_runs):
    assert_same_embedding(*digits_runs)


def test_digits_report_counts_the_steps(digits_runs):
    # D = 64 > k: up to k - 1 = 9 steps in exact arithmetic, a few more with rounding.
    assert_reported_steps(*digits_runs, mean_range=(8.0, 11.0), max_steps=14)
