#!/usr/bin/python3
"""Time and memory of the `lle` command against scikit-learn's LocallyLinearEmbedding.

Runs both on the same data (written once to .npy, read by both) and prints Markdown
tables: seconds per phase, end-to-end time, peak resident memory, and how far apart the
two embeddings are (largest principal angle between the spanned subspaces).

Two sets of cases: the standard method (the default set), compared phase by phase and end
to end; and the rest of the family (modified, Hessian, LTSA), compared end to end at
10,000 points and run with `lle` alone at 50,000 points, where scikit-learn's dense n x n
cost matrix would not fit (`--cases family`; `--cases all` runs both sets).

Every measurement runs in its own process, started by a small launcher process that does
nothing else (LAUNCHER below): the launcher waits for it with os.wait4 and reports its
wall-clock time and ru_maxrss. (Linux carries the parent's memory high-water mark into a child across
fork/exec, so the parent of a measured process must itself stay small; the launcher's
own floor is printed with the results.) The orchestrating process imports only the
standard library; data generation and the angle computation run in child processes too.

Run with Debian's interpreter, which has numpy, scipy and scikit-learn:

    /usr/bin/python3 bench/compare.py [--cases swiss10k,swiss100k,fashion10k | family | all]
                                      [--binary build/release/lle] [--repeat N]

The environment is passed on unchanged to every child (including any OPENBLAS_* or
OMP_* variables), and `lle` runs with its defaults (all cores).
"""

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve()

N_NEIGHBORS = 10
N_COMPONENTS = 2
REG = 1e-3
SEED = 0
FASHION_PATH = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")

# The rest of the family: k = 12 (Hessian LLE needs k > d (d + 3) / 2 = 5), and both
# programs' default tolerances, passed explicitly.
FAMILY_NEIGHBORS = 12
HESSIAN_TOL = 1e-4
MODIFIED_TOL = 1e-12
# What the lle-only family cases must stay under: 2 GB of peak resident memory.
RSS_LIMIT_BYTES = 2_000_000_000

# "sklearn": "phases" = phase by phase and end to end (standard only); "end_to_end" =
# fit_transform only; None = lle alone.
CASES = {
    "swiss10k": {"kind": "swiss", "n": 10_000, "method": "standard", "sklearn": "phases"},
    "swiss100k": {"kind": "swiss", "n": 100_000, "method": "standard", "sklearn": "phases"},
    "fashion10k": {"kind": "fashion", "n": 10_000, "method": "standard", "sklearn": "phases"},
}
for _method in ("modified", "hessian", "ltsa"):
    CASES[f"{_method}10k"] = {"kind": "swiss", "n": 10_000, "method": _method,
                              "sklearn": "end_to_end"}
for _method in ("modified", "hessian", "ltsa"):
    CASES[f"{_method}50k"] = {"kind": "swiss", "n": 50_000, "method": _method, "sklearn": None}

CASE_GROUPS = {
    "standard": [c for c, spec in CASES.items() if spec["method"] == "standard"],
    "family": [c for c, spec in CASES.items() if spec["method"] != "standard"],
    "all": list(CASES),
}
DEFAULT_CASES = CASE_GROUPS["standard"]

PHASES = ["neighbors", "weights", "cost matrix", "eigensolve"]
FAMILY_PHASES = ["neighbors", "cost matrix", "eigensolve"]
METHOD_LABELS = {"standard": "standard", "modified": "modified", "hessian": "Hessian",
                 "ltsa": "LTSA"}
PHASE_LABELS = {
    "neighbors": "neighbours",
    "weights": "weights",
    "cost matrix": "cost matrix M",
    "eigensolve": "eigensolve",
}


# The launcher: started as `python3 -S -I -c LAUNCHER OUT ERR CMD...`, so that it loads
# next to nothing (its own peak RSS is the floor every measurement inherits). It starts
# CMD with stdout/stderr redirected to OUT/ERR, waits for it with os.wait4, and prints
# "<wall seconds> <ru_maxrss KiB> <exit code>".
LAUNCHER = """
import os, sys, time
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
actions = [(os.POSIX_SPAWN_OPEN, 1, out, flags, 0o644), (os.POSIX_SPAWN_OPEN, 2, err, flags, 0o644)]
start = time.perf_counter()
pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


# --------------------------------------------------------------------------------------
# Child roles. Each runs in its own process: `compare.py _<role> ...`.
# --------------------------------------------------------------------------------------


def role_prepare(argv):
    """_prepare CASE OUT.npy: write the case's data as float64 .npy."""
    import gzip

    import numpy as np

    case, out = argv
    spec = CASES[case]
    if spec["kind"] == "swiss":
        from sklearn.datasets import make_swiss_roll

        x, _ = make_swiss_roll(spec["n"], random_state=SEED)
    else:
        with gzip.open(FASHION_PATH, "rb") as f:
            header = f.read(16)
            magic, count, rows, cols = (
                int.from_bytes(header[i : i + 4], "big") for i in range(0, 16, 4)
            )
            if magic != 0x803:
                raise SystemExit(f"{FASHION_PATH}: not an IDX image file")
            count = min(count, spec["n"])
            data = f.read(count * rows * cols)
        x = np.frombuffer(data, dtype=np.uint8).reshape(count, rows * cols).astype(np.float64)
    np.save(out, np.ascontiguousarray(x, dtype=np.float64))


def role_sklearn_baseline(argv):
    """_sklearn_baseline DATA.npy OUT.json: imports and data loading only."""
    import numpy as np
    import scipy.sparse  # noqa: F401
    from sklearn.manifold import LocallyLinearEmbedding  # noqa: F401
    from sklearn.neighbors import NearestNeighbors  # noqa: F401

    data, out = argv
    x = np.load(data)
    with open(out, "w") as f:
        json.dump({"points": x.shape[0]}, f)


def role_sklearn_phases(argv):
    """_sklearn_phases DATA.npy OUT.json EMBEDDING.npy: sklearn's standard LLE, phase by phase.

    The same calls, in the same order, as LocallyLinearEmbedding.fit with method='standard'
    and a sparse M (sklearn/manifold/_locally_linear.py, locally_linear_embedding and
    barycenter_kneighbors_graph).
    """
    import numpy as np
    from scipy.sparse import csr_matrix, eye
    from sklearn.manifold._locally_linear import barycenter_weights, null_space
    from sklearn.neighbors import NearestNeighbors

    data, out, embedding_out = argv
    x = np.load(data)
    n = x.shape[0]
    timings = {}
    clock = time.perf_counter

    t = clock()
    knn = NearestNeighbors(n_neighbors=N_NEIGHBORS + 1).fit(x)
    ind = knn.kneighbors(knn._fit_X, return_distance=False)[:, 1:]
    timings["neighbors"] = clock() - t

    t = clock()
    weights = barycenter_weights(knn._fit_X, knn._fit_X, ind, reg=REG)
    indptr = np.arange(0, n * N_NEIGHBORS + 1, N_NEIGHBORS)
    w = csr_matrix((weights.ravel(), ind.ravel(), indptr), shape=(n, n))
    timings["weights"] = clock() - t

    t = clock()
    m = eye(*w.shape, format=w.format) - w
    m = (m.T * m).tocsr()
    timings["cost matrix"] = clock() - t

    t = clock()
    error = None
    try:
        embedding, reconstruction = null_space(
            m,
            N_COMPONENTS,
            k_skip=1,
            eigen_solver="arpack",
            tol=1e-6,
            max_iter=100,
            random_state=np.random.RandomState(SEED),
        )
    except ValueError as e:
        error, embedding, reconstruction = str(e), None, None
    timings["eigensolve"] = clock() - t
    timings["total"] = sum(timings[p] for p in PHASES)

    if embedding is not None:
        np.save(embedding_out, embedding)
    with open(out, "w") as f:
        json.dump({"timings": timings, "reconstruction_error": reconstruction, "error": error}, f)


def role_sklearn_end_to_end(argv):
    """_sklearn_end_to_end DATA.npy OUT.json EMBEDDING.npy [METHOD K]: LocallyLinearEmbedding.fit_transform.

    METHOD defaults to standard and K to N_NEIGHBORS. For modified, hessian and ltsa,
    scikit-learn builds M as a dense n x n array (then converts it to CSR for ARPACK).
    """
    import numpy as np
    from sklearn.manifold import LocallyLinearEmbedding

    data, out, embedding_out, *rest = argv
    method, k = (rest[0], int(rest[1])) if rest else ("standard", N_NEIGHBORS)
    x = np.load(data)
    options = {}
    if method != "standard":
        options = {"method": method, "hessian_tol": HESSIAN_TOL, "modified_tol": MODIFIED_TOL}
    lle = LocallyLinearEmbedding(
        n_neighbors=k,
        n_components=N_COMPONENTS,
        reg=REG,
        eigen_solver="auto",  # resolves to ARPACK (shift-invert) for these sizes
        random_state=SEED,
        **options,
    )
    error = None
    t = time.perf_counter()
    try:
        embedding = lle.fit_transform(x)
        reconstruction = float(lle.reconstruction_error_)
    except ValueError as e:
        error, embedding, reconstruction = str(e), None, None
    elapsed = time.perf_counter() - t
    if embedding is not None:
        np.save(embedding_out, embedding)
    with open(out, "w") as f:
        json.dump(
            {"seconds": elapsed, "reconstruction_error": reconstruction, "error": error}, f
        )


def role_angle(argv):
    """_angle A.npy B.npy: print the largest principal angle between the column spaces, degrees."""
    import numpy as np
    from scipy.linalg import subspace_angles

    a, b = (np.load(p) for p in argv)
    print(json.dumps({"degrees": float(np.degrees(np.max(subspace_angles(a, b))))}))


ROLES = {
    "_prepare": role_prepare,
    "_sklearn_baseline": role_sklearn_baseline,
    "_sklearn_phases": role_sklearn_phases,
    "_sklearn_end_to_end": role_sklearn_end_to_end,
    "_angle": role_angle,
}


# --------------------------------------------------------------------------------------
# Orchestration (standard library only, so that this process stays small).
# --------------------------------------------------------------------------------------


class MeasurementError(RuntimeError):
    pass


def python_role(role, *args):
    return [sys.executable, str(SCRIPT), role, *[str(a) for a in args]]


def measure(cmd, workdir, tag):
    """Runs cmd under a fresh launcher; returns {wall_seconds, maxrss_kib, exit}."""
    out, err = workdir / f"{tag}.stdout", workdir / f"{tag}.stderr"
    launcher = [sys.executable, "-S", "-I", "-c", LAUNCHER, str(out), str(err)]
    proc = subprocess.run(launcher + [str(c) for c in cmd], check=True, capture_output=True, text=True)
    wall, maxrss, code = proc.stdout.split()
    if int(code) != 0:
        raise MeasurementError(
            f"{' '.join(map(str, cmd))} exited with {code}:\n{err.read_text()[-2000:]}"
        )
    return {"wall_seconds": float(wall), "maxrss_kib": int(maxrss), "exit": int(code)}


def run_json(cmd):
    proc = subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True)
    return json.loads(proc.stdout)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def prepare_data(case, workdir):
    """Writes the case's data once; cases on the same data share the file."""
    spec = CASES[case]
    data = workdir / f"{spec['kind']}{spec['n']}.npy"
    if not data.exists():
        subprocess.run(python_role("_prepare", case, data), check=True)
    return data


def run_case(case, args, workdir):
    if CASES[case]["method"] != "standard":
        return run_family_case(case, args, workdir)
    data = prepare_data(case, workdir)

    runs = []
    for r in range(args.repeat):
        tag = f"{case}.{r}"
        run = {}

        report = workdir / f"{tag}.lle.json"
        lle_embedding = workdir / f"{tag}.lle.npy"
        cmd = [args.binary, "embed", data, "-k", N_NEIGHBORS, "-d", N_COMPONENTS,
               "--reg", REG, "-o", lle_embedding, "--report", report, "-q"]
        run["lle_process"] = measure(cmd, workdir, f"{tag}.lle")
        with open(report) as f:
            run["lle_report"] = json.load(f)
        run["lle_embedding"] = lle_embedding

        out = workdir / f"{tag}.skphases.json"
        emb = workdir / f"{tag}.skphases.npy"
        run["sk_phases_process"] = measure(
            python_role("_sklearn_phases", data, out, emb), workdir, f"{tag}.skphases")
        with open(out) as f:
            run["sk_phases"] = json.load(f)

        out = workdir / f"{tag}.sk.json"
        emb = workdir / f"{tag}.sk.npy"
        run["sk_process"] = measure(
            python_role("_sklearn_end_to_end", data, out, emb), workdir, f"{tag}.sk")
        with open(out) as f:
            run["sk"] = json.load(f)
        run["sk_embedding"] = emb if emb.exists() else None

        out = workdir / f"{tag}.skbase.json"
        run["sk_baseline_process"] = measure(
            python_role("_sklearn_baseline", data, out), workdir, f"{tag}.skbase")
        runs.append(run)
        print(f"  {case} run {r + 1}/{args.repeat}: lle {run['lle_report']['timings']['total']:.2f} s, "
              f"sklearn {run['sk']['seconds']:.2f} s", file=sys.stderr)

    first = runs[0]
    angle = None
    if first["sk_embedding"] is not None:
        angle = run_json(python_role("_angle", first["lle_embedding"], first["sk_embedding"]))["degrees"]

    report = first["lle_report"]
    summary = {
        "case": case,
        "points": report["input"]["points"],
        "dimension": report["input"]["dimension"],
        # A phase lle does not run (M is never formed) is absent from its report: None.
        "lle": {p: median([r["lle_report"]["timings"].get(p) for r in runs])
                for p in PHASES + ["total"]},
        "sk": {p: median([r["sk_phases"]["timings"][p] for r in runs]) for p in PHASES + ["total"]},
        "lle_wall": median([r["lle_process"]["wall_seconds"] for r in runs]),
        "sk_end_to_end": median([r["sk"]["seconds"] for r in runs]),
        "sk_wall": median([r["sk_process"]["wall_seconds"] for r in runs]),
        "lle_rss": median([r["lle_process"]["maxrss_kib"] for r in runs]),
        "sk_phases_rss": median([r["sk_phases_process"]["maxrss_kib"] for r in runs]),
        "sk_rss": median([r["sk_process"]["maxrss_kib"] for r in runs]),
        "sk_baseline_rss": median([r["sk_baseline_process"]["maxrss_kib"] for r in runs]),
        "angle_degrees": angle,
        "lle_error": report["reconstruction_error"],
        "sk_error": first["sk"]["reconstruction_error"],
        "sk_failure": first["sk"]["error"] or first["sk_phases"]["error"],
        "lle_solver": report["solver"]["name"],
        "lle_threads": report["parameters"].get("threads"),
    }
    return summary


def run_family_case(case, args, workdir):
    """modified / hessian / ltsa: lle's phases from its report; scikit-learn end to end only."""
    spec = CASES[case]
    method, k = spec["method"], FAMILY_NEIGHBORS
    data = prepare_data(case, workdir)

    runs = []
    for r in range(args.repeat):
        tag = f"{case}.{r}"
        run = {}

        report = workdir / f"{tag}.lle.json"
        lle_embedding = workdir / f"{tag}.lle.npy"
        cmd = [args.binary, "embed", data, "--method", method, "-k", k, "-d", N_COMPONENTS,
               "--reg", REG, "--hessian-tol", HESSIAN_TOL, "--modified-tol", MODIFIED_TOL,
               "-o", lle_embedding, "--report", report, "-q"]
        run["lle_process"] = measure(cmd, workdir, f"{tag}.lle")
        with open(report) as f:
            run["lle_report"] = json.load(f)
        run["lle_embedding"] = lle_embedding
        progress = f"  {case} run {r + 1}/{args.repeat}: lle {run['lle_report']['timings']['total']:.2f} s"

        if spec["sklearn"]:
            out = workdir / f"{tag}.sk.json"
            emb = workdir / f"{tag}.sk.npy"
            run["sk_process"] = measure(
                python_role("_sklearn_end_to_end", data, out, emb, method, k), workdir, f"{tag}.sk")
            with open(out) as f:
                run["sk"] = json.load(f)
            run["sk_embedding"] = emb if emb.exists() else None

            out = workdir / f"{tag}.skbase.json"
            run["sk_baseline_process"] = measure(
                python_role("_sklearn_baseline", data, out), workdir, f"{tag}.skbase")
            progress += f", sklearn {run['sk']['seconds']:.2f} s"
        runs.append(run)
        print(progress, file=sys.stderr)

    first = runs[0]
    report = first["lle_report"]
    with_sk = bool(spec["sklearn"])
    angle = None
    if with_sk and first["sk_embedding"] is not None:
        angle = run_json(python_role("_angle", first["lle_embedding"], first["sk_embedding"]))["degrees"]

    def sk_median(key, field):
        return median([r[key][field] for r in runs]) if with_sk else None

    return {
        "case": case,
        "method": method,
        "k": k,
        "sklearn_run": with_sk,
        "points": report["input"]["points"],
        "dimension": report["input"]["dimension"],
        "lle": {p: median([r["lle_report"]["timings"].get(p) for r in runs])
                for p in FAMILY_PHASES + ["total"]},
        "lle_wall": median([r["lle_process"]["wall_seconds"] for r in runs]),
        "lle_rss": median([r["lle_process"]["maxrss_kib"] for r in runs]),
        "lle_rss_max": max(r["lle_process"]["maxrss_kib"] for r in runs),
        "sk_end_to_end": sk_median("sk", "seconds"),
        "sk_wall": sk_median("sk_process", "wall_seconds"),
        "sk_rss": sk_median("sk_process", "maxrss_kib"),
        "sk_baseline_rss": sk_median("sk_baseline_process", "maxrss_kib"),
        "angle_degrees": angle,
        "lle_error": report["reconstruction_error"],
        "sk_error": first["sk"]["reconstruction_error"] if with_sk else None,
        "sk_failure": first["sk"]["error"] if with_sk else None,
        "lle_solver": report["solver"]["name"],
        "lle_converged": all(r["lle_report"]["solver"].get("converged", True) for r in runs),
        "lle_threads": report["parameters"].get("threads"),
    }


def fmt_seconds(s):
    if s is None:
        return "failed"
    return f"{s:.3f}" if s < 10 else f"{s:.2f}"


def fmt_ratio(a, b):
    if a is None or b is None or b <= 0:
        return "–"
    return f"{a / b:.1f}×"


def mib(kib):
    return None if kib is None else kib / 1024.0


def print_tables(results, floor_kib):
    print("### Time (seconds; median of the runs)\n")
    print("| case | phase | lle | scikit-learn | scikit-learn / lle |")
    print("|---|---|---:|---:|---:|")
    for r in results:
        label = f"{r['case']} ({r['points']:,} × {r['dimension']})"
        for p in PHASES:
            mine = fmt_seconds(r['lle'][p]) if r['lle'][p] is not None else "not run"
            print(f"| {label} | {PHASE_LABELS[p]} | {mine} | "
                  f"{fmt_seconds(r['sk'][p])} | {fmt_ratio(r['sk'][p], r['lle'][p])} |")
            label = ""
        print(f"| | sum of phases | {fmt_seconds(r['lle']['total'])} | {fmt_seconds(r['sk']['total'])} | "
              f"{fmt_ratio(r['sk']['total'], r['lle']['total'])} |")
        print(f"| | **end to end** | **{fmt_seconds(r['lle']['total'])}** | "
              f"**{fmt_seconds(r['sk_end_to_end'])}** | **{fmt_ratio(r['sk_end_to_end'], r['lle']['total'])}** |")
        print(f"| | process wall clock | {fmt_seconds(r['lle_wall'])} | {fmt_seconds(r['sk_wall'])} | "
              f"{fmt_ratio(r['sk_wall'], r['lle_wall'])} |")
    print()
    print("`not run`: `lle`'s sparse solver factors `I - W` itself and never forms M; the "
          "factorisation is part of its eigensolve.\n")
    print("### Peak memory (MiB, peak RSS of each process) and agreement\n")
    print("| case | lle | scikit-learn fit_transform | scikit-learn phases | "
          "scikit-learn import + load only | memory ratio (fit_transform / lle) | "
          "largest principal angle (°) | reconstruction error lle | scikit-learn |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        angle = "–" if r["angle_degrees"] is None else f"{r['angle_degrees']:.2e}"
        sk_err = "failed" if r["sk_error"] is None else f"{r['sk_error']:.4e}"
        print(f"| {r['case']} | {mib(r['lle_rss']):.0f} | {mib(r['sk_rss']):.0f} | "
              f"{mib(r['sk_phases_rss']):.0f} | {mib(r['sk_baseline_rss']):.0f} | "
              f"{fmt_ratio(r['sk_rss'], r['lle_rss'])} | {angle} | {r['lle_error']:.4e} | {sk_err} |")
    print()
    print(f"Launcher floor: {mib(floor_kib):.1f} MiB (a measured peak below this is not meaningful).")
    for r in results:
        if r["sk_failure"]:
            print(f"\n{r['case']}: scikit-learn failed: {r['sk_failure']}")


def dense_m_gb(n):
    return n * n * 8 / 1e9


def print_family_tables(results, floor_kib):
    print("### Time (seconds; median of the runs)\n")
    print("`lle`'s phases come from its report; scikit-learn is timed end to end only "
          "(`fit_transform`), the ratio is scikit-learn's end-to-end time over `lle`'s total.\n")
    print("| case | method | lle neighbours | lle cost matrix M | lle eigensolve | **lle total** | "
          "**scikit-learn fit_transform** | **scikit-learn / lle** | "
          "process wall clock lle | scikit-learn |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        label = f"{r['case']} ({r['points']:,} × {r['dimension']})"
        lle = r["lle"]
        if r["sklearn_run"]:
            sk = (f"**{fmt_seconds(r['sk_end_to_end'])}**",
                  f"**{fmt_ratio(r['sk_end_to_end'], lle['total'])}**", fmt_seconds(r["sk_wall"]))
        else:
            sk = ("not run", "–", "not run")
        print(f"| {label} | {METHOD_LABELS[r['method']]} | {fmt_seconds(lle['neighbors'])} | "
              f"{fmt_seconds(lle['cost matrix'])} | {fmt_seconds(lle['eigensolve'])} | "
              f"**{fmt_seconds(lle['total'])}** | {sk[0]} | {sk[1]} | "
              f"{fmt_seconds(r['lle_wall'])} | {sk[2]} |")
    print()
    print("`not run`: `lle`'s sparse solver factors `I - W` itself and never forms M; the "
          "factorisation is part of its eigensolve.\n")
    print("### Peak memory (MiB, peak RSS of each process) and agreement\n")
    print("| case | lle | scikit-learn fit_transform | scikit-learn import + load only | "
          "memory ratio (fit_transform / lle) | largest principal angle (°) | "
          "reconstruction error lle | scikit-learn |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        if r["sklearn_run"]:
            angle = "–" if r["angle_degrees"] is None else f"{r['angle_degrees']:.2e}"
            sk_err = "failed" if r["sk_error"] is None else f"{r['sk_error']:.4e}"
            sk = (f"{mib(r['sk_rss']):.0f}", f"{mib(r['sk_baseline_rss']):.0f}",
                  fmt_ratio(r["sk_rss"], r["lle_rss"]), angle, sk_err)
        else:
            sk = ("not run", "not run", "–", "–", "not run")
        print(f"| {r['case']} | {mib(r['lle_rss']):.0f} | {sk[0]} | {sk[1]} | {sk[2]} | {sk[3]} | "
              f"{r['lle_error']:.4e} | {sk[4]} |")
    print()
    print(f"Launcher floor: {mib(floor_kib):.1f} MiB (a measured peak below this is not meaningful).")

    alone = [r for r in results if not r["sklearn_run"]]
    if alone:
        print()
        limit_mib = RSS_LIMIT_BYTES / 2**20
        print(f"Requirement for the `lle`-only cases: peak RSS under 2 GB "
              f"({RSS_LIMIT_BYTES:,} bytes = {limit_mib:.0f} MiB), every run:\n")
        for r in alone:
            peak = r["lle_rss_max"] * 1024
            verdict = "met" if peak < RSS_LIMIT_BYTES else "NOT MET"
            print(f"- {r['case']}: largest peak {mib(r['lle_rss_max']):.0f} MiB "
                  f"({peak / RSS_LIMIT_BYTES:.0%} of the limit): {verdict}")
        print()
        for r in alone:
            print(f"- {r['case']}: scikit-learn not run: for method='{r['method']}' it builds the "
                  f"cost matrix M as a dense {r['points']:,} × {r['points']:,} float64 array, "
                  f"{dense_m_gb(r['points']):.1f} GB before any other work.")
    for r in results:
        if r["sk_failure"]:
            print(f"\n{r['case']}: scikit-learn failed: {r['sk_failure']}")
        if not r["lle_converged"]:
            print(f"\n{r['case']}: lle's eigensolver reported no convergence (see its report).")


def environment_summary(binary, results):
    lines = []
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        model = "?"
    versions = run_json([sys.executable, "-c",
                         "import json, numpy, scipy, sklearn; print(json.dumps({"
                         "'numpy': numpy.__version__, 'scipy': scipy.__version__, "
                         "'scikit-learn': sklearn.__version__}))"])
    lines.append(f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    lines.append(f"- machine: {os.cpu_count()} logical CPUs, {model}, {platform.platform()}")
    if results:
        lines.append(f"- lle: {binary}, {results[0]['lle_threads']} threads, "
                     f"eigensolver {results[0]['lle_solver']}")
    lines.append(f"- lle binary: {binary_identity(binary)}")
    lines.append("- " + ", ".join(f"{k} {v}" for k, v in versions.items())
                 + f", Python {platform.python_version()} ({sys.executable})")
    inherited = {k: v for k, v in os.environ.items()
                 if k.startswith(("OPENBLAS_", "OMP_", "MKL_", "GOTO"))}
    lines.append("- inherited BLAS/OpenMP environment: "
                 + (", ".join(f"{k}={v}" for k, v in sorted(inherited.items())) or "none set"))
    try:
        lines.append(f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    except OSError:
        pass
    return "\n".join(lines)


def binary_identity(binary):
    try:
        version = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                                 timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        version = "?"
    mtime = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(binary.stat().st_mtime))
    return f"{version or '?'}, built {mtime}, sha256 {file_digest(binary)[:16]}"


def parse_cases(text, parser):
    cases = []
    for item in (c.strip() for c in text.split(",")):
        if not item:
            continue
        names = CASE_GROUPS.get(item, [item])
        unknown = [c for c in names if c not in CASES]
        if unknown:
            parser.error(f"unknown case(s) {unknown}; choose from {list(CASES)} "
                         f"or {', '.join(CASE_GROUPS)}")
        cases += [c for c in names if c not in cases]
    return cases


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ROLES:
        ROLES[sys.argv[1]](sys.argv[2:])
        return

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES),
                        help=f"comma-separated, from {', '.join(CASES)}; or a group: "
                             f"standard (= {', '.join(CASE_GROUPS['standard'])}), "
                             f"family (= {', '.join(CASE_GROUPS['family'])}), all "
                             f"(default: standard)")
    parser.add_argument("--binary", default=str(REPO_ROOT / "build" / "release" / "lle"),
                        help="the lle command (default: build/release/lle)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement; the median is reported (default 1)")
    parser.add_argument("--workdir", help="keep data and outputs here (default: a temporary directory)")
    args = parser.parse_args()

    cases = parse_cases(args.cases, parser)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    binary = Path(args.binary).resolve()
    if not os.access(binary, os.X_OK):
        parser.error(f"{binary} is not an executable")
    args.binary = binary
    if "fashion10k" in cases and not FASHION_PATH.is_file():
        print(f"skipping fashion10k: {FASHION_PATH} not found", file=sys.stderr)
        cases.remove("fashion10k")

    digest_before = file_digest(binary)
    with tempfile.TemporaryDirectory(prefix="lle-bench-") as tmp:
        workdir = Path(args.workdir) if args.workdir else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        floor = measure(["/bin/true"], workdir, "floor")["maxrss_kib"]
        results = []
        for case in cases:
            print(f"{case}...", file=sys.stderr)
            results.append(run_case(case, args, workdir))

    standard = [r for r in results if CASES[r["case"]]["method"] == "standard"]
    family = [r for r in results if CASES[r["case"]]["method"] != "standard"]
    if standard:
        print(f"## lle vs scikit-learn: standard LLE, k = {N_NEIGHBORS}, d = {N_COMPONENTS}, "
              f"reg = {REG}\n")
    else:
        print(f"## lle vs scikit-learn: modified LLE, Hessian LLE and LTSA, "
              f"k = {FAMILY_NEIGHBORS}, d = {N_COMPONENTS}\n")
    print(environment_summary(binary, results))
    print(f"- command: {' '.join([Path(sys.executable).as_posix()] + sys.argv)}")
    if file_digest(binary) != digest_before:
        print(f"- WARNING: {binary} changed during the run; the runs may mix two builds")
    print()
    if standard:
        print_tables(standard, floor)
    if family:
        if standard:
            print(f"\n## modified LLE, Hessian LLE and LTSA, k = {FAMILY_NEIGHBORS}, "
                  f"d = {N_COMPONENTS}\n")
        print_family_tables(family, floor)


if __name__ == "__main__":
    main()
