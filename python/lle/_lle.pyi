"""Type stubs of the compiled module lle._lle (python/src/module.cpp)."""

from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__version__: str

MethodName = Literal["standard", "modified", "hessian", "ltsa"]
DtypeName = Literal["float64", "float32"]

class ParameterError(ValueError):
    """A parameter breaks one of the engine's rules."""

class DataError(ValueError):
    """The input data cannot be processed (NaN, infinity, no columns)."""

class Model:
    """A fitted embedding kept for mapping new points into it."""

    def __init__(
        self,
        training_points: npt.ArrayLike,
        embedding: npt.ArrayLike,
        *,
        method: MethodName = "standard",
        n_neighbors: int = 5,
        reg: float = 1e-3,
        hessian_tol: float = 1e-4,
        modified_tol: float = 1e-12,
    ) -> None: ...
    @property
    def method(self) -> MethodName: ...
    @property
    def n_neighbors(self) -> int: ...
    @property
    def reg(self) -> float: ...
    @property
    def hessian_tol(self) -> float: ...
    @property
    def modified_tol(self) -> float: ...
    @property
    def n_samples(self) -> int: ...
    @property
    def n_features(self) -> int: ...
    @property
    def n_components(self) -> int: ...
    @property
    def training_points(self) -> npt.NDArray[np.float64]: ...
    @property
    def embedding(self) -> npt.NDArray[np.float64]: ...
    def transform(self, X: np.ndarray, *, n_threads: int = 0) -> npt.NDArray[np.float64]: ...
    def __getstate__(self) -> tuple[Any, ...]: ...
    def __setstate__(self, state: tuple[Any, ...]) -> None: ...

class Embedding:
    """What embed() returns."""

    @property
    def coordinates(self) -> npt.NDArray[np.float64]: ...
    @property
    def eigenvalues(self) -> npt.NDArray[np.float64]: ...
    @property
    def component_eigenvalues(self) -> list[npt.NDArray[np.float64]]: ...
    @property
    def reconstruction_error(self) -> float: ...
    @property
    def component_sizes(self) -> list[int]: ...
    @property
    def duplicate_count(self) -> int: ...
    @property
    def rows(self) -> npt.NDArray[np.int64] | None: ...
    @property
    def neighbors(self) -> npt.NDArray[np.int64]: ...
    @property
    def weights(
        self,
    ) -> (
        tuple[npt.NDArray[np.float64], npt.NDArray[np.int32], npt.NDArray[np.int32], tuple[int, int]]
        | None
    ): ...
    @property
    def timings(self) -> list[tuple[str, float]]: ...
    @property
    def solver(self) -> dict[str, Any]: ...
    @property
    def neighbor_algorithm(self) -> Literal["kd_tree", "brute_force", "hnsw"]: ...
    @property
    def recall(self) -> float | None: ...
    @property
    def recall_sample_size(self) -> int | None: ...
    @property
    def far_points(self) -> int | None: ...
    @property
    def diagnostics(self) -> dict[str, npt.NDArray[Any]] | None: ...
    @property
    def model(self) -> Model: ...

def embed(
    X: np.ndarray,
    *,
    n_neighbors: int = 5,
    n_components: int = 2,
    reg: float = 1e-3,
    method: MethodName = "standard",
    hessian_tol: float = 1e-4,
    modified_tol: float = 1e-12,
    neighbors_algorithm: Literal["auto", "exact", "kd_tree", "brute", "hnsw"] = "auto",
    eigen_solver: Literal["auto", "dense", "sparse", "gradient"] = "auto",
    tol: float = 1e-10,
    max_iter: int = 1000,
    seed: int = 0,
    n_threads: int = 0,
    dtype: DtypeName = "float64",
    hnsw_m: int = 16,
    hnsw_ef_construction: int = 40,
    hnsw_ef: int = 20,
    hnsw_projection: int = 0,
    hnsw_candidates: int = 0,
    recall_sample_size: int = 1000,
    min_recall: float = 0.9,
    weights_solver: Literal["closed", "gradient"] = "closed",
    init: np.ndarray | None = None,
    disconnected: Literal["error", "largest", "components"] = "error",
    diagnostics: bool = False,
) -> Embedding: ...
def measure_quality(
    X: np.ndarray,
    X_embedded: np.ndarray,
    *,
    n_neighbors: int = 5,
    sample_size: int = 0,
    seed: int = 0,
    n_threads: int = 0,
) -> dict[str, Any]: ...
def _points_address(X: np.ndarray, dtype: DtypeName = "float64") -> tuple[int, bool]: ...
