"""lle.LocallyLinearEmbedding as a scikit-learn estimator: parameters, clone, pickle, pipelines,
the attributes beyond scikit-learn's, the parameter mapping, and life without scikit-learn."""

import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.sparse
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.manifold import LocallyLinearEmbedding as SklearnLLE
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import check_estimator
from threadpoolctl import threadpool_info, threadpool_limits

import lle
from reference_checks import largest_principal_angle


# The parameters scikit-learn does not have, with their defaults.
OUR_PARAMETERS = {"dtype": "float64", "neighbor_search": "auto", "weights_solver": "closed",
                  "init": None, "disconnected": "components", "diagnostics": False}


def test_parameters_are_sklearns_with_the_same_defaults():
    ours = lle.LocallyLinearEmbedding().get_params()
    theirs = SklearnLLE().get_params()
    assert {name: ours[name] for name in theirs} == theirs
    assert {name: value for name, value in ours.items() if name not in theirs} == OUR_PARAMETERS


def test_passes_sklearns_estimator_checks():
    check_estimator(lle.LocallyLinearEmbedding())


def test_clone_keeps_parameters_and_drops_the_fit(small):
    estimator = lle.LocallyLinearEmbedding(n_neighbors=7, n_components=3, method="ltsa",
                                           eigen_solver="dense", random_state=3, n_jobs=1)
    estimator.fit(small)
    copy = clone(estimator)
    assert copy.get_params() == estimator.get_params()
    assert not hasattr(copy, "embedding_")
    np.testing.assert_array_equal(copy.fit_transform(small), estimator.embedding_)


def test_set_params_round_trip(small):
    estimator = lle.LocallyLinearEmbedding()
    assert estimator.set_params(n_neighbors=9, method="modified") is estimator
    assert estimator.get_params()["n_neighbors"] == 9
    assert estimator.get_params()["method"] == "modified"
    estimator.set_params(**lle.LocallyLinearEmbedding().get_params())
    assert estimator.get_params() == lle.LocallyLinearEmbedding().get_params()
    with pytest.raises(ValueError):
        estimator.set_params(n_neighbours=3)
    assert repr(lle.LocallyLinearEmbedding(n_neighbors=9)) == (
        "LocallyLinearEmbedding(n_neighbors=9)")


def test_pickle_of_a_fitted_estimator_transforms_identically(swiss, swiss_new):
    estimator = lle.LocallyLinearEmbedding(n_neighbors=12, method="hessian").fit(swiss)
    restored = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(restored.transform(swiss_new), estimator.transform(swiss_new))
    np.testing.assert_array_equal(restored.embedding_, estimator.embedding_)
    assert restored.get_params() == estimator.get_params()
    assert restored.solver_info_ == estimator.solver_info_
    assert restored.reconstruction_error_ == estimator.reconstruction_error_


def test_fitted_model_keeps_its_own_copy_of_the_training_points(swiss, swiss_new):
    x = swiss.copy()
    estimator = lle.LocallyLinearEmbedding(n_neighbors=12).fit(x)
    before = estimator.transform(swiss_new)
    x[:] = 0.0  # the caller's array changes; the fitted model does not
    np.testing.assert_array_equal(estimator.transform(swiss_new), before)
    np.testing.assert_array_equal(estimator._model.training_points, swiss)


def test_pickle_of_an_unfitted_estimator():
    estimator = pickle.loads(pickle.dumps(lle.LocallyLinearEmbedding(n_neighbors=4)))
    assert estimator.n_neighbors == 4
    assert not hasattr(estimator, "embedding_")


def test_model_pickles_and_rebuilds(small):
    model = lle.embed(small, n_neighbors=6, n_components=2).model
    restored = pickle.loads(pickle.dumps(model))
    assert (restored.method, restored.n_neighbors, restored.n_samples, restored.n_features,
            restored.n_components) == ("standard", 6, 40, 5, 2)
    np.testing.assert_array_equal(restored.transform(small + 0.01), model.transform(small + 0.01))
    rebuilt = lle.Model(small, model.embedding, n_neighbors=6)
    np.testing.assert_array_equal(rebuilt.transform(small + 0.01), model.transform(small + 0.01))
    assert not model.training_points.flags.writeable
    with pytest.raises(ValueError, match="embedding has 39 rows, but training_points has 40"):
        lle.Model(small, model.embedding[1:])


@pytest.fixture(scope="module")
def digits_split():
    x, y = load_digits(return_X_y=True)
    return train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)


def test_digits_pipeline_classifies_like_sklearns(digits_split):
    x_train, x_test, y_train, y_test = digits_split

    def accuracy(embedding):
        pipeline = Pipeline([("embed", embedding), ("classify", KNeighborsClassifier(5))])
        return pipeline.fit(x_train, y_train).score(x_test, y_test)

    ours = accuracy(lle.LocallyLinearEmbedding(n_neighbors=15, n_components=8))
    theirs = accuracy(SklearnLLE(n_neighbors=15, n_components=8, eigen_solver="dense"))
    assert ours > 0.85, ours  # chance is 0.1
    # Ties among integer pixel distances change a few neighbour lists, so not identical.
    assert abs(ours - theirs) <= 0.03, (ours, theirs)


def test_cross_validation_clones_the_pipeline(digits_split):
    x_train, _, y_train, _ = digits_split
    pipeline = Pipeline([("embed", lle.LocallyLinearEmbedding(n_neighbors=15, n_components=8)),
                         ("classify", KNeighborsClassifier(5))])
    scores = cross_val_score(pipeline, x_train, y_train, cv=3)
    assert scores.min() > 0.8, scores


def test_extra_attributes(swiss):
    estimator = lle.LocallyLinearEmbedding(n_neighbors=10, n_components=2).fit(swiss)
    n = swiss.shape[0]
    weights = estimator.weights_
    assert scipy.sparse.isspmatrix_csr(weights) and weights.shape == (n, n)
    assert np.all(np.diff(weights.indptr) == 10)
    np.testing.assert_allclose(np.asarray(weights.sum(axis=1)).ravel(), 1.0, atol=1e-12)
    assert estimator.neighbors_.shape == (n, 10) and estimator.neighbors_.dtype == np.int64
    assert not np.any(estimator.neighbors_ == np.arange(n)[:, None])
    # Each row of W holds exactly the point's neighbours.
    np.testing.assert_array_equal(np.sort(estimator.neighbors_, axis=1),
                                  weights.indices.reshape(n, 10))
    assert estimator.eigenvalues_.shape == (2,)
    assert np.all(np.diff(estimator.eigenvalues_) >= 0)
    assert list(estimator.timings_) == ["neighbors", "weights", "eigensolve",
                                        "total"]
    assert all(seconds >= 0 for seconds in estimator.timings_.values())
    assert set(estimator.solver_info_) == {
        "solver", "converged", "iterations", "operator_applications", "block_size", "factor_nonzeros",
        "factorisation", "shift", "residual", "orthogonality_error", "message", "fallback", "tolerance",
        "max_iterations"}
    assert estimator.n_features_in_ == 3
    assert list(estimator.get_feature_names_out()) == ["locallylinearembedding0",
                                                       "locallylinearembedding1"]


@pytest.mark.parametrize("method, eigen_solver, factorisation", [
    ("standard", "auto", "lu"), ("ltsa", "auto", "cholesky"), ("standard", "dense", None),
    ("standard", "gradient", None)])
def test_solver_info_names_the_factorisation(swiss, method, eigen_solver, factorisation):
    info = lle.LocallyLinearEmbedding(n_neighbors=10, method=method,
                                      eigen_solver=eigen_solver).fit(swiss).solver_info_
    assert info["factorisation"] == factorisation
    # The LU needs no shift; the Cholesky factors of M + eps I (the sparse solver's, or the
    # gradient solver's preconditioner) have one; the dense solver has no factor.
    assert (info["shift"] > 0) == (factorisation == "cholesky" or eigen_solver == "gradient")
    assert (info["factor_nonzeros"] > 0) == (eigen_solver != "dense")


@pytest.mark.parametrize("tol, expected", [(1e-6, 1e-10), (1e-3, 1e-10), (1e-12, 1e-12),
                                           (0.0, np.finfo(np.float64).eps)])
def test_tol_tightens_the_engines_tolerance_and_never_loosens_it(small, tol, expected):
    estimator = lle.LocallyLinearEmbedding(tol=tol, max_iter=50, eigen_solver="arpack")
    info = estimator.fit(small).solver_info_
    assert info["tolerance"] == expected
    assert info["max_iterations"] == 50


def test_too_few_restarts_raise_with_the_solver_status():
    # Modified LLE of the digits needs two restarts of the sparse solver.
    x = load_digits().data
    with pytest.raises(lle.EigensolverError, match="the sparse eigensolver failed: ") as caught:
        lle.LocallyLinearEmbedding(n_neighbors=12, method="modified", max_iter=1,
                                   eigen_solver="arpack").fit(x)
    assert caught.value.solver_info["converged"] is False
    assert caught.value.solver_info["max_iterations"] == 1
    assert caught.value.solver_info["fallback"] == ""
    # 'auto' hands over to the next solver instead, and says why.
    fitted = lle.LocallyLinearEmbedding(n_neighbors=12, method="modified", max_iter=1).fit(x)
    assert fitted.solver_info_["converged"] is True
    assert fitted.solver_info_["solver"] != "sparse"
    assert fitted.solver_info_["fallback"].startswith("sparse: ")


def test_solver_and_neighbour_search_names(swiss):
    def fit(**parameters):
        return lle.LocallyLinearEmbedding(n_neighbors=10, **parameters).fit(swiss)

    assert fit(eigen_solver="sparse").solver_info_["solver"] == "sparse"
    assert fit(eigen_solver="auto").solver_info_["solver"] == "sparse"  # 800 > 100 points
    assert fit(eigen_solver="dense").solver_info_["solver"] == "dense"
    assert lle.LocallyLinearEmbedding(n_neighbors=10).fit(swiss[:90]).solver_info_[
        "solver"] == "dense"
    reference = fit(neighbors_algorithm="brute")
    for algorithm in ("auto", "kd_tree", "ball_tree"):
        np.testing.assert_array_equal(fit(neighbors_algorithm=algorithm).neighbors_,
                                      reference.neighbors_)


def test_threads_and_seeds_give_the_same_embedding(swiss):
    def fit(**parameters):
        return lle.LocallyLinearEmbedding(n_neighbors=10, **parameters).fit(swiss).embedding_

    reference = fit()
    for parameters in ({"n_jobs": 1}, {"n_jobs": -1}, {"n_jobs": -2}, {"n_jobs": 2},
                       {"random_state": 0}, {"random_state": 12345},
                       {"random_state": np.random.RandomState(1)},
                       {"random_state": np.random.default_rng(1)}):
        assert largest_principal_angle(fit(**parameters), reference) < 1e-8, parameters
    np.testing.assert_array_equal(fit(random_state=None), fit(random_state=0))


def test_thread_counts_are_restored_after_each_call(small):
    def counts():
        return sorted((pool["internal_api"], pool["num_threads"]) for pool in threadpool_info())

    before = counts()
    assert {"openblas", "openmp"} <= {api for api, _ in before}
    estimator = lle.LocallyLinearEmbedding(n_neighbors=6, n_jobs=1).fit(small)
    estimator.transform(small)
    assert counts() == before
    with threadpool_limits(limits=1):
        limited = counts()
        lle.LocallyLinearEmbedding(n_neighbors=6, n_jobs=2).fit(small).transform(small)
        assert counts() == limited


class Frame:
    """The part of a pandas DataFrame the estimator looks at: columns and __array__."""

    def __init__(self, values, columns):
        self.values = np.asarray(values)
        self.columns = list(columns)

    def __array__(self, dtype=None):
        return self.values if dtype is None else self.values.astype(dtype)


def test_column_names_of_a_frame(small):
    columns = [f"c{i}" for i in range(5)]
    estimator = lle.LocallyLinearEmbedding(n_neighbors=6).fit(Frame(small, columns))
    assert list(estimator.feature_names_in_) == columns
    np.testing.assert_array_equal(estimator.embedding_,
                                  lle.LocallyLinearEmbedding(n_neighbors=6).fit_transform(small))
    estimator.transform(Frame(small, columns))
    assert list(estimator.get_feature_names_out(columns)) == [
        "locallylinearembedding0", "locallylinearembedding1"]
    with pytest.raises(ValueError, match="column names"):
        estimator.transform(Frame(small, columns[::-1]))
    with pytest.warns(UserWarning, match="X has no column names"):
        estimator.transform(small)
    with pytest.raises(ValueError, match="input_features"):
        estimator.get_feature_names_out(columns[::-1])
    estimator.fit(small)  # refit without names forgets them
    assert not hasattr(estimator, "feature_names_in_")
    with pytest.warns(UserWarning, match="X has column names"):
        estimator.transform(Frame(small, columns))
    # Names that are not all strings are not kept.
    assert not hasattr(lle.LocallyLinearEmbedding(n_neighbors=6).fit(Frame(small, range(5))),
                       "feature_names_in_")


def run_without(modules, body):
    """Runs `body` in a new interpreter in which importing any of `modules` fails."""
    code = "import sys\n"
    code += "".join(f"sys.modules[{name!r}] = None\n" for name in modules)
    code += textwrap.dedent(body)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_works_without_sklearn():
    out = run_without(["sklearn"], """
        import pickle
        import numpy as np
        import lle
        x = np.random.RandomState(0).rand(60, 4)
        estimator = lle.LocallyLinearEmbedding(n_neighbors=8)
        assert "sklearn" not in str(type(estimator).__mro__)
        assert estimator.get_params()["n_neighbors"] == 8
        assert estimator.set_params(n_components=3) is estimator
        y = estimator.fit_transform(x)
        assert y.shape == (60, 3)
        restored = pickle.loads(pickle.dumps(estimator))
        assert np.array_equal(restored.transform(x + 0.01), estimator.transform(x + 0.01))
        try:
            lle.LocallyLinearEmbedding().transform(x)
        except ValueError as error:
            print("unfitted:", error)
        try:
            estimator.set_params(colour=1)
        except ValueError as error:
            print("bad name:", error)
        print(repr(estimator), type(estimator.weights_).__name__)
    """)
    assert "unfitted: This LocallyLinearEmbedding instance is not fitted yet" in out
    assert "bad name: LocallyLinearEmbedding has no parameter 'colour'" in out
    assert "LocallyLinearEmbedding(n_components=3, n_neighbors=8) csr_matrix" in out


def test_weights_without_scipy_are_csr_arrays():
    out = run_without(["sklearn", "scipy"], """
        import numpy as np
        import lle
        x = np.random.RandomState(0).rand(60, 4)
        data, indices, indptr, shape = lle.LocallyLinearEmbedding(n_neighbors=8).fit(x).weights_
        assert shape == (60, 60) and data.shape == (480,) and indices.shape == (480,)
        assert np.array_equal(indptr, np.arange(0, 481, 8))
        print("ok")
    """)
    assert out == "ok\n"


def test_n_jobs_above_the_engines_thread_cap_is_a_value_error():
    X = np.random.default_rng(0).normal(size=(50, 3))
    with pytest.raises(ValueError, match="n_jobs must be at most 1024"):
        lle.LocallyLinearEmbedding(n_neighbors=5, n_jobs=10**6).fit(X)


def test_neighbor_search_exact_or_hnsw_with_its_estimated_recall():
    rng = np.random.default_rng(17)
    centres = 5 * rng.normal(size=(10, 20))
    X = centres[np.arange(1500) % 10] + rng.normal(size=(1500, 20))

    exact = lle.LocallyLinearEmbedding(n_neighbors=10, neighbor_search="exact").fit(X)
    assert exact.neighbor_search_ == "brute_force"
    assert exact.neighbor_recall_ is None and exact.neighbor_recall_sample_size_ is None
    assert exact.neighbor_far_points_ is None
    assert "recall" not in exact.timings_

    approximate = lle.LocallyLinearEmbedding(n_neighbors=10, neighbor_search="hnsw").fit(X)
    assert approximate.neighbor_search_ == "hnsw"
    assert 0.95 <= approximate.neighbor_recall_ <= 1.0
    assert approximate.neighbor_recall_sample_size_ == 1000
    assert 0 <= approximate.neighbor_far_points_ <= 1000
    assert list(approximate.timings_)[:2] == ["neighbors", "recall"]
    found = np.mean([len(set(a) & set(b)) / 10
                     for a, b in zip(approximate.neighbors_, exact.neighbors_)])
    assert found >= 0.95

    # 'auto' is exact on few points, and follows an explicit neighbors_algorithm.
    assert lle.LocallyLinearEmbedding(n_neighbors=10).fit(X).neighbor_search_ == "brute_force"
    assert lle.LocallyLinearEmbedding(
        n_neighbors=10, neighbors_algorithm="kd_tree").fit(X).neighbor_search_ == "kd_tree"
    assert lle.LocallyLinearEmbedding(
        n_neighbors=10, neighbor_search="exact",
        neighbors_algorithm="ball_tree").fit(X).neighbor_search_ == "kd_tree"


def test_hnsw_search_needs_neighbors_algorithm_auto(small):
    estimator = lle.LocallyLinearEmbedding(neighbor_search="hnsw", neighbors_algorithm="brute")
    with pytest.raises(lle.InvalidParameterError) as caught:
        estimator.fit(small)
    assert str(caught.value) == ("LocallyLinearEmbedding: neighbors_algorithm must be 'auto' "
                                 "with neighbor_search='hnsw', got 'brute'")


def test_gradient_solvers_give_the_closed_form_and_shift_invert_answers(swiss):
    reference = lle.LocallyLinearEmbedding(n_neighbors=10).fit(swiss)
    weights = lle.LocallyLinearEmbedding(n_neighbors=10, weights_solver="gradient").fit(swiss)
    assert abs(weights.weights_ - reference.weights_).max() < 1e-10
    assert largest_principal_angle(weights.embedding_, reference.embedding_) < 1e-8
    lobpcg = lle.LocallyLinearEmbedding(n_neighbors=10, eigen_solver="gradient").fit(swiss)
    assert lobpcg.solver_info_["solver"] == "gradient"
    assert largest_principal_angle(lobpcg.embedding_, reference.embedding_) < 1e-8


def test_init_warm_starts_the_gradient_solver(swiss):
    cold = lle.LocallyLinearEmbedding(n_neighbors=10, eigen_solver="gradient").fit(swiss)
    warm = lle.LocallyLinearEmbedding(n_neighbors=10, init=cold.embedding_).fit(swiss)
    # 'auto' with init runs the gradient solver; from its own answer it has nothing left to do.
    assert warm.solver_info_["solver"] == "gradient"
    assert warm.solver_info_["iterations"] < cold.solver_info_["iterations"]
    assert largest_principal_angle(warm.embedding_, cold.embedding_) < 1e-8
    np.testing.assert_array_equal(clone(warm).get_params()["init"], warm.init)


def test_init_with_the_wrong_number_of_rows_names_both_shapes(swiss):
    estimator = lle.LocallyLinearEmbedding(init=np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"init has 5 rows, expected one per sample of X "
                                          rf"\({len(swiss)}\)"):
        estimator.fit(swiss)
    for solver in ("dense", "arpack"):
        with pytest.raises(lle.InvalidParameterError,
                           match=rf"init gives starting coordinates to the gradient eigensolver "
                                 rf"only, and eigen_solver='{solver}' would ignore them; use "
                                 rf"eigen_solver='gradient' \(or 'auto'\), or init=None"):
            lle.LocallyLinearEmbedding(init=np.ones((len(swiss), 2)),
                                       eigen_solver=solver).fit(swiss)
    # The engine's own entry point says the same in its terms.
    with pytest.raises(lle.ParameterError,
                       match="initial coordinates \\(init\\) start the gradient eigensolver "
                             "only, and eigen_solver = dense would ignore them"):
        lle.embed(swiss, init=np.ones((len(swiss), 2)), eigen_solver="dense")


def test_init_errors_name_init_and_huge_counts_are_parameter_errors(swiss):
    bad = np.ones((len(swiss), 2))
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="init contains NaN or infinity: row 3, column 1"):
        lle.LocallyLinearEmbedding(init=bad).fit(swiss)
    with pytest.raises(ValueError, match="expects init as a 2-dimensional array"):
        lle.LocallyLinearEmbedding(init=np.ones(len(swiss))).fit(swiss)
    with pytest.raises(ValueError, match=r"max_iter must be an int <= 1000000000, got 10\*\*20"
                       .replace(r"10\*\*20", str(10**20))):
        lle.LocallyLinearEmbedding(max_iter=10**20).fit(swiss)


def test_a_disconnected_graph_per_mode():
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal(size=(120, 3)), rng.normal(size=(80, 3)) + 100.0])
    with pytest.warns(UserWarning, match="2 connected components"):
        both = lle.LocallyLinearEmbedding(n_neighbors=8).fit(X)
    assert both.embedding_.shape == (200, 2) and both.embedded_rows_ is None
    assert both.component_sizes_ == [120, 80]
    with pytest.warns(UserWarning, match="only the largest"):
        largest = lle.LocallyLinearEmbedding(n_neighbors=8, disconnected="largest").fit(X)
    assert largest.embedding_.shape == (120, 2)
    np.testing.assert_array_equal(largest.embedded_rows_, np.arange(120))
    with pytest.raises(lle.DataError, match="not connected: it falls into 2 components"):
        lle.LocallyLinearEmbedding(n_neighbors=8, disconnected="error").fit(X)
    connected = lle.LocallyLinearEmbedding(n_neighbors=8).fit(X[:120])
    assert connected.component_sizes_ == [120]
    np.testing.assert_array_equal(connected.component_eigenvalues_[0], connected.eigenvalues_)
    assert len(connected.component_eigenvalues_) == 1

    # Each component's eigenvalues are its own, those of its samples fitted alone; the error
    # sums them all, and eigenvalues_ are the largest component's (the first here).
    second = lle.LocallyLinearEmbedding(n_neighbors=8).fit(X[120:])
    assert len(both.component_eigenvalues_) == 2
    for mine, alone in zip(both.component_eigenvalues_, (connected, second)):
        np.testing.assert_allclose(mine, alone.eigenvalues_, rtol=1e-8)
    np.testing.assert_array_equal(both.eigenvalues_, both.component_eigenvalues_[0])
    assert both.reconstruction_error_ == pytest.approx(
        connected.reconstruction_error_ + second.reconstruction_error_, rel=1e-8)
    # With only the largest embedded, the other component has no eigenvalues.
    assert [len(values) for values in largest.component_eigenvalues_] == [2, 0]
    assert largest.reconstruction_error_ == pytest.approx(np.sum(largest.eigenvalues_),
                                                          rel=1e-12)


def test_duplicates_are_counted_and_share_coordinates(swiss):
    X = np.vstack([swiss, swiss[:10]])
    fitted = lle.LocallyLinearEmbedding(n_neighbors=10).fit(X)
    assert fitted.duplicate_count_ == 10
    np.testing.assert_array_equal(fitted.embedding_[len(swiss):], fitted.embedding_[:10])


def test_ctrl_c_stops_a_fit_between_its_steps():
    # SIGINT half a second into a fit of 1,000,000 points: the engine stops after its first
    # phase, the neighbours, and fit raises KeyboardInterrupt. The peak memory tells that it
    # stopped early, whatever the machine's speed: the neighbour phase added 170 MB here (250 MB
    # under AddressSanitizer), a fit that runs to its end (and raises on return) 2 GB.
    out = run_without([], """
        import os, resource, signal, threading, time
        import numpy as np
        import lle
        rng = np.random.default_rng(0)
        t = rng.uniform(1.5 * np.pi, 4.5 * np.pi, 1000000)
        x = np.c_[t * np.cos(t), rng.uniform(0, 20, t.size), t * np.sin(t)]
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        estimator = lle.LocallyLinearEmbedding(n_neighbors=10)
        def interrupt():
            time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGINT)
        threading.Thread(target=interrupt).start()
        try:
            estimator.fit(x)
            print("returned")
        except KeyboardInterrupt:
            print("raised")
        print("fitted" if hasattr(estimator, "embedding_") else "not fitted")
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)  # MiB
    """)
    lines = out.split("\n")
    assert lines[:2] == ["raised", "not fitted"], out
    assert float(lines[2]) < 1000.0, out
