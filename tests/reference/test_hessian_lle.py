"""Hessian LLE from the `lle` command against scikit-learn's implementation.

A swiss roll and an S-curve (n = 1500, k = 12, d = 2, scikit-learn's generators with
random_state=0), embedded with every eigensolver. The reference is scikit-learn's
`method="hessian"`: its cost matrix M is captured from `locally_linear_embedding` (dense
solver) by wrapping the module's `null_space`, and its embedding comes from
`LocallyLinearEmbedding(method="hessian", eigen_solver="dense")`.

Checks: our eigenvalues equal those of scikit-learn's M (2nd and 3rd smallest) and sum to
its reconstruction error; our embedding spans scikit-learn's subspace and consists of
eigenvectors of scikit-learn's M; the parameter rule k > d (d + 3) / 2 is enforced by the
command with exit status 2.

Tolerances: eigenvalues max(1e-6 relative, 1e-13 absolute), embedding subspaces 1e-4 rad
largest principal angle, eigenvector residuals 1e-10 ||M||_1.

Hessian LLE has no weight matrix W, so the runs here do not ask for --save-weights and do
not use conftest's runners, which always do.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg
from sklearn.datasets import make_s_curve, make_swiss_roll
from sklearn.manifold import LocallyLinearEmbedding

from reference_checks import (assert_eigenvalues_close, assert_embedding_basis,
                              largest_principal_angle, norm1, run_method, sklearn_cost_matrix)

N = 1500
K = 12
D = 2
ANGLE_TOL = 1e-4  # radians
RESIDUAL_TOL = 1e-10  # times ||M||_1

GENERATORS = {"swiss_roll": make_swiss_roll, "s_curve": make_s_curve}


@dataclass
class HessianRun:
    embedding: np.ndarray  # (n, d)
    report: dict  # the --report JSON


def run_hessian(binary: Path, workdir: Path, input_path: Path, args) -> HessianRun:
    """Runs `lle embed INPUT --method hessian ARGS -o ... --report ...` and asserts exit 0."""
    return HessianRun(*run_method(binary, workdir, input_path, "hessian", args))


def sklearn_hessian_cost_matrix(x):
    """scikit-learn's M for method="hessian", as handed to its eigensolver, and the
    reconstruction error that `locally_linear_embedding` returns."""
    return sklearn_cost_matrix(x, "hessian", K, D)


@pytest.fixture(scope="module", params=sorted(GENERATORS))
def data(request, tmp_path_factory):
    x, _ = GENERATORS[request.param](N, random_state=0)
    path = tmp_path_factory.mktemp(request.param) / f"{request.param}.npy"
    np.save(path, x)
    return request.param, x, path


@pytest.fixture(scope="module")
def reference(data):
    _, x, _ = data
    m, function_error = sklearn_hessian_cost_matrix(x)
    eigenvalues, eigenvectors = scipy.linalg.eigh(m, subset_by_index=(1, D))
    lle = LocallyLinearEmbedding(
        method="hessian", n_neighbors=K, n_components=D, eigen_solver="dense"
    )
    embedding = lle.fit_transform(x)
    return {
        "M": m,
        "eigenvalues": eigenvalues,
        "eigenvectors": eigenvectors,
        "embedding": embedding,
        "function_error": function_error,
        "reconstruction_error": lle.reconstruction_error_,
    }


@pytest.fixture(scope="module", params=["dense", "sparse", "gradient"])
def run(request, data, lle_binary, tmp_path_factory):
    name, _, path = data
    workdir = tmp_path_factory.mktemp(f"{name}_{request.param}")
    args = ["-k", K, "-d", D, "--eigen-solver", request.param]
    return request.param, run_hessian(lle_binary, workdir, path, args)


def test_reference_is_consistent(reference):
    # The eigenvalues used as reference sum to what scikit-learn reports, both from the
    # function and from the estimator; the estimator's embedding is their eigenvectors.
    total = float(np.sum(reference["eigenvalues"]))
    for expected in (reference["reconstruction_error"], reference["function_error"]):
        assert abs(total - expected) <= 1e-12 * abs(expected), (total, expected)
    angle = largest_principal_angle(reference["embedding"], reference["eigenvectors"])
    assert angle < 1e-10, f"largest principal angle {angle:.3e} rad"


def test_report(run):
    solver, result = run
    rep = result.report
    assert rep["method"] == "hessian"
    assert rep["input"]["points"] == N
    assert rep["input"]["dimension"] == 3
    assert rep["parameters"]["n_neighbors"] == K
    assert rep["parameters"]["n_components"] == D
    assert rep["solver"]["name"] == solver
    assert rep["solver"]["converged"] is True
    assert len(rep["eigenvalues"]) == D
    assert result.embedding.shape == (N, D)


def test_eigenvalues_match_sklearn(run, reference):
    _, result = run
    assert_eigenvalues_close(result.report["eigenvalues"], reference["eigenvalues"])


def test_reconstruction_error_matches_sklearn(run, reference):
    _, result = run
    ours = result.report["reconstruction_error"]
    assert ours == pytest.approx(sum(result.report["eigenvalues"]), rel=1e-12)
    expected = reference["reconstruction_error"]
    tol = np.sum(np.maximum(1e-6 * np.abs(reference["eigenvalues"]), 1e-13))
    assert abs(ours - expected) <= tol, f"{ours} vs sklearn's {expected}: tol {tol:.3e}"


def test_embedding_subspace_matches_sklearn(run, reference):
    _, result = run
    angle = largest_principal_angle(result.embedding, reference["embedding"])
    assert angle < ANGLE_TOL, f"largest principal angle {angle:.3e} rad"


def test_embedding_is_an_eigenbasis_of_sklearns_cost_matrix(run, reference):
    _, result = run
    m = reference["M"]
    y = result.embedding
    lam = np.asarray(result.report["eigenvalues"])
    assert_embedding_basis(y)
    bound = RESIDUAL_TOL * norm1(m)
    for j in range(D):
        residual = np.linalg.norm(m @ y[:, j] - lam[j] * y[:, j])
        assert residual <= bound, f"column {j}: residual {residual:.3e} > {bound:.3e}"


@pytest.mark.parametrize("k, d, bound", [(5, 2, 5), (3, 2, 5), (9, 3, 9)])
def test_neighbour_count_rule(lle_binary, data, tmp_path, k, d, bound):
    _, _, path = data
    cmd = [str(lle_binary), "embed", str(path), "--method", "hessian", "-k", str(k),
           "-d", str(d), "-o", str(tmp_path / "out.npy")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "k (n_neighbors)" in proc.stderr, proc.stderr
    assert f"k > d (d + 3) / 2 = {bound}" in proc.stderr, proc.stderr
    assert f"(got {k})" in proc.stderr, proc.stderr
    assert not (tmp_path / "out.npy").exists()


def test_smallest_allowed_neighbour_count_runs(lle_binary, data, tmp_path):
    _, _, path = data
    result = run_hessian(lle_binary, tmp_path, path, ["-k", 6, "-d", 2])
    assert result.report["solver"]["converged"] is True
    assert result.embedding.shape == (N, 2)
