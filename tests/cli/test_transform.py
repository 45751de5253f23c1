"""`lle embed --save-model` and `lle transform`: mapping new points into a fitted embedding."""

import struct

import numpy as np
import pytest
from checks import swiss_roll


def fit(run_lle, tmp_path, points, *options, name="model"):
    np.save(tmp_path / f"{name}-train.npy", points)
    result = run_lle("embed", f"{name}-train.npy", "-k", "12", "-o", f"{name}-embedding.npy",
                     "--save-model", f"{name}.lle", "-q", *options)
    assert result.returncode == 0, result.stderr
    return np.load(tmp_path / f"{name}-embedding.npy")


def transform(run_lle, tmp_path, points, model="model.lle"):
    np.save(tmp_path / "new.npy", points)
    result = run_lle("transform", "--model", model, "new.npy", "-o", "mapped.npy", "-q")
    assert result.returncode == 0, result.stderr
    return np.load(tmp_path / "mapped.npy")


def test_training_points_map_exactly_to_their_coordinates(run_lle, tmp_path):
    points = swiss_roll(800, seed=1)
    embedding = fit(run_lle, tmp_path, points)
    order = np.random.default_rng(2).permutation(800)[:100]
    mapped = transform(run_lle, tmp_path, points[order])
    np.testing.assert_array_equal(mapped, embedding[order])


def test_new_point_is_the_barycentric_combination_of_its_neighbours(run_lle, tmp_path):
    # Oracle in numpy: brute-force 12 nearest training points, weights from the regularised
    # local Gram matrix, weighted sum of their coordinates.
    points = swiss_roll(600, seed=3)
    embedding = fit(run_lle, tmp_path, points, "--reg", "0.01")
    queries = swiss_roll(40, seed=4) + 0.05
    mapped = transform(run_lle, tmp_path, queries)
    for query, got in zip(queries, mapped):
        distances = ((points - query) ** 2).sum(axis=1)
        neighbours = np.lexsort((np.arange(len(points)), distances))[:12]
        g = points[neighbours] - query
        c = g @ g.T
        c += np.eye(12) * 0.01 * np.trace(c)
        w = np.linalg.solve(c, np.ones(12))
        w /= w.sum()
        np.testing.assert_allclose(got, w @ embedding[neighbours], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", ["standard", "modified", "hessian", "ltsa"])
def test_held_out_points_land_where_a_full_fit_puts_them(run_lle, tmp_path, method):
    # Standard LLE's bottom eigenvectors are close together on a swiss roll of 2,000 points
    # (fits of 2,000 and 2,400 points differ by more than a linear map); at 3,000 they separate.
    everything = swiss_roll(3600, seed=5)
    train, held_out = everything[:3000], everything[3000:]
    model_embedding = fit(run_lle, tmp_path, train, "--method", method, name=method)
    full = fit(run_lle, tmp_path, everything, "--method", method, name=f"{method}-full")
    mapped = transform(run_lle, tmp_path, held_out, model=f"{method}.lle")

    # The two fits agree up to a linear map (sign, rotation, scale): estimate it on the
    # training points, then compare the held-out points in the full fit's coordinates.
    alignment, *_ = np.linalg.lstsq(model_embedding, full[:3000], rcond=None)
    training_error = np.linalg.norm(model_embedding @ alignment - full[:3000])
    assert training_error < 0.1 * np.linalg.norm(full[:3000])
    error = np.linalg.norm(mapped @ alignment - full[3000:], axis=1)
    spread = np.linalg.norm(full[3000:] - full[3000:].mean(axis=0), axis=1).mean()
    assert np.median(error) < 0.1 * spread, (np.median(error), spread)


def test_model_file_layout(run_lle, tmp_path):
    points = swiss_roll(300, seed=6)
    embedding = fit(run_lle, tmp_path, points, "--reg", "0.002")
    data = (tmp_path / "model.lle").read_bytes()
    assert data[:8] == b"LLEMODEL"
    version, method, n, dimension, components, k = struct.unpack_from("<IIQQQQ", data, 8)
    reg, hessian_tol, modified_tol = struct.unpack_from("<ddd", data, 48)
    assert (version, method, n, dimension, components, k) == (1, 0, 300, 3, 2, 12)
    assert (reg, hessian_tol, modified_tol) == (0.002, 1e-4, 1e-12)
    assert len(data) == 72 + 8 * 300 * (3 + 2)
    stored = np.frombuffer(data, dtype="<f8", offset=72)
    np.testing.assert_array_equal(stored[: 300 * 3].reshape(300, 3), points)
    np.testing.assert_array_equal(stored[300 * 3:].reshape(300, 2), embedding)


def test_truncated_and_foreign_model_files(run_lle, tmp_path):
    points = swiss_roll(300, seed=7)
    fit(run_lle, tmp_path, points)
    data = (tmp_path / "model.lle").read_bytes()
    (tmp_path / "short.lle").write_bytes(data[:-8])
    (tmp_path / "header.lle").write_bytes(data[:40])
    (tmp_path / "foreign.lle").write_bytes(b"\x93NUMPY" + data[6:])
    np.save(tmp_path / "new.npy", points[:5])
    for name, fragment in [("short.lle", "truncated"), ("header.lle", "truncated"),
                           ("foreign.lle", "not an lle model file"),
                           ("absent.lle", "cannot open")]:
        result = run_lle("transform", "--model", name, "new.npy", "-o", "out.npy")
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("lle: error: ")
        assert name in result.stderr and fragment in result.stderr, result.stderr
        assert not (tmp_path / "out.npy").exists()


def test_dimension_mismatch_is_an_error(run_lle, tmp_path):
    fit(run_lle, tmp_path, swiss_roll(300, seed=8))
    np.save(tmp_path / "flat.npy", np.zeros((5, 2)))
    result = run_lle("transform", "--model", "model.lle", "flat.npy", "-o", "out.npy")
    assert result.returncode == 1
    assert "2 columns" in result.stderr and "fitted on 3" in result.stderr
    assert not (tmp_path / "out.npy").exists()


def test_transform_requires_a_model(run_lle, tmp_path):
    np.save(tmp_path / "new.npy", np.zeros((5, 3)))
    result = run_lle("transform", "new.npy")
    assert result.returncode == 2
    assert "--model" in result.stderr


def test_an_output_over_the_input_is_refused(run_lle, tmp_path):
    fit(run_lle, tmp_path, swiss_roll(300, seed=8))
    np.save(tmp_path / "new.npy", swiss_roll(5, seed=9))
    before = (tmp_path / "new.npy").read_bytes()
    result = run_lle("transform", "--model", "model.lle", "new.npy", "-o", "new.npy")
    assert result.returncode == 2
    assert "new.npy: the same file as INPUT new.npy" in result.stderr
    assert (tmp_path / "new.npy").read_bytes() == before


@pytest.mark.parametrize("arguments,name", [(["--model", "", "new.npy"], "--model"),
                                            (["--model", "model.lle", ""], "INPUT"),
                                            (["--model", "model.lle", "new.npy", "-o", ""],
                                             "--output")])
def test_an_empty_file_name_is_refused(run_lle, tmp_path, arguments, name):
    fit(run_lle, tmp_path, swiss_roll(300, seed=8))
    np.save(tmp_path / "new.npy", swiss_roll(5, seed=9))
    result = run_lle("transform", *arguments)
    assert result.returncode == 2
    assert f"lle: error: {name}: the file name is empty" in result.stderr
    assert result.stdout == ""
