"""`lle embed --diagnostics`, `--quality` and what `--report` says about them: the per-point
diagnostics against direct NumPy computations, the report's summary against the CSV, the
peak memory per phase, and the rows the diagnostics describe (duplicates, the largest
component, labels)."""

import json

import numpy as np
import pytest
import scipy.io
from checks import assert_fails, swiss_roll

HEADER = ["row", "residual", "condition", "regularised", "kth_distance"]


def read_diagnostics(path):
    """The CSV as a dict of columns; asserts the header."""
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    assert header[:5] == HEADER, header
    table = np.genfromtxt(lines[1:], delimiter=",")
    table = table.reshape(len(lines) - 1, len(header))
    return {name: table[:, c] for c, name in enumerate(header)}


def neighbours_from_weights(path, k):
    """Each row's neighbour indices (sorted) and weights, from a Matrix Market W."""
    w = scipy.io.mmread(str(path)).tocsr()
    w.sort_indices()
    n = w.shape[0]
    assert np.all(np.diff(w.indptr) == k)
    return w.indices.reshape(n, k), w.data.reshape(n, k)


def local_gram(points, i, neighbours):
    g = points[neighbours] - points[i]
    return g @ g.T


def test_diagnostics_match_direct_computations_with_more_neighbours_than_dimensions(
        run_lle, tmp_path):
    # A swiss roll in 3 dimensions with k = 10: every C_i has rank 3 < 10, so each is singular
    # (condition inf) and regularised; residuals from W, k-th distances from a brute force.
    points = swiss_roll(600, seed=1)
    np.save(tmp_path / "roll.npy", points)
    result = run_lle("embed", "roll.npy", "-k", "10", "-o", "out.npy", "--save-weights", "w.mtx",
                     "--diagnostics", "diag.csv")
    assert result.returncode == 0, result.stderr
    assert sum(line.startswith("lle: diagnostics ") for line in result.stderr.splitlines()) == 1
    table = read_diagnostics(tmp_path / "diag.csv")
    np.testing.assert_array_equal(table["row"], np.arange(600))
    indices, weights = neighbours_from_weights(tmp_path / "w.mtx", 10)
    reconstruction = np.einsum("ij,ijk->ik", weights, points[indices])
    residual = np.linalg.norm(points - reconstruction, axis=1)
    np.testing.assert_allclose(table["residual"], residual, rtol=1e-9)
    distances = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    np.fill_diagonal(distances, np.inf)
    np.testing.assert_allclose(table["kth_distance"], np.sort(distances, axis=1)[:, 9],
                               rtol=1e-14)
    assert np.all(np.isinf(table["condition"]))
    assert np.all(table["regularised"] == 1)


@pytest.mark.parametrize("reg", ["1e-3", "0.02"])
def test_condition_numbers_and_the_regularised_rule_in_high_dimension(run_lle, tmp_path, reg):
    # 300 Gaussian points in 20 dimensions, k = 8 < D: every C_i is invertible. Its condition
    # number is NumPy's (largest over smallest singular value); regularised means its smallest
    # eigenvalue lies below reg * trace(C_i). With reg = 0.02 some are and some are not.
    rng = np.random.default_rng(3)
    points = rng.standard_normal((300, 20)) * np.linspace(1, 3, 20)
    np.save(tmp_path / "cloud.npy", points)
    result = run_lle("embed", "cloud.npy", "-k", "8", "--reg", reg, "-q", "-o", "out.npy",
                     "--save-weights", "w.mtx", "--diagnostics", "diag.csv")
    assert result.returncode == 0, result.stderr
    table = read_diagnostics(tmp_path / "diag.csv")
    indices, _ = neighbours_from_weights(tmp_path / "w.mtx", 8)
    conditions, flags = [], []
    for i in range(300):
        c = local_gram(points, i, indices[i])
        eigenvalues = np.linalg.eigvalsh(c)
        conditions.append(np.linalg.cond(c))
        flags.append(eigenvalues[0] < float(reg) * np.trace(c))
    np.testing.assert_allclose(table["condition"], conditions, rtol=1e-9)
    np.testing.assert_array_equal(table["regularised"], np.array(flags, dtype=float))
    if reg == "0.02":
        assert 0 < sum(flags) < 300


def quantiles(values):
    return {"min": np.min(values), "median": np.median(values),
            "p95": np.percentile(values, 95), "max": np.max(values)}


def test_report_summarises_what_the_csv_says(run_lle, tmp_path):
    rng = np.random.default_rng(4)
    np.save(tmp_path / "cloud.npy", rng.standard_normal((500, 12)))
    result = run_lle("embed", "cloud.npy", "-k", "14", "--reg", "0.01", "-o", "out.npy",
                     "--diagnostics", "diag.csv", "--report", "run.json")
    assert result.returncode == 0, result.stderr
    table = read_diagnostics(tmp_path / "diag.csv")
    summary = json.loads((tmp_path / "run.json").read_text())["diagnostics"]
    assert summary["points"] == 500
    for key, value in quantiles(table["residual"]).items():
        assert summary["residual"][key] == pytest.approx(value, rel=1e-12), key
    # The 10 largest residuals, largest first, ties to the smaller row.
    worst = np.lexsort((table["row"], -table["residual"]))[:10]
    assert summary["worst_residual_rows"] == [int(r) for r in worst]
    assert summary["regularised"] == int(table["regularised"].sum())
    condition = table["condition"]
    # k = 14 > D = 12: every C_i is singular; JSON has no infinity: null stands for it.
    assert np.all(np.isinf(condition))
    assert summary["condition_number"] == {"median": None, "max": None, "singular": 500}
    assert summary["kth_distance"]["median"] == pytest.approx(np.median(table["kth_distance"]),
                                                              rel=1e-12)
    assert summary["kth_distance"]["max"] == pytest.approx(table["kth_distance"].max(), rel=1e-12)
    # The printed summary gives the same median, maximum and worst row.
    line = next(line for line in result.stderr.splitlines()
                if line.startswith("lle: diagnostics: "))
    assert f"max {table['residual'].max():.3e} (row {worst[0]})" in line
    assert f"{int(table['regularised'].sum())} of 500 points regularised" in line


@pytest.mark.parametrize("flat", [0, 30])
def test_finite_condition_numbers_are_summarised_as_numbers(run_lle, tmp_path, flat):
    # A Gaussian cloud in 10 dimensions, k = 6: every C_i invertible. With `flat` more points
    # on a small patch of a plane inside it, those neighbourhoods have rank 2: singular.
    rng = np.random.default_rng(5)
    patch = np.zeros((flat, 10))
    patch[:, :2] = 0.05 * rng.standard_normal((flat, 2))
    np.save(tmp_path / "cloud.npy", np.vstack([rng.standard_normal((200, 10)), patch]))
    result = run_lle("embed", "cloud.npy", "-k", "6", "-q", "-o", "out.npy",
                     "--diagnostics", "diag.csv", "--report", "run.json")
    assert result.returncode == 0, result.stderr
    condition = read_diagnostics(tmp_path / "diag.csv")["condition"]
    summary = json.loads((tmp_path / "run.json").read_text())["diagnostics"]["condition_number"]
    singular = int(np.isinf(condition).sum())
    assert singular >= flat * 0.8 and summary["singular"] == singular
    assert summary["median"] == pytest.approx(np.median(condition), rel=1e-12)
    if flat:
        assert summary["max"] is None
    else:
        assert summary["max"] == pytest.approx(condition.max(), rel=1e-12)


def test_report_gives_time_and_peak_memory_per_phase(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "1500", "-q", "-o", "out.npy", "--report", "run.json",
                     "--quality", "--diagnostics", "diag.csv")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "run.json").read_text())
    phases = report["phases"]
    names = [phase["name"] for phase in phases]
    assert names == ["neighbors", "weights", "diagnostics", "eigensolve", "quality"]
    for phase in phases:
        if phase["name"] in report["timings"]:
            assert phase["seconds"] == report["timings"][phase["name"]]
    peaks = [phase["peak_resident_bytes"] for phase in phases]
    assert all(peak > 0 for peak in peaks)
    assert peaks == sorted(peaks), peaks  # a peak never comes down
    assert peaks[-1] <= report["memory"]["peak_resident_bytes"]
    # And the rest of what a report promises.
    assert report["version"]
    assert report["input"]["points"] == 1500 and report["input"]["dimension"] == 3
    assert report["graph"]["duplicate_rows"] == 0 and report["graph"]["components"] == 1
    assert report["neighbors"]["algorithm"] == "kd_tree"
    assert report["solver"]["converged"] is True
    assert report["quality"]["sample_size"] == 1500 and report["quality"]["exact"] is True


def test_peak_memory_is_the_run_own_not_its_parents(run_lle, tmp_path):
    # This process touches 500 MiB before it starts lle. Linux carries a process's peak
    # (ru_maxrss) across fork and exec, so a measure that kept it would report at least that
    # for a run of 300 points; the run's own high-water mark is a few tens of MiB.
    mib = 2**20
    ballast = np.ones(500 * mib // 8)
    assert ballast.sum() == ballast.size  # every page touched
    result = run_lle("embed", "--samples", "300", "-o", "out.npy", "--report", "run.json")
    del ballast
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "run.json").read_text())
    peak = report["memory"]["peak_resident_bytes"]
    assert mib < peak < 200 * mib, peak
    # The estimate before the run is a lower bound, even where the program's own memory is
    # most of the peak.
    assert 0 < report["memory"]["estimated_peak_bytes"] <= peak
    assert all(0 < phase["peak_resident_bytes"] <= peak for phase in report["phases"])
    line = next(line for line in result.stderr.splitlines() if line.startswith("lle: memory: "))
    value, unit = line.split()[3:5]
    assert unit == "MiB" and 1 < float(value) < 200, line

    # A larger run reports a larger peak: the measure follows the run's own memory.
    np.save(tmp_path / "large.npy", swiss_roll(200_000, seed=3))
    result = run_lle("embed", "large.npy", "-q", "-o", "large_out.npy", "--report", "large.json")
    assert result.returncode == 0, result.stderr
    large = json.loads((tmp_path / "large.json").read_text())["memory"]
    assert large["peak_resident_bytes"] >= large["estimated_peak_bytes"] > 10 * mib
    assert large["peak_resident_bytes"] > peak + 10 * mib


def test_a_plain_run_does_no_diagnostics(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "500", "-o", "out.csv")
    assert result.returncode == 0, result.stderr
    assert not any(line.startswith("lle: diagnostics") for line in result.stderr.splitlines())
    assert not any(line.startswith("lle: quality") for line in result.stderr.splitlines())


def test_repeated_rows_get_their_originals_diagnostics(run_lle, tmp_path):
    points = swiss_roll(300, seed=9)
    np.save(tmp_path / "dup.npy", np.vstack([points, points[:20]]))
    np.save(tmp_path / "distinct.npy", points)
    assert run_lle("embed", "dup.npy", "-q", "-o", "a.npy", "--diagnostics",
                   "dup.csv").returncode == 0
    assert run_lle("embed", "distinct.npy", "-q", "-o", "b.npy", "--diagnostics",
                   "distinct.csv").returncode == 0
    repeated = read_diagnostics(tmp_path / "dup.csv")
    distinct = read_diagnostics(tmp_path / "distinct.csv")
    np.testing.assert_array_equal(repeated["row"], np.arange(320))
    for name in HEADER[1:]:
        np.testing.assert_array_equal(repeated[name][:300], distinct[name])
        np.testing.assert_array_equal(repeated[name][300:], distinct[name][:20])


def test_rows_left_out_of_the_largest_component_are_still_described(run_lle, tmp_path):
    points = np.vstack([swiss_roll(300, seed=5), swiss_roll(200, seed=6) + 1000.0])
    np.save(tmp_path / "two.npy", points)
    np.save(tmp_path / "second.npy", points[300:])
    result = run_lle("embed", "two.npy", "--disconnected", "largest", "-q", "-o", "out.npy",
                     "--diagnostics", "diag.csv")
    assert result.returncode == 0, result.stderr
    assert np.load(tmp_path / "out.npy").shape == (300, 2)
    table = read_diagnostics(tmp_path / "diag.csv")
    np.testing.assert_array_equal(table["row"], np.arange(500))
    # The second cloud's neighbourhoods are its own: the same fits as on its own.
    assert run_lle("embed", "second.npy", "-q", "-o", "alone.npy", "--diagnostics",
                   "alone.csv").returncode == 0
    alone = read_diagnostics(tmp_path / "alone.csv")
    np.testing.assert_allclose(table["residual"][300:], alone["residual"], rtol=1e-9)
    np.testing.assert_allclose(table["kth_distance"][300:], alone["kth_distance"], rtol=1e-12)


def test_labels_go_in_a_last_column(run_lle, tmp_path):
    points = swiss_roll(200, seed=2)
    labels = np.arange(200) % 4
    rows = ["x,y,z,label"] + [",".join(map(repr, [*p, float(c)])) for p, c in zip(points, labels)]
    (tmp_path / "table.csv").write_text("\n".join(rows) + "\n")
    result = run_lle("embed", "table.csv", "--label-column", "3", "-q", "-o", "out.csv",
                     "--diagnostics", "diag.csv")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "diag.csv").read_text().splitlines()[0] == ",".join(HEADER + ["label"])
    np.testing.assert_array_equal(read_diagnostics(tmp_path / "diag.csv")["label"], labels)


def test_single_precision_points_give_the_same_diagnostics(run_lle, tmp_path):
    np.save(tmp_path / "roll.npy", swiss_roll(400).astype(np.float32))
    for dtype in ("float32", "float64"):
        assert run_lle("embed", "roll.npy", "--dtype", dtype, "-q", "-o", f"{dtype}.npy",
                       "--diagnostics", f"{dtype}.csv").returncode == 0
    assert (tmp_path / "float32.csv").read_text() == (tmp_path / "float64.csv").read_text()


@pytest.mark.parametrize("method", ["modified", "hessian", "ltsa"])
def test_methods_without_weights_still_get_diagnostics(run_lle, tmp_path, method):
    # Their residuals use the barycentric weights of the same neighbourhoods: those standard
    # LLE computes on the same data.
    np.save(tmp_path / "roll.npy", swiss_roll(400, seed=3))
    for name in ("standard", method):
        assert run_lle("embed", "roll.npy", "--method", name, "-k", "12", "-q", "-o",
                       f"{name}.npy", "--diagnostics", f"{name}.csv").returncode == 0
    ours = read_diagnostics(tmp_path / f"{method}.csv")
    standard = read_diagnostics(tmp_path / "standard.csv")
    np.testing.assert_allclose(ours["residual"], standard["residual"], rtol=1e-9)
    for name in ("condition", "regularised", "kth_distance"):
        np.testing.assert_array_equal(ours[name], standard[name])


def test_diagnostics_need_a_csv_path(run_lle, tmp_path):
    assert_fails(run_lle("embed", "--samples", "300", "--diagnostics", "diag.txt"), 2,
                 "--diagnostics diag.txt: unsupported extension (use .csv)")
    assert_fails(run_lle("embed", "--samples", "300", "-o", "same.csv", "--diagnostics",
                         "same.csv"), 2, "given for two outputs")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_failed_run_leaves_no_diagnostics_file(run_lle, tmp_path):
    points = np.vstack([swiss_roll(300, seed=5), swiss_roll(200, seed=6) + 1000.0])
    np.save(tmp_path / "two.npy", points)
    assert_fails(run_lle("embed", "two.npy", "-o", "out.csv", "--diagnostics", "diag.csv"), 1,
                 "not connected")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two.npy"]


# ---- quality ------------------------------------------------------------------------------


def test_quality_is_printed_and_reported(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "800", "-o", "out.npy", "--quality", "--quality-k",
                     "7", "--report", "run.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "run.json").read_text())
    quality = report["quality"]
    assert quality["n_neighbors"] == 7
    # Its time is a phase of the run, counted in the total.
    timings = report["timings"]
    assert timings["quality"] > 0
    assert timings["total"] >= sum(seconds for name, seconds in timings.items()
                                   if name != "total") - 1e-9
    assert f"quality {timings['quality']:.3f} s, total {timings['total']:.3f} s" in result.stderr
    assert quality["points"] == 800 and quality["sample_size"] == 800 and quality["exact"]
    assert 0.9 < quality["trustworthiness"] <= 1 and 0.9 < quality["continuity"] <= 1
    assert (f"lle: quality at k = 7: trustworthiness {quality['trustworthiness']:.6f}, "
            f"continuity {quality['continuity']:.6f} (exact, all 800 points)") in result.stderr


def test_quality_sample_is_seeded_and_reported(run_lle, tmp_path):
    def sampled(seed, name):
        result = run_lle("embed", "--samples", "800", "-q", "-o", f"{name}.npy", "--quality",
                         "--quality-sample", "100", "--seed", seed, "--report", f"{name}.json")
        assert result.returncode == 0, result.stderr
        return json.loads((tmp_path / f"{name}.json").read_text())["quality"]

    first, again = sampled(1, "a"), sampled(1, "b")
    assert first == again
    assert first["sample_size"] == 100 and first["points"] == 800 and not first["exact"]
    result = run_lle("embed", "--samples", "800", "-o", "c.npy", "--quality",
                     "--quality-sample", "100")
    assert "(estimated on 100 sampled points of 800)" in result.stderr


def test_quality_default_k_is_the_runs(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "500", "-k", "9", "-q", "-o", "out.npy", "--quality",
                     "--report", "run.json")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "run.json").read_text())["quality"]["n_neighbors"] == 9


def test_quality_and_diagnostics_without_them_are_null_in_the_report(run_lle, tmp_path):
    # A report describes the run; it does not add the diagnostics' work to it.
    assert run_lle("embed", "--samples", "300", "-q", "-o", "out.npy", "--report",
                   "run.json").returncode == 0
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["quality"] is None
    assert report["diagnostics"] is None
    assert "diagnostics" not in report["timings"]


def test_quality_options_need_quality(run_lle, tmp_path):
    for option, value in (("--quality-k", "5"), ("--quality-sample", "50")):
        assert_fails(run_lle("embed", "--samples", "300", option, value), 2,
                     f"{option} applies to --quality only")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_quality_k_of_half_the_points_stops_before_any_work(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "40", "-k", "5", "--quality", "--quality-k", "20",
                     "-o", "out.csv")
    assert_fails(result, 2, "quality k", "1 <= k < n / 2, with n = 40", "got 20")
    assert not any(line.startswith("lle: neighbors ") for line in result.stderr.splitlines())
    assert sorted(p.name for p in tmp_path.iterdir()) == []
