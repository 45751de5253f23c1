"""Shared fixtures for comparing the `lle` command with scikit-learn.

The binary under test comes from the environment variable LLE_BINARY (ctest sets it);
without it, the release build in the repository is used.
"""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import scipy.io
import scipy.sparse

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / "build" / "release" / "lle"


@dataclass
class LleRun:
    """What one `lle embed` run produced."""

    embedding: np.ndarray  # (n, d), read from the .npy output
    weights: scipy.sparse.coo_matrix  # W as written, explicit entries kept
    report: dict  # the --report JSON
    stderr: str


def lle_binary_path() -> Path:
    return Path(os.environ.get("LLE_BINARY", DEFAULT_BINARY))


@pytest.fixture(scope="session")
def lle_binary() -> Path:
    path = lle_binary_path()
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"lle binary not found or not executable: {path} (set LLE_BINARY)")
    return path


def run_lle_in(binary: Path, workdir: Path, args, input_path=None) -> LleRun:
    """Runs `lle embed` in `workdir`, asserts exit 0, and loads its three outputs.

    `args` are the method options (-k, -d, --eigen-solver, input options...); output,
    weights and report paths are added here.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "embedding.npy"
    weights = workdir / "weights.mtx"
    report = workdir / "report.json"
    cmd = [str(binary), "embed"]
    if input_path is not None:
        cmd.append(str(input_path))
    cmd += [str(a) for a in args]
    cmd += ["-o", str(out), "--save-weights", str(weights), "--report", str(report), "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"lle exited with {proc.returncode}\ncommand: {' '.join(cmd)}\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    embedding = np.load(out)
    w = scipy.io.mmread(str(weights))
    assert scipy.sparse.issparse(w), "weights file is not a sparse (coordinate) Matrix Market file"
    with open(report) as f:
        rep = json.load(f)
    return LleRun(embedding=embedding, weights=scipy.sparse.coo_matrix(w), report=rep,
                  stderr=proc.stderr)


@pytest.fixture
def run_lle(lle_binary, tmp_path):
    """Function-scoped runner: run_lle(args, input_path=None) -> LleRun, in tmp_path."""
    counter = iter(range(1_000_000))

    def run(args, input_path=None):
        return run_lle_in(lle_binary, tmp_path / f"run{next(counter)}", args, input_path)

    return run


@pytest.fixture(scope="module")
def run_lle_module(lle_binary, tmp_path_factory):
    """Module-scoped runner, for runs that several tests of one module inspect."""

    def run(name, args, input_path=None):
        return run_lle_in(lle_binary, tmp_path_factory.mktemp(name), args, input_path)

    return run
