"""What lle.LocallyLinearEmbedding accepts: dtypes and memory layouts (read in place where the
engine's layout allows), the GIL released while the engine works, and every error's message."""

import threading
import time

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse
from sklearn.datasets import make_swiss_roll

import lle
from lle import _lle


def fit(x, **parameters):
    return lle.LocallyLinearEmbedding(n_neighbors=10, **parameters).fit(x)


# ------------------------------------------------------------------------------------------
# Layouts and dtypes


@pytest.fixture(scope="module")
def wide():
    """A C-ordered 600 x 6 array whose slices give views of other layouts."""
    return np.random.RandomState(0).rand(600, 6)


def layouts(wide):
    """(name, array, read in place) for each layout the tests feed in."""
    c = wide[:, :3].copy()
    big_endian = c.astype(">f8")
    return [
        ("C float64", c, True),
        ("rows of a C array", wide[::2, :3], True),
        ("columns of a C array", wide[:, :3], True),
        ("one column", wide[:, 2:3], True),
        ("Fortran float64", np.asfortranarray(c), False),
        ("column step", wide[:, ::2], False),
        ("reversed rows", c[::-1], False),
        ("other byte order", big_endian, False),
        ("float32", c.astype(np.float32), False),
        ("int64", (c * 100).astype(np.int64), False),
        ("one row", wide[:1], True),  # last: too few points to embed
    ]


def test_engine_reads_in_place_exactly_when_the_layout_allows(wide):
    for name, array, in_place in layouts(wide):
        address, copied = _lle._points_address(array)
        assert copied is not in_place, name
        assert (address == array.ctypes.data) is in_place, name


@pytest.mark.parametrize("index", range(10))
def test_every_layout_gives_the_embedding_of_its_values(wide, index):
    name, array, _ = layouts(wide)[index]
    values = np.ascontiguousarray(array, dtype=np.float64)
    d = min(2, array.shape[1])
    np.testing.assert_array_equal(fit(array, n_components=d).embedding_,
                                  fit(values, n_components=d).embedding_, err_msg=name)


def test_float32_and_fortran_inputs_in_transform(wide):
    x = wide[:, :3].copy()
    estimator = fit(x)
    expected = estimator.transform(x[:20] + 0.01)
    np.testing.assert_array_equal(estimator.transform(np.asfortranarray(x[:20] + 0.01)), expected)
    new32 = (x[:20] + 0.01).astype(np.float32)
    np.testing.assert_array_equal(estimator.transform(new32),
                                  estimator.transform(new32.astype(np.float64)))


def test_lists_and_frames(small):
    expected = fit(small).embedding_
    np.testing.assert_array_equal(fit(small.tolist()).embedding_, expected)
    np.testing.assert_array_equal(fit(small.astype(object)).embedding_, expected)


def test_input_is_not_modified(wide):
    x = wide[:, :3].copy()
    before = x.copy()
    estimator = fit(x)
    estimator.transform(x)
    np.testing.assert_array_equal(x, before)


# ------------------------------------------------------------------------------------------
# The GIL


def progress_during(call):
    """Runs `call` in another thread while this thread notes the time, at most once a
    millisecond. Returns how many notes fall in the middle 80% of the call, and the call's
    length. A call that holds the GIL throughout stops this thread: it leaves no notes there."""
    done = threading.Event()
    span = {}

    def run():
        start = time.perf_counter()
        call()
        span["start"], span["end"] = start, time.perf_counter()
        done.set()

    notes = []
    last = 0.0
    worker = threading.Thread(target=run)
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        if now - last >= 1e-3:
            notes.append(now)
            last = now
    worker.join()
    length = span["end"] - span["start"]
    low, high = span["start"] + 0.1 * length, span["end"] - 0.1 * length
    return sum(low <= note <= high for note in notes), length


def test_fit_and_transform_release_the_gil():
    # Each call spends well over 90% of its time in the engine, on one thread; this thread
    # needs only to be scheduled now and then during it, even on a busy machine.
    x, _ = make_swiss_roll(1500, random_state=0)
    estimator = lle.LocallyLinearEmbedding(n_neighbors=10, eigen_solver="dense", n_jobs=1)
    notes, length = progress_during(lambda: estimator.fit(x))
    assert notes >= 3, (notes, length)

    new, _ = make_swiss_roll(100_000, random_state=1)
    new = np.ascontiguousarray(new)
    notes, length = progress_during(lambda: estimator.transform(new))
    assert notes >= 3, (notes, length)


# ------------------------------------------------------------------------------------------
# Errors: messages as the user sees them


def test_transform_with_the_wrong_number_of_features(small):
    estimator = fit(small)
    message = "X has 3 features, but LocallyLinearEmbedding is expecting 5 features as input."
    with pytest.raises(ValueError) as caught:
        estimator.transform(small[:, :3])
    assert str(caught.value) == message


@pytest.mark.parametrize("shape", [(5,), (2, 10, 5), ()])
def test_arrays_that_are_not_2_dimensional(shape):
    x = np.zeros(shape)
    hint = (". Reshape your data: X.reshape(-1, 1) for one feature per sample, "
            "X.reshape(1, -1) for a single sample") if len(shape) == 1 else ""
    message = (f"LocallyLinearEmbedding expects X as a 2-dimensional array (n_samples, n_features), "
               f"got {len(shape)} dimension(s) with shape {shape}{hint}")
    with pytest.raises(ValueError) as caught:
        fit(x)
    assert str(caught.value) == message
    estimator = fit(np.random.RandomState(0).rand(20, 5))
    with pytest.raises(ValueError) as caught:
        estimator.transform(x)
    assert str(caught.value) == message


# The engine's rules, checked before any work: its message names the rule and the value.
ENGINE_RULES = [
    ({"n_neighbors": 40}, "k (n_neighbors) must satisfy 1 <= k <= n - 1 = 39 (got 40)"),
    ({"n_neighbors": 100}, "k (n_neighbors) must satisfy 1 <= k <= n - 1 = 39 (got 100)"),
    ({"n_components": 6},
     "d (n_components) must satisfy d <= D = 5, the input dimension (got 6)"),
    ({"method": "hessian", "n_neighbors": 5},
     "k (n_neighbors) must satisfy k > d (d + 3) / 2 = 5 for Hessian LLE (got 5)"),
    ({"method": "modified", "n_neighbors": 2},
     "d (n_components) must satisfy d < k = 2 for modified (got 2)"),
    ({"method": "ltsa", "n_neighbors": 3},
     "d (n_components) must satisfy d < k - 1 = 2 for ltsa (got 2)"),
]


@pytest.mark.parametrize("parameters, message", ENGINE_RULES)
def test_rules_that_depend_on_the_data(small, parameters, message):
    with pytest.raises(lle.ParameterError) as caught:
        lle.LocallyLinearEmbedding(**parameters).fit(small)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == message


@pytest.mark.parametrize("shape", [(1, 3), (0, 3)])
def test_too_few_points(shape):
    with pytest.raises(ValueError) as caught:
        fit(np.ones(shape))
    assert str(caught.value) == (f"X has {shape[0]} sample(s) (shape={shape}) while a minimum "
                                 "of 2 is required by LocallyLinearEmbedding.")


def test_no_features(small):
    message = ("X has 0 feature(s) (shape=(40, 0)) while a minimum of 1 is required by "
               "LocallyLinearEmbedding.")
    with pytest.raises(ValueError) as caught:
        fit(np.ones((40, 0)))
    assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        fit(small).transform(np.ones((40, 0)))
    assert str(caught.value) == message


@pytest.mark.parametrize("value, shown", [(np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf")])
def test_nan_and_infinity(small, value, shown):
    bad = small.copy()
    bad[7, 3] = value
    message = f"X contains NaN or infinity: row 7, column 3 holds {shown}"
    with pytest.raises(lle.DataError) as caught:
        fit(bad)
    assert isinstance(caught.value, ValueError) and str(caught.value) == message
    estimator = fit(small)
    with pytest.raises(lle.DataError) as caught:
        estimator.transform(bad)
    assert str(caught.value) == message
    # float32 too, and the engine's own check behind the estimator's.
    with pytest.raises(lle.DataError, match="X contains NaN or infinity: row 7, column 3"):
        fit(bad.astype(np.float32))
    with pytest.raises(lle.DataError) as caught:
        lle.embed(bad)
    assert str(caught.value) == f"points must be finite: row 7, column 3 holds {shown}"


def test_values_too_large_for_squared_distances(small):
    huge = small * 1e307  # finite, but their sum overflows and their squares would
    with pytest.raises(lle.DataError, match="points must be small enough for squared "
                                            "distances to stay finite"):
        fit(huge)


def test_singular_weights_without_regularisation():
    # Points on a line: five neighbours span one direction, so C (5 x 5) has rank 1.
    line = np.column_stack([np.arange(10.0), np.zeros(10), np.zeros(10)])
    with pytest.raises(lle.DataError, match="local Gram matrix of its neighbours is singular"):
        lle.LocallyLinearEmbedding(reg=0).fit(line)


def test_a_regularisation_that_overflows_names_reg(small):
    # reg * trace(C) is infinite: the weights would be NaN.
    with pytest.raises(lle.ParameterError, match=r"reg must satisfy reg \* trace\(C\) finite.*"
                                                 r"\(got 1e\+308\)"):
        lle.LocallyLinearEmbedding(reg=1e308).fit(small)


def test_identical_points_are_a_data_error():
    with pytest.raises(lle.DataError, match="all 10 points are identical"):
        lle.LocallyLinearEmbedding().fit(np.ones((10, 3)))


INVALID_PARAMETERS = [
    ("n_neighbors", 0, "an int >= 1", "0"),
    ("n_neighbors", 2.5, "an int >= 1", "2.5"),
    ("n_neighbors", True, "an int >= 1", "True"),
    ("n_components", "2", "an int >= 1", "'2'"),
    ("max_iter", 0, "an int >= 1", "0"),
    ("reg", -1e-3, "a finite float >= 0", "-0.001"),
    ("reg", float("nan"), "a finite float >= 0", "nan"),
    ("tol", -1, "a finite float >= 0", "-1.0"),
    ("hessian_tol", "small", "a finite float >= 0", "'small'"),
    ("modified_tol", float("inf"), "a finite float >= 0", "inf"),
    ("method", "isomap", "one of 'standard', 'modified', 'hessian', 'ltsa'", "'isomap'"),
    ("eigen_solver", "lobpcg", "one of 'auto', 'arpack', 'dense', 'sparse', 'gradient'",
     "'lobpcg'"),
    ("neighbors_algorithm", "annoy", "one of 'auto', 'brute', 'kd_tree', 'ball_tree'",
     "'annoy'"),
    ("neighbor_search", "annoy", "one of 'auto', 'exact', 'hnsw'", "'annoy'"),
    ("neighbor_search", None, "one of 'auto', 'exact', 'hnsw'", "None"),
    ("weights_solver", "lu", "one of 'closed', 'gradient'", "'lu'"),
    ("n_jobs", 0, "None or a non-zero int", "0"),
    ("n_jobs", 1.5, "None or a non-zero int", "1.5"),
    ("random_state", -1, "None, an int in [0, 2**64), a RandomState or a Generator", "-1"),
    ("random_state", "seed", "None, an int in [0, 2**64), a RandomState or a Generator",
     "'seed'"),
]


@pytest.mark.parametrize("name, value, rule, shown", INVALID_PARAMETERS)
def test_invalid_parameters(small, name, value, rule, shown):
    estimator = lle.LocallyLinearEmbedding(**{name: value})  # accepted until fit, as sklearn
    with pytest.raises(lle.InvalidParameterError) as caught:
        estimator.fit(small)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, TypeError)
    assert str(caught.value) == f"LocallyLinearEmbedding: {name} must be {rule}, got {shown}"


def test_transform_before_fit(small):
    with pytest.raises(ValueError) as caught:
        lle.LocallyLinearEmbedding().transform(small)
    assert str(caught.value) == (
        "This LocallyLinearEmbedding instance is not fitted yet; call fit or fit_transform first.")


def test_data_that_are_not_real_numbers(small):
    with pytest.raises(TypeError, match="needs dense data, got a sparse matrix"):
        fit(scipy.sparse.csr_matrix(small))
    with pytest.raises(ValueError, match="^Complex data not supported by "
                                         "LocallyLinearEmbedding: X has dtype complex128; "):
        fit(small.astype(complex))
    with pytest.raises(ValueError, match="needs numbers, got an array of dtype <U1 that cannot "
                                         "be converted to float64"):
        fit([["a", "b"]] * 10)
    mixed = small.astype(object)
    mixed[0, 0] = {"a": 1}
    with pytest.raises(TypeError, match="needs numbers, got an array of dtype object"):
        fit(mixed)


def test_no_new_points(small):
    assert fit(small).transform(np.zeros((0, 5))).shape == (0, 2)


# ------------------------------------------------------------------------------------------
# dtype: the precision the points are held and searched in


def test_float32_input_is_read_in_place_in_single_precision(wide):
    c32 = np.ascontiguousarray(wide[:, :3], dtype=np.float32)
    address, copied = _lle._points_address(c32, "float32")
    assert not copied and address == c32.ctypes.data
    assert _lle._points_address(c32)[1]  # float64, the default, converts it
    assert _lle._points_address(wide[:, :3], "float32")[1]


@pytest.mark.parametrize("dtype, given, expected", [
    ("float64", np.float32, "float64"), ("float32", np.float64, "float32"),
    (None, np.float32, "float32"), ("auto", np.float64, "float64"), (None, np.int64, "float64"),
    (np.float32, np.float64, "float32"), (np.dtype("float64"), np.float32, "float64"),
])
def test_dtype_parameter_resolves_against_the_input(wide, dtype, given, expected):
    x = (wide[:, :3] * 100).astype(given)
    estimator = fit(x, dtype=dtype)
    assert estimator.dtype_ == expected
    # Single precision computes from the float32 values, exactly as float64 does from them.
    values = x.astype(np.float32).astype(np.float64) if expected == "float32" else x
    np.testing.assert_array_equal(estimator.embedding_, fit(values).embedding_)


def test_float32_embedding_spans_the_float64_one():
    x, _ = make_swiss_roll(1500, random_state=1)
    y64 = fit(x).embedding_
    y32 = fit(x, dtype="float32").embedding_
    assert np.max(scipy.linalg.subspace_angles(y64, y32)) < 1e-3


@pytest.mark.parametrize("dtype", ["float16", "double", 32, True, np.int32])
def test_bad_dtype_is_a_value_error_naming_it(wide, dtype):
    with pytest.raises(ValueError, match="dtype"):
        fit(wide[:, :3], dtype=dtype)
