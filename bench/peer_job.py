#!/usr/bin/env python3
"""The whole default job in NumPy, for compare.py to time from process start to finish.

Loads the gzip IDX files of MNIST, trains 784-10-10 (He init, ReLU, softmax cross-entropy) for 10
epochs of mini-batch SGD (batch 64, learning rate 0.1), evaluates on the test set and saves the
weights with np.save: the same job as `java --add-modules jdk.incubator.vector -jar
target/engine.jar train`. Uses the network of peer_numpy.py.

    peer_job.py --data data/mnist --out weights.npy
"""

import argparse
import sys
import time

sys.dont_write_bytecode = True  # importing the sibling module must not leave a cache in the repository

import numpy as np  # noqa: E402

from peer_numpy import MLP, load_mnist, to_float  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    p.add_argument("--out", required=True, help="where to np.save the weights (.npy)")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--hidden", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    mnist = load_mnist(args.data)
    if mnist is None:
        print(f"peer_job.py: {args.data}: the four MNIST IDX files are not all there", file=sys.stderr)
        return 2
    xtr, ytr, xte, yte = mnist
    X, Xt = to_float(xtr), to_float(xte)
    net = MLP([X.shape[1], args.hidden, int(ytr.max()) + 1], seed=args.seed)
    rng = np.random.default_rng(args.seed)
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        loss = net.train_epoch(X, ytr, args.batch, np.float32(args.lr), rng)
        print(f"epoch {epoch}: loss {loss:.4f}, {time.perf_counter() - start:.2f} s", flush=True)
    accuracy = float((net.predict(Xt) == yte).mean())
    print(f"test accuracy {accuracy:.4f}")
    np.save(args.out, net.flat())
    return 0


if __name__ == "__main__":
    sys.exit(main())
