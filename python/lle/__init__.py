"""Locally Linear Embedding and its family (standard, modified, Hessian, LTSA) for Python.

The estimator ``LocallyLinearEmbedding`` takes scikit-learn's parameters and works in its
pipelines, ``clone`` and ``pickle``; scikit-learn itself is optional. The engine is the lle C++
library, reached through the compiled module ``lle._lle``, whose ``embed`` and ``Model`` are
available here too for use without the estimator. ``trustworthiness`` and ``continuity``
measure how well any embedding keeps neighbourhoods.

Example::

    import lle
    from sklearn.datasets import make_swiss_roll

    X, _ = make_swiss_roll(2000, random_state=0)
    estimator = lle.LocallyLinearEmbedding(n_neighbors=12, n_components=2)
    Y = estimator.fit_transform(X)          # (2000, 2)
    Y_new = estimator.transform(X[:10] + 0.01)
"""

from ._estimator import EigensolverError, LocallyLinearEmbedding
from ._lle import DataError, Model, ParameterError, __version__, embed
from ._quality import continuity, trustworthiness
from ._validation import InvalidParameterError

__all__ = [
    "DataError",
    "EigensolverError",
    "InvalidParameterError",
    "LocallyLinearEmbedding",
    "Model",
    "ParameterError",
    "__version__",
    "continuity",
    "embed",
    "trustworthiness",
]
