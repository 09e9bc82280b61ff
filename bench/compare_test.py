#!/usr/bin/env python3
"""Checks of the NumPy peer and of the comparison's arithmetic: python3 -m unittest bench/compare_test.py

The peer must be a correct network, or the comparison would time the wrong work: its hand-written
backpropagation is checked against finite differences, in float64 so that the check is sharp.
"""

import gzip
import os
import struct
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no cache files in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compare  # noqa: E402

try:
    import numpy as np
    import peer_numpy
except ImportError:  # the arithmetic tests below still run
    np = None


@unittest.skipIf(np is None, "NumPy is not installed")
class PeerTest(unittest.TestCase):

    def test_backprop_matches_finite_differences(self):
        rng = np.random.default_rng(3)
        net = peer_numpy.MLP([6, 5, 4, 3], seed=2)
        net.W = [w.astype(np.float64) for w in net.W]
        net.b = [b.astype(np.float64) + rng.standard_normal(b.shape) * 0.1 for b in net.b]
        X = rng.random((7, 6))
        y = rng.integers(0, 3, size=7)

        def mean_loss():
            logits = net.forward(X)[-1]
            z = logits - logits.max(axis=1, keepdims=True)
            return float((np.log(np.exp(z).sum(axis=1)) - z[np.arange(7), y]).mean())

        params = [p for pair in zip(net.W, net.b) for p in pair]
        numeric = []
        for p in params:
            g = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                old = p[i]
                p[i] = old + 1e-6
                up = mean_loss()
                p[i] = old - 1e-6
                down = mean_loss()
                p[i] = old
                g[i] = (up - down) / 2e-6
            numeric.append(g)
        before = [p.copy() for p in params]
        loss = net.train_step(X, y, 1.0)  # with rate 1 the update is exactly minus the gradient
        self.assertAlmostEqual(loss / 7, mean_loss_at(before, net, X, y), places=10)
        for b, p, g in zip(before, params, numeric):
            # Central differences of a smooth function in float64 agree to about 1e-9 here; 1e-6
            # leaves room and still catches any wrong term (errors would be of order 1e-2).
            np.testing.assert_allclose(b - p, g, atol=1e-6)

    def test_idx_files_read_the_same_gzipped_or_raw(self):
        images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
        raw = struct.pack(">HBBIII", 0, 8, 3, 2, 3, 4) + images.tobytes()
        with tempfile.TemporaryDirectory() as d:
            for name, data in (("a", raw), ("b.gz", gzip.compress(raw))):
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)
            np.testing.assert_array_equal(peer_numpy.read_idx(os.path.join(d, "a")), images)
            np.testing.assert_array_equal(peer_numpy.read_idx(os.path.join(d, "b.gz")), images)
            with open(os.path.join(d, "short"), "wb") as f:
                f.write(raw[:-1])
            with self.assertRaises(ValueError):
                peer_numpy.read_idx(os.path.join(d, "short"))

    def test_gemm_cases_use_the_lanes_names_and_shapes(self):
        cases = {name: (a.shape, b.shape) for name, _, a, b in peer_numpy.gemm_cases()}
        self.assertEqual(24, len(cases))
        self.assertEqual(((64, 784), (784, 10)), cases["matmul 64x784x10"])
        self.assertEqual(((256, 128), (128, 784)), cases["matmulTransB 256x128x784"])
        self.assertEqual(((784, 256), (256, 256)), cases["matmulTransA 784x256x256"])


def mean_loss_at(params, net, X, y):
    saved = net.W, net.b
    net.W, net.b = params[0::2], params[1::2]
    logits = net.forward(X)[-1]
    net.W, net.b = saved
    z = logits - logits.max(axis=1, keepdims=True)
    return float((np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]).mean())


class ArithmeticTest(unittest.TestCase):

    def test_ratio_is_of_the_medians_with_the_extremes_as_range(self):
        lanes = {"kind": "epoch", "seconds": 2.0, "min": 1.0, "max": 4.0}
        numpy = {"kind": "epoch", "seconds": 8.0, "min": 4.0, "max": 16.0}
        self.assertEqual((0.25, 1.0 / 16, 1.0), compare.ratio(lanes, numpy))

    def test_rounds_pool_to_the_median_of_their_medians_and_the_overall_extremes(self):
        def row(seconds, lo, hi, impl="numpy"):
            return dict(name="epoch x", kind="epoch", impl=impl, threads=1, available=True, seconds=seconds,
                        min=lo, max=hi, repeats=3)
        rows = [row(1.0, 0.9, 1.2), row(9.0, 8.8, 9.9, "lanes"), row(3.0, 2.5, 3.5), row(2.0, 0.8, 2.1),
                row(8.0, 7.0, 8.5, "lanes")]
        pooled = compare.pooled(rows)
        self.assertEqual([r["impl"] for r in pooled], ["numpy", "lanes"])
        numpy_row, lanes_row = pooled
        # Three rounds: the median of 1, 3 and 2; an even count takes the mean of the middle two.
        self.assertEqual((numpy_row["seconds"], numpy_row["min"], numpy_row["max"]), (2.0, 0.8, 3.5))
        self.assertEqual((numpy_row["repeats"], numpy_row["rounds"]), (9, 3))
        self.assertEqual((lanes_row["seconds"], lanes_row["min"], lanes_row["max"]), (8.5, 7.0, 9.9))
        # A single round is left as it was, and a round that could not run makes the row unavailable.
        self.assertEqual(compare.pooled([row(1.0, 0.9, 1.2)]), [row(1.0, 0.9, 1.2)])
        missing = dict(row(1.0, 0.9, 1.2), available=False)
        self.assertFalse(compare.pooled([row(1.0, 0.9, 1.2), missing])[0]["available"])

    def test_two_launchers_of_one_jdk_version_get_their_own_columns(self):
        labels = {}
        self.assertEqual("JDK 17.0.15", compare.side_label("17.0.15+6", "java", labels))
        self.assertEqual("JDK 25.0.3", compare.side_label("25.0.3+9", "/opt/jdk25/bin/java", labels))
        # Another launcher of a version already seen (another build of the engine behind a wrapper,
        # another vendor) is told apart by its path; the first keeps the plain name in later rounds.
        self.assertEqual("JDK 17.0.15 (/opt/old/java)", compare.side_label("17.0.15+6", "/opt/old/java", labels))
        self.assertEqual("JDK 17.0.15", compare.side_label("17.0.15+6", "java", labels))
        self.assertEqual("JDK 17.0.15 (/opt/old/java)", compare.side_label("17.0.15+6", "/opt/old/java", labels))
        self.assertEqual(3, len(set(labels.values())))

    def test_targets_apply_to_the_rows_the_project_names(self):
        self.assertEqual((0.25, "le"), compare.target(compare.SEED_EPOCH, "epoch", 1, 2))
        self.assertIsNone(compare.target(compare.SEED_EPOCH, "epoch", 2, 2))
        self.assertEqual((0.8, "le"), compare.target(compare.WIDE_EPOCH, "epoch", 1, 2))
        self.assertEqual((0.8, "le"), compare.target(compare.WIDE_EPOCH, "epoch", 2, 2))
        self.assertEqual((0.7, "ge"), compare.target("matmul 64x784x10", "gemm", 1, 2))
        self.assertEqual((0.7, "ge"), compare.target("matmulTransB 256x10x784", "gemm", 1, 2))
        self.assertEqual((0.85, "ge"), compare.target("matmul 256x784x128", "gemm", 1, 2))
        self.assertEqual((0.85, "ge"), compare.target("matmulTransA 784x256x128", "gemm", 1, 2))
        self.assertIsNone(compare.target("matmul 64x784x10", "gemm", 2, 2))
        self.assertEqual((0.45, "le"), compare.target(compare.JOB, "job", 2, 2))
        self.assertIsNone(compare.target(compare.JOB, "job", 1, 2))

    def test_first_epoch_ratio_reads_the_train_lines(self):
        out = ("network  784-10-10\n"
               "epoch   1  loss 0.5753  train  82.91%  test  88.87%  1.50 s  40,000 samples/s\n"
               "epoch   2  loss 0.3127  train  91.16%  test  91.29%  0.20 s  300,000 samples/s\n"
               "epoch   3  loss 0.2753  train  92.15%  test  92.91%  0.10 s  600,000 samples/s\n"
               "epoch   4  loss 0.2544  train  92.74%  test  92.18%  0.12 s  500,000 samples/s\n")
        self.assertEqual([1.5, 0.2, 0.1, 0.12], compare.epoch_seconds(out))
        self.assertAlmostEqual(1.5 / 0.12, compare.first_epoch_ratio([1.5, 0.2, 0.1, 0.12]))
        self.assertIsNone(compare.first_epoch_ratio([1.5, 0.2]))

    def test_numpy_processes_get_the_thread_count_and_lose_the_kernel_overrides(self):
        os.environ["OPENBLAS_CORETYPE"] = "Haswell"
        try:
            env = compare.numpy_env(2)
        finally:
            del os.environ["OPENBLAS_CORETYPE"]
        self.assertNotIn("OPENBLAS_CORETYPE", env)
        self.assertEqual("2", env["OPENBLAS_NUM_THREADS"])
        self.assertEqual("2", env["OMP_NUM_THREADS"])

    def test_figures_keep_one_unit_per_cell(self):
        self.assertEqual("950 ms (900-1200 ms)", compare.fmt({"kind": "job", "seconds": 0.95, "min": 0.9, "max": 1.2}))
        self.assertEqual("12.3 (11.0-13.0)", compare.fmt({"kind": "gemm", "gflops": 12.34, "min": 11, "max": 13}))
        self.assertEqual("0.042 (0.010-123)", compare.fmt({"kind": "gemm", "gflops": 0.042, "min": 0.01, "max": 123}))


if __name__ == "__main__":
    unittest.main()
