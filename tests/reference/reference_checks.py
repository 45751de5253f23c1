"""Checks shared by the reference tests: neighbour lists from W, cost matrix, tolerances.

Kept out of conftest.py so that test modules can import them by a name no other test
directory uses.
"""

import json
import subprocess

import numpy as np
import scipy.linalg
import scipy.sparse


def neighbour_lists(w: scipy.sparse.coo_matrix, k: int) -> np.ndarray:
    """Neighbour indices per row, from W's stored pattern (explicit zeros included).

    Asserts that every row holds exactly k distinct entries, none on the diagonal.
    Each row's indices come back sorted ascending.
    """
    n = w.shape[0]
    rows = np.asarray(w.row, dtype=np.int64)
    cols = np.asarray(w.col, dtype=np.int64)
    counts = np.bincount(rows, minlength=n)
    bad = np.flatnonzero(counts != k)
    assert bad.size == 0, f"rows of W without exactly {k} entries, e.g. row {bad[:5]}: {counts[bad[:5]]}"
    order = np.lexsort((cols, rows))
    ind = cols[order].reshape(n, k)
    assert np.all(np.diff(ind, axis=1) > 0), "W has a repeated entry in some row"
    assert not np.any(ind == np.arange(n)[:, None]), "W has a diagonal entry"
    return ind


def weights_at(w: scipy.sparse.coo_matrix, ind: np.ndarray) -> np.ndarray:
    """W[i, ind[i, j]] for every i, j, as an (n, k) array."""
    csr = w.tocsr()
    rows = np.repeat(np.arange(ind.shape[0]), ind.shape[1])
    return np.asarray(csr[rows, ind.ravel()]).reshape(ind.shape)


def norm1(m) -> float:
    """Largest absolute column sum of a dense or sparse matrix (bounds the 2-norm of a
    symmetric matrix)."""
    return float(abs(m).sum(axis=0).max())


def cost_matrix_dense(w) -> np.ndarray:
    """M = (I - W)^T (I - W) as a dense array."""
    a = np.eye(w.shape[0]) - w.toarray()
    return a.T @ a


def assert_eigenvalues_close(ours, ref, rel=1e-6, abs_floor=1e-13):
    ours = np.asarray(ours, dtype=float)
    ref = np.asarray(ref, dtype=float)
    assert ours.shape == ref.shape, f"{ours.shape} eigenvalues, expected {ref.shape}"
    tol = np.maximum(rel * np.abs(ref), abs_floor)
    err = np.abs(ours - ref)
    assert np.all(err <= tol), f"eigenvalues {ours} vs reference {ref}: |diff| {err} > tol {tol}"


def assert_embedding_basis(y: np.ndarray, atol=1e-10):
    """Columns orthonormal and orthogonal to the constant vector, to rounding.

    The constant vector spans M's null space exactly (the rows of W sum to 1), so it can
    be projected out exactly rather than left to the eigensolver to separate through the
    small gap lambda_1 - 0; a solver that relies on that gap alone would leave a constant
    component of up to eps * ||M|| / lambda_1 (about 1e-6 here), which this check rejects.
    """
    n, d = y.shape
    gram = y.T @ y
    dev = np.abs(gram - np.eye(d)).max()
    assert dev < atol, f"embedding columns not orthonormal: max |Y^T Y - I| = {dev:.3e}"
    ones = np.ones(n) / np.sqrt(n)
    proj = np.abs(ones @ y).max()
    assert proj < atol, f"embedding not orthogonal to the constant vector: {proj:.3e}"


def largest_principal_angle(a: np.ndarray, b: np.ndarray) -> float:
    """Largest principal angle (radians) between the column spans of a and b."""
    return float(np.max(scipy.linalg.subspace_angles(a, b)))


def sklearn_cost_matrix(x: np.ndarray, method: str, n_neighbors: int, n_components: int):
    """scikit-learn's dense cost matrix M for `method`, as its `locally_linear_embedding`
    hands it to the module's `null_space` (captured by a wrapper that lets the original
    run), and the reconstruction error that function returns."""
    import sklearn.manifold._locally_linear as sklearn_lle

    captured = []
    original = sklearn_lle.null_space

    def capture(m, *args, **kwargs):
        captured.append(np.array(m, dtype=np.float64, copy=True))
        return original(m, *args, **kwargs)

    sklearn_lle.null_space = capture
    try:
        _, error = sklearn_lle.locally_linear_embedding(
            x, n_neighbors=n_neighbors, n_components=n_components, method=method,
            eigen_solver="dense")
    finally:
        sklearn_lle.null_space = original
    assert len(captured) == 1
    return captured[0], error


def run_method(binary, workdir, input_path, method: str, args=()):
    """Runs `lle embed INPUT --method METHOD ARGS -o ... --report ... -q`, asserts exit 0 and
    returns (embedding, report). No --save-weights: only standard LLE has W."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "embedding.npy"
    report = workdir / "report.json"
    cmd = [str(binary), "embed", str(input_path), "--method", method, *map(str, args),
           "-o", str(out), "--report", str(report), "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"lle exited with {proc.returncode}\ncommand: {' '.join(cmd)}\nstderr:\n{proc.stderr}")
    with open(report) as handle:
        return np.load(out), json.load(handle)
