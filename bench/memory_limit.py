#!/usr/bin/env python3
"""`--memory-limit` against the real peak: for each case, the smallest limit that runs, and the
peak of every refused run against its limit.

For each case it runs `lle embed` once under a generous limit (the peak resident size then is
the run's need), finds the smallest limit that runs by bisection to 1 MiB, and runs again at
0.1, 0.2, ..., 0.9, 0.95 and 0.98 times that limit (those of 16 MiB or more). A refused run
must exit with 1 and leave no output file; every run should stay at or below its limit, and
those more than 2 MiB above it are counted. Each peak is the process's maximum resident size
as `/usr/bin/time` reports it.

Cases (30-dimensional Gaussian points: the LU of I - W has dense fronts and the solver hands
over to M's Cholesky factor; swiss rolls: the LU itself; the other methods: M's factor):

  gauss5k-k5 ... gauss10k-k20   standard LLE, n = 5,000 and 10,000, k = 5, 10, 20
  gauss20k-k5                   standard LLE, n = 20,000, k = 5
  swiss20k-k5 ... swiss20k-k20  standard LLE on make_swiss_roll(20000, random_state=0)
  swiss100k-k10                 standard LLE on make_swiss_roll(100000, random_state=0)
  hessian20k-k10, ltsa20k-k10, modified20k-k10, hessian20k-k20   on the 20,000-point roll
  hessian5k-k10, ltsa5k-k10     on the 5,000 Gaussian points
  fashion60k-k10                standard LLE on Fashion-MNIST's 60,000 training images (Debian's
                                dataset-fashion-mnist; HNSW neighbours, M's Cholesky factor)

Usage: /usr/bin/python3 bench/memory_limit.py [--binary build/release/lle] [--cases A,B]
           [--workdir DIR] [--threads T]

With more than one thread the HNSW graph, and with it M's factor, changes from run to run
(fashion60k's peak varied between 1.8 and 2.0 GiB): `--threads 1` makes each run the same.

Prints a Markdown table on stdout, a row per case as it ends, and progress on stderr.
"""

import argparse
import json
import math
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

REPOSITORY = pathlib.Path(__file__).resolve().parents[1]
GENEROUS = 64 * 1024  # MiB
TOLERANCE = 2.0  # MiB of process noise allowed above a limit
# Refused runs besides the bisection's, as fractions of the smallest limit that runs.
FRACTIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)

# name: (data, k, method)
CASES = {
    **{f"gauss{n}k-k{k}": (f"gauss{n}k", k, "standard") for n in (5, 10) for k in (5, 10, 20)},
    "gauss20k-k5": ("gauss20k", 5, "standard"),
    **{f"swiss20k-k{k}": ("swiss20k", k, "standard") for k in (5, 10, 20)},
    "swiss100k-k10": ("swiss100k", 10, "standard"),
    "hessian20k-k10": ("swiss20k", 10, "hessian"),
    "ltsa20k-k10": ("swiss20k", 10, "ltsa"),
    "modified20k-k10": ("swiss20k", 10, "modified"),
    "hessian20k-k20": ("swiss20k", 20, "hessian"),
    "hessian5k-k10": ("gauss5k", 10, "hessian"),
    "ltsa5k-k10": ("gauss5k", 10, "ltsa"),
    "fashion60k-k10": ("fashion60k", 10, "standard"),
}
FASHION = pathlib.Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def data_file(workdir, name):
    if name == "fashion60k":
        if not FASHION.exists():
            raise SystemExit(f"{FASHION} is missing: install Debian's dataset-fashion-mnist")
        return FASHION
    path = workdir / f"{name}.npy"
    if not path.exists():
        if name.startswith("gauss"):
            n = int(name[len("gauss"):-1]) * 1000
            points = np.random.default_rng(0).standard_normal((n, 30))
        else:
            from sklearn.datasets import make_swiss_roll

            n = int(name[len("swiss"):-1]) * 1000
            points, _ = make_swiss_roll(n, random_state=0)
        np.save(path, points)
    return path


def run(binary, workdir, data, k, method, limit_mib, report=False, threads=0):
    """One run under `limit_mib`; returns (exit code, peak MiB, the error line, the report)."""
    # Named by the process, so that sweeps can share a workdir's data.
    output = workdir / f"out-{os.getpid()}.npy"
    output.unlink(missing_ok=True)
    peak_file = workdir / f"peak-{os.getpid()}.txt"
    command = ["/usr/bin/time", "-f", "%M", "-o", str(peak_file), str(binary), "embed",
               str(data), "-k", str(k), "--method", method, "--memory-limit",
               f"{limit_mib}M", "-q", "-o", str(output)]
    if threads > 0:
        command += ["--threads", str(threads)]
    if report:
        command += ["--report", str(workdir / f"report-{os.getpid()}.json")]
    completed = subprocess.run(command, capture_output=True, text=True)
    peak = int(peak_file.read_text().split()[-1]) / 1024.0
    error = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else ""
    if completed.returncode == 0:
        assert output.exists(), "a run that succeeded left no output"
    else:
        assert completed.returncode == 1, f"exit {completed.returncode}: {completed.stderr}"
        assert "not enough memory" in error or "more than the limit" in error, error
        assert not output.exists(), "a refused run left its output"
    result = json.loads((workdir / f"report-{os.getpid()}.json").read_text()) if report else None
    return completed.returncode, peak, error, result


def refusing_check(error):
    """What refused a run: the pre-run estimate, or the item a solver's check names."""
    if re.search(r"eigensolver, n = \d+ needs", error):
        return "estimate"
    if "more than the limit" in error:
        return "reading the points"
    match = re.search(r"not enough memory: (.*?) would take", error)
    return match.group(1) if match else error


def sweep(binary, workdir, name, threads):
    data_name, k, method = CASES[name]
    data = data_file(workdir, data_name)
    code, need, error, report = run(binary, workdir, data, k, method, GENEROUS, report=True,
                                    threads=threads)
    if code != 0:
        raise SystemExit(f"{name} failed under {GENEROUS} MiB: {error}")
    solver = report["solver"]
    path = solver["factorisation"] or solver["name"]
    if method == "standard" and path == "cholesky":
        path = "LU, then M's Cholesky"
    refused = []
    passed = {}

    def probe(limit):
        code, peak, error, _ = run(binary, workdir, data, k, method, limit, threads=threads)
        log(f"{name}: {limit} MiB -> {'runs' if code == 0 else 'refused'}, peak {peak:.1f} MiB")
        if code != 0:
            refused.append((limit, peak, refusing_check(error)))
        else:
            passed[limit] = peak
        return code == 0

    low, high = 0, max(2, math.ceil(1.5 * need))
    while not probe(high):
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        if probe(middle):
            high = middle
        else:
            low = middle
    for fraction in FRACTIONS:
        limit = int(fraction * high)
        if limit not in (entry[0] for entry in refused) and 16 <= limit < high:
            probe(limit)
    worst = max(refused, key=lambda entry: entry[1] - entry[0])
    below = max(refused, key=lambda entry: entry[0])
    return {
        "case": name, "path": path, "need": need, "smallest": high, "at_smallest": passed[high],
        "ratio": high / need, "refused": len(refused),
        "over": worst[1] - worst[0], "over_at": worst[0], "over_check": worst[2],
        "below": below[2],
        "bad": sum(1 for limit, peak, _ in refused if peak > limit + TOLERANCE) +
               sum(1 for limit, peak in passed.items() if peak > limit + TOLERANCE),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(REPOSITORY / "build/release/lle"))
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--workdir")
    parser.add_argument("--threads", type=int, default=0,
                        help="passed to lle (0: all cores); 1 makes HNSW's graph reproducible")
    arguments = parser.parse_args()
    names = arguments.cases.split(",")
    unknown = [name for name in names if name not in CASES]
    if unknown:
        raise SystemExit(f"unknown cases: {', '.join(unknown)}")

    print("| case | factor | peak (MiB) | smallest limit that runs (MiB) | its peak (MiB) | ratio "
          "| refused runs | runs over their limit by > 2 MiB | largest peak - limit (MiB), at limit (refused by) "
          "| refused just below by |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as temporary:
        workdir = pathlib.Path(arguments.workdir or temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        for name in names:
            row = sweep(pathlib.Path(arguments.binary), workdir, name, arguments.threads)
            print(f"| {row['case']} | {row['path']} | {row['need']:.1f} | {row['smallest']} | "
                  f"{row['at_smallest']:.1f} | {row['ratio']:.2f} | {row['refused']} | "
                  f"{row['bad']} | {row['over']:+.1f} at {row['over_at']} ({row['over_check']}) "
                  f"| {row['below']} |", flush=True)


if __name__ == "__main__":
    main()
