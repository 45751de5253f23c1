"""`lle embed --plot` and `--labels`: the PNG and SVG files, the default plot of the generated
swiss roll, labels from IDX, text and NPY files, and the errors, each leaving no file."""

import gzip
import struct
import xml.etree.ElementTree as ElementTree

import numpy as np
from checks import assert_fails

SVG = "{http://www.w3.org/2000/svg}"


def png_size(path):
    """(width, height) from a PNG's signature and IHDR chunk, checked byte by byte."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", data[16:24])


def svg_text(path):
    """The SVG's <title> and <desc>, after parsing the whole file as XML."""
    root = ElementTree.parse(path).getroot()
    assert root.tag == SVG + "svg"
    return root.find(SVG + "title").text, root.find(SVG + "desc").text


def files(directory):
    return sorted(p.name for p in directory.iterdir())


def idx_labels(labels):
    """An MNIST-style IDX label file: 00 00 08 01, the count big-endian, one byte per label."""
    return struct.pack(">BBBBI", 0, 0, 8, 1, len(labels)) + bytes(labels)


def two_blobs(sizes, seed=0):
    """Two well separated clouds in 3-D with `sizes` points: two neighbour-graph components."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(size=(sizes[0], 3)), 100 + rng.normal(size=(sizes[1], 3))])


# ---- the default run ----------------------------------------------------------------------


def test_default_run_writes_a_png_next_to_the_coordinates(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "500", "-o", "swiss_roll.csv")
    assert result.returncode == 0, result.stderr
    assert files(tmp_path) == ["swiss_roll.csv", "swiss_roll.png"]
    assert png_size(tmp_path / "swiss_roll.png") == (960, 720)
    assert "lle: plot: swiss_roll.png (" in result.stderr


def test_plot_none_turns_the_default_plot_off(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "-o", "roll.npy", "--plot", "none")
    assert result.returncode == 0, result.stderr
    assert files(tmp_path) == ["roll.npy"]


def test_given_plot_replaces_the_default_and_stdout_output_has_none(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "-o", "roll.csv", "--plot", "mine.svg")
    assert result.returncode == 0, result.stderr
    assert files(tmp_path) == ["mine.svg", "roll.csv"]
    result = run_lle("embed", "--samples", "300", "-q")
    assert result.returncode == 0, result.stderr
    assert files(tmp_path) == ["mine.svg", "roll.csv"]


def test_svg_is_well_formed_with_title_and_colour_scale(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "400", "-k", "12", "--plot", "roll.svg", "-q")
    assert result.returncode == 0, result.stderr
    title, desc = svg_text(tmp_path / "roll.svg")
    assert title == "standard LLE: n = 400, k = 12"
    assert desc.startswith("horizontal: coordinate 1; vertical: coordinate 2; colour by "
                           "coordinate 1, from ")


# ---- labels -------------------------------------------------------------------------------


def test_labels_from_an_idx_file_with_limit(run_lle, tmp_path):
    points = np.random.default_rng(1).normal(size=(300, 5))
    np.save(tmp_path / "x.npy", points)
    # 400 labels for 300 points: --limit 300 reads only the first 300 of each.
    labels = [7, 3, 5] * 133 + [9]
    (tmp_path / "y-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_labels(labels)))
    result = run_lle("embed", "x.npy", "--limit", "300", "--labels", "y-labels-idx1-ubyte.gz",
                     "--plot", "p.svg", "-o", "c.csv", "--method", "ltsa", "-q")
    assert result.returncode == 0, result.stderr
    title, desc = svg_text(tmp_path / "p.svg")
    assert title == "LTSA: n = 300, k = 10"
    assert desc.endswith("; colour by label: 3, 5, 7")


def test_labels_from_text_and_npy_files(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", np.random.default_rng(2).normal(size=(200, 4)))
    (tmp_path / "y.txt").write_text("class\n" + "\n".join(str(i % 4) for i in range(200)) + "\n")
    np.save(tmp_path / "y.npy", np.arange(200, dtype=np.int32) % 2 + 10)
    for name, legend in (("y.txt", "0, 1, 2, 3"), ("y.npy", "10, 11")):
        result = run_lle("embed", "x.npy", "--labels", name, "--plot", "p.svg", "-q")
        assert result.returncode == 0, result.stderr
        assert svg_text(tmp_path / "p.svg")[1].endswith("colour by label: " + legend)


def test_label_column_colours_the_plot(run_lle, tmp_path):
    rng = np.random.default_rng(3)
    table = np.column_stack([rng.normal(size=(150, 3)), np.arange(150) % 3 + 1])
    np.savetxt(tmp_path / "t.csv", table, delimiter=",")
    result = run_lle("embed", "t.csv", "--label-column", "3", "--plot", "p.svg", "-q")
    assert result.returncode == 0, result.stderr
    assert svg_text(tmp_path / "p.svg")[1].endswith("colour by label: 1, 2, 3")


def test_many_distinct_labels_get_a_colour_bar(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", np.random.default_rng(4).normal(size=(200, 3)))
    np.save(tmp_path / "y.npy", np.arange(200))
    result = run_lle("embed", "x.npy", "--labels", "y.npy", "--plot", "p.svg", "-q")
    assert result.returncode == 0, result.stderr
    assert svg_text(tmp_path / "p.svg")[1].endswith("colour by label, from 0 to 199")


def test_largest_component_plots_its_rows_with_their_labels(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", two_blobs((150, 40)))
    np.save(tmp_path / "y.npy", np.array([4] * 150 + [8] * 40))
    result = run_lle("embed", "x.npy", "-k", "8", "--disconnected", "largest", "--labels",
                     "y.npy", "--plot", "p.svg", "-q")
    assert result.returncode == 0, result.stderr
    title, desc = svg_text(tmp_path / "p.svg")
    assert title == "standard LLE: 150 of n = 190 points embedded, k = 8"
    assert desc.endswith("colour by label: 4")


def test_duplicate_rows_are_plotted_with_every_label(run_lle, tmp_path):
    points = np.random.default_rng(5).normal(size=(100, 3))
    np.save(tmp_path / "x.npy", np.vstack([points, points[:10]]))
    np.save(tmp_path / "y.npy", np.array([0] * 100 + [1] * 10))
    result = run_lle("embed", "x.npy", "--labels", "y.npy", "--plot", "p.png", "-q")
    assert result.returncode == 0, result.stderr
    assert png_size(tmp_path / "p.png") == (960, 720)
    result = run_lle("embed", "x.npy", "--labels", "y.npy", "--plot", "p.svg", "-q")
    assert svg_text(tmp_path / "p.svg")[1].endswith("colour by label: 0, 1")


# ---- dimensions ---------------------------------------------------------------------------


def test_one_dimension_is_plotted_against_the_input_row(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "-d", "1", "--plot", "p.svg", "-q")
    assert result.returncode == 0, result.stderr
    title, desc = svg_text(tmp_path / "p.svg")
    assert title == "standard LLE: n = 300, k = 10, d = 1"
    assert desc.startswith("horizontal: input row; vertical: coordinate 1;")


def test_three_dimensions_show_the_first_two(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "300", "-d", "3", "--plot", "p.svg", "-q")
    assert result.returncode == 0, result.stderr
    title, desc = svg_text(tmp_path / "p.svg")
    assert title == "standard LLE: n = 300, k = 10, d = 3 (coordinates 1 and 2)"
    assert desc.startswith("horizontal: coordinate 1; vertical: coordinate 2;")


# ---- errors: a clear message, the exit code, no file --------------------------------------


def test_unsupported_plot_extension(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "100", "--plot", "out.jpg", "-o", "c.csv")
    assert_fails(result, 2, "--plot out.jpg", ".png or .svg")
    assert files(tmp_path) == []


def test_unwritable_plot_path(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "100", "--plot", "missing/p.png", "-o", "c.csv")
    assert_fails(result, 1, "missing/p.png", "missing: no such folder")
    assert files(tmp_path) == []


def test_label_count_mismatch_names_the_file_and_both_counts(run_lle, tmp_path):
    np.save(tmp_path / "x.npy", np.random.default_rng(6).normal(size=(100, 3)))
    np.save(tmp_path / "y.npy", np.zeros(99, dtype=np.uint8))
    result = run_lle("embed", "x.npy", "--labels", "y.npy", "--plot", "p.png", "-o", "c.csv")
    assert_fails(result, 1, "--labels y.npy: 99 labels, but the input has 100 points")
    assert files(tmp_path) == ["x.npy", "y.npy"]
    # A longer file is read only one label past the points.
    (tmp_path / "many.txt").write_text("1\n" * 1000)
    result = run_lle("embed", "x.npy", "--labels", "many.txt", "--plot", "p.png", "-o", "c.csv")
    assert_fails(result, 1, "--labels many.txt: more than 100 labels, but the input has 100 "
                 "points")


def test_missing_label_file(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "100", "--labels", "absent.txt", "--plot", "p.png",
                     "-o", "c.csv")
    assert_fails(result, 1, "absent.txt", "cannot open")
    assert files(tmp_path) == []


def test_labels_need_a_plot_and_exclude_a_label_column(run_lle, tmp_path):
    (tmp_path / "y.txt").write_text("1\n2\n")
    assert_fails(run_lle("embed", "--samples", "100", "--labels", "y.txt"), 2, "--plot")
    (tmp_path / "t.csv").write_text("1,2,0\n3,4,1\n")
    assert_fails(run_lle("embed", "t.csv", "--label-column", "2", "--labels", "y.txt",
                         "--plot", "p.png"), 2, "--label-column")
    assert files(tmp_path) == ["t.csv", "y.txt"]


def test_svg_of_too_many_points_is_refused_before_the_embedding(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "50001", "--plot", "big.svg", "-o", "c.csv")
    assert_fails(result, 2, "big.svg", "limited to 50000 points (got 50001)", ".png")
    assert "neighbors" not in result.stderr
    assert files(tmp_path) == []


def test_plot_and_another_output_on_one_file(run_lle, tmp_path):
    result = run_lle("embed", "--samples", "100", "--plot", "a.png", "--save-model", "a.png")
    assert_fails(result, 2, "a.png", "two outputs")
    assert files(tmp_path) == []
