"""Fixtures for running the `lle` command as a user would."""

import os
import pathlib
import subprocess

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def lle_binary():
    binary = pathlib.Path(os.environ.get("LLE_BINARY", REPOSITORY / "build" / "release" / "lle"))
    if not binary.is_file():
        pytest.fail(f"lle binary not found at {binary}; build first or set LLE_BINARY")
    return binary


@pytest.fixture
def run_lle(lle_binary, tmp_path):
    """Runs `lle ARGS...` in tmp_path; returns the CompletedProcess (text mode)."""

    def run(*args, stdin=None):
        return subprocess.run(
            [str(lle_binary), *map(str, args)],
            cwd=tmp_path,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run
