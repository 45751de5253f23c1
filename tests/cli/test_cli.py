"""The `lle embed` command: formats, outputs, exit codes and the error for each kind of bad
input. Every failing run must leave no output file behind."""

import gzip
import json
import os
import pty
import resource
import select
import signal
import subprocess
import time

import numpy as np
import pytest
import scipy.io
from checks import assert_fails, no_files_but, swiss_roll


def write(path, text):
    path.write_text(text)
    return path


# ---- the default run and the output formats ----------------------------------------------


def test_default_run_embeds_a_generated_swiss_roll(run_lle, tmp_path):
    result = run_lle("embed", "-o", "roll.csv")
    assert result.returncode == 0, result.stderr
    coordinates = np.loadtxt(tmp_path / "roll.csv", delimiter=",")
    assert coordinates.shape == (3000, 2)
    # The embedding is an orthonormal basis orthogonal to the constant vector.
    np.testing.assert_allclose(coordinates.T @ coordinates, np.eye(2), atol=1e-10)
    np.testing.assert_allclose(coordinates.sum(axis=0), 0, atol=1e-8)
    assert "3000 points x 3 dimensions" in result.stderr
    assert "reconstruction error" in result.stderr
    for phase in ("neighbors", "weights", "eigensolve"):
        assert phase in result.stderr


def test_no_output_option_writes_csv_to_stdout_at_full_precision(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = result.stdout.strip().splitlines()
    assert len(rows) == 300
    values = np.array([[float(x) for x in row.split(",")] for row in rows])
    assert values.shape == (300, 2)
    # 17 significant digits round-trip: writing the parsed values again gives the same text.
    assert all(repr(float(x)) == repr(float(repr(float(x)))) for x in rows[0].split(","))
    result_npy = run_lle("embed", "--samples", "300", "-q", "-o", "same.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "same.npy"), values)


def test_npy_output_and_weights_and_report(run_lle, tmp_path):
    points = swiss_roll(500)
    np.save(tmp_path / "roll.npy", points)
    result = run_lle("embed", "roll.npy", "-k", "8", "-d", "2", "-o", "out.npy",
                     "--save-weights", "w.mtx", "--report", "run.json")
    assert result.returncode == 0, result.stderr
    embedding = np.load(tmp_path / "out.npy")
    assert embedding.shape == (500, 2) and embedding.dtype == np.float64

    weights = scipy.io.mmread(str(tmp_path / "w.mtx")).tocsr()
    assert weights.shape == (500, 500)
    assert np.all(np.diff(weights.indptr) == 8)
    np.testing.assert_allclose(np.asarray(weights.sum(axis=1)).ravel(), 1.0, atol=1e-12)
    assert weights.diagonal().max() == 0.0

    report = json.loads((tmp_path / "run.json").read_text())
    assert report["input"] == {"source": "roll.npy", "points": 500, "dimension": 3,
                               "dtype": "float64"}
    assert report["parameters"]["n_neighbors"] == 8
    assert report["solver"]["converged"] is True
    assert len(report["eigenvalues"]) == 2
    assert report["reconstruction_error"] == pytest.approx(sum(report["eigenvalues"]), rel=1e-12)
    # The eigenvalues are those of M = (I - W)^T (I - W) for the written coordinates.
    residual = np.eye(500) - weights.toarray()
    m = residual.T @ residual
    rayleigh = np.einsum("ij,ij->j", embedding, m @ embedding)
    np.testing.assert_allclose(rayleigh, report["eigenvalues"], rtol=1e-6, atol=1e-13)


@pytest.mark.parametrize("arguments,factorisation,summary", [
    ([], "lu", "lle: eigensolver: sparse (LU of I - W), converged, "),
    (["--method", "ltsa"], "cholesky", "lle: eigensolver: sparse (Cholesky of M + eps I, eps "),
    (["--eigen-solver", "dense"], None, "lle: eigensolver: dense, converged, "),
    (["--eigen-solver", "gradient"], None, "lle: eigensolver: gradient, converged, "),
])
def test_summary_and_report_name_the_factorisation(run_lle, tmp_path, arguments, factorisation,
                                                   summary):
    result = run_lle("embed", "--samples", "500", "-o", "out.npy", "--report", "run.json",
                     *arguments)
    assert result.returncode == 0, result.stderr
    assert summary in result.stderr
    solver = json.loads((tmp_path / "run.json").read_text())["solver"]
    assert solver["factorisation"] == factorisation
    # The LU needs no shift; the sparse solver's Cholesky factor is of M + shift I.
    if factorisation == "lu":
        assert solver["shift"] == 0 and solver["factor_nonzeros"] > 0
    if factorisation == "cholesky":
        assert solver["shift"] > 0 and f"eps {solver['shift']:.2e})" in result.stderr


def test_csv_header_columns_label_and_limit(run_lle, tmp_path):
    points = swiss_roll(400, seed=1)
    labels = np.arange(400) % 3
    table = np.column_stack([labels, points[:, 0], np.zeros(400), points[:, 1], points[:, 2]])
    lines = ["label,x,unused,y,z"] + [",".join(repr(v) for v in row) for row in table]
    write(tmp_path / "table.csv", "\n".join(lines) + "\n")
    np.save(tmp_path / "plain.npy", points[:250])

    selected = run_lle("embed", "table.csv", "--columns", "1,3,4", "--limit", "250", "-o",
                       "a.csv", "--seed", "3")
    labelled = run_lle("embed", "table.csv", "--label-column", "0", "--columns", "1,3,4",
                       "--limit", "250", "-o", "b.csv", "--seed", "3")
    reference = run_lle("embed", "plain.npy", "-o", "c.csv", "--seed", "3")
    for result in (selected, labelled, reference):
        assert result.returncode == 0, result.stderr
    a, b, c = (np.loadtxt(tmp_path / name, delimiter=",") for name in ("a.csv", "b.csv", "c.csv"))
    assert a.shape == (250, 2)
    np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(b, c)


def test_tsv_and_gzip(run_lle, tmp_path):
    points = swiss_roll(300, seed=2)
    text = "\n".join("\t".join(repr(v) for v in row) for row in points) + "\n"
    write(tmp_path / "p.tsv", text)
    with gzip.open(tmp_path / "p.tsv.gz", "wt") as handle:
        handle.write(text)
    first = run_lle("embed", "p.tsv", "-o", "a.npy")
    second = run_lle("embed", "p.tsv.gz", "-o", "b.npy")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))


def test_help_and_version(run_lle):
    result = run_lle("embed", "--help")
    assert result.returncode == 0
    for option in ("--n-neighbors", "--n-components", "--eigen-solver", "--save-weights",
                   "--threads", "--columns", "--label-column", "--limit", "--weights-solver",
                   "--weights-tol", "--weights-max-iter"):
        assert option in result.stdout
    version = run_lle("--version")
    assert version.returncode == 0 and version.stdout.strip()


def test_threads_option_gives_the_same_answer(run_lle, tmp_path):
    one = run_lle("embed", "--samples", "2000", "--threads", "1", "-o", "one.npy",
                  "--report", "one.json")
    two = run_lle("embed", "--samples", "2000", "--threads", "2", "-o", "two.npy",
                  "--report", "two.json")
    assert one.returncode == 0 and two.returncode == 0
    a, b = np.load(tmp_path / "one.npy"), np.load(tmp_path / "two.npy")
    # Same subspace: the projection of one basis onto the other is orthogonal.
    overlap = a.T @ b
    np.testing.assert_allclose(np.abs(np.linalg.svd(overlap, compute_uv=False)), 1, atol=1e-8)
    # The sparse solver applies its operator to one vector per thread at a time.
    for result, name, block in ((one, "one.json", 1), (two, "two.json", 2)):
        solver = json.loads((tmp_path / name).read_text())["solver"]
        assert solver["block_size"] == block
        assert solver["operator_applications"] % block == 0
        assert (f"in blocks of {block}" in result.stderr) == (block > 1)
        # The summary counts passes over the Lanczos basis as the report does.
        passes = solver["iterations"]
        assert f"{passes} pass{'' if passes == 1 else 'es'}, " in result.stderr


# ---- bad input: one line on stderr, the right exit code, no output file -------------------


def test_missing_file(run_lle, tmp_path):
    result = run_lle("embed", "absent.csv", "-o", "out.csv")
    assert_fails(result, 1, "absent.csv", "cannot open")
    assert no_files_but(tmp_path)


def test_unreadable_file(run_lle, tmp_path):
    (tmp_path / "folder.csv").mkdir()
    result = run_lle("embed", "folder.csv", "-o", "out.csv")
    assert_fails(result, 1, "folder.csv")
    assert no_files_but(tmp_path, "folder.csv")


def test_empty_file(run_lle, tmp_path):
    write(tmp_path / "empty.csv", "")
    result = run_lle("embed", "empty.csv", "-o", "out.csv")
    assert_fails(result, 1, "empty.csv", "no data")
    assert no_files_but(tmp_path, "empty.csv")


def test_ragged_rows_name_the_line(run_lle, tmp_path):
    write(tmp_path / "ragged.csv", "1,2,3\n4,5,6\n7,8\n")
    result = run_lle("embed", "ragged.csv", "-o", "out.csv")
    assert_fails(result, 1, "ragged.csv", "line 3")
    assert no_files_but(tmp_path, "ragged.csv")


def test_non_numeric_cell_names_line_and_column(run_lle, tmp_path):
    write(tmp_path / "cells.csv", "a,b,c\n1,2,3\n4,five,6\n")
    result = run_lle("embed", "cells.csv", "-o", "out.csv")
    assert_fails(result, 1, "cells.csv", "line 3", "column 1", "five")
    assert no_files_but(tmp_path, "cells.csv")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_cell_names_line_and_column(run_lle, tmp_path, value):
    write(tmp_path / "x.csv", f"1,2\n3,4\n5,{value}\n7,8\n")
    result = run_lle("embed", "x.csv", "-k", "2", "-o", "out.csv")
    assert_fails(result, 1, "x.csv", "line 3", "column 1")
    assert no_files_but(tmp_path, "x.csv")


def test_non_finite_value_in_npy_names_row_and_column(run_lle, tmp_path):
    points = swiss_roll(50)
    points[17, 2] = np.inf
    np.save(tmp_path / "x.npy", points)
    result = run_lle("embed", "x.npy", "-o", "out.csv")
    assert_fails(result, 1, "row 17", "column 2")
    assert no_files_but(tmp_path, "x.npy")


def test_k_not_below_n_states_the_real_bound(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", swiss_roll(20))
    result = run_lle("embed", "x.npy", "-k", "20", "-o", "out.csv")
    assert_fails(result, 2, "k", "k <= n - 1 = 19", "got 20")
    assert no_files_but(tmp_path, "x.npy")


def test_d_above_input_dimension(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", swiss_roll(50))
    result = run_lle("embed", "x.npy", "-d", "4", "-o", "out.csv")
    assert_fails(result, 2, "d (n_components)", "d <= D = 3", "got 4")
    assert no_files_but(tmp_path, "x.npy")


@pytest.mark.parametrize("option,value", [("--n-components", "0"), ("--n-neighbors", "0"), ("--threads", "0"),
                                          ("--threads", "-3"), ("--reg", "-1")])
def test_numbers_below_their_minimum(run_lle, tmp_path, option, value):
    result = run_lle("embed", option, value, "-o", "out.csv")
    assert_fails(result, 2, option, "must be at least", value)
    assert no_files_but(tmp_path)


def test_unknown_option(run_lle, tmp_path):
    result = run_lle("embed", "--frobnicate", "-o", "out.csv")
    assert_fails(result, 2, "--frobnicate")
    assert no_files_but(tmp_path)


def test_unknown_choice(run_lle, tmp_path):
    result = run_lle("embed", "--eigen-solver", "magic", "-o", "out.csv")
    assert_fails(result, 2, "--eigen-solver", "magic")
    assert no_files_but(tmp_path)


def test_unknown_weights_solver(run_lle, tmp_path):
    result = run_lle("embed", "--weights-solver", "newton", "-o", "out.csv")
    assert_fails(result, 2, "--weights-solver", "newton")
    assert no_files_but(tmp_path)


def test_gradient_weights_only_with_the_standard_method(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "--method", "ltsa", "--weights-solver",
                     "gradient", "-o", "out.csv")
    assert_fails(result, 2, "weights_solver", "ltsa", "got gradient")
    assert no_files_but(tmp_path)


def test_gradient_weights_need_regularisation(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "--weights-solver", "gradient", "--reg", "0",
                     "-o", "out.csv")
    assert_fails(result, 2, "reg > 0", "gradient")
    assert no_files_but(tmp_path)


def test_gradient_weights_summary_and_report(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "1000", "--weights-solver", "gradient", "-o",
                     "out.npy", "--report", "run.json")
    assert result.returncode == 0, result.stderr
    line = next(l for l in result.stderr.splitlines() if l.startswith("lle: weights:"))
    assert line.startswith("lle: weights: gradient, steps per point mean "), line
    assert "0 unconverged (tolerance 1e-12)" in line
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["parameters"]["weights_solver"] == "gradient"
    assert report["parameters"]["weights_max_iterations"] == 1000
    steps = report["weights"]
    assert steps["solver"] == "gradient" and steps["unconverged"] == 0
    assert 1 <= steps["mean_iterations"] <= steps["max_iterations"] <= 9
    assert f"mean {steps['mean_iterations']:.2f}, max {steps['max_iterations']}," in line
    closed = run_lle("embed", "--samples", "1000", "-o", "closed.npy")
    assert "lle: weights: closed form" in closed.stderr


def test_gradient_weights_short_of_the_tolerance_fail_without_output(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "--weights-solver", "gradient",
                     "--weights-max-iter", "1", "-o", "out.csv", "--report", "run.json")
    assert_fails(result, 1, "weights solver gradient", "of 300 points did not reach",
                 "--weights-max-iter 1", "first: point ")
    assert no_files_but(tmp_path)


def test_unsupported_output_extension(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "100", "-o", "out.txt")
    assert_fails(result, 2, "out.txt", ".csv or .npy")
    assert no_files_but(tmp_path)


def test_output_folder_missing(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "100", "-o", "missing/out.csv")
    assert_fails(result, 1, "missing/out.csv", "missing: no such folder")
    assert no_files_but(tmp_path)


def test_output_folder_that_is_a_file(run_lle, tmp_path):
    write(tmp_path / "file.csv", "1,2\n")
    for output in ["file.csv/out.csv", "file.csv/sub/out.csv", "file.csv/../out.csv"]:
        result = run_lle("embed", "--samples", "100", "-o", output)
        assert_fails(result, 1, f"{output}: cannot create (file.csv is not a folder)")
    assert no_files_but(tmp_path, "file.csv")


def test_failure_keeps_an_existing_output_untouched(run_lle, tmp_path):
    write(tmp_path / "out.csv", "previous contents\n")
    write(tmp_path / "ragged.csv", "1,2\n3\n")
    result = run_lle("embed", "ragged.csv", "-o", "out.csv")
    assert_fails(result, 1, "ragged.csv")
    assert (tmp_path / "out.csv").read_text() == "previous contents\n"
    assert no_files_but(tmp_path, "out.csv", "ragged.csv")


@pytest.mark.parametrize("option,output", [("-o", "points.csv"), ("-o", "link.csv"),
                                           ("--diagnostics", "points.csv"),
                                           ("--diagnostics", "hard.csv")])
def test_an_output_over_the_input_is_refused(run_lle, tmp_path, option, output):
    contents = "".join(f"{x},{y},{x * y}\n" for x, y in swiss_roll(60)[:, :2])
    write(tmp_path / "points.csv", contents)
    (tmp_path / "link.csv").symlink_to(tmp_path / "points.csv")
    (tmp_path / "hard.csv").hardlink_to(tmp_path / "points.csv")
    extra = [] if option == "-o" else ["-o", "out.csv"]
    result = run_lle("embed", "points.csv", "-k", "5", option, output, *extra)
    assert_fails(result, 2, f"{output}: the same file as INPUT points.csv")
    assert (tmp_path / "points.csv").read_text() == contents
    assert no_files_but(tmp_path, "points.csv", "link.csv", "hard.csv")


@pytest.mark.parametrize("option", ["--output", "--report", "--plot", "--labels", "--init", None])
def test_an_empty_file_name_is_refused(run_lle, tmp_path, option):
    # None: the input file itself.
    result = run_lle("embed", "--samples", "100", *([option] if option else []), "")
    assert_fails(result, 2, f"{option or 'INPUT'}: the file name is empty")
    assert no_files_but(tmp_path)


def test_samples_with_an_input_file_is_refused(run_lle, tmp_path):
    np.save(tmp_path / "points.npy", swiss_roll(100))
    result = run_lle("embed", "points.npy", "--samples", "500", "-o", "out.csv")
    assert_fails(result, 2, "--samples", "points.npy")
    assert no_files_but(tmp_path, "points.npy")


def test_choices_are_case_insensitive(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "--method", "Standard", "--eigen-solver",
                     "DENSE", "-q", "-o", "out.csv")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.csv").exists()


def test_tolerance_accepts_small_values_and_rejects_zero(run_lle, tmp_path):
    assert run_lle("embed", "--samples", "300", "--tol", "1e-8", "-q").returncode == 0
    assert_fails(run_lle("embed", "--tol", "0", "-o", "out.csv"), 2, "--tol")
    assert no_files_but(tmp_path)


def test_thread_count_has_an_upper_bound(run_lle, tmp_path):
    assert_fails(run_lle("embed", "--threads", "100000", "-o", "out.csv"), 2, "--threads",
                 "100000")
    assert no_files_but(tmp_path)


def test_unwritable_second_output_fails_before_any_file_is_written(run_lle, tmp_path):
    write(tmp_path / "keep.csv", "previous\n")
    result = run_lle("embed", "--samples", "200", "-o", "keep.csv", "--report", "absent/r.json")
    assert_fails(result, 1, "absent/r.json")
    assert (tmp_path / "keep.csv").read_text() == "previous\n"
    (tmp_path / "folder.mtx").mkdir()
    result = run_lle("embed", "--samples", "200", "-o", "new.csv", "--save-weights", "folder.mtx")
    assert_fails(result, 1, "folder.mtx")
    assert no_files_but(tmp_path, "keep.csv", "folder.mtx")


def test_no_regularisation_with_more_neighbours_than_dimensions(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", swiss_roll(100))
    result = run_lle("embed", "x.npy", "-k", "6", "--reg", "0", "-o", "out.csv")
    assert_fails(result, 1, "singular", "reg > 0")
    assert no_files_but(tmp_path, "x.npy")


def test_columns_option_does_not_swallow_the_input(run_lle, tmp_path):
    write(tmp_path / "t.csv", "\n".join(f"{i},{i * i % 7},{i % 5}" for i in range(30)) + "\n")
    result = run_lle("embed", "--columns", "0,1", "t.csv", "-k", "4", "-q", "-o", "out.csv")
    assert result.returncode == 0, result.stderr
    assert np.loadtxt(tmp_path / "out.csv", delimiter=",").shape == (30, 2)


def test_first_line_with_one_bad_cell_is_data_not_a_header(run_lle, tmp_path):
    write(tmp_path / "typo.csv", "1.0,2.0,abc\n4,5,6\n7,8,9\n")
    assert_fails(run_lle("embed", "typo.csv", "-o", "out.csv"), 1, "line 1", "column 2", "abc")


def test_gradient_solver_prints_residuals_and_warm_starts(run_lle, tmp_path):
    cold = run_lle("embed", "--samples", 800, "-k", 10, "--eigen-solver", "gradient",
                   "-o", "cold.npy", "--report", "cold.json", "-vv")
    assert cold.returncode == 0, cold.stderr
    residual_lines = [line for line in cold.stderr.splitlines() if ": residuals " in line]
    assert residual_lines[0].startswith("lle: iteration 0: residuals ")
    assert len(residual_lines[0].split()) == 6  # "lle: iteration 0: residuals r1 r2"
    cold_report = json.loads((tmp_path / "cold.json").read_text())
    assert cold_report["solver"]["name"] == "gradient"
    assert cold_report["solver"]["iterations"] == len(residual_lines) - 1
    assert cold_report["parameters"]["warm_start"] is False

    # auto with --init picks the gradient solver; started at the answer it does no iteration.
    warm = run_lle("embed", "--samples", 800, "-k", 10, "--init", "cold.npy",
                   "-o", "warm.npy", "--report", "warm.json")
    assert warm.returncode == 0, warm.stderr
    warm_report = json.loads((tmp_path / "warm.json").read_text())
    assert warm_report["solver"]["name"] == "gradient"
    assert warm_report["solver"]["iterations"] == 0
    assert warm_report["parameters"]["warm_start"] is True
    cold_z, warm_z = np.load(tmp_path / "cold.npy"), np.load(tmp_path / "warm.npy")
    cosines = np.linalg.svd(cold_z.T @ warm_z, compute_uv=False)
    assert cosines.min() > 1 - 1e-12


def test_verbosity_levels(run_lle, tmp_path):
    # -v: the remarks (here the components); -vv: also each step's detail (the LU's timings,
    # each gradient iteration's residuals); neither without -v.
    np.save(tmp_path / "two.npy", two_clouds())
    remark = "lle: the neighbour graph has 2 components\n"
    details = ("lle: LU ordering and symbolic analysis: done ", "lle: LU factorisation: done ",
               "lle: Lanczos iteration: done ")
    runs = {flags: run_lle("embed", "two.npy", "--disconnected", "components", "-o", "out.npy",
                           *flags) for flags in [(), ("-v",), ("-vv",), ("-v", "-v")]}
    for flags, result in runs.items():
        assert result.returncode == 0, result.stderr
        assert (remark in result.stderr) == (len(flags) > 0), flags
        for detail in details:
            # One per component: each has its own LU.
            expected = 2 if "-vv" in flags or flags == ("-v", "-v") else 0
            assert result.stderr.count(detail) == expected, (flags, detail, result.stderr)
    gradient = {flags: run_lle("embed", "--samples", 300, "--eigen-solver", "gradient", "-o",
                               "out.npy", flags) for flags in ("-v", "-vv")}
    assert "lle: iteration 0: residuals " not in gradient["-v"].stderr
    assert "lle: iteration 0: residuals " in gradient["-vv"].stderr


@pytest.mark.parametrize("solver", ["sparse", "gradient"])
def test_named_iterative_solver_on_a_tiny_degenerate_graph(run_lle, tmp_path, solver):
    # 20 points, k = 2: two closed groups of three neighbours give M a null vector besides the
    # constant. The solver asked for by name runs, locks that vector, and returns the dense
    # solver's coordinates.
    dense = run_lle("embed", "--samples", 20, "-k", 2, "--eigen-solver", "dense",
                    "-o", "dense.npy", "-q")
    assert dense.returncode == 0, dense.stderr
    result = run_lle("embed", "--samples", 20, "-k", 2, "--eigen-solver", solver,
                     "-o", "out.npy", "--report", "run.json", "-v")
    assert result.returncode == 0, result.stderr
    assert "locking 1 eigenpair(s)" in result.stderr
    assert json.loads((tmp_path / "run.json").read_text())["solver"]["name"] == solver
    cosines = np.linalg.svd(np.load(tmp_path / "dense.npy").T @ np.load(tmp_path / "out.npy"),
                            compute_uv=False)
    assert cosines.min() > 1 - 1e-12


def test_init_with_the_wrong_number_of_rows(run_lle, tmp_path):
    np.save(tmp_path / "z0.npy", np.ones((799, 2)))
    result = run_lle("embed", "--samples", 800, "--init", "z0.npy", "-o", "out.csv")
    assert result.returncode == 2
    assert "--init z0.npy: 799 rows, but the input has 800 points" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_init_needs_the_gradient_solver(run_lle, tmp_path):
    np.save(tmp_path / "z0.npy", np.ones((800, 2)))
    result = run_lle("embed", "--samples", 800, "--init", "z0.npy", "--eigen-solver", "sparse",
                     "-o", "out.csv")
    assert_fails(result, 2, "--init z0.npy: starting coordinates are for the gradient "
                 "eigensolver only, and --eigen-solver sparse would ignore them; use "
                 "--eigen-solver gradient (or auto), or leave out --init")
    assert no_files_but(tmp_path, "z0.npy")
    # Checked before any work: a missing file is not even opened.
    assert_fails(run_lle("embed", "--init", "none.npy", "--eigen-solver", "dense", "-o",
                         "out.csv"), 2, "--init none.npy: ", "--eigen-solver dense would ignore")


def test_dense_solver_too_large_for_memory_stops_at_once(run_lle, tmp_path):
    started = time.monotonic()
    result = run_lle("embed", "--samples", "100000", "--eigen-solver", "dense", "-o", "out.csv")
    assert result.returncode == 1
    assert time.monotonic() - started < 30  # not after the neighbour search and the weights
    assert "not enough memory" in result.stderr
    assert "dense eigensolver, n = 100000 needs about 74.6 GiB" in result.stderr
    assert "eigen_solver = sparse" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_memory_limit_option(run_lle, tmp_path):
    # The dense solver's 5000 x 5000 matrix alone is 191 MiB.
    result = run_lle("embed", "--samples", "5000", "--eigen-solver", "dense", "--memory-limit",
                     "100M", "-o", "out.csv")
    assert result.returncode == 1
    assert "more than the 100.0 MiB available" in result.stderr
    assert not (tmp_path / "out.csv").exists()

    # Below what the program itself takes, before the points are read or made.
    result = run_lle("embed", "--samples", "2000", "--memory-limit", "1M", "-o", "out.csv")
    assert_fails(result, 1, "the limit of 1.0 MiB is below the ",
                 " the program itself takes before any work; raise it")
    assert not (tmp_path / "out.csv").exists()

    result = run_lle("embed", "--samples", "2000", "--memory-limit", "2GiB", "--report",
                     "run.json", "-o", "out.csv")
    assert result.returncode == 0, result.stderr
    assert "limit 2.0 GiB" in result.stderr
    memory = json.loads((tmp_path / "run.json").read_text())["memory"]
    assert memory["limit_bytes"] == 2 * 1024**3
    assert 0 < memory["estimated_peak_bytes"] < memory["limit_bytes"]
    assert memory["peak_resident_bytes"] > 0

    assert run_lle("embed", "--samples", "300", "--memory-limit", "none", "-q").returncode == 0
    for bad in ("12Q", "-5G", "0", "nan", ""):
        result = run_lle("embed", "--samples", "300", "--memory-limit", bad)
        assert result.returncode == 2, bad
        assert "--memory-limit" in result.stderr and f"'{bad}'" in result.stderr


def test_each_phase_leaves_a_line_with_its_time_and_quiet_leaves_none(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "500", "-o", "out.csv")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for phase in ("neighbors", "weights", "eigensolve"):
        assert sum(line.startswith(f"lle: {phase} ") and line.endswith(" s")
                   for line in lines) == 1, (phase, result.stderr)
    assert "\r" not in result.stderr  # no bar when stderr is not a terminal

    quiet = run_lle("embed", "--samples", "500", "-q", "-o", "quiet.csv")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_float32_points_embed_like_float64_and_say_so(run_lle, tmp_path):
    np.save(tmp_path / "roll.npy", swiss_roll(800).astype(np.float32))
    runs = {}
    for dtype in ("float64", "float32"):
        result = run_lle("embed", "roll.npy", "--dtype", dtype, "-o", f"{dtype}.npy",
                         "--report", f"{dtype}.json", "--save-model", f"{dtype}.model")
        assert result.returncode == 0, result.stderr
        assert f"800 points x 3 dimensions ({dtype}, roll.npy)" in result.stderr
        report = json.loads((tmp_path / f"{dtype}.json").read_text())
        assert report["input"]["dtype"] == dtype
        runs[dtype] = np.load(tmp_path / f"{dtype}.npy")
    # Float32 values read into float64 are the same numbers: the same graph, the same weights.
    np.testing.assert_array_equal(runs["float32"], runs["float64"])
    # The model holds float64 training points either way.
    assert (tmp_path / "float32.model").read_bytes() == (tmp_path / "float64.model").read_bytes()


def test_bad_dtype_names_the_option(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "100", "--dtype", "float16")
    assert result.returncode == 2
    assert "--dtype" in result.stderr and "float16" in result.stderr


# ---- the neighbour search ------------------------------------------------------------------


def clustered(n, dimension, clusters, seed=0):
    rng = np.random.default_rng(seed)
    centres = 5 * rng.normal(size=(clusters, dimension))
    return centres[np.arange(n) % clusters] + rng.normal(size=(n, dimension))


def test_hnsw_search_states_its_recall_in_summary_and_report(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", clustered(800, 20, 8))
    result = run_lle("embed", "x.npy", "--disconnected", "components", "--neighbors", "hnsw",
                     "--recall-sample", "200", "--hnsw-ef", "30", "-o", "out.npy", "--report",
                     "run.json")
    assert result.returncode == 0, result.stderr
    assert "lle: neighbors: hnsw (approximate, M 16" in result.stderr
    assert "ef 30)" in result.stderr
    assert "estimated recall@10 " in result.stderr
    assert "on 200 sampled points" in result.stderr
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["parameters"]["neighbors"] == "hnsw"
    assert report["parameters"]["hnsw_ef_search"] == 30
    search = report["neighbors"]
    assert search["algorithm"] == "hnsw"
    assert search["approximate"] is True
    assert search["recall_sample_size"] == 200
    assert 0.95 <= search["recall"] <= 1.0
    assert 0 <= search["far_points"] <= 200
    assert "recall" in report["timings"]


def test_exact_search_states_its_algorithm_and_no_recall(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "--neighbors", "exact", "-o", "out.npy",
                     "--report", "run.json")
    assert result.returncode == 0, result.stderr
    assert "lle: neighbors: kd-tree (exact)\n" in result.stderr
    assert "recall" not in result.stderr
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["parameters"]["neighbors"] == "exact"
    assert report["neighbors"] == {"algorithm": "kd_tree", "approximate": False, "recall": None,
                                   "recall_sample_size": None, "far_points": None,
                                   "discarded_hnsw_recall": None}


def test_automatic_search_is_exact_for_few_points(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", clustered(400, 20, 4))
    result = run_lle("embed", "x.npy", "--disconnected", "components", "-o", "out.npy")
    assert result.returncode == 0, result.stderr
    assert "lle: neighbors: brute force (exact)\n" in result.stderr


def test_automatic_search_replaces_hnsw_below_the_minimum_recall(run_lle, tmp_path):
    rng = np.random.default_rng(4)
    np.save(tmp_path / "x.npy", rng.uniform(-1, 1, size=(20000, 50)))
    # The eigensolver is cut short: only the neighbour search is looked at.
    result = run_lle("embed", "x.npy", "-k", "5", "-d", "1", "--eigen-solver", "gradient",
                     "--preconditioner", "none", "--max-iter", "1", "-v", "-o", "out.npy")
    assert "searching the neighbours exactly" in result.stderr
    assert "lle: exact neighbors " in result.stderr


@pytest.mark.parametrize("option,value", [("--neighbors", "foo"), ("--hnsw-m", "1"),
                                          ("--hnsw-ef", "0"), ("--recall-sample", "0"),
                                          ("--min-recall", "2")])
def test_bad_neighbor_search_options(run_lle, tmp_path, option, value):
    result = run_lle("embed", option, value, "-o", "out.csv")
    assert_fails(result, 2, option, value)
    assert no_files_but(tmp_path)


def test_points_that_cannot_be_told_apart(run_lle, tmp_path):
    np.save(tmp_path / "same.npy", np.ones((50, 3)))
    assert_fails(run_lle("embed", "same.npy", "-o", "out.csv"), 1,
                 "all 50 points are identical")
    np.save(tmp_path / "tiny.npy", swiss_roll(300) * 1e-160)
    assert_fails(run_lle("embed", "tiny.npy", "-o", "out.csv"), 1, "underflow",
                 "multiply the data by a constant")
    # Small but representable: the same embedding as the data at its usual scale.
    np.save(tmp_path / "small.npy", swiss_roll(300) * 1e-140)
    np.save(tmp_path / "usual.npy", swiss_roll(300))
    for name in ("small", "usual"):
        assert run_lle("embed", f"{name}.npy", "-q", "-o", f"{name}.csv").returncode == 0
    small = np.loadtxt(tmp_path / "small.csv", delimiter=",")
    usual = np.loadtxt(tmp_path / "usual.csv", delimiter=",")
    assert np.abs(np.abs(small.T @ usual) - np.eye(2)).max() < 1e-8
    assert no_files_but(tmp_path, "same.npy", "tiny.npy", "small.npy", "usual.npy", "small.csv",
                        "usual.csv")


@pytest.mark.parametrize("option,value,fragment", [
    ("--seed", "-1", "must be a non-negative integer (got -1)"),
    ("--max-iter", "99999999999999999999", "at most 1000000000"),
    ("--weights-max-iter", "1e12", "at most 1000000000"),
])
def test_counts_out_of_range_are_usage_errors(run_lle, tmp_path, option, value, fragment):
    assert_fails(run_lle("embed", "--samples", "300", option, value, "-o", "out.csv"), 2, option,
                 fragment)


def test_missing_init_file_is_a_data_error_like_a_missing_input(run_lle, tmp_path):
    assert_fails(run_lle("embed", "--samples", "300", "--init", "none.csv", "-o", "out.csv"), 1,
                 "none.csv: cannot open")


@pytest.mark.parametrize("arguments,fragment", [
    (["--preconditioner", "none"], "--preconditioner applies to the gradient eigensolver only"),
    (["--preconditioner", "none", "--eigen-solver", "sparse"], "the sparse solver would ignore"),
    (["--weights-tol", "1e-8"], "--weights-tol applies to --weights-solver gradient only"),
    (["--weights-max-iter", "5"], "--weights-max-iter applies to --weights-solver gradient"),
    (["--hnsw-ef", "50", "--neighbors", "exact"], "--hnsw-ef applies to the hnsw search only"),
])
def test_options_the_chosen_solver_would_ignore_are_usage_errors(run_lle, tmp_path, arguments,
                                                                 fragment):
    assert_fails(run_lle("embed", "--samples", "300", *arguments, "-o", "out.csv"), 2, fragment)
    assert no_files_but(tmp_path)


def test_generated_points_too_many_for_memory_stop_before_they_exist(run_lle, tmp_path):
    started = time.monotonic()
    result = run_lle("embed", "--samples", "100000000", "--memory-limit", "2G", "-o", "out.npy")
    assert time.monotonic() - started < 10
    assert_fails(result, 1, "n = 100000000 needs about", "--memory-limit")
    assert no_files_but(tmp_path)


def test_one_path_for_two_outputs_is_a_usage_error(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "-o", "same.npy", "--save-model", "./same.npy")
    assert_fails(result, 2, "same.npy: given for two outputs")
    assert no_files_but(tmp_path)


def test_control_bytes_in_a_cell_are_shown_escaped(run_lle, tmp_path):
    (tmp_path / "nul.csv").write_bytes(b"1,2,3\n4\x00,5,6\n7,8,9\n")
    assert_fails(run_lle("embed", "nul.csv", "-k", "1", "-o", "out.csv"), 1,
                 'nul.csv: line 2, column 0: "4\\x00" is not a number')
    # Bytes outside ASCII too: the message stays valid text whatever the file holds.
    (tmp_path / "junk.csv").write_bytes(b"1,2,3\n\xff\xfe,5,6\n")
    result = run_lle("embed", "junk.csv", "-k", "1", "-o", "out.csv")
    assert_fails(result, 1, 'junk.csv: line 2, column 0: "\\xff\\xfe" is not a number')
    result.stderr.encode("ascii")


def test_the_memory_limit_holds_while_a_file_is_read(run_lle, tmp_path):
    # 16 MB of text in 30 KB of gzip, 2,000,000 rows: with --memory-limit 48M the reading
    # stops once the points pass 48 MiB, instead of holding all 61 MiB of them first.
    with gzip.open(tmp_path / "bomb.csv.gz", "wt") as out:
        out.write("0,0,0,1\n" * 2_000_000)
    result = run_lle("embed", "bomb.csv.gz", "-o", "out.npy", "--memory-limit", "48M")
    assert_fails(result, 1, "bomb.csv.gz: the points read so far (",
                 "more than the limit of 48.0 MiB",
                 "(--limit N reads the first N rows; --memory-limit sets the limit)")
    assert no_files_but(tmp_path, "bomb.csv.gz")


def test_an_explicit_hnsw_search_below_the_minimum_recall_warns(run_lle, tmp_path):
    np.save(tmp_path / "u.npy", np.random.default_rng(0).uniform(size=(3000, 50)))
    result = run_lle("embed", "u.npy", "--neighbors", "hnsw", "--hnsw-m", "2",
                     "--hnsw-ef-construction", "2", "--hnsw-ef", "1", "--hnsw-projection", "5",
                     "--hnsw-candidates", "10", "-o", "out.csv")
    assert result.returncode == 0, result.stderr
    assert "WARNING: below --min-recall 0.9" in result.stderr


def test_a_column_listed_twice_is_a_usage_error(run_lle, tmp_path):
    (tmp_path / "c.csv").write_text("1,2,3\n4,5,6\n7,8,9\n1,5,9\n")
    assert_fails(run_lle("embed", "c.csv", "--columns", "0,2,0", "-k", "2", "-o", "out.csv"), 2,
                 "columns must satisfy each column listed once (got column 0 twice)")


def two_clouds():
    """Two swiss rolls 1,000 units apart: their neighbour graphs never meet."""
    return np.vstack([swiss_roll(300, seed=5), swiss_roll(200, seed=6) + 1000.0])


def test_a_disconnected_graph_is_an_error_by_default(run_lle, tmp_path):
    np.save(tmp_path / "two.npy", two_clouds())
    assert_fails(run_lle("embed", "two.npy", "-o", "out.csv"), 1,
                 "the neighbour graph is not connected: it falls into 2 components "
                 "(points in each: 300, 200)", "raise k", "disconnected = components")
    assert no_files_but(tmp_path, "two.npy")


def test_the_largest_component_alone_and_the_rows_left_out(run_lle, tmp_path):
    points = two_clouds()
    np.save(tmp_path / "two.npy", points)
    np.save(tmp_path / "first.npy", points[:300])
    result = run_lle("embed", "two.npy", "--disconnected", "largest", "-o", "largest.npy",
                     "--report", "run.json")
    assert result.returncode == 0, result.stderr
    assert "2 components (300, 200 points); embedded the largest alone, 300 of 500" in \
        result.stderr
    graph = json.loads((tmp_path / "run.json").read_text())["graph"]
    assert graph["component_sizes"] == [300, 200]
    assert graph["left_out_rows"] == list(range(300, 500))
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["eigenvalues_component"] == 0
    assert report["component_eigenvalues"] == [report["eigenvalues"], []]
    assert report["reconstruction_error"] == pytest.approx(sum(report["eigenvalues"]), rel=1e-12)
    assert "lle: eigenvalues of the largest component (300 of 500 points): " in result.stderr
    assert "lle: reconstruction error of the largest component: " in result.stderr
    # The same embedding as the largest component's points on their own.
    assert run_lle("embed", "first.npy", "-q", "-o", "alone.npy").returncode == 0
    largest, alone = np.load(tmp_path / "largest.npy"), np.load(tmp_path / "alone.npy")
    assert largest.shape == (300, 2)
    assert np.abs(np.abs(largest.T @ alone) - np.eye(2)).max() < 1e-8


def test_components_side_by_side(run_lle, tmp_path):
    points = two_clouds()
    np.save(tmp_path / "two.npy", points)
    np.save(tmp_path / "second.npy", points[300:])
    result = run_lle("embed", "two.npy", "--disconnected", "components", "-o", "both.npy",
                     "--report", "run.json")
    assert result.returncode == 0, result.stderr
    assert "each embedded on its own, side by side along the first coordinate" in result.stderr
    both = np.load(tmp_path / "both.npy")
    assert both.shape == (500, 2)
    first, second = both[:300], both[300:]
    assert first[:, 0].max() < second[:, 0].min()  # side by side, not overlapping
    # Each component is its own embedding, shifted along the first coordinate.
    assert run_lle("embed", "second.npy", "-q", "-o", "alone.npy").returncode == 0
    alone = np.load(tmp_path / "alone.npy")
    centred = second - second.mean(axis=0)
    assert np.abs(np.abs(centred.T @ alone) - np.eye(2)).max() < 1e-8

    # Each component's eigenvalues, in the summary and the report, are those of its points
    # embedded alone, and the reconstruction error sums them all.
    np.save(tmp_path / "first.npy", points[:300])
    spectra = []
    for name in ("first", "second"):
        assert run_lle("embed", f"{name}.npy", "-q", "-o", f"{name}.out.npy", "--report",
                       f"{name}.json").returncode == 0
        spectra.append(json.loads((tmp_path / f"{name}.json").read_text())["eigenvalues"])
    report = json.loads((tmp_path / "run.json").read_text())
    assert len(report["component_eigenvalues"]) == 2
    for mine, theirs in zip(report["component_eigenvalues"], spectra):
        np.testing.assert_allclose(mine, theirs, rtol=1e-8)
    assert report["eigenvalues_component"] == 0
    assert report["eigenvalues"] == report["component_eigenvalues"][0]
    assert report["reconstruction_error"] == pytest.approx(sum(map(sum, spectra)), rel=1e-8)
    lines = result.stderr.splitlines()
    line = next(line for line in lines if line.startswith("lle: eigenvalues"))
    printed = [[float(v) for v in part.split(": ")[1].split()]
               for part in line.removeprefix("lle: eigenvalues per component: ").split("; ")]
    assert line.startswith("lle: eigenvalues per component: component 1 (300 points): ")
    assert "; component 2 (200 points): " in line
    np.testing.assert_allclose(printed, spectra, rtol=1e-6)
    solver = next(line for line in lines if line.startswith("lle: eigensolver: "))
    assert solver.endswith("(solver and counters of the largest component; converged and "
                           "residual over all 2)")
    error = next(line for line in lines if line.startswith("lle: reconstruction error"))
    assert error.startswith("lle: reconstruction error, summed over the 2 components: ")
    assert float(error.split()[-1]) == pytest.approx(sum(map(sum, spectra)), rel=1e-6)


def test_duplicate_rows_are_embedded_once_and_counted(run_lle, tmp_path):
    points = swiss_roll(400, seed=9)
    np.save(tmp_path / "dup.npy", np.vstack([points, points[:25]]))
    np.save(tmp_path / "distinct.npy", points)
    result = run_lle("embed", "dup.npy", "-o", "dup.npy.out.npy", "--report", "run.json")
    assert result.returncode == 0, result.stderr
    assert "lle: duplicates: 25 rows repeat earlier ones; 400 distinct points" in result.stderr
    assert json.loads((tmp_path / "run.json").read_text())["graph"]["duplicate_rows"] == 25
    assert run_lle("embed", "distinct.npy", "-q", "-o", "distinct.out.npy").returncode == 0
    with_repeats = np.load(tmp_path / "dup.npy.out.npy")
    np.testing.assert_array_equal(with_repeats[:400], np.load(tmp_path / "distinct.out.npy"))
    np.testing.assert_array_equal(with_repeats[400:], with_repeats[:25])


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_leaves_no_file_and_says_so(lle_binary, tmp_path, signal_number):
    process = subprocess.Popen([str(lle_binary), "embed", "--samples", "1000000", "-o",
                                "out.npy", "--save-model", "model.lle", "-q"], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    process.send_signal(signal_number)
    assert process.wait(timeout=60) == -signal_number  # died of that signal
    name = {signal.SIGINT: "interrupted (SIGINT)", signal.SIGTERM: "terminated (SIGTERM)"}
    assert process.stderr.read() == f"lle: {name[signal_number]}\n"
    assert no_files_but(tmp_path)


def test_an_interrupt_on_a_terminal_replaces_the_progress_line(lle_binary, tmp_path):
    # stderr on a pseudo-terminal: once a progress line is drawn (it starts with "\r\033[K"),
    # the interrupt's message erases it rather than continuing it.
    controller, terminal = pty.openpty()
    process = subprocess.Popen([str(lle_binary), "embed", "--samples", "1000000", "-o",
                                "out.npy"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=terminal)
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 120
    while b"\r\033[Klle: " not in shown and time.monotonic() < deadline:
        if select.select([controller], [], [], 1.0)[0]:
            shown += os.read(controller, 4096)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == -signal.SIGINT
    while select.select([controller], [], [], 1.0)[0]:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert b"\r\033[Klle: interrupted (SIGINT)" in shown, shown[-300:]
    assert no_files_but(tmp_path)


def test_an_empty_value_after_equals_is_refused(run_lle, tmp_path):
    # Without the check, `--save-model=` would take the next argument as its file.
    result = run_lle("embed", "--samples", "100", "--save-model=", "--quality")
    assert_fails(result, 2, "--save-model: the value is empty")
    assert no_files_but(tmp_path)


def test_an_interrupt_ignored_at_start_stays_ignored(lle_binary, tmp_path):
    # A shell starts background jobs with SIGINT ignored: Ctrl-C then belongs to the foreground.
    def ignore_interrupts():
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    process = subprocess.Popen([str(lle_binary), "embed", "--samples", "100000", "-o",
                                "out.npy", "-q"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, preexec_fn=ignore_interrupts)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == ""
    assert np.load(tmp_path / "out.npy").shape == (100000, 2)


def test_outputs_appear_together_or_not_at_all(lle_binary, tmp_path):
    # Every output is staged before any is renamed into place. Here the diagnostics table
    # (about 230 KB) exceeds a 100 KB file-size limit after the coordinates (48 KB) were
    # written: the run dies of SIGXFSZ, the earlier run's coordinates stay as they were, and
    # no temporary file is left.
    write(tmp_path / "out.npy", "an earlier run's output\n")

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    result = subprocess.run([str(lle_binary), "embed", "-q", "-o", "out.npy", "--diagnostics",
                             "diagnostics.csv", "--plot", "none"], cwd=tmp_path, capture_output=True,
                            preexec_fn=limit_file_size)
    assert result.returncode == -signal.SIGXFSZ
    assert result.stderr == (b"lle: file size limit exceeded (SIGXFSZ); the unfinished output "
                             b"files were removed\n")
    assert (tmp_path / "out.npy").read_text() == "an earlier run's output\n"
    assert no_files_but(tmp_path, "out.npy")

    # Without the limit, both appear.
    result = subprocess.run([str(lle_binary), "embed", "-q", "-o", "out.npy", "--diagnostics",
                             "diagnostics.csv", "--plot", "none"], cwd=tmp_path, capture_output=True)
    assert result.returncode == 0, result.stderr
    assert np.load(tmp_path / "out.npy").shape == (3000, 2)
    assert no_files_but(tmp_path, "out.npy", "diagnostics.csv")
