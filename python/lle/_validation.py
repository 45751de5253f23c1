"""Checks of the estimator's parameters and conversion of its input to arrays.

The rules that depend on the data (n_neighbors against the number of samples, n_components
against the input dimension, each method's own bound) are the engine's: it checks them
before any work and its message names the rule and the value.
"""

import numbers
import os

import numpy as np

from ._lle import DataError

# scikit-learn's names -> the engine's. 'sparse' is the engine's own name for its iterative
# solver (shift-invert Lanczos), accepted as well. The engine has no ball tree: 'ball_tree'
# runs its kd-tree, which returns the same (exact) neighbours.
EIGEN_SOLVERS = {"auto": "auto", "arpack": "sparse", "dense": "dense", "sparse": "sparse",
                 "gradient": "gradient"}
WEIGHTS_SOLVERS = ("closed", "gradient")
NEIGHBORS_ALGORITHMS = {"auto": "auto", "brute": "brute", "kd_tree": "kd_tree",
                        "ball_tree": "kd_tree"}
METHODS = ("standard", "modified", "hessian", "ltsa")
# The estimator's own neighbour search: 'exact' runs neighbors_algorithm, 'hnsw' the
# approximate HNSW graph, 'auto' lets the engine pick (HNSW only for many points in more than
# 15 dimensions, and only while neighbors_algorithm is 'auto').
NEIGHBOR_SEARCHES = ("auto", "exact", "hnsw")

# The engine's own tolerance for its iterative eigensolver. scikit-learn's default tol (1e-6,
# meant for ARPACK) is looser, and measurably too loose for the engine: modified LLE of the
# digits (k = 12) then fails the engine's residual check, which passes at 1e-10. So tol only
# ever tightens the engine's default: the tolerance used is min(tol, ENGINE_TOLERANCE).
ENGINE_TOLERANCE = 1e-10

_LARGEST_SEED = 2**64 - 1


class InvalidParameterError(ValueError, TypeError):
    """A parameter of the estimator has a wrong type or a value outside its range.

    Subclasses both ValueError and TypeError, so either ``except`` clause catches it.
    """


def _fail(owner, name, rule, value):
    raise InvalidParameterError(f"{owner}: {name} must be {rule}, got {value!r}")


# The engine's integers are 64-bit; counts beyond this are mistakes, not requests.
MAX_COUNT = 10**9


def check_int(owner, name, value, minimum):
    """Returns ``value`` as an int; raises InvalidParameterError unless it is an integer (not
    a bool) of at least ``minimum`` and at most MAX_COUNT."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        _fail(owner, name, f"an int >= {minimum}", value)
    if value < minimum:
        _fail(owner, name, f"an int >= {minimum}", value)
    if value > MAX_COUNT:
        _fail(owner, name, f"an int <= {MAX_COUNT}", value)
    return int(value)


def check_bool(owner, name, value):
    """``value`` as a bool: True, False or a NumPy bool."""
    if not isinstance(value, (bool, np.bool_)):
        _fail(owner, name, "a bool", value)
    return bool(value)


def check_real(owner, name, value):
    """Returns ``value`` as a float; raises InvalidParameterError unless it is a finite real
    number >= 0 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        _fail(owner, name, "a finite float >= 0", value)
    value = float(value)
    if not (np.isfinite(value) and value >= 0.0):
        _fail(owner, name, "a finite float >= 0", value)
    return value


def check_choice(owner, name, value, choices):
    """Returns ``value`` when it is one of ``choices`` (strings); raises InvalidParameterError
    listing them otherwise."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(choice) for choice in choices)
        _fail(owner, name, f"one of {listed}", value)
    return value


DTYPES = ("float64", "float32")


def check_dtype(owner, dtype):
    """The ``dtype`` parameter as 'float64', 'float32' or 'auto' (for None or 'auto'). NumPy's
    spellings of the two types (``np.float32``, ``np.dtype('float64')``) are accepted too;
    anything else raises InvalidParameterError naming ``dtype``."""
    if dtype is None or (isinstance(dtype, str) and dtype == "auto"):
        return "auto"
    if isinstance(dtype, str) and dtype in DTYPES:
        return dtype
    if not isinstance(dtype, (str, bool, numbers.Number)):
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = None
        if name in DTYPES:
            return name
    _fail(owner, "dtype", "'float64', 'float32', 'auto' or None", dtype)


def engine_dtype(dtype, array):
    """The precision the engine computes ``array`` in for a checked ``dtype``: 'auto' keeps
    float32 and float64 arrays as they are and takes float64 for any other array."""
    if dtype != "auto":
        return dtype
    return array.dtype.name if array.dtype.name in DTYPES else "float64"


def engine_neighbor_search(owner, neighbor_search, neighbors_algorithm):
    """The engine's neighbors_algorithm for the estimator's ``neighbor_search`` and
    scikit-learn's ``neighbors_algorithm``; raises InvalidParameterError for an unknown value
    or for 'hnsw' with an exact algorithm named in neighbors_algorithm."""
    search = check_choice(owner, "neighbor_search", neighbor_search, NEIGHBOR_SEARCHES)
    algorithm = check_choice(owner, "neighbors_algorithm", neighbors_algorithm,
                             tuple(NEIGHBORS_ALGORITHMS))
    if search == "hnsw":
        if algorithm != "auto":
            _fail(owner, "neighbors_algorithm", "'auto' with neighbor_search='hnsw'", algorithm)
        return "hnsw"
    if algorithm != "auto":
        return NEIGHBORS_ALGORITHMS[algorithm]
    return "exact" if search == "exact" else "auto"


def engine_tolerance(tol):
    """The engine's iterative-solver tolerance for scikit-learn's ``tol``: min(tol, 1e-10);
    0 means machine precision, as it does for ARPACK."""
    return min(tol, ENGINE_TOLERANCE) if tol > 0.0 else float(np.finfo(np.float64).eps)


def available_cores():
    """Processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# The engine's cap on threads (lle::max_thread_count).
MAX_THREADS = 1024


def thread_count(owner, n_jobs):
    """Threads for ``n_jobs``: None or -1 -> every core (returned as 0, the engine's 'all'),
    n > 0 -> n, n < -1 -> all but |n| - 1 cores (at least one). 0 is invalid."""
    if n_jobs is None:
        return 0
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
        _fail(owner, "n_jobs", "None or a non-zero int", n_jobs)
    if n_jobs == -1:
        return 0
    if n_jobs < 0:
        return max(1, available_cores() + 1 + int(n_jobs))
    if n_jobs > MAX_THREADS:
        _fail(owner, "n_jobs", f"at most {MAX_THREADS} (or negative)", n_jobs)
    return int(n_jobs)


def seed_from(owner, random_state):
    """The engine's seed for ``random_state``: None -> 0 (the engine's fixed default, so
    results are reproducible), an int in [0, 2**64) -> itself, a numpy RandomState or
    Generator -> a number drawn from it."""
    if random_state is None:
        return 0
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if not 0 <= random_state <= _LARGEST_SEED:
            _fail(owner, "random_state", "None, an int in [0, 2**64), a RandomState or a Generator",
                  random_state)
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(np.iinfo(np.int64).max))
    _fail(owner, "random_state", "None, an int in [0, 2**64), a RandomState or a Generator",
          random_state)


def feature_names(X):
    """The column names of a DataFrame-like ``X`` (anything with a ``columns`` attribute) as
    an object array when every name is a string, else None."""
    columns = getattr(X, "columns", None)
    if columns is None:
        return None
    names = np.asarray(list(columns), dtype=object)
    if names.size == 0 or not all(isinstance(name, str) for name in names):
        return None
    return names


def as_points(owner, X, minimum_samples, name="X"):
    """``X`` as a 2-dimensional numeric NumPy array, copied only when it is not an array of
    real numbers already (a list, a DataFrame-like, an object array). The compiled module
    takes any float or integer layout from there and copies only what it cannot read in
    place.

    The messages of the checks here contain the phrases scikit-learn's estimator checks look
    for ('Reshape your data', 'n sample(s)', 'NaN', ...), so that those checks pass.
    """
    if hasattr(X, "tocsr") and hasattr(X, "nnz"):  # a scipy.sparse matrix or array
        raise TypeError(f"{owner} needs dense data, got a sparse matrix; convert it first, "
                        "e.g. with X.toarray()")
    array = np.asarray(X)
    if array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported by {owner}: X has dtype {array.dtype}; "
                         "pass real numbers")
    if array.dtype.kind not in "fiub":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{owner} needs numbers, got an array of dtype {array.dtype} "
                              f"that cannot be converted to float64: {error}") from None
    if array.ndim != 2:
        hint = ""
        if array.ndim == 1:
            hint = (f". Reshape your data: {name}.reshape(-1, 1) for one feature per sample, "
                    f"{name}.reshape(1, -1) for a single sample")
        raise ValueError(f"{owner} expects {name} as a 2-dimensional array (n_samples, "
                         f"n_features), got {array.ndim} dimension(s) with shape {array.shape}"
                         f"{hint}")
    samples, features = array.shape
    if samples < minimum_samples:
        raise ValueError(f"{name} has {samples} sample(s) (shape={array.shape}) while a minimum "
                         f"of {minimum_samples} is required by {owner}.")
    if features < 1:
        raise ValueError(f"{name} has 0 feature(s) (shape={array.shape}) while a minimum of 1 "
                         f"is required by {owner}.")
    _require_finite(array, name)
    return array


def _require_finite(array, name="X"):
    """Raises DataError (a ValueError) naming the first NaN or infinite value of ``array``.
    Costs one pass (a sum) when there is none. The engine checks again; this check words its
    message for the estimator's users."""
    if array.dtype.kind != "f":
        return
    with np.errstate(over="ignore"):
        if np.isfinite(array.sum()):
            return
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:  # else the sum overflowed: the engine judges values that large
        row, column = bad[0]
        raise DataError(f"{name} contains NaN or infinity: row {row}, column {column} holds "
                        f"{array[row, column]}")
