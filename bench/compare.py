#!/usr/bin/env python3
"""Lanes against NumPy on the same machine, in one run: GEMM GFLOPS, epoch seconds, the whole default job.

    bench/compare.py [--java PATH]... [--threads 1,2] [--quick] [--json-out FILE]

Needs a Python with NumPy: `python3 -c "import numpy"` must work (Debian: apt-get install
python3-numpy libopenblas0-pthread; without libopenblas0-pthread NumPy falls back to the reference
BLAS, about ten times slower, and the comparison would flatter Lanes). LANES_PYTHON names the Python
that runs the NumPy side (default: the one running this script); bench/compare.sh finds one that has
NumPy. Build the engine first: ./mvnw -B -q package -DskipTests.

What runs, each in its own process:
  * NumPy (bench/peer_numpy.py), once per thread count, with OPENBLAS_NUM_THREADS and OMP_NUM_THREADS set
    to that count and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed (they force slower kernels): np.matmul
    GFLOPS at the Lanes GEMM shapes, and epoch seconds of 784-10-10 batch 64 and 784-256-128-10 batch 256
    SGD on the bundled MNIST (random data of the same shape if it is missing).
  * Lanes: `java --add-modules jdk.incubator.vector -jar target/engine.jar bench --json` per --java.
  * The whole default job, timed from process start to exit: bench/peer_job.py (load the gzip IDX files,
    train 784-10-10 for 10 epochs, batch 64, SGD 0.1, evaluate on the test set, np.save the weights)
    against `engine.jar train` (the same job, with its model written to a temporary folder). Skipped
    with a note when the jar has no train command.

The table gives each side's median with its range (min-max) and the ratio Lanes/NumPy of the medians
(with the range of ratios the extremes allow), next to the project's targets. Timings on a machine
shared with other work are noisy: read ratios measured in the same run, not absolute figures.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
INSTALL_HINT = ("install NumPy with an optimised BLAS (Debian: apt-get install python3-numpy libopenblas0-pthread), "
                "or set LANES_PYTHON to a Python that has NumPy")
BLAS_ENV_REMOVED = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
VECTOR_FLAG = "--add-modules=jdk.incubator.vector"
SEED_EPOCH = "epoch 784-10-10 batch 64"
WIDE_EPOCH = "epoch 784-256-128-10 batch 256"
JOB = "job: train 784-10-10, 10 epochs"


class Failure(Exception):
    """A problem to report in one line, with exit status 2."""


# ------------------------------------------------------------------------------------------ targets

def target(case, kind, threads, default_threads):
    """(bound, 'le' or 'ge') for the rows the project has a target for, else None."""
    if case == SEED_EPOCH and threads == 1:
        return 0.25, "le"
    if case == WIDE_EPOCH and threads in (1, 2):
        return 0.8, "le"
    if kind == "gemm" and threads == 1:
        return (0.7, "ge") if narrow(case) else (0.85, "ge")
    if case == JOB and threads == default_threads:
        return 0.45, "le"
    return None


def narrow(case):
    """Whether a GEMM case is one of the 10-wide shapes (a dimension of 10: the classes, the seed's hidden layer)."""
    return "10" in case.split()[-1].split("x")


# Lanes-only targets: two threads against one on the wide epoch, and the first epoch against a steady one.
SCALING_TARGET = (1.35, "ge")
FIRST_EPOCH_TARGET = (3.0, "le")
EPOCH_LINE = re.compile(r"^epoch\s+(\d+)\s.*?\s([\d.]+) s\s")


def epoch_seconds(train_output):
    """The seconds of each epoch from engine.jar train's lines ('epoch   3  loss … 0.13 s  …')."""
    out = []
    for line in train_output.splitlines():
        m = EPOCH_LINE.match(line)
        if m:
            out.append(float(m.group(2)))
    return out


def first_epoch_ratio(epochs):
    """First epoch over the median of the later ones, or None when there are fewer than three epochs."""
    if len(epochs) < 3:
        return None
    return epochs[0] / summary(epochs[1:])["seconds"]


def met(ratio, t):
    bound, sense = t
    return ratio <= bound if sense == "le" else ratio >= bound


# ------------------------------------------------------------------------------------------ running

def python_for_numpy():
    return os.environ.get("LANES_PYTHON") or sys.executable


def numpy_env(threads):
    env = dict(os.environ)
    for var in BLAS_ENV_REMOVED:
        env.pop(var, None)
    for var in BLAS_THREAD_VARS:
        env[var] = str(threads)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(cmd, env=None, cwd=ROOT, what=None):
    p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["(no error output)"])[-1]
        raise Failure(f"{what or cmd[0]} failed with exit status {p.returncode}: {last}")
    return p.stdout


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def check_numpy(python):
    try:
        p = subprocess.run([python, "-c", "import numpy"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        raise Failure(f"cannot run {python}; {INSTALL_HINT}")
    if p.returncode != 0:
        raise Failure(f"NumPy is missing for {python}; {INSTALL_HINT}")


def side_label(jdk, java, labels):
    """The column name of the Lanes side run by launcher `java` reporting JDK `jdk` (e.g. "17.0.15+6"):
    "JDK 17.0.15", with the launcher added when another launcher already reported that version (two
    builds of the engine, or two vendors' JDKs), so that their rows are never pooled. `labels` maps the
    launchers seen so far to their labels; the same launcher keeps its label in every round."""
    if java in labels:
        return labels[java]
    label = "JDK " + jdk.split("+")[0]
    if label in labels.values():
        label += f" ({java})"
    labels[java] = label
    return label


def java_version(java):
    try:
        p = subprocess.run([java, "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError:
        raise Failure(f"--java {java}: cannot run it")
    return (p.stdout.strip().splitlines() or ["?"])[0]


def has_train(java, jar):
    """Whether the engine lists a train command (its --help names each command on its own line)."""
    p = subprocess.run([java, VECTOR_FLAG, "-jar", jar, "--help"], cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    return p.returncode == 0 and any(line.split()[:1] == ["train"] for line in p.stdout.splitlines())


def time_once(cmd, env, cwd=ROOT, what=None, outputs=None):
    """Wall seconds of one run of cmd; its output is appended to outputs if given."""
    start = time.perf_counter()
    out = run(cmd, env=env, cwd=cwd, what=what)
    seconds = time.perf_counter() - start
    if outputs is not None:
        outputs.append(out)
    return seconds


def pooled(rows):
    """One row per measurement (name, kind, impl, java, threads), in first-seen order: a measurement taken in
    several rounds gets the median of its rounds' medians, the extremes of all their repeats, and "rounds"."""
    groups = {}
    for r in rows:
        groups.setdefault((r["name"], r["kind"], r.get("impl"), r.get("java"), r["threads"]), []).append(r)
    out = []
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        key = "gflops" if group[0]["kind"] == "gemm" else "seconds"
        merged = dict(group[0])
        if all(r.get("available") for r in group):
            merged[key] = summary([r[key] for r in group])["seconds"]
            merged["min"] = min(r["min"] for r in group)
            merged["max"] = max(r["max"] for r in group)
            merged["repeats"] = sum(r.get("repeats", 1) for r in group)
            if "warmed_up" in merged:
                merged["warmed_up"] = all(r.get("warmed_up", True) for r in group)
        else:
            merged["available"] = False
        merged["rounds"] = len(group)
        out.append(merged)
    return out


def summary(values):
    v = sorted(values)
    n = len(v)
    median = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return {"seconds": median, "min": v[0], "max": v[-1], "repeats": n}


# ------------------------------------------------------------------------------------------ report

def sig(x):
    """Three significant digits for the GFLOPS a benchmark sees, without exponents."""
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}" if x >= 1 else f"{x:.3f}"


def fmt(row):
    """'12.3 (11.9-12.5)' for GFLOPS, '153 ms (150-160 ms)' or '1.52 s (1.50-1.60 s)' for times."""
    if row is None:
        return "-"
    if row["kind"] == "gemm":
        return f"{sig(row['gflops'])} ({sig(row['min'])}-{sig(row['max'])})"
    median = row["seconds"]
    scale, unit = (1000, "ms") if median < 1 else (1, "s")
    digits = 0 if scale == 1000 else 2
    return (f"{median * scale:.{digits}f} {unit} ({row['min'] * scale:.{digits}f}-"
            f"{row['max'] * scale:.{digits}f} {unit})")


def ratio(lanes, numpy):
    """Lanes/NumPy of the medians, and the range the extremes allow."""
    key = "gflops" if lanes["kind"] == "gemm" else "seconds"
    return lanes[key] / numpy[key], lanes["min"] / numpy["max"], lanes["max"] / numpy["min"]


def compared(row):
    """Whether a Lanes row takes part in the comparison: GEMM on the vector kernels, epochs, jobs."""
    return row.get("available") and (row["kind"] in ("epoch", "job") or
                                     (row["kind"] == "gemm" and row["impl"] == "vector"))


def bound(t):
    return f"{'<=' if t[1] == 'le' else '>='} {t[0]}x"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[2:]))
    p.add_argument("--java", action="append", help="a java launcher for the Lanes side; repeat to compare JDKs "
                   "(default: java on PATH)")
    p.add_argument("--jar", default=os.path.join(ROOT, "target", "engine.jar"), help="the Lanes engine.jar")
    p.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    p.add_argument("--data", default=os.path.join(ROOT, "data", "mnist"), help="MNIST IDX folder (bundled)")
    p.add_argument("--quick", action="store_true", help="short run: bench --quick, one repeat of the NumPy "
                   "epochs and of each job")
    p.add_argument("--job-repeats", type=int, default=None, help="runs of each whole job (default 3, 1 with --quick)")
    p.add_argument("--no-job", action="store_true", help="skip the whole-job rows")
    p.add_argument("--rounds", type=int, default=1, help="measure both sides this many times, alternating "
                   "NumPy and Lanes, and pool each side's rounds (default 1)")
    p.add_argument("--json-out", help="also write every row measured, as JSON Lines, to this file")
    args = p.parse_args(argv)
    try:
        threads = sorted({int(t) for t in args.threads.split(",")})
        if not threads or threads[0] < 1:
            raise ValueError
    except ValueError:
        raise Failure(f"--threads {args.threads}: expected positive whole numbers separated by commas")
    javas = args.java or [os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME")
                          else "java"]
    if not os.path.isfile(args.jar):
        raise Failure(f"{args.jar} does not exist; build it first: ./mvnw -B -q package -DskipTests")
    python = python_for_numpy()
    check_numpy(python)
    repeats = args.job_repeats or (1 if args.quick else 3)
    if args.rounds < 1:
        raise Failure(f"--rounds {args.rounds}: expected a positive whole number")
    have_data = all(any(os.path.exists(os.path.join(args.data, f + s)) for s in ("", ".gz"))
                    for f in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                              "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))
    default_threads = os.cpu_count() or 1
    started = datetime.datetime.now(datetime.timezone.utc)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    say = lambda *a: print(*a, file=sys.stderr, flush=True)

    envs = {t: json.loads(run([python, os.path.join(HERE, "peer_numpy.py"), "env"], env=numpy_env(t),
                              what="peer_numpy.py env")) for t in threads}
    rows = []
    lanes = {}
    labels = {}
    # NumPy and Lanes alternate round by round, so that a slow spell of a shared machine falls on both.
    for rnd in range(args.rounds):
        tag = f" (round {rnd + 1} of {args.rounds})" if args.rounds > 1 else ""
        say(f"NumPy side{tag} ...")
        for t in threads:
            cmd = [python, os.path.join(HERE, "peer_numpy.py"), "run", "--threads", str(t)]
            cmd += ["--data", args.data] if have_data else []
            cmd += ["--quick"] if args.quick else []
            rows += json_lines(run(cmd, env=numpy_env(t), what="peer_numpy.py run"))
        for java in javas:
            say(f"Lanes side on {java}{tag} ...")
            cmd = [java, VECTOR_FLAG, "-jar", args.jar, "bench", "--json", "--threads", ",".join(map(str, threads))]
            cmd += ["--data", args.data] if have_data else []
            cmd += ["--quick"] if args.quick else []
            out = json_lines(run(cmd, what=f"{java} -jar engine.jar bench"))
            label = side_label(out[0]["jdk"] if out else "?", java, labels)
            for r in out:
                r["java"] = label
            if label not in lanes:
                info = run([java, VECTOR_FLAG, "-jar", args.jar, "info"], what=f"{java} -jar engine.jar info")
                kernels = next((l.split(None, 1)[1] for l in info.splitlines() if l.startswith("kernels")), "?")
                lanes[label] = {"java": java, "version": java_version(java), "kernels": kernels,
                                "train": has_train(java, args.jar)}
            rows += out
    rows = pooled(rows)
    for label, side in lanes.items():
        side["rows"] = [r for r in rows if r.get("java") == label]

    job_note = None
    if args.no_job:
        job_note = "whole-job rows skipped (--no-job)"
    elif not have_data:
        job_note = f"whole-job rows skipped: no MNIST IDX files in {args.data}"
    else:
        say("Whole jobs ...")
        with tempfile.TemporaryDirectory(prefix="lanes-compare-") as tmp:
            for t in threads:
                # One run of each side in turn, repeated, for the same reason as the rounds above.
                numpy_seconds = []
                lanes_seconds = {label: [] for label, side in lanes.items() if side["train"]}
                outputs = {label: [] for label in lanes_seconds}
                # On all processors the job is the default command itself: no --threads, so that the
                # engine chooses its own thread count as a user's run would.
                threads_flag = [] if t == default_threads else ["--threads", str(t)]
                for _ in range(repeats * args.rounds):
                    numpy_seconds.append(time_once([python, os.path.join(HERE, "peer_job.py"), "--data", args.data,
                                                    "--out", os.path.join(tmp, "weights.npy")], numpy_env(t),
                                                   what="peer_job.py"))
                    for label in lanes_seconds:
                        java = lanes[label]["java"]
                        lanes_seconds[label].append(time_once(
                            [java, VECTOR_FLAG, "-jar", args.jar, "train", "--data", args.data] + threads_flag
                            + ["--model", os.path.join(tmp, "model.lanes")], None,
                            what=f"{java} -jar engine.jar train", outputs=outputs[label]))
                rows.append(dict(name=JOB, kind="job", impl="numpy", threads=t, available=True,
                                 **summary(numpy_seconds)))
                for label, seconds in lanes_seconds.items():
                    rows.append(dict(name=JOB, kind="job", impl="lanes", java=label, threads=t, available=True,
                                     **summary(seconds)))
                    ratios = [r for r in (first_epoch_ratio(epoch_seconds(o)) for o in outputs[label])
                              if r is not None]
                    if ratios:
                        lanes[label].setdefault("first_epoch", {})[t] = summary(ratios)
        missing = [label for label, side in lanes.items() if not side["train"]]
        if missing:
            job_note = "Lanes whole-job rows skipped for " + ", ".join(missing) + ": engine.jar has no train command yet"

    if args.json_out:
        with open(args.json_out, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")

    # -------------------------------------------------------------- the report
    env1 = envs[threads[0]]
    print(f"Lanes vs NumPy, {started:%Y-%m-%d %H:%M} UTC, {platform.node()}: {default_threads} processors"
          f" ({cpu_model()}), load average {load:.1f} at the start")
    print(f"NumPy {env1['numpy']} on Python {env1['python']} ({env1['executable']}); BLAS: {env1['summary']}")
    confirmed = []
    for t in threads:
        o = envs[t].get("openblas")
        if o is None:
            confirmed.append(f"{t} requested (not OpenBLAS: count not checked)")
        elif o["threads"] == t:
            confirmed.append(f"{t} requested, {o['threads']} reported")
        else:
            confirmed.append(f"{t} requested but OpenBLAS reports {o['threads']} (WARNING)")
    print("BLAS threads per NumPy process: " + "; ".join(confirmed)
          + f" (unset for NumPy: {', '.join(BLAS_ENV_REMOVED)})")
    if any(e.get("reference_blas") for e in envs.values()):
        print("  WARNING: NumPy uses the reference BLAS; install libopenblas0-pthread for a fair comparison")
    for label, side in lanes.items():
        print(f"Lanes {label}: {side['version']}; kernels {side['kernels']}")
    print("data: " + (f"MNIST from {os.path.relpath(args.data, ROOT)}, both sides" if have_data
                      else "synthetic random MNIST-shaped data (no IDX files found)"))
    print("Each figure: median (min-max) of its repeats" + (f", the median of {args.rounds} alternating rounds' medians"
                                                             if args.rounds > 1 else "")
          + "; ratio = Lanes/NumPy of the medians (range from the extremes). Times: lower ratio is better;"
          " GFLOPS: higher is better.")
    labels = list(lanes)
    verdicts = {label: [] for label in labels}
    numpy_rows = {(r["name"], r["threads"]): r for r in rows if r["impl"] == "numpy" and r.get("available")}
    lanes_rows = {label: {(r["name"], r["threads"]): r for r in rows if r.get("java") == label and compared(r)}
                  for label in labels}
    rank = {}
    for r in rows:
        rank.setdefault(r["name"], len(rank))
    kinds = {"epoch": 0, "job": 1, "gemm": 2}
    order = sorted(numpy_rows, key=lambda k: (kinds[numpy_rows[k]["kind"]], rank[k[0]], k[1]))
    header = f"{'case':32} {'thr':>3}  {'NumPy':26}"
    for label in labels:
        header += f"  {'Lanes ' + label:26} {'Lanes/NumPy':>18} {'':4}"
    header += "  target"
    section = None
    for name, t in order:
        n = numpy_rows[(name, t)]
        kind = n["kind"]
        sec = ("GEMM: np.matmul against the vector kernels, GFLOPS (higher is better)" if kind == "gemm"
               else "Training: seconds (lower is better)")
        if sec != section:
            section = sec
            print()
            print(sec)
            print(header)
        line = f"{name:32} {t:>3}  {fmt(n):26}"
        tg = target(name, kind, t, default_threads)
        for label in labels:
            lrow = lanes_rows[label].get((name, t))
            if lrow is None:
                line += f"  {'-':26} {'-':>18} {'':4}"
                continue
            r, lo, hi = ratio(lrow, n)
            mark = ""
            if tg:
                ok = met(r, tg)
                mark = "ok" if ok else "MISS"
                verdicts[label].append((name, t, ok, r, tg))
            line += f"  {fmt(lrow):26} {f'{r:.2f}x ({lo:.2f}-{hi:.2f})':>18} {mark:4}"
        if tg:
            line += "  " + bound(tg)
        print(line)
    if job_note:
        print(job_note)

    print()
    print("Targets (ratio of medians)")
    for label in labels:
        print(f"Lanes {label}:")
        v = verdicts[label]
        for name, t, ok, r, tg in v:
            if not name.startswith("matmul"):
                print(f"  {name} @{t} thread(s): {r:.2f}x, {'met' if ok else 'MISSED'} (target {bound(tg)})")
        by = {(r["name"], r["threads"]): r for r in lanes[label]["rows"] if r.get("available")}
        one, two = by.get((WIDE_EPOCH, 1)), by.get((WIDE_EPOCH, 2))
        if one and two:
            speedup = one["seconds"] / two["seconds"]
            print(f"  {WIDE_EPOCH}, 2 threads against 1: {speedup:.2f}x faster, "
                  f"{'met' if met(speedup, SCALING_TARGET) else 'MISSED'} (target {bound(SCALING_TARGET)})")
        for t, fe in sorted(lanes[label].get("first_epoch", {}).items()):
            print(f"  {JOB} @{t} thread(s): first epoch {fe['seconds']:.1f}x a steady one ({fe['min']:.1f}-"
                  f"{fe['max']:.1f}x over {fe['repeats']} runs), "
                  f"{'met' if met(fe['seconds'], FIRST_EPOCH_TARGET) else 'MISSED'} (target {bound(FIRST_EPOCH_TARGET)})")
        for t in threads:
            g = [x for x in v if x[0].startswith("matmul") and x[1] == t]
            if g:
                geo = 1.0
                for x in g:
                    geo *= x[3]
                geo **= 1.0 / len(g)
                print(f"  GEMM @{t} thread(s): {sum(x[2] for x in g)} of {len(g)} shapes met (target {bound(g[0][4])}),"
                      f" geometric mean {geo:.2f}x, worst {min(x[3] for x in g):.2f}x")
    print(f"Finished in {(datetime.datetime.now(datetime.timezone.utc) - started).total_seconds():.0f} s.")
    return 0


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"compare.py: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
