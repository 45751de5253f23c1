"""lle.trustworthiness and lle.continuity: how well an embedding keeps neighbourhoods."""

from . import _lle
from ._validation import as_points, check_int, seed_from, thread_count


def _measure(owner, X, X_embedded, n_neighbors, sample_size, random_state, n_jobs):
    points = as_points(owner, X, minimum_samples=1)
    embedded = as_points(owner, X_embedded, minimum_samples=1, name="X_embedded")
    if embedded.shape[0] != points.shape[0]:
        raise ValueError(f"X_embedded has {embedded.shape[0]} samples, but X has "
                         f"{points.shape[0]}; {owner} needs one embedded point per sample")
    n_neighbors = check_int(owner, "n_neighbors", n_neighbors, 1)
    size = points.shape[0] if sample_size is None else check_int(owner, "sample_size",
                                                                 sample_size, 1)
    return _lle.measure_quality(points, embedded, n_neighbors=n_neighbors, sample_size=size,
                                seed=seed_from(owner, random_state),
                                n_threads=thread_count(owner, n_jobs))


def trustworthiness(X, X_embedded, *, n_neighbors=5, sample_size=None, random_state=None,
                    n_jobs=None):
    """Trustworthiness of an embedding (Venna & Kaski, 2001): 1 when every point's
    ``n_neighbors`` nearest in ``X_embedded`` are among its nearest in ``X``, lower as the
    embedding brings together points that were far apart.

    ``T = 1 - 2 / (s k (2n - 3k - 1)) * sum_{i in S} sum_{j in U_k(i)} max(0, r(i, j) - k)``,
    with ``U_k(i)`` the k nearest neighbours of i in the embedding and ``r(i, j)`` the rank of
    j by distance from i in X. With every point as S (the default), it equals scikit-learn's
    ``sklearn.manifold.trustworthiness(X, X_embedded, n_neighbors=k)``, computed without an
    n x n matrix (``O(n^2 (D + d))`` time). Ties in distance go to the smaller index.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The points in their original space.
    X_embedded : array-like of shape (n_samples, n_components)
        Their embedding, row i for point i.
    n_neighbors : int, default=5
        k, with ``1 <= k < n_samples / 2``.
    sample_size : int or None, default=None
        None sums over every point (exact). An int s sums over s points drawn at random
        without replacement (every point when s >= n_samples): an unbiased estimate of the
        exact value in ``O(s n (D + d))`` time.
    random_state : None, int, numpy.random.RandomState or Generator, default=None
        Seeds the sample; None uses the fixed seed 0.
    n_jobs : int or None, default=None
        Threads, as the estimator's ``n_jobs``.

    Returns
    -------
    trustworthiness : float
    """
    return _measure("trustworthiness", X, X_embedded, n_neighbors, sample_size, random_state,
                    n_jobs)["trustworthiness"]


def continuity(X, X_embedded, *, n_neighbors=5, sample_size=None, random_state=None,
               n_jobs=None):
    """Continuity of an embedding (Venna & Kaski, 2001): 1 when every point's
    ``n_neighbors`` nearest in ``X`` stay among its nearest in ``X_embedded``, lower as the
    embedding tears neighbourhoods apart. It is trustworthiness with the roles of the two
    spaces swapped: ``continuity(X, Y) == trustworthiness(Y, X)``, and with every point it
    equals scikit-learn's ``trustworthiness(X_embedded, X, n_neighbors=k)``. The parameters
    are those of :func:`trustworthiness`.

    Returns
    -------
    continuity : float
    """
    return _measure("continuity", X, X_embedded, n_neighbors, sample_size, random_state,
                    n_jobs)["continuity"]
