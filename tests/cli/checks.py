"""What the command's tests share: a swiss roll made with NumPy, and the checks of a failed
run and of the files a run leaves."""

import numpy as np


def swiss_roll(n, seed=0):
    rng = np.random.default_rng(seed)
    t = 1.5 * np.pi * (1 + 2 * rng.random(n))
    return np.column_stack([t * np.cos(t), 21 * rng.random(n), t * np.sin(t)])


def assert_fails(result, code, *fragments):
    """The run failed with `code`, and its last line is the error, naming every fragment (the
    phases that ran before it have a line each)."""
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines, "no error message"
    assert lines[-1].startswith("lle: error: "), result.stderr
    assert sum(line.startswith("lle: error: ") for line in lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[-1], f"{fragment!r} not in {lines[-1]!r}"
    assert result.stdout == ""


def no_files_but(directory, *names):
    return sorted(p.name for p in directory.iterdir()) == sorted(names)
