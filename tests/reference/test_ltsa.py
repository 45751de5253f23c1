"""LTSA from the `lle` command against scikit-learn's `method="ltsa"`.

A swiss roll and an S-curve (n = 1500, scikit-learn's generators with random_state=0),
k = 12, d = 2, with every eigensolver (dense, sparse, gradient). The reference is
scikit-learn's dense solution: its alignment matrix M, captured from `locally_linear_embedding` on the way to its eigensolver,
gives the reference eigenvalues; `LocallyLinearEmbedding(...).fit_transform` gives the
reference embedding.

Tolerances: eigenvalues and reconstruction error max(1e-6 relative, 1e-13 absolute),
embedding subspaces 1e-4 rad largest principal angle, eigenvector residuals against
scikit-learn's M 1e-10 times its 1-norm.
"""

import subprocess
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

GENERATORS = {"swiss_roll": make_swiss_roll, "s_curve": make_s_curve}


def run_ltsa(binary: Path, workdir: Path, input_path: Path, solver: str):
    """Runs `lle embed INPUT --method ltsa` and returns (embedding, report)."""
    return run_method(binary, workdir, input_path, "ltsa",
                      ["-k", K, "-d", D, "--eigen-solver", solver])


def sklearn_alignment_matrix(x):
    """scikit-learn's dense M for LTSA, and the reconstruction error it reports with it."""
    return sklearn_cost_matrix(x, "ltsa", K, D)


@pytest.fixture(scope="module", params=sorted(GENERATORS))
def data(request, tmp_path_factory):
    x, _ = GENERATORS[request.param](N, random_state=0)
    path = tmp_path_factory.mktemp(request.param) / f"{request.param}.npy"
    np.save(path, x)
    return request.param, x, path


@pytest.fixture(scope="module")
def reference(data):
    _, x, _ = data
    m, error = sklearn_alignment_matrix(x)
    eigenvalues = scipy.linalg.eigh(m, eigvals_only=True, subset_by_index=(1, D))
    estimator = LocallyLinearEmbedding(
        method="ltsa", n_neighbors=K, n_components=D, eigen_solver="dense"
    )
    embedding = estimator.fit_transform(x)
    return {
        "M": m,
        "eigenvalues": eigenvalues,
        "function_error": error,
        "reconstruction_error": estimator.reconstruction_error_,
        "embedding": embedding,
    }


@pytest.fixture(scope="module", params=["dense", "sparse", "gradient"])
def ltsa_run(request, data, lle_binary, tmp_path_factory):
    name, _, path = data
    solver = request.param
    embedding, report = run_ltsa(lle_binary, tmp_path_factory.mktemp(f"{name}_{solver}"), path,
                                 solver)
    return solver, embedding, report


def test_reference_eigenvalues_are_sklearns(reference):
    m = reference["M"]
    assert np.array_equal(m, m.T)
    assert np.abs(m @ np.ones(N)).max() < 1e-12
    total = float(np.sum(reference["eigenvalues"]))
    for error in (reference["function_error"], reference["reconstruction_error"]):
        assert abs(total - error) <= 1e-12 * abs(error), (total, error)


def test_report(ltsa_run):
    solver, embedding, report = ltsa_run
    assert report["method"] == "ltsa"
    assert report["input"]["points"] == N
    assert report["input"]["dimension"] == 3
    assert report["parameters"]["n_neighbors"] == K
    assert report["parameters"]["n_components"] == D
    assert report["solver"]["name"] == solver
    assert report["solver"]["converged"] is True
    assert len(report["eigenvalues"]) == D
    assert report["reconstruction_error"] == pytest.approx(sum(report["eigenvalues"]), rel=1e-12)
    assert embedding.shape == (N, D)


def test_eigenvalues_match_sklearn(ltsa_run, reference):
    _, _, report = ltsa_run
    assert_eigenvalues_close(report["eigenvalues"], reference["eigenvalues"])


def test_reconstruction_error_matches_sklearn(ltsa_run, reference):
    _, _, report = ltsa_run
    assert_eigenvalues_close([sum(report["eigenvalues"])], [reference["reconstruction_error"]])
    assert_eigenvalues_close([report["reconstruction_error"]], [reference["reconstruction_error"]])


def test_embedding_subspace_matches_sklearn(ltsa_run, reference):
    _, embedding, _ = ltsa_run
    angle = largest_principal_angle(embedding, reference["embedding"])
    assert angle < ANGLE_TOL, f"largest principal angle {angle:.3e} rad"


def test_embedding_is_an_eigenbasis_of_sklearns_matrix(ltsa_run, reference):
    # Our eigenpairs are eigenpairs of scikit-learn's M: the two matrices agree where it counts.
    _, embedding, report = ltsa_run
    m = reference["M"]
    scale = norm1(m)
    for j in range(D):
        y = embedding[:, j]
        residual = np.linalg.norm(m @ y - report["eigenvalues"][j] * y)
        assert residual <= 1e-10 * scale, (
            f"column {j}: residual {residual:.3e}, ||M||_1 {scale:.3e}"
        )


def test_embedding_is_orthonormal_and_centred(ltsa_run):
    _, embedding, _ = ltsa_run
    assert_embedding_basis(embedding)


def test_fewer_components_than_neighbours_is_required(lle_binary, tmp_path):
    x, _ = make_swiss_roll(50, random_state=0)
    np.save(tmp_path / "x.npy", x)
    # k = d + 1 makes every local block, and so M, zero: d < k - 1 is required.
    cmd = [str(lle_binary), "embed", "x.npy", "--method", "ltsa", "-k", "3", "-d", "2", "-o",
           "out.npy"]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    for fragment in ("d (n_components)", "d < k - 1 = 2 for ltsa", "got 2"):
        assert fragment in proc.stderr, proc.stderr
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.npy"]
