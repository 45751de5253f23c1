"""Shared data for the tests of the Python package `lle`.

The package under test is the one Python imports: ctest puts the build's package folder
(build/release/python) first on PYTHONPATH; run by hand, the lle.pth that scripts/setup
installs finds it. The comparison helpers of tests/reference are reused from there.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_swiss_roll

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference"))

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def swiss():
    """A C-ordered swiss roll of 800 points (3 features)."""
    x, _ = make_swiss_roll(800, random_state=0)
    return np.ascontiguousarray(x)


@pytest.fixture(scope="session")
def swiss_new():
    """50 further points of the same swiss roll, for transform."""
    x, _ = make_swiss_roll(50, random_state=1)
    return np.ascontiguousarray(x)


@pytest.fixture(scope="session")
def small():
    """40 random points in 5 dimensions, for quick checks of the interface."""
    return np.random.RandomState(0).rand(40, 5)
