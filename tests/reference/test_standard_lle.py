"""Standard LLE from the `lle` command against scikit-learn's implementation.

Three data sets:
  * a swiss roll (continuous data, no distance ties): weights, eigenvalues and the
    embedding subspace must match scikit-learn's dense solution, for every eigensolver;
  * scikit-learn's digits (integer pixels, so the k-th neighbour is often tied):
    the neighbour sets may differ from scikit-learn's only among tied points, and must
    be exactly brute force with ties broken by the smaller index; weights and
    embedding are then checked against computations on those neighbours;
  * the first 10,000 Fashion-MNIST training images (skipped when not installed):
    exact neighbours and weights.

Tolerances: weights 1e-9 absolute, eigenvalues max(1e-6 relative, 1e-13 absolute),
embedding subspaces 1e-4 rad largest principal angle.
"""

import gzip
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse
from sklearn.datasets import make_swiss_roll
from sklearn.manifold import LocallyLinearEmbedding
from sklearn.manifold._locally_linear import barycenter_kneighbors_graph, barycenter_weights
from sklearn.neighbors import NearestNeighbors

from reference_checks import (
    assert_eigenvalues_close,
    assert_embedding_basis,
    cost_matrix_dense,
    neighbour_lists,
    norm1,
    run_method,
    weights_at,
)

REG = 1e-3
WEIGHT_TOL = 1e-9
ANGLE_TOL = 1e-4  # radians

DIGITS_PATH = Path("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz")
FASHION_PATH = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")


def largest_principal_angle(a, b):
    return float(np.max(scipy.linalg.subspace_angles(a, b)))


def smallest_nontrivial_eigenpairs(m_dense, d):
    """Eigenpairs 1..d (skipping the constant null vector), as sklearn's dense path does."""
    return scipy.linalg.eigh(m_dense, subset_by_index=(1, d))


def sklearn_dense_cost_matrix(w):
    """M exactly as sklearn's locally_linear_embedding builds it for eigen_solver='dense'."""
    m = (w.T * w - w.T - w).toarray()
    m.flat[:: m.shape[0] + 1] += 1
    return m


def assert_no_duplicate_points(x):
    # With duplicates, the first column of sklearn's kneighbors(X) need not be the point
    # itself, and its neighbour graph would not be comparable.
    assert len(np.unique(x, axis=0)) == len(x), "data set has duplicate points"


# --------------------------------------------------------------------------------------
# Swiss roll, n = 1000, k = 12, d = 2
# --------------------------------------------------------------------------------------

SWISS_N = 1000
SWISS_K = 12
SWISS_D = 2


@pytest.fixture(scope="module")
def swiss(tmp_path_factory):
    x, _ = make_swiss_roll(SWISS_N, random_state=0)
    path = tmp_path_factory.mktemp("swiss") / "swiss_roll.npy"
    np.save(path, x)
    return x, path


@pytest.fixture(scope="module")
def swiss_sklearn(swiss):
    x, _ = swiss
    w = barycenter_kneighbors_graph(x, SWISS_K, reg=REG)
    m = sklearn_dense_cost_matrix(w)
    eigenvalues, _ = smallest_nontrivial_eigenpairs(m, SWISS_D)
    lle = LocallyLinearEmbedding(
        n_neighbors=SWISS_K, n_components=SWISS_D, eigen_solver="dense", reg=REG
    )
    embedding = lle.fit_transform(x)
    return {
        "W": w.tocsr(),
        "eigenvalues": eigenvalues,
        "embedding": embedding,
        "reconstruction_error": lle.reconstruction_error_,
    }


@pytest.fixture(scope="module", params=["dense", "sparse", "gradient"])
def swiss_run(request, swiss, run_lle_module):
    _, path = swiss
    args = ["-k", SWISS_K, "-d", SWISS_D, "--eigen-solver", request.param]
    return request.param, run_lle_module(f"swiss_{request.param}", args, path)


def test_swiss_reference_eigenvalues_are_sklearns(swiss_sklearn):
    # The eigenvalues used as reference sum to what sklearn's estimator reports.
    total = float(np.sum(swiss_sklearn["eigenvalues"]))
    expected = swiss_sklearn["reconstruction_error"]
    assert abs(total - expected) <= 1e-12 * abs(expected), (total, expected)


def test_swiss_report(swiss_run):
    solver, run = swiss_run
    rep = run.report
    assert rep["input"]["points"] == SWISS_N
    assert rep["input"]["dimension"] == 3
    assert rep["parameters"]["n_neighbors"] == SWISS_K
    assert rep["parameters"]["n_components"] == SWISS_D
    assert rep["solver"]["name"] == solver
    assert rep["solver"]["converged"] is True
    assert len(rep["eigenvalues"]) == SWISS_D
    assert rep["reconstruction_error"] == pytest.approx(sum(rep["eigenvalues"]), rel=1e-12)
    assert run.embedding.shape == (SWISS_N, SWISS_D)
    assert run.weights.shape == (SWISS_N, SWISS_N)


def test_swiss_weights_match_sklearn(swiss_run, swiss_sklearn):
    _, run = swiss_run
    ours = run.weights.tocsr()
    ref = swiss_sklearn["W"]
    ind = neighbour_lists(run.weights, SWISS_K)
    ref_ind = np.sort(ref.indices.reshape(SWISS_N, SWISS_K), axis=1)
    differing = np.flatnonzero(np.any(ind != ref_ind, axis=1))
    assert differing.size == 0, f"neighbour sets differ from sklearn's in rows {differing[:10]}"
    diff = abs(ours - ref).max()
    assert diff <= WEIGHT_TOL, f"max |W - W_sklearn| = {diff:.3e}"


def test_swiss_eigenvalues_match_sklearn(swiss_run, swiss_sklearn):
    _, run = swiss_run
    assert_eigenvalues_close(run.report["eigenvalues"], swiss_sklearn["eigenvalues"])


def test_swiss_embedding_subspace_matches_sklearn(swiss_run, swiss_sklearn):
    _, run = swiss_run
    angle = largest_principal_angle(run.embedding, swiss_sklearn["embedding"])
    assert angle < ANGLE_TOL, f"largest principal angle {angle:.3e} rad"


def test_swiss_embedding_is_orthonormal_and_centred(swiss_run):
    _, run = swiss_run
    assert_embedding_basis(run.embedding)


# --------------------------------------------------------------------------------------
# Digits, n = 1797, 64 integer pixels, k = 10, d = 2
# --------------------------------------------------------------------------------------

DIGITS_K = 10
DIGITS_D = 2


@pytest.fixture(scope="module")
def digits():
    if not DIGITS_PATH.is_file():
        pytest.skip(f"scikit-learn's digits data not found at {DIGITS_PATH}")
    with gzip.open(DIGITS_PATH, "rt") as f:
        first = f.readline()
    # The file has no header: its first line is already 65 integers.
    assert all(field.strip().lstrip("-").isdigit() for field in first.split(",")), first
    table = np.loadtxt(DIGITS_PATH, delimiter=",", dtype=np.int64)
    assert table.shape == (1797, 65)
    pixels = table[:, :64]
    assert_no_duplicate_points(pixels)
    return pixels


@pytest.fixture(scope="module")
def digits_sqdist(digits):
    """Exact squared distances, in integer arithmetic."""
    p = digits.astype(np.int64)
    norms = np.einsum("ij,ij->i", p, p)
    d2 = norms[:, None] + norms[None, :] - 2 * (p @ p.T)
    assert np.all(np.diag(d2) == 0)
    return d2


@pytest.fixture(scope="module", params=["auto", "dense", "gradient"])
def digits_run(request, run_lle_module):
    if not DIGITS_PATH.is_file():
        pytest.skip(f"scikit-learn's digits data not found at {DIGITS_PATH}")
    args = ["--label-column", 64, "-k", DIGITS_K, "-d", DIGITS_D, "--eigen-solver", request.param]
    return request.param, run_lle_module(f"digits_{request.param}", args, DIGITS_PATH)


def test_digits_report(digits_run):
    solver, run = digits_run
    rep = run.report
    assert rep["input"]["points"] == 1797
    assert rep["input"]["dimension"] == 64
    # auto picks the sparse solver above 1500 points.
    assert rep["solver"]["name"] == ("sparse" if solver == "auto" else solver)
    assert rep["solver"]["converged"] is True
    assert run.embedding.shape == (1797, DIGITS_D)


def test_digits_neighbours_are_brute_force_with_index_tie_break(digits_run, digits_sqdist):
    _, run = digits_run
    n = digits_sqdist.shape[0]
    ours = neighbour_lists(run.weights, DIGITS_K)
    keyed = digits_sqdist.copy()
    keyed[np.arange(n), np.arange(n)] = -1  # self sorts first and is dropped
    index = np.broadcast_to(np.arange(n), keyed.shape)
    order = np.lexsort((index, keyed), axis=1)  # by distance, then by index
    assert np.all(order[:, 0] == np.arange(n))
    expected = np.sort(order[:, 1 : DIGITS_K + 1], axis=1)
    differing = np.flatnonzero(np.any(ours != expected, axis=1))
    if differing.size:
        i = differing[0]
        pytest.fail(
            f"{differing.size} rows differ from brute force, e.g. row {i}: "
            f"ours {ours[i]} at {digits_sqdist[i, ours[i]]}, "
            f"expected {expected[i]} at {digits_sqdist[i, expected[i]]}"
        )


def test_digits_neighbours_differ_from_sklearn_only_by_ties(digits_run, digits, digits_sqdist):
    _, run = digits_run
    n = digits.shape[0]
    ours = neighbour_lists(run.weights, DIGITS_K)
    knn = NearestNeighbors(n_neighbors=DIGITS_K + 1).fit(digits.astype(np.float64))
    sk = knn.kneighbors(digits.astype(np.float64))[1]
    assert np.all(sk[:, 0] == np.arange(n)), "sklearn's first neighbour is not the point"
    sk = sk[:, 1:]
    off_diag = digits_sqdist + np.diag(np.full(n, np.iinfo(np.int64).max // 2))
    kth = np.sort(off_diag, axis=1)[:, DIGITS_K - 1]  # exact k-th neighbour distance
    for i in range(n):
        diff = sorted(set(ours[i].tolist()) ^ set(sk[i].tolist()))
        bad = [j for j in diff if digits_sqdist[i, j] != kth[i]]
        assert not bad, (
            f"row {i}: neighbours {bad} differ from sklearn's at squared distances "
            f"{[int(digits_sqdist[i, j]) for j in bad]}, k-th distance is {int(kth[i])}"
        )


def test_digits_weights_match_sklearn_on_our_neighbours(digits_run, digits):
    _, run = digits_run
    ind = neighbour_lists(run.weights, DIGITS_K)
    x = digits.astype(np.float64)
    ref = barycenter_weights(x, x, ind, reg=REG)
    ours = weights_at(run.weights, ind)
    diff = np.abs(ours - ref).max()
    assert diff <= WEIGHT_TOL, f"max |W - barycenter_weights| = {diff:.3e}"


def test_digits_embedding_is_null_space_of_our_cost_matrix(digits_run):
    _, run = digits_run
    m = cost_matrix_dense(run.weights)
    eigenvalues, eigenvectors = smallest_nontrivial_eigenpairs(m, DIGITS_D)
    assert_eigenvalues_close(run.report["eigenvalues"], eigenvalues)
    angle = largest_principal_angle(run.embedding, eigenvectors)
    assert angle < ANGLE_TOL, f"largest principal angle {angle:.3e} rad"
    assert_embedding_basis(run.embedding)


# --------------------------------------------------------------------------------------
# Fashion-MNIST, first 10,000 training images, k = 10, d = 2
# --------------------------------------------------------------------------------------

FASHION_N = 10_000
FASHION_K = 10
FASHION_D = 2


def read_idx_images(path, limit):
    with gzip.open(path, "rb") as f:
        header = f.read(16)
        magic, count, rows, cols = (int.from_bytes(header[i : i + 4], "big") for i in range(0, 16, 4))
        assert magic == 0x00000803, f"not an IDX image file: magic {magic:#x}"
        count = min(count, limit)
        data = f.read(count * rows * cols)
    return np.frombuffer(data, dtype=np.uint8).reshape(count, rows * cols)


@pytest.fixture(scope="module")
def fashion():
    if not FASHION_PATH.is_file():
        pytest.skip(f"Fashion-MNIST not found at {FASHION_PATH}")
    images = read_idx_images(FASHION_PATH, FASHION_N)
    assert images.shape == (FASHION_N, 784)
    assert_no_duplicate_points(images)
    return images


@pytest.fixture(scope="module")
def fashion_run(fashion, run_lle_module):
    args = ["--limit", FASHION_N, "-k", FASHION_K, "-d", FASHION_D]
    return run_lle_module("fashion", args, FASHION_PATH)


def exact_row_sqdist(images, rows, cols):
    """Exact squared distances between images[rows[i]] and images[cols[i, j]], as int64."""
    out = np.empty(cols.shape, dtype=np.int64)
    for start in range(0, len(rows), 1000):  # bounded memory
        part = slice(start, start + 1000)
        a = images[rows[part]].astype(np.int64)[:, None, :]
        b = images[cols[part]].astype(np.int64)
        out[part] = np.sum((a - b) ** 2, axis=2)
    return out


def test_fashion_report(fashion_run):
    rep = fashion_run.report
    assert rep["input"]["points"] == FASHION_N
    assert rep["input"]["dimension"] == 784
    assert rep["solver"]["converged"] is True
    assert fashion_run.embedding.shape == (FASHION_N, FASHION_D)


def test_fashion_neighbours_are_exact(fashion_run, fashion):
    n = FASHION_N
    ours = neighbour_lists(fashion_run.weights, FASHION_K)
    x = fashion.astype(np.float64)
    sk_dist, sk_ind = NearestNeighbors(n_neighbors=FASHION_K + 1).fit(x).kneighbors(x)
    assert np.all(sk_ind[:, 0] == np.arange(n)), "sklearn's first neighbour is not the point"
    sk_dist, sk_ind = sk_dist[:, 1:], sk_ind[:, 1:]

    rows = np.arange(n)
    our_d2 = exact_row_sqdist(fashion, rows, ours)
    sk_d2 = exact_row_sqdist(fashion, rows, sk_ind)

    # Per rank, our distances equal sklearn's (a brute-force search).
    our_sorted = np.sqrt(np.sort(our_d2, axis=1).astype(np.float64))
    rel = np.abs(our_sorted - sk_dist) / np.maximum(sk_dist, 1e-300)
    worst = np.unravel_index(np.argmax(rel), rel.shape)
    assert rel[worst] <= 1e-9, (
        f"row {worst[0]} rank {worst[1]}: our distance {our_sorted[worst]!r}, "
        f"sklearn's {sk_dist[worst]!r}"
    )
    # Sets differ only among points tied at the k-th distance.
    kth_ours = our_d2.max(axis=1)
    kth_sk = sk_d2.max(axis=1)
    assert np.array_equal(kth_ours, kth_sk)
    for i in np.flatnonzero(np.any(np.sort(ours, axis=1) != np.sort(sk_ind, axis=1), axis=1)):
        diff = np.array(sorted(set(ours[i].tolist()) ^ set(sk_ind[i].tolist())))
        d2 = exact_row_sqdist(fashion, np.array([i]), diff[None, :])[0]
        assert np.all(d2 == kth_ours[i]), (
            f"row {i}: neighbours {diff} differ from sklearn's at squared distances {d2}, "
            f"k-th distance {kth_ours[i]}"
        )


def test_fashion_weights_match_sklearn_on_our_neighbours(fashion_run, fashion):
    ind = neighbour_lists(fashion_run.weights, FASHION_K)
    x = fashion.astype(np.float64)
    ref = barycenter_weights(x, x, ind, reg=REG)
    ours = weights_at(fashion_run.weights, ind)
    diff = np.abs(ours - ref).max()
    assert diff <= WEIGHT_TOL, f"max |W - barycenter_weights| = {diff:.3e}"


def test_fashion_embedding_is_eigenbasis_of_our_cost_matrix(fashion_run):
    # Without a dense eigendecomposition: the columns are eigenvectors of our sparse M
    # with the reported eigenvalues, orthonormal and orthogonal to the constant vector.
    y = fashion_run.embedding
    w = fashion_run.weights.tocsr()
    a = scipy.sparse.identity(FASHION_N, format="csr") - w
    m = (a.T @ a).tocsr()
    lam = np.asarray(fashion_run.report["eigenvalues"])
    norm_m = norm1(m)
    assert_embedding_basis(y)
    for j in range(FASHION_D):
        rayleigh = float(y[:, j] @ (m @ y[:, j]))
        assert_eigenvalues_close([lam[j]], [rayleigh])
        residual = np.linalg.norm(m @ y[:, j] - lam[j] * y[:, j])
        assert residual <= 1e-10 * norm_m, f"column {j}: residual {residual:.3e}, ||M||_1 {norm_m:.3e}"


def test_float32_points_match_scikit_learn_on_the_same_float32_data(lle_binary, tmp_path):
    """`--dtype float32` keeps the points in single precision and computes in double from
    there, so on float32 data it matches scikit-learn (which computes in float64 from the same
    values) as closely as float64 runs do: the bounds here are only 10x looser."""
    x, _ = make_swiss_roll(n_samples=1500, noise=0.0, random_state=3)
    x32 = x.astype(np.float32)
    np.save(tmp_path / "roll32.npy", x32)
    y, report = run_method(lle_binary, tmp_path / "run", tmp_path / "roll32.npy", "standard",
                           ("-k", 12, "--dtype", "float32"))
    assert report["input"]["dtype"] == "float32"
    reference = LocallyLinearEmbedding(n_neighbors=12, n_components=2, eigen_solver="dense",
                                       reg=REG).fit(x32.astype(np.float64))
    assert np.max(scipy.linalg.subspace_angles(y, reference.embedding_)) < 10 * ANGLE_TOL
    assert report["reconstruction_error"] == pytest.approx(reference.reconstruction_error_,
                                                           rel=1e-5)
