"""The per-point diagnostics through the Python package (lle.embed, the estimator's
``diagnostics`` parameter and ``diagnostics_``) and lle.trustworthiness / lle.continuity against
scikit-learn's trustworthiness."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.manifold import trustworthiness as sklearn_trustworthiness

import lle

KEYS = {"residual", "condition", "regularised", "kth_distance"}


def test_no_diagnostics_unless_asked(swiss):
    estimator = lle.LocallyLinearEmbedding(n_neighbors=10).fit(swiss)
    assert estimator.diagnostics_ is None
    assert "diagnostics" not in estimator.timings_
    assert lle.embed(swiss, n_neighbors=10).diagnostics is None


def test_estimator_diagnostics_against_its_own_weights(swiss):
    estimator = lle.LocallyLinearEmbedding(n_neighbors=10, diagnostics=True).fit(swiss)
    diagnostics = estimator.diagnostics_
    assert set(diagnostics) == KEYS
    for name, values in diagnostics.items():
        assert values.shape == (800,), name
    assert diagnostics["regularised"].dtype == np.bool_
    assert "diagnostics" in estimator.timings_
    # residual = |x - W x| with the fitted W; k = 10 > 3 features: all singular, regularised.
    reconstruction = estimator.weights_ @ swiss
    np.testing.assert_allclose(diagnostics["residual"],
                               np.linalg.norm(swiss - reconstruction, axis=1), rtol=1e-9)
    assert np.all(np.isinf(diagnostics["condition"])) and diagnostics["regularised"].all()
    distances = np.linalg.norm(swiss - swiss[estimator.neighbors_[:, -1]], axis=1)
    np.testing.assert_allclose(diagnostics["kth_distance"], distances, rtol=1e-14)


def test_engine_and_estimator_agree(swiss):
    estimator = lle.LocallyLinearEmbedding(n_neighbors=8, method="ltsa", diagnostics=True)
    estimator.fit(swiss)
    engine = lle.embed(swiss, n_neighbors=8, method="ltsa", diagnostics=True).diagnostics
    for name in KEYS:
        np.testing.assert_array_equal(estimator.diagnostics_[name], engine[name])


def test_repeated_rows_get_their_originals_values(swiss):
    repeated = np.vstack([swiss, swiss[:5]])
    diagnostics = lle.embed(repeated, n_neighbors=10, diagnostics=True).diagnostics
    for name in KEYS:
        assert diagnostics[name].shape == (805,)
        np.testing.assert_array_equal(diagnostics[name][800:], diagnostics[name][:5])


def test_diagnostics_is_a_bool_parameter(swiss):
    estimator = lle.LocallyLinearEmbedding(diagnostics=True)
    assert estimator.get_params()["diagnostics"] is True
    assert clone(estimator).diagnostics is True
    with pytest.raises(lle.InvalidParameterError, match="diagnostics must be a bool"):
        lle.LocallyLinearEmbedding(diagnostics="yes").fit(swiss)


@pytest.mark.parametrize("k", [5, 12])
def test_trustworthiness_and_continuity_match_scikit_learn(swiss, k):
    embedding = lle.LocallyLinearEmbedding(n_neighbors=10).fit_transform(swiss)
    assert lle.trustworthiness(swiss, embedding, n_neighbors=k) == pytest.approx(
        sklearn_trustworthiness(swiss, embedding, n_neighbors=k), abs=1e-12)
    assert lle.continuity(swiss, embedding, n_neighbors=k) == pytest.approx(
        sklearn_trustworthiness(embedding, swiss, n_neighbors=k), abs=1e-12)
    assert lle.continuity(swiss, embedding, n_neighbors=k) == \
        lle.trustworthiness(embedding, swiss, n_neighbors=k)


def test_sampled_trustworthiness(swiss):
    embedding = swiss[:, [0, 2]]
    exact = lle.trustworthiness(swiss, embedding, n_neighbors=6)
    assert lle.trustworthiness(swiss, embedding, n_neighbors=6, sample_size=800) == exact
    first = lle.trustworthiness(swiss, embedding, n_neighbors=6, sample_size=200,
                                random_state=4)
    assert first == lle.trustworthiness(swiss, embedding, n_neighbors=6, sample_size=200,
                                        random_state=4)
    assert first != exact and first == pytest.approx(exact, abs=0.02)


def test_quality_rejects_bad_arguments(swiss):
    embedding = swiss[:, :2]
    with pytest.raises(lle.ParameterError, match="1 <= k < n / 2"):
        lle.trustworthiness(swiss, embedding, n_neighbors=400)
    with pytest.raises(ValueError, match="X_embedded has 799 samples, but X has 800"):
        lle.continuity(swiss, embedding[:-1])
    with pytest.raises(lle.InvalidParameterError, match="sample_size"):
        lle.trustworthiness(swiss, embedding, sample_size=0)
