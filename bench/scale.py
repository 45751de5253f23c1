#!/usr/bin/env python3
"""Large inputs with `lle` alone: where the time and the memory go, phase by phase.

Cases (each runs the release binary and reads its --report JSON; times are wall seconds):

  swiss1m     a swiss roll of 1,000,000 points, k = 10, d = 2, standard LLE
  family100k  standard, modified, Hessian and LTSA on a 100,000-point swiss roll, k = 12
  threads     the swiss roll of 1,000,000 points on 1 thread and on all cores
  fashion70k  all 70,000 Fashion-MNIST images (train + test, 784 pixels): exact and HNSW
              neighbours, float64 and float32, and `lle-bench-neighbors` (the fused
              GEMM + top-k search against the distance GEMM alone) in both precisions

Usage: /usr/bin/python3 bench/scale.py [--cases swiss1m,family100k,threads,fashion70k]
           [--binary build/release/lle] [--workdir DIR]

Prints Markdown tables on stdout, progress on stderr.
"""

import argparse
import gzip
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

REPOSITORY = pathlib.Path(__file__).resolve().parents[1]
FASHION = pathlib.Path("/usr/share/datasets/fashion-mnist")
CASES = ("swiss1m", "family100k", "threads", "fashion70k")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_lle(binary, workdir, name, *arguments):
    """Runs `lle embed ARGUMENTS` and returns its report (with the process wall time)."""
    report = workdir / f"{name}.json"
    command = [str(binary), "embed", *map(str, arguments), "-q", "--report", str(report),
               "-o", str(workdir / f"{name}.npy")]
    log(" ".join(command))
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - started
    if completed.returncode != 0:
        raise SystemExit(f"{name} failed ({completed.returncode}): {completed.stderr}")
    result = json.loads(report.read_text())
    result["wall"] = wall
    return result


def phases(report, *names):
    timings = report["timings"]
    return [f"{timings[name]:.2f}" if name in timings else "–" for name in names]


def peak_mib(report):
    return f"{report['memory']['peak_resident_bytes'] / 2**20:,.0f}"


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")
    print()


PHASES = ("neighbors", "recall", "weights", "cost matrix", "eigensolve", "total")


def swiss1m(binary, workdir):
    report = run_lle(binary, workdir, "swiss1m", "--samples", 1_000_000, "-k", 10)
    print("### Swiss roll, 1,000,000 points, standard LLE (k = 10, d = 2)\n")
    table(["phase", *PHASES[:1], *PHASES[2:], "peak RSS (MiB)", "factor nonzeros"],
          [["seconds", *phases(report, "neighbors", *PHASES[2:]), peak_mib(report),
            f"{report['solver']['factor_nonzeros']:,}"]])


def family100k(binary, workdir):
    rows = []
    standard = None
    for method in ("standard", "modified", "hessian", "ltsa"):
        report = run_lle(binary, workdir, f"{method}100k", "--samples", 100_000, "-k", 12,
                         "--method", method)
        total = report["timings"]["total"]
        standard = standard or total
        rows.append([method, *phases(report, "neighbors", "weights", "cost matrix",
                                     "eigensolve", "total"), f"{total / standard:.2f}×",
                     peak_mib(report)])
    print("### The family on a 100,000-point swiss roll (k = 12, d = 2)\n")
    table(["method", "neighbours", "weights", "cost matrix", "eigensolve", "total",
           "total / standard", "peak RSS (MiB)"], rows)


def threads(binary, workdir):
    rows = []
    reports = {}
    for count in (1, os.cpu_count()):
        reports[count] = run_lle(binary, workdir, f"threads{count}", "--samples", 1_000_000,
                                 "-k", 10, "--threads", count)
    # Standard LLE's sparse solver never forms M: no "cost matrix" phase.
    names = [name for name in ("neighbors", "weights", "cost matrix", "eigensolve", "total")
             if name in reports[1]["timings"]]
    for name in names:
        one = reports[1]["timings"][name]
        all_cores = reports[os.cpu_count()]["timings"][name]
        rows.append([name, f"{one:.2f}", f"{all_cores:.2f}", f"{one / all_cores:.2f}×"])
    print(f"### Threads: 1,000,000-point swiss roll on 1 and {os.cpu_count()} threads\n")
    table(["phase", "1 thread", f"{os.cpu_count()} threads", "speed-up"], rows)


def read_idx(path):
    with gzip.open(path) as file:
        data = file.read()
    count = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, -1)


def fashion70k(binary, workdir):
    files = [FASHION / "train-images-idx3-ubyte.gz", FASHION / "t10k-images-idx3-ubyte.gz"]
    if not all(path.exists() for path in files):
        log("fashion70k skipped: Fashion-MNIST is not installed")
        return
    points = workdir / "fashion70k.npy"
    if not points.exists():
        np.save(points, np.vstack([read_idx(path) for path in files]).astype(np.float32))

    rows = []
    exact_time = {}
    for dtype in ("float64", "float32"):
        for search in ("exact", "hnsw"):
            report = run_lle(binary, workdir, f"fashion-{search}-{dtype}", points, "-k", 10,
                             "--dtype", dtype, "--neighbors", search)
            seconds = report["timings"]["neighbors"]
            exact_time.setdefault(dtype, seconds)
            recall = report["neighbors"]["recall"]
            rows.append([dtype, report["neighbors"]["algorithm"], f"{seconds:.2f}",
                         f"{exact_time[dtype] / seconds:.1f}×",
                         "exact" if recall is None else f"{recall:.4f}",
                         *phases(report, "recall", "weights", "eigensolve", "total"),
                         peak_mib(report)])
    print("### Fashion-MNIST, all 70,000 images (k = 10, d = 2): neighbour searches\n")
    table(["dtype", "search", "neighbours (s)", "exact / this", "recall@10 (estimated)",
           "recall estimate", "weights", "eigensolve", "total", "peak RSS (MiB)"], rows)

    bench = binary.parent / "lle-bench-neighbors"
    for dtype in ("float32", "float64"):
        command = [str(bench), *map(str, files), "--dtype", dtype]
        log(" ".join(command))
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        print(f"#### Fused search against the GEMM alone, {dtype} (`lle-bench-neighbors`)\n")
        print(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--binary", default=REPOSITORY / "build" / "release" / "lle",
                        type=pathlib.Path)
    parser.add_argument("--workdir", type=pathlib.Path)
    arguments = parser.parse_args()
    cases = arguments.cases.split(",")
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases {sorted(unknown)}; choose from {', '.join(CASES)}")
    binary = arguments.binary.resolve()

    print(f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"- machine: {os.cpu_count()} logical CPUs, {platform.platform()}")
    print(f"- load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- command: /usr/bin/python3 bench/scale.py --cases {','.join(cases)}\n")
    with tempfile.TemporaryDirectory() as scratch:
        workdir = arguments.workdir or pathlib.Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        for case in cases:
            globals()[case](binary, workdir)
    print(f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
