"""lle.LocallyLinearEmbedding: the engine behind scikit-learn's estimator interface."""

import inspect
import warnings

import numpy as np

from . import _lle
from ._validation import (
    EIGEN_SOLVERS,
    WEIGHTS_SOLVERS,
    METHODS,
    InvalidParameterError,
    as_points,
    check_bool,
    check_choice,
    check_dtype,
    check_int,
    check_real,
    engine_dtype,
    engine_neighbor_search,
    engine_tolerance,
    feature_names,
    seed_from,
    thread_count,
)

try:  # scikit-learn is optional: with it the estimator is a real scikit-learn transformer.
    from sklearn.base import BaseEstimator as _BaseEstimator
    from sklearn.base import TransformerMixin as _TransformerMixin
    from sklearn.exceptions import NotFittedError
except ImportError:
    _BaseEstimator = _TransformerMixin = None

    class NotFittedError(ValueError, AttributeError):
        """The estimator is used before fit."""

try:  # scipy is optional too: without it weights_ is a tuple of CSR arrays.
    from scipy.sparse import csr_matrix as _csr_matrix
except ImportError:
    _csr_matrix = None


class _StandaloneEstimator:
    """What the estimator needs of scikit-learn's BaseEstimator and TransformerMixin when
    scikit-learn is not installed: parameters read from and written to attributes named as
    the constructor's keyword arguments."""

    @classmethod
    def _get_param_names(cls):
        signature = inspect.signature(cls.__init__)
        return sorted(name for name, parameter in signature.parameters.items()
                      if name != "self" and parameter.kind == parameter.KEYWORD_ONLY)

    def get_params(self, deep=True):
        """The constructor's parameters as a dict of name -> current value. ``deep`` is
        accepted for compatibility; this estimator holds no nested estimators."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        """Sets constructor parameters by name and returns the estimator. Raises ValueError
        for a name the constructor does not take."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {name!r}; "
                                 f"its parameters are {valid}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [f"{name}={value!r}" for name, value in self.get_params().items()
                   if not _same(value, defaults[name].default)]
        return f"{type(self).__name__}({', '.join(changed)})"


def _same(a, b):
    try:
        return bool(a == b) and type(a) is type(b)
    except Exception:  # e.g. arrays, whose == is elementwise
        return a is b


_BASES = ((_TransformerMixin, _BaseEstimator) if _BaseEstimator is not None
          else (_StandaloneEstimator,))


class EigensolverError(RuntimeError):
    """The eigensolver did not deliver eigenpairs that pass the engine's checks.

    ``solver_info`` holds the solver's status (the same keys as the estimator's
    ``solver_info_``).
    """

    def __init__(self, message, solver_info):
        super().__init__(message)
        self.solver_info = solver_info


class LocallyLinearEmbedding(*_BASES):
    """Locally Linear Embedding and its family (modified, Hessian, LTSA) on the lle engine.

    Takes the parameters of scikit-learn's ``sklearn.manifold.LocallyLinearEmbedding`` with the
    same names and defaults and gives the same embeddings (up to each column's sign, or a
    rotation where eigenvalues coincide). Neighbours, weights and the cost matrix are built
    sparse and in parallel, and the default eigensolver is a sparse shift-invert Lanczos
    solver, so it scales to far more points than scikit-learn's implementation.

    Parameters
    ----------
    n_neighbors : int, default=5
        Neighbours of each point, k. Needs k < n_samples; Hessian LLE needs
        k > n_components * (n_components + 3) / 2, modified LLE n_components < k and LTSA
        n_components < k - 1.
    n_components : int, default=2
        Dimension of the embedding, d. Needs d <= n_features and d < n_samples.
    reg : float, default=1e-3
        Regularisation of each point's local Gram matrix C, as C + reg * trace(C) * I (or
        + reg * I when the trace is 0). Used by standard and modified LLE and by transform.
    eigen_solver : {'auto', 'arpack', 'dense', 'sparse', 'gradient'}, default='auto'
        'arpack' (or the engine's name, 'sparse') runs the engine's iterative solver:
        Lanczos on the inverse of the cost matrix through a sparse factorisation (for
        standard LLE an LU of I - W, which never forms M; for the other methods a Cholesky
        factor of M plus a tiny shift). 'dense' runs
        LAPACK on the full n x n matrix (memory 8 n^2 bytes). 'gradient' (ours) minimises
        trace(Z^T M Z) under Z^T Z = I and Z orthogonal to the constant vector by LOBPCG,
        preconditioned by a Cholesky factor of M; it can start from ``init``. 'auto' picks
        dense up to 100 samples, 'gradient' when ``init`` is given, the iterative solver
        otherwise.
    tol : float, default=1e-6
        Tolerance of the iterative solver. The engine uses min(tol, 1e-10): scikit-learn's
        default, meant for ARPACK, is too loose for the engine's own checks of the result, so
        tol can tighten the engine's default but not loosen it. 0 means machine precision.
        Ignored by the dense solver.
    max_iter : int, default=100
        Most restarts of the iterative solver (it typically needs 1 or 2). Ignored by the
        dense solver.
    method : {'standard', 'modified', 'hessian', 'ltsa'}, default='standard'
        Which member of the family builds the cost matrix.
    hessian_tol : float, default=1e-4
        Hessian LLE: the smallest column sum used to normalise a local Hessian estimator.
    modified_tol : float, default=1e-12
        Modified LLE: the smallest norm of a Householder vector that is reflected.
    neighbors_algorithm : {'auto', 'brute', 'kd_tree', 'ball_tree'}, default='auto'
        How the exact nearest neighbours are searched: 'kd_tree' (nanoflann), 'brute' (blocked
        distances from matrix products), 'auto' (kd-tree up to 15 features, brute force
        above). The engine has no ball tree: 'ball_tree' runs the kd-tree. Every choice gives
        the same neighbours, ties broken by the smaller index. transform always uses the
        kd-tree. With neighbor_search='hnsw' it must stay 'auto'.
    random_state : None, int, numpy.random.RandomState or Generator, default=None
        Seeds the iterative solver's start vector. None uses the engine's fixed seed 0, so
        results are reproducible; a RandomState or Generator gives a seed drawn from it.
    n_jobs : int or None, default=None
        Threads for every parallel phase: None or -1 use every core, -2 all but one, and so
        on. The process's OpenMP and OpenBLAS thread counts are restored after each call.
    dtype : {'float64', 'float32', 'auto'} or None, default='float64'
        Precision the points are held and searched in. 'float32' halves the memory of the
        points and runs the neighbour search in single precision; the weights, the cost
        matrix and the eigensolve stay in double, each neighbourhood widened to double as it
        is used, so the embedding is that of the float32-rounded points (within about 1e-3
        rad of the float64 one on typical data). A C-ordered float32 X is then read without
        a copy. None or 'auto' keep X's dtype when it is float32 or float64 and take float64
        otherwise. The fitted model keeps a float64 copy of the training points for
        transform, whatever the dtype. NumPy's spellings (``np.float32``) are accepted.
    neighbor_search : {'auto', 'exact', 'hnsw'}, default='auto'
        The engine's own choice of neighbour search (not a scikit-learn parameter). 'exact'
        runs ``neighbors_algorithm``. 'hnsw' runs an approximate search (hnswlib's HNSW
        graph): far faster on many points in high dimension, but it may miss a few true
        neighbours; their share is estimated on a sample of 1000 points and stored in
        ``neighbor_recall_``. 'auto' picks HNSW for 20,000 points or more in more than 15
        features (and searches exactly after all if its estimated recall is below 0.9) and
        an exact search otherwise, or runs ``neighbors_algorithm`` when that is not 'auto'.
        Results of an HNSW search can vary slightly between runs with more than one thread.
    weights_solver : {'closed', 'gradient'}, default='closed'
        How standard LLE finds each point's reconstruction weights (ours): 'closed' solves
        the regularised local Gram system by Cholesky, as scikit-learn does; 'gradient' runs
        projected conjugate gradient within sum(w) = 1 to a relative tolerance of 1e-12.
        Both give the same weights to rounding. Only the standard method has such weights.
    disconnected : {'components', 'largest', 'error'}, default='components'
        What to do when the k-nearest-neighbour graph falls into several connected components
        (ours). Then the cost matrix has one null vector per component and scikit-learn's
        bottom eigenvectors only tell the components apart. 'components' (the default here,
        so that the estimator returns an embedding of every sample as scikit-learn's does)
        embeds each component on its own and places them side by side along the first
        coordinate, with a UserWarning; 'largest' embeds only the largest component (then
        ``embedding_`` has fewer rows and ``embedded_rows_`` names them); 'error' raises
        DataError with the components' sizes (the command line's default).
    init : array-like of shape (n_samples, c) or None, default=None
        Starting coordinates for the gradient eigensolver (ours), e.g. the ``embedding_`` of
        an earlier fit on mostly the same points: a warm start. Only their span matters;
        needs ``eigen_solver`` 'auto' or 'gradient'.
    diagnostics : bool, default=False
        Also diagnose each sample's local fit (ours), into ``diagnostics_``. Costs a small
        eigenproblem per sample, about what the weights cost.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
        The coordinates of the training points: orthonormal columns, each orthogonal to the
        constant vector, each with an arbitrary sign.
    reconstruction_error_ : float
        The sum of ``eigenvalues_``, as scikit-learn reports it; on a disconnected graph the
        sum over every embedded component's eigenvalues (``component_eigenvalues_``).
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        The column names of X in fit, when X had string column names (a DataFrame).
    eigenvalues_ : ndarray of shape (n_components,)
        The eigenvalues of the cost matrix whose eigenvectors are the columns of embedding_
        (the 2nd to (d+1)-th smallest; the smallest is 0, for the constant vector). On a
        disconnected graph, those of the largest component (the first of the largest size).
    neighbors_ : ndarray of shape (n_samples, n_neighbors), int64
        The k nearest neighbours of each training point, nearest first, the point itself
        excluded (those an approximate search found, see ``neighbor_recall_``).
    weights_ : scipy.sparse.csr_matrix of shape (n_samples, n_samples), tuple or None
        Standard LLE's reconstruction weights W (k entries a row, each row summing to 1). A
        tuple (data, indices, indptr, shape) of the same CSR arrays when scipy is not
        installed; None for the other methods, which have no single weight matrix.
    timings_ : dict of str -> float
        Wall time in seconds of each phase, in order: 'neighbors', 'recall' (only after an
        approximate search), 'weights' (standard LLE only), 'diagnostics' (only with
        ``diagnostics=True``), 'cost matrix' (modified, Hessian and LTSA; standard LLE's
        sparse solver never forms M, and its other solvers form it within 'eigensolve'),
        'eigensolve', and 'total'.
    diagnostics_ : dict of str -> ndarray of shape (n_samples,), or None
        With ``diagnostics=True``, each row of X's local fit (None otherwise): 'residual',
        the distance from the sample to its reconstruction by its barycentric weights
        (standard LLE's W; for the other methods those of the same neighbourhoods with the
        same ``reg``); 'condition', the condition number of its local Gram matrix before
        regularisation (inf when singular, always so when n_neighbors > n_features);
        'regularised' (bool), whether the regulariser outweighs that matrix's smallest
        eigenvalue, reg * trace > lambda_min; 'kth_distance', the distance to its k-th
        neighbour. A repeated row gets its original's values; with
        ``disconnected='largest'`` the rows left out of ``embedding_`` are described too.
        See the README's "Reading the diagnostics".
    neighbor_search_ : str
        The neighbour search that ran: 'kd_tree', 'brute_force' or 'hnsw'.
    neighbor_recall_ : float or None
        After an approximate search, its estimated recall@k: the fraction of the sampled
        points' true k nearest neighbours it found, a neighbour tied with the k-th distance
        counted as found. None after an exact search.
    neighbor_recall_sample_size_ : int or None
        The number of points ``neighbor_recall_`` was estimated on; None after an exact
        search.
    neighbor_far_points_ : int or None
        Of those, the points with a neighbour more than twice as far as their true k-th
        nearest: where the approximate search joined distant parts of the data, which bends
        the embedding far more than the recall suggests (fit warns). None after an exact
        search.
    dtype_ : str
        The precision fit computed in, 'float64' or 'float32' (``dtype`` resolved against X).
    component_sizes_ : list of int
        Samples in each connected component of the neighbour graph (one entry when it is
        connected), components numbered by their first sample.
    component_eigenvalues_ : list of ndarray of shape (n_components,)
        Each connected component's eigenvalues, of its own block of the cost matrix, in the
        order of ``component_sizes_``; an empty array for a component that
        ``disconnected='largest'`` left out. One entry, ``eigenvalues_``, when connected.
    duplicate_count_ : int
        Rows of X that repeat an earlier row exactly. They are embedded once: each repeat
        gets its original's coordinates, and no sample is a neighbour of its own copy.
    embedded_rows_ : ndarray of int or None
        With ``disconnected='largest'`` on a disconnected graph, the rows of X that
        ``embedding_`` holds; None when every row was embedded.
    solver_info_ : dict
        The eigensolver's status: 'solver' ('dense', 'sparse' or 'gradient'), 'converged',
        'iterations' (restarts; 1 for dense), 'operator_applications', 'block_size' (the
        vectors the sparse solver's operator is applied to at once), 'factor_nonzeros',
        'factorisation' (the factor the sparse solver ran on: 'lu', the LU of I - W that
        standard LLE uses first, or 'cholesky', the Cholesky factor of M + shift I that the
        other methods use and standard LLE hands over to; None for the dense and gradient
        solvers), 'shift', 'residual' (the largest |M z - lambda z|), 'orthogonality_error',
        'message', 'fallback', and the 'tolerance' and 'max_iterations' it was given.

    Notes
    -----
    transform maps a new point to the combination of its k nearest training points'
    coordinates given by its regularised barycentric weights, for every method. A point equal
    to a training point lands exactly on that point's coordinates. A fitted estimator pickles
    with a copy of the training points, which transform needs.
    """

    def __init__(
        self,
        *,
        n_neighbors=5,
        n_components=2,
        reg=1e-3,
        eigen_solver="auto",
        tol=1e-6,
        max_iter=100,
        method="standard",
        hessian_tol=1e-4,
        modified_tol=1e-12,
        neighbors_algorithm="auto",
        random_state=None,
        n_jobs=None,
        dtype="float64",
        neighbor_search="auto",
        weights_solver="closed",
        init=None,
        disconnected="components",
        diagnostics=False,
    ):
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.reg = reg
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.method = method
        self.hessian_tol = hessian_tol
        self.modified_tol = modified_tol
        self.neighbors_algorithm = neighbors_algorithm
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.dtype = dtype
        self.neighbor_search = neighbor_search
        self.weights_solver = weights_solver
        self.init = init
        self.disconnected = disconnected
        self.diagnostics = diagnostics

    # ------------------------------------------------------------------------------------
    # Fitting

    def _engine_arguments(self):
        """The constructor's parameters checked and translated to the engine's."""
        owner = type(self).__name__
        arguments = {name: check_int(owner, name, getattr(self, name), 1)
                     for name in ("n_neighbors", "n_components", "max_iter")}
        arguments.update({name: check_real(owner, name, getattr(self, name))
                          for name in ("reg", "tol", "hessian_tol", "modified_tol")})
        arguments["tol"] = engine_tolerance(arguments["tol"])
        arguments["method"] = check_choice(owner, "method", self.method, METHODS)
        arguments["neighbors_algorithm"] = engine_neighbor_search(
            owner, self.neighbor_search, self.neighbors_algorithm)
        arguments["eigen_solver"] = EIGEN_SOLVERS[check_choice(
            owner, "eigen_solver", self.eigen_solver, tuple(EIGEN_SOLVERS))]
        arguments["seed"] = seed_from(owner, self.random_state)
        arguments["n_threads"] = thread_count(owner, self.n_jobs)
        arguments["dtype"] = check_dtype(owner, self.dtype)
        arguments["weights_solver"] = check_choice(owner, "weights_solver", self.weights_solver,
                                                   WEIGHTS_SOLVERS)
        arguments["disconnected"] = check_choice(owner, "disconnected", self.disconnected,
                                                 ("components", "largest", "error"))
        arguments["diagnostics"] = check_bool(owner, "diagnostics", self.diagnostics)
        return arguments

    def _fit(self, X):
        arguments = self._engine_arguments()
        names = feature_names(X)
        points = as_points(type(self).__name__, X, minimum_samples=2)
        arguments["dtype"] = engine_dtype(arguments["dtype"], points)
        if self.init is not None:
            if arguments["eigen_solver"] not in ("auto", "gradient"):
                raise InvalidParameterError(
                    f"{type(self).__name__}: init gives starting coordinates to the gradient "
                    f"eigensolver only, and eigen_solver={self.eigen_solver!r} would ignore "
                    "them; use eigen_solver='gradient' (or 'auto'), or init=None")
            init = as_points(type(self).__name__, self.init, minimum_samples=1, name="init")
            if init.shape[0] != points.shape[0]:
                raise ValueError(f"init has {init.shape[0]} rows, expected one per sample of X "
                                 f"({points.shape[0]}); got init of shape {init.shape}")
            arguments["init"] = init
        result = _lle.embed(points, **arguments)

        solver_info = dict(result.solver)
        solver_info["tolerance"] = arguments["tol"]
        solver_info["max_iterations"] = arguments["max_iter"]
        if not solver_info["converged"]:
            raise EigensolverError(
                f"the {solver_info['solver']} eigensolver failed: {solver_info['message']}",
                solver_info)

        self.embedding_ = result.coordinates
        self.reconstruction_error_ = float(result.reconstruction_error)
        self.eigenvalues_ = result.eigenvalues
        self.neighbors_ = result.neighbors
        self.weights_ = _weight_matrix(result.weights)
        self.timings_ = dict(result.timings)
        self.neighbor_search_ = result.neighbor_algorithm
        self.neighbor_recall_ = result.recall
        self.neighbor_recall_sample_size_ = result.recall_sample_size
        self.neighbor_far_points_ = result.far_points
        self.solver_info_ = solver_info
        self.component_sizes_ = list(result.component_sizes)
        self.component_eigenvalues_ = list(result.component_eigenvalues)
        self.duplicate_count_ = int(result.duplicate_count)
        self.embedded_rows_ = result.rows
        self.diagnostics_ = result.diagnostics
        if result.far_points:
            warnings.warn(
                f"{result.far_points} of {result.recall_sample_size} sampled points got a "
                "neighbour more than twice as far as their true k-th nearest: the approximate "
                "search joined distant parts of X, which can bend the embedding far more than "
                "its recall suggests; neighbor_search='exact' avoids it",
                UserWarning, stacklevel=3)
        if len(self.component_sizes_) > 1:
            warnings.warn(
                f"the neighbour graph of X has {len(self.component_sizes_)} connected "
                f"components (sizes {self.component_sizes_}); "
                + ("each was embedded on its own, side by side along the first coordinate"
                   if result.rows is None else
                   f"only the largest ({len(result.rows)} samples) was embedded")
                + "; raise n_neighbors to join them", UserWarning, stacklevel=3)
        self.dtype_ = arguments["dtype"]
        self.n_features_in_ = points.shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self._model = result.model
        return self

    def fit(self, X, y=None):
        """Learns the embedding of the training points X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training points, float32 or float64 (integers are converted), C or Fortran
            order. A C-ordered array of the dtype computed in (see ``dtype``) is read
            without a copy.
        y : ignored
            Accepted for compatibility with scikit-learn pipelines.

        Returns
        -------
        self : LocallyLinearEmbedding
            The fitted estimator.
        """
        return self._fit(X)

    def fit_transform(self, X, y=None):
        """Learns the embedding of X and returns it (the fitted ``embedding_``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training points, as for fit.
        y : ignored
            Accepted for compatibility with scikit-learn pipelines.

        Returns
        -------
        embedding : ndarray of shape (n_samples, n_components)
            The coordinates of the training points.
        """
        return self._fit(X).embedding_

    # ------------------------------------------------------------------------------------
    # Using the fitted embedding

    def __sklearn_is_fitted__(self):
        """Whether fit has run (scikit-learn's check_is_fitted asks this)."""
        return hasattr(self, "_model")

    def _require_fitted(self):
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet; "
                                 "call fit or fit_transform first.")

    def _check_columns(self, X, points):
        owner = type(self).__name__
        if points.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {points.shape[1]} features, but {owner} is expecting "
                             f"{self.n_features_in_} features as input.")
        names = feature_names(X)
        fitted = getattr(self, "feature_names_in_", None)
        if fitted is not None and names is not None:
            if len(names) != len(fitted) or np.any(names != fitted):
                raise ValueError(f"X's column names {list(names)} are not those {owner} was "
                                 f"fitted with: {list(fitted)}")
        elif fitted is not None:
            warnings.warn(f"X has no column names, but {owner} was fitted with names "
                          f"{list(fitted)}", UserWarning, stacklevel=3)
        elif names is not None:
            warnings.warn(f"X has column names, but {owner} was fitted without them",
                          UserWarning, stacklevel=3)

    def transform(self, X):
        """Maps new points into the fitted embedding.

        Each point is reconstructed from its ``n_neighbors`` nearest training points with
        regularised barycentric weights (``reg``) and placed at the same weighted sum of their
        coordinates. A point equal to a training point lands exactly on its coordinates.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Points with the training points' number of features.

        Returns
        -------
        X_new : ndarray of shape (n_queries, n_components)
            Their coordinates.
        """
        self._require_fitted()
        points = as_points(type(self).__name__, X, minimum_samples=0)
        self._check_columns(X, points)
        return self._model.transform(points, n_threads=thread_count(type(self).__name__,
                                                                    self.n_jobs))

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: the class name in lower case followed by 0, 1, ...
        (``locallylinearembedding0``, ``locallylinearembedding1``, ...).

        Parameters
        ----------
        input_features : array-like of str or None
            Checked against the input seen in fit (its count, and its names when fit had
            names), as scikit-learn does; it does not change the output names.

        Returns
        -------
        names : ndarray of str objects, shape (n_components,)
        """
        self._require_fitted()
        if input_features is not None:
            given = np.asarray(input_features, dtype=object)
            fitted = getattr(self, "feature_names_in_", None)
            if len(given) != self.n_features_in_:
                raise ValueError(f"input_features has {len(given)} names, but "
                                 f"{type(self).__name__} was fitted with "
                                 f"{self.n_features_in_} features")
            if fitted is not None and np.any(given != fitted):
                raise ValueError(f"input_features {list(given)} are not the names seen in "
                                 f"fit: {list(fitted)}")
        prefix = type(self).__name__.lower()
        count = self.embedding_.shape[1]
        return np.asarray([f"{prefix}{i}" for i in range(count)], dtype=object)


def _weight_matrix(parts):
    """W from the engine's CSR arrays: a scipy CSR matrix, the tuple itself without scipy, or
    None when the method has no weight matrix."""
    if parts is None or _csr_matrix is None:
        return parts
    data, indices, indptr, shape = parts
    return _csr_matrix((data, indices, indptr), shape=shape)
