#!/usr/bin/env python3
"""NumPy peers of the Lanes benchmark, and the worker that times them.

The reference implementation is the classic "neural network from scratch in NumPy", mini-batched:
float32 throughout, He initialisation, ReLU hidden layers, softmax cross-entropy, backpropagation
written out by hand, plain SGD. Nothing here is tuned beyond what such a notebook would do, except
that the images are converted to float32 once up front rather than per batch.

Run by compare.py in a child process whose BLAS thread count is fixed by the environment:

    peer_numpy.py env                       # JSON: NumPy version and the BLAS it really uses
    peer_numpy.py run [--quick] [--data DIR] # JSON Lines: GEMM GFLOPS and epoch seconds

Rows use the same keys and case names as `engine.jar bench --json`, with impl "numpy".
Needs a Python with NumPy (Debian: apt-get install python3-numpy libopenblas0-pthread).
"""

import argparse
import ctypes
import gzip
import json
import os
import platform
import struct
import sys
import time

import numpy as np

MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
BATCHES = (64, 256)
LAYERS = ((784, 10), (784, 128), (784, 256), (256, 128))
EPOCH_CASES = (((10,), 64, 0.1), ((256, 128), 256, 0.1))


# ------------------------------------------------------------------------------------------ data

def read_idx(path):
    """An IDX file (gzip or raw, told apart by the first bytes) as a uint8 array of its shape."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype, dims = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {int(np.prod(shape))} values, found {data.size}")
    return data.reshape(shape)


def find(folder, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            return path
    return None


def load_mnist(folder):
    """(train images [N, 784] uint8, train labels, test images, test labels), or None if absent."""
    paths = [find(folder, n) for n in MNIST_FILES] if folder else [None]
    if None in paths:
        return None
    xtr, ytr, xte, yte = (read_idx(p) for p in paths)
    return xtr.reshape(len(xtr), -1), ytr.astype(np.int64), xte.reshape(len(xte), -1), yte.astype(np.int64)


def synthetic(n, seed):
    """MNIST-shaped random images and labels: the same work per epoch, for timing only."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 784), dtype=np.uint8), rng.integers(0, 10, size=n)


# ------------------------------------------------------------------------------------------ network

class MLP:
    """Dense layers, ReLU between them, softmax cross-entropy at the end; float32 parameters."""

    def __init__(self, sizes, seed):
        rng = np.random.default_rng(seed)
        self.W = [(rng.standard_normal((i, o)) * np.sqrt(2.0 / i)).astype(np.float32)
                  for i, o in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(o, dtype=np.float32) for o in sizes[1:]]

    def forward(self, X):
        """The activations of every layer, the input first and the logits last."""
        acts = [X]
        for layer, (W, b) in enumerate(zip(self.W, self.b)):
            Z = acts[-1] @ W + b
            if layer < len(self.W) - 1:
                Z = np.maximum(Z, 0)
            acts.append(Z)
        return acts

    def train_step(self, X, y, lr):
        """One SGD step on a batch; returns the summed cross-entropy."""
        acts = self.forward(X)
        logits = acts[-1]
        E = np.exp(logits - logits.max(axis=1, keepdims=True))
        P = E / E.sum(axis=1, keepdims=True)
        rows = np.arange(len(y))
        loss = -np.log(P[rows, y]).sum()
        dZ = P
        dZ[rows, y] -= 1
        dZ /= len(y)
        for layer in reversed(range(len(self.W))):
            dW = acts[layer].T @ dZ
            db = dZ.sum(axis=0)
            if layer > 0:
                dZ_below = (dZ @ self.W[layer].T) * (acts[layer] > 0)
            self.W[layer] -= lr * dW
            self.b[layer] -= lr * db
            if layer > 0:
                dZ = dZ_below
        return float(loss)

    def train_epoch(self, X, y, batch, lr, rng):
        """One pass over (X, y) in a fresh random order; returns the mean loss."""
        order = rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch):
            idx = order[start:start + batch]
            total += self.train_step(X[idx], y[idx], lr)
        return total / len(X)

    def predict(self, X, block=1000):
        return np.concatenate([self.forward(X[i:i + block])[-1].argmax(axis=1)
                               for i in range(0, len(X), block)])

    def flat(self):
        """All parameters in one array: each layer's weights (row-major, inputs x outputs), then biases."""
        return np.concatenate([p.ravel() for W, b in zip(self.W, self.b) for p in (W, b)])


def to_float(images):
    return images.astype(np.float32) / np.float32(255)


# ------------------------------------------------------------------------------------------ timing

def summary(values):
    v = sorted(values)
    n = len(v)
    median = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return median, v[0], v[-1], n


def gemm_cases():
    """(name, role, a, b) with the Lanes kernel names: matmul MxKxN, matmulTransB, matmulTransA."""
    rng = np.random.default_rng(7)

    def rand(*shape):
        return (rng.random(shape, dtype=np.float32) * 2 - 1)

    for batch in BATCHES:
        for i, o in LAYERS:
            X, W, dZ = rand(batch, i), rand(i, o), rand(batch, o)
            yield f"matmul {batch}x{i}x{o}", "forward", X, W
            yield f"matmulTransB {batch}x{o}x{i}", "input gradient", dZ, W.T
            yield f"matmulTransA {i}x{batch}x{o}", "weight gradient", X.T, dZ


def time_gemm(a, b, round_seconds, repeats, warmup_seconds):
    out = np.empty((a.shape[0], b.shape[1]), dtype=np.float32)
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < warmup_seconds or calls < 3:
        np.matmul(a, b, out=out)
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    n = max(1, int(round_seconds / per_call))
    rates = []
    flops = 2.0 * a.shape[0] * a.shape[1] * b.shape[1]
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(n):
            np.matmul(a, b, out=out)
        rates.append(flops * n / (time.perf_counter() - t) / 1e9)
    return summary(rates)


def time_epochs(data, hidden, batch, lr, repeats):
    X, y = data
    sizes = [X.shape[1], *hidden, int(y.max()) + 1]
    name = "epoch " + "-".join(map(str, sizes)) + f" batch {batch}"
    rng = np.random.default_rng(1)
    # A tenth of an epoch first, so that first-touch page faults and caches do not land in a timed epoch.
    MLP(sizes, seed=1).train_epoch(X[:len(X) // 10], y[:len(y) // 10], batch, lr, rng)
    seconds = []
    for _ in range(repeats):
        net = MLP(sizes, seed=1)  # every timed epoch starts from the same weights, as in Lanes
        start = time.perf_counter()
        net.train_epoch(X, y, batch, lr, rng)
        seconds.append(time.perf_counter() - start)
    return name, summary(seconds)


def row(name, kind, role, threads, key, s, **extra):
    median, lo, hi, n = s
    r = {"name": name, "kind": kind, "role": role, "impl": "numpy", "threads": threads, "available": True,
         key: median, "min": lo, "max": hi, "repeats": n}
    r.update(extra)
    return r


# ------------------------------------------------------------------------------------------ BLAS

def blas_info():
    """Which BLAS library this process has loaded, and what OpenBLAS says about itself."""
    np.ones((64, 64), dtype=np.float32) @ np.ones((64, 64), dtype=np.float32)
    info = {"numpy": np.__version__, "python": platform.python_version(), "executable": sys.executable,
            "libraries": [], "threads_env": os.environ.get("OPENBLAS_NUM_THREADS")}
    try:
        with open("/proc/self/maps") as maps:
            libs = sorted({line.split()[-1] for line in maps
                           if any(k in line for k in ("blas", "lapack", "mkl", "blis")) and "/" in line})
    except OSError:
        libs = []
    info["libraries"] = libs
    for lib in libs:
        if "openblas" not in os.path.basename(lib):
            continue
        try:
            so = ctypes.CDLL(lib)
        except OSError:
            continue
        # Debian's library exports openblas_get_config; the one inside NumPy's own wheels prefixes and
        # suffixes every symbol (scipy_openblas_get_config64_).
        for prefix, suffix in (("", ""), ("scipy_", "64_"), ("", "64_"), ("scipy_", "")):
            def fn(name, restype=ctypes.c_int):
                f = getattr(so, f"{prefix}openblas_{name}{suffix}")
                f.restype = restype
                return f()
            try:
                info["openblas"] = {
                    "config": fn("get_config", ctypes.c_char_p).decode(),
                    "core": fn("get_corename", ctypes.c_char_p).decode(),
                    "threads": fn("get_num_threads"),
                    "parallel": {0: "sequential", 1: "pthreads", 2: "OpenMP"}.get(fn("get_parallel"), "?"),
                    "library": lib,
                }
                break
            except AttributeError:
                continue
        if "openblas" in info:
            break
    try:
        from threadpoolctl import threadpool_info
        info["threadpoolctl"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture",
                                                         "filepath")} for p in threadpool_info()]
    except ImportError:
        pass
    if "openblas" in info:
        o = info["openblas"]
        info["summary"] = f"{o['config'].split(' NO_')[0].strip()}, {o['core']} kernels, {o['parallel']}, " \
                          f"{o['threads']} thread(s), {o['library']}"
    elif libs:
        info["summary"] = "not OpenBLAS: " + ", ".join(libs)
    else:
        info["summary"] = "unknown (no BLAS library found in the process map)"
    info["reference_blas"] = "openblas" not in info and any("/blas/" in lib or lib.endswith("libblas.so.3")
                                                            for lib in libs)
    return info


# ------------------------------------------------------------------------------------------ main

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("env", help="print the NumPy and BLAS in use as one JSON object")
    run = sub.add_parser("run", help="time GEMM and epochs, print JSON Lines")
    run.add_argument("--quick", action="store_true", help="fewer and shorter repeats")
    run.add_argument("--data", help="MNIST folder with the four IDX files (gzip or raw)")
    run.add_argument("--threads", type=int, default=0, help="thread count to record in the rows")
    args = p.parse_args(argv)
    if args.command == "env":
        print(json.dumps(blas_info()))
        return 0
    threads = args.threads or int(os.environ.get("OPENBLAS_NUM_THREADS", "0") or 0)
    quick = args.quick
    for name, role, a, b in gemm_cases():
        s = time_gemm(a, b, 0.005 if quick else 0.02, 3 if quick else 5, 0.02 if quick else 0.1)
        print(json.dumps(row(name, "gemm", role, threads, "gflops", s, flops=2.0 * a.shape[0] * a.shape[1] * b.shape[1])),
              flush=True)
    mnist = load_mnist(args.data)
    if mnist is not None:
        X, y, description = mnist[0], mnist[1], f"MNIST training set from {args.data}"
    else:
        X, y = synthetic(60000, 20240601)
        description = "synthetic: 60000 random 28x28 uint8 images with random labels (timing only)"
    data = (to_float(X), y)
    for hidden, batch, lr in EPOCH_CASES:
        name, s = time_epochs(data, hidden, batch, lr, 1 if quick else 3)
        print(json.dumps(row(name, "epoch", "training", threads, "seconds", s, samples=len(X),
                             timed_samples=len(X), data=description)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
