"""Modified LLE from the `lle` command against scikit-learn's implementation.

Data sets, n = 1500, k = 12, d = 2, each run with the dense, the sparse and the gradient eigensolver:
  * scikit-learn's swiss roll and S-curve (D = 3 < k: scikit-learn's SVD branch);
  * a swiss roll padded with small noise to D = 20 and rotated (k <= D: its eigh branch).

The reference eigenvalues are those of the cost matrix M that scikit-learn's dense path
builds (captured from its `null_space` call); they must sum to its reconstruction_error_.
Tolerances: eigenvalues max(1e-6 relative, 1e-13 absolute), embedding subspaces 1e-4 rad
largest principal angle. The command line's parameter rule d < k is checked last.
"""

import subprocess

import numpy as np
import pytest
import scipy.linalg
from sklearn.datasets import make_s_curve, make_swiss_roll
from sklearn.manifold import LocallyLinearEmbedding

from reference_checks import (assert_eigenvalues_close, assert_embedding_basis,
                              largest_principal_angle, run_method, sklearn_cost_matrix)

N = 1500
K = 12
D = 2
ANGLE_TOL = 1e-4  # radians


def padded_swiss_roll(n, dimension=20, noise=0.05, seed=0):
    """make_swiss_roll in the first 3 of `dimension` coordinates, Gaussian noise in the
    others, then a random rotation."""
    rng = np.random.RandomState(seed)
    x, _ = make_swiss_roll(n, random_state=seed)
    padded = np.hstack([x, noise * rng.randn(n, dimension - 3)])
    rotation, _ = np.linalg.qr(rng.randn(dimension, dimension))
    return padded @ rotation.T


DATASETS = {
    "swiss_roll": lambda: make_swiss_roll(N, random_state=0)[0],
    "s_curve": lambda: make_s_curve(N, random_state=0)[0],
    "padded_swiss_roll": lambda: padded_swiss_roll(N),
}


def sklearn_modified_lle(x):
    """scikit-learn's dense modified LLE of x, with the cost matrix M its dense path built."""
    m, _ = sklearn_cost_matrix(x, "modified", K, D)
    estimator = LocallyLinearEmbedding(
        method="modified", n_neighbors=K, n_components=D, eigen_solver="dense"
    )
    embedding = estimator.fit_transform(x)
    eigenvalues = scipy.linalg.eigh(m, subset_by_index=(1, D), eigvals_only=True)
    return {
        "M": m,
        "eigenvalues": eigenvalues,
        "embedding": embedding,
        "reconstruction_error": estimator.reconstruction_error_,
    }


def run_modified(binary, workdir, input_path, solver):
    """`lle embed INPUT --method modified -k K -d D --eigen-solver solver`: embedding, report."""
    return run_method(binary, workdir, input_path, "modified",
                      ["-k", K, "-d", D, "--eigen-solver", solver])


@pytest.fixture(scope="module", params=sorted(DATASETS))
def dataset(request, tmp_path_factory):
    x = DATASETS[request.param]()
    # With duplicates, sklearn's first neighbour need not be the point itself.
    assert len(np.unique(x, axis=0)) == len(x), "data set has duplicate points"
    path = tmp_path_factory.mktemp(request.param) / "points.npy"
    np.save(path, x)
    return request.param, x, path


@pytest.fixture(scope="module")
def reference(dataset):
    _, x, _ = dataset
    return sklearn_modified_lle(x)


@pytest.fixture(scope="module", params=["dense", "sparse", "gradient"])
def ours(request, dataset, lle_binary, tmp_path_factory):
    name, _, path = dataset
    workdir = tmp_path_factory.mktemp(f"{name}_{request.param}")
    embedding, report = run_modified(lle_binary, workdir, path, request.param)
    return request.param, embedding, report


def test_reference_eigenvalues_are_sklearns(reference):
    # The eigenvalues of the captured M sum to what sklearn's estimator reports.
    total = float(np.sum(reference["eigenvalues"]))
    expected = reference["reconstruction_error"]
    assert abs(total - expected) <= 1e-12 * abs(expected), (total, expected)


def test_report(ours, dataset):
    solver, embedding, report = ours
    _, x, _ = dataset
    assert report["method"] == "modified"
    assert report["input"]["points"] == N
    assert report["input"]["dimension"] == x.shape[1]
    assert report["parameters"]["n_neighbors"] == K
    assert report["parameters"]["n_components"] == D
    assert report["solver"]["name"] == solver
    assert report["solver"]["converged"] is True
    assert embedding.shape == (N, D)


def test_eigenvalues_match_sklearn(ours, reference):
    _, _, report = ours
    assert_eigenvalues_close(report["eigenvalues"], reference["eigenvalues"])


def test_reconstruction_error_matches_sklearn(ours, reference):
    _, _, report = ours
    assert report["reconstruction_error"] == pytest.approx(sum(report["eigenvalues"]), rel=1e-12)
    assert_eigenvalues_close([report["reconstruction_error"]], [reference["reconstruction_error"]])


def test_embedding_subspace_matches_sklearn(ours, reference):
    _, embedding, _ = ours
    angle = largest_principal_angle(embedding, reference["embedding"])
    assert angle < ANGLE_TOL, f"largest principal angle {angle:.3e} rad"


def test_embedding_is_orthonormal_and_centred(ours):
    _, embedding, _ = ours
    assert_embedding_basis(embedding)


def test_embedding_is_an_eigenbasis_of_sklearns_matrix(ours, reference):
    # Our eigenpairs are eigenpairs of sklearn's M: residuals at rounding level.
    _, embedding, report = ours
    m = reference["M"]
    norm_m = float(np.abs(m).sum(axis=0).max())
    for j in range(D):
        y = embedding[:, j]
        residual = np.linalg.norm(m @ y - report["eigenvalues"][j] * y)
        assert residual <= 1e-10 * norm_m, f"column {j}: residual {residual:.3e}"


# --------------------------------------------------------------------------------------
# The parameter rule d < k, from the command line
# --------------------------------------------------------------------------------------


def run_cli(binary, *args):
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_cli_rejects_d_not_below_k(lle_binary, tmp_path):
    out = tmp_path / "out.npy"
    proc = run_cli(lle_binary, "embed", "--samples", 100, "--method", "modified", "-k", 2, "-d", 2,
                   "-o", out)
    assert proc.returncode == 2, proc.stderr
    for fragment in ("d (n_components)", "d < k = 2", "modified", "(got 2)"):
        assert fragment in proc.stderr, proc.stderr
    assert not out.exists()


def test_cli_accepts_d_one_below_k(lle_binary, tmp_path):
    out = tmp_path / "out.npy"
    proc = run_cli(lle_binary, "embed", "--samples", 100, "--method", "modified", "-k", 3, "-d", 2,
                   "--eigen-solver", "dense", "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr
    assert np.load(out).shape == (100, 2)
