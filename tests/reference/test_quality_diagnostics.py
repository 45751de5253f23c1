"""`lle embed --quality` and `--diagnostics` against scikit-learn on the same data.

Trustworthiness and continuity: the report's values against scikit-learn 1.2.1's
`sklearn.manifold.trustworthiness(X, Y, n_neighbors=k)` and `trustworthiness(Y, X, k)`
(continuity), on the command's own embedding, to 1e-12: exact for every method, at the run's
k and at another, for float32 input, and for a sample of all n points. The data are
continuous (no tied distances), where the tie-breaking of the two cannot differ.

Diagnostics: the residual of each point against the barycentric weights scikit-learn computes
(`barycenter_weights`, same neighbours, same reg), for every method, to 1e-9 relative.
"""

import json
import subprocess

import numpy as np
import pytest
from sklearn.datasets import make_s_curve, make_swiss_roll
from sklearn.manifold import trustworthiness
from sklearn.manifold._locally_linear import barycenter_weights
from sklearn.neighbors import NearestNeighbors

N = 700
K = 10
TOLERANCE = 1e-12


def run(binary, workdir, input_path, *args):
    """Runs `lle embed INPUT ARGS -o Y.npy --report R.json --diagnostics D.csv -q`; returns the
    embedding, the report and the diagnostics table."""
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [str(binary), "embed", str(input_path), *map(str, args), "-o",
           str(workdir / "y.npy"), "--report", str(workdir / "r.json"), "--diagnostics",
           str(workdir / "d.csv"), "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
    table = np.genfromtxt(workdir / "d.csv", delimiter=",", names=True)
    return (np.load(workdir / "y.npy"), json.loads((workdir / "r.json").read_text()), table)


@pytest.fixture(scope="module", params=["swiss_roll", "s_curve"])
def data(request, tmp_path_factory):
    generator = {"swiss_roll": make_swiss_roll, "s_curve": make_s_curve}[request.param]
    x, _ = generator(N, noise=0.05, random_state=1)
    path = tmp_path_factory.mktemp(request.param) / "x.npy"
    np.save(path, x)
    return x, path


@pytest.mark.parametrize("method", ["standard", "modified", "hessian", "ltsa"])
def test_exact_quality_matches_scikit_learn(lle_binary, tmp_path, data, method):
    x, path = data
    y, report, _ = run(lle_binary, tmp_path, path, "--method", method, "-k", K, "--quality")
    quality = report["quality"]
    assert quality["exact"] is True and quality["sample_size"] == N
    assert quality["trustworthiness"] == pytest.approx(
        trustworthiness(x, y, n_neighbors=K), abs=TOLERANCE)
    assert quality["continuity"] == pytest.approx(
        trustworthiness(y, x, n_neighbors=K), abs=TOLERANCE)


@pytest.mark.parametrize("quality_k", [3, 25])
def test_quality_at_another_k(lle_binary, tmp_path, data, quality_k):
    x, path = data
    y, report, _ = run(lle_binary, tmp_path, path, "-k", K, "--quality", "--quality-k",
                       quality_k)
    assert report["quality"]["n_neighbors"] == quality_k
    assert report["quality"]["trustworthiness"] == pytest.approx(
        trustworthiness(x, y, n_neighbors=quality_k), abs=TOLERANCE)
    assert report["quality"]["continuity"] == pytest.approx(
        trustworthiness(y, x, n_neighbors=quality_k), abs=TOLERANCE)


def test_a_sample_of_every_point_is_exact(lle_binary, tmp_path, data):
    x, path = data
    y, report, _ = run(lle_binary, tmp_path, path, "-k", K, "--quality", "--quality-sample", N,
                       "--seed", 11)
    assert report["quality"]["sample_size"] == N
    assert report["quality"]["trustworthiness"] == pytest.approx(
        trustworthiness(x, y, n_neighbors=K), abs=TOLERANCE)


def test_a_smaller_sample_estimates_the_exact_value(lle_binary, tmp_path, data):
    # 300 of 700 points: the estimate's standard error here is of the order of 1e-4.
    x, path = data
    y, report, _ = run(lle_binary, tmp_path, path, "-k", K, "--quality", "--quality-sample",
                       300)
    assert report["quality"]["sample_size"] == 300 and report["quality"]["exact"] is False
    exact = trustworthiness(x, y, n_neighbors=K)
    assert report["quality"]["trustworthiness"] == pytest.approx(exact, abs=5e-3)
    assert report["quality"]["trustworthiness"] != exact


def test_single_precision_input(lle_binary, tmp_path, data):
    x, _ = data
    single = x.astype(np.float32)
    path = tmp_path / "x32.npy"
    np.save(path, single)
    y, report, _ = run(lle_binary, tmp_path / "run", path, "--dtype", "float32", "-k", K,
                       "--quality")
    wide = single.astype(np.float64)
    assert report["quality"]["trustworthiness"] == pytest.approx(
        trustworthiness(wide, y, n_neighbors=K), abs=TOLERANCE)
    assert report["quality"]["continuity"] == pytest.approx(
        trustworthiness(y, wide, n_neighbors=K), abs=TOLERANCE)


@pytest.mark.parametrize("method,reg", [("standard", 1e-3), ("modified", 1e-3), ("ltsa", 1e-3),
                                        ("hessian", 0.1), ("standard", 0.1)])
def test_residuals_use_scikit_learns_barycentric_weights(lle_binary, tmp_path, data, method, reg):
    x, path = data
    _, _, table = run(lle_binary, tmp_path, path, "--method", method, "-k", K, "--reg", reg)
    neighbours = NearestNeighbors(n_neighbors=K + 1).fit(x).kneighbors(
        x, return_distance=False)[:, 1:]
    weights = barycenter_weights(x, x, neighbours, reg=reg)
    residual = np.linalg.norm(x - np.einsum("ij,ijk->ik", weights, x[neighbours]), axis=1)
    np.testing.assert_array_equal(table["row"], np.arange(N))
    np.testing.assert_allclose(table["residual"], residual, rtol=1e-9)
