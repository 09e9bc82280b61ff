package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three vector matrix multiplies against the scalar reference, overwriting and accumulating.
 *
 * <p>A vector GEMM may add the {@code k} products in another order than the reference (blocking,
 * several accumulators), so results are compared with a bound relative to {@code Σ_p |a_ip·b_pj|}
 * (plus {@code |c_ij|} when accumulating) rather than to {@code |c_ij|}, which cancellation can make
 * arbitrarily small: {@code |c_vector − c_scalar| ≤ 1e-6·Σ|a·b| + Float.MIN_NORMAL}.
 *
 * <p>Why {@code 1e-6}: every partial sum is at most {@code Σ|a·b|} in magnitude, so each rounding is at
 * most {@code u·Σ|a·b|} ({@code u = 2^-24 ≈ 6e-8}); with random signs the errors of a reordered sum
 * add like a random walk and stay within a few {@code u·Σ|a·b|}; reorderings of the {@code k = 784}
 * dot products here differ by up to about {@code 2e-7·Σ|a·b|}. A defect, such as a dropped, doubled
 * or misplaced product, moves the result by a whole {@code |a_ip·b_pj|}, about {@code Σ|a·b|/k}, which
 * is above {@code 1e-3·Σ|a·b|} for every {@code k} tested.
 */
class GemmEqualityTest {

    private static final double RELATIVE = 1e-6;

    private final Kernels scalar = new ScalarKernels();
    private final Kernels vector = KernelsProvider.vector().orElseThrow();

    enum Form {
        /** {@code C = A·B}: A is m×k, B is k×n. */
        PLAIN,
        /** {@code C = A·Bᵀ}: A is m×k, B is n×k. */
        TRANS_B,
        /** {@code C = Aᵀ·B}: A is k×m, B is k×n. */
        TRANS_A;

        int aRows(int m, int k) {
            return this == TRANS_A ? k : m;
        }

        int aCols(int m, int k) {
            return this == TRANS_A ? m : k;
        }

        int bRows(int n, int k) {
            return this == TRANS_B ? n : k;
        }

        int bCols(int n, int k) {
            return this == TRANS_B ? k : n;
        }

        float a(Block a, int i, int p) {
            return this == TRANS_A ? a.get(p, i) : a.get(i, p);
        }

        float b(Block b, int p, int j) {
            return this == TRANS_B ? b.get(j, p) : b.get(p, j);
        }

        void run(Kernels kernels, int m, int n, int k, Block a, Block b, Block c, boolean accumulate) {
            switch (this) {
                case PLAIN:
                    kernels.matmul(m, n, k, a.a, a.off, a.ld, b.a, b.off, b.ld, c.a, c.off, c.ld, accumulate);
                    break;
                case TRANS_B:
                    kernels.matmulTransB(m, n, k, a.a, a.off, a.ld, b.a, b.off, b.ld, c.a, c.off, c.ld, accumulate);
                    break;
                default:
                    kernels.matmulTransA(m, n, k, a.a, a.off, a.ld, b.a, b.off, b.ld, c.a, c.off, c.ld, accumulate);
                    break;
            }
        }
    }

    /** Small and odd shapes around the vector lengths, including empty ones. */
    static Stream<Arguments> smallShapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (Form form : Form.values()) {
            for (int size : KernelEqualityTest.SIZES) {
                if (size <= 127) {
                    shapes.add(Arguments.of(form, 3, size, 17));
                    shapes.add(Arguments.of(form, 1, size, 1));
                    shapes.add(Arguments.of(form, size, 5, 9));
                }
            }
            for (int k : new int[] {2, 15, 16, 33, 65}) {
                shapes.add(Arguments.of(form, 7, 13, k));
            }
            shapes.add(Arguments.of(form, 2, 1021, 5));
            shapes.add(Arguments.of(form, 17, 33, 64));
            // Narrow and long with k past one k block: Aᵀ·B reads B in place across two blocks.
            shapes.add(Arguments.of(form, 40, 7, 300));
            shapes.add(Arguments.of(form, 0, 5, 3));
            shapes.add(Arguments.of(form, 4, 0, 3));
            shapes.add(Arguments.of(form, 4, 5, 0));
        }
        return shapes.stream();
    }

    /**
     * The multiplies of a 784-{10,128,256}-…-10 network on batches of 1, 7, 64 and 256: forward
     * {@code Z = X·W} (B×in · in×out), input gradient {@code dX = dZ·Wᵀ} (B×out · (in×out)ᵀ) and weight
     * gradient {@code dW = Xᵀ·dZ} ((B×in)ᵀ · B×out).
     */
    static Stream<Arguments> networkShapes() {
        int[][] layers = {{784, 10}, {784, 128}, {784, 256}, {256, 128}, {128, 10}};
        List<Arguments> shapes = new ArrayList<>();
        for (int batch : new int[] {1, 7, 64, 256}) {
            for (int[] layer : layers) {
                int in = layer[0];
                int out = layer[1];
                shapes.add(Arguments.of(Form.PLAIN, batch, out, in));
                shapes.add(Arguments.of(Form.TRANS_B, batch, in, out));
                shapes.add(Arguments.of(Form.TRANS_A, in, out, batch));
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
    @MethodSource("smallShapes")
    void smallShapesAreWithinTolerance(Form form, int m, int n, int k) {
        Random rnd = new Random(31L * m + 1009L * n + 7919L * k + form.ordinal());
        Block a = Block.uniform(rnd, form.aRows(m, k), form.aCols(m, k), 3, 2, -1f, 1f);
        Block b = Block.uniform(rnd, form.bRows(n, k), form.bCols(n, k), 5, 3, -1f, 1f);
        assertGemmClose(form, m, n, k, a, b, Block.uniform(rnd, m, n, 2, 4, -1f, 1f));
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
    @MethodSource("networkShapes")
    void networkShapesAreWithinTolerance(Form form, int m, int n, int k) {
        Random rnd = new Random(31L * m + 1009L * n + 7919L * k + form.ordinal());
        // Pixel-like activations in [0, 1) against small signed weights, as in training.
        Block a = Block.uniform(rnd, form.aRows(m, k), form.aCols(m, k), 1, 3, 0f, 1f);
        Block b = Block.gaussian(rnd, form.bRows(n, k), form.bCols(n, k), 2, 1, 0.05f);
        assertGemmClose(form, m, n, k, a, b, Block.gaussian(rnd, m, n, 4, 2, 0.5f));
    }

    private void assertGemmClose(Form form, int m, int n, int k, Block a, Block b, Block c0) {
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += Math.abs((double) form.a(a, i, p) * form.b(b, p, j));
                }
                magnitude[i * n + j] = sum;
            }
        }
        for (boolean accumulate : new boolean[] {false, true}) {
            Block want = c0.copy();
            Block got = c0.copy();
            form.run(scalar, m, n, k, a, b, want, accumulate);
            form.run(vector, m, n, k, a, b, got, accumulate);
            String what = form + " m=" + m + " n=" + n + " k=" + k + " accumulate=" + accumulate;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double scale = magnitude[i * n + j] + (accumulate ? Math.abs(c0.get(i, j)) : 0);
                    double tol = RELATIVE * scale + Float.MIN_NORMAL;
                    double diff = Math.abs((double) want.get(i, j) - got.get(i, j));
                    if (!(diff <= tol)) {
                        fail(what + ": C[" + i + "][" + j + "] reference " + want.get(i, j) + ", vector "
                                + got.get(i, j) + ", |diff| " + diff + " > " + tol);
                    }
                }
            }
            got.assertGuardsIntact(what + " C");
            a.assertGuardsIntact(what + " A");
            b.assertGuardsIntact(what + " B");
        }
    }
}
