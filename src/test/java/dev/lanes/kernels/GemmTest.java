package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector matrix multiplies against the scalar reference: the three forms, overwrite and
 * accumulate, the shapes of the MLPs Lanes trains and awkward sizes, inside larger arrays with offsets,
 * padded leading dimensions and guard values.
 *
 * <p>Each element is checked three ways:
 * <ol>
 *   <li>against the exact result (products and sums in {@code double}, exact enough here) within
 *       {@code γ_k·S}, where {@code S = |C₀| + Σ_p|a_p·b_p|} and {@code γ_k = k·u/(1 − k·u)},
 *       {@code u = 2⁻²⁴}: the worst-case error of {@code k} rounded fused multiply-adds, so any correct
 *       float summation order passes and a wrong term fails;</li>
 *   <li>against the reference within {@code 1e-6·S}, the tolerance the engine promises callers
 *       (the vector code may block or reorder sums, but by no more than that);</li>
 *   <li>bit for bit against the reference, which the vector GEMM guarantees (it keeps the reference's
 *       fma chain per element, see {@code VectorGemm}); this also pins the sign of zero results.</li>
 * </ol>
 * Padding in {@code A} and {@code B} (past each row and around the matrix) holds NaN, so a read outside
 * the operands into a stored lane shows up; in overwrite mode the old {@code C} is NaN too, so reading
 * it shows up; everything of {@code C}'s array outside the result must keep its guard value.
 */
class GemmTest {

    private static final Kernels SCALAR = KernelsProvider.scalar();
    private static final Kernels VECTOR = KernelsProvider.vector().orElseThrow(
            () -> new AssertionError("GemmTest needs --add-modules jdk.incubator.vector"));

    /** Fills the part of C's array that is not the result; must come back unchanged. */
    private static final float GUARD = -7.75e7f;
    private static final double U = 0x1p-24;

    /** The matrix-multiply forms of {@link Kernels}. */
    enum Form {
        /** {@code C = A·B}: forward pass. */
        AB,
        /** {@code C = A·Bᵀ}: input gradient. */
        ABT,
        /** {@code C = Aᵀ·B}: weight gradient. */
        ATB
    }

    private static final int[] BATCHES = {1, 7, 16, 64, 256};

    /**
     * Gets the kernels compiled on small calls first: until C2 has compiled them, Vector API code runs
     * as slow allocating Java, and the large cases would spend seconds there.
     */
    @BeforeAll
    static void warmUp() {
        List<Case> small = new ArrayList<>();
        for (Form f : Form.values()) {
            small.add(new Case(f, 13, 10, 40, true, 0, 0, 0, 0, 0));
            small.add(new Case(f, 13, 40, 40, false, 0, 0, 0, 0, 0));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int rep = 0; rep < 20_000 && System.nanoTime() < deadline; rep++) {
            small.get(rep % small.size()).callVector();
        }
    }

    // ---------------------------------------------------------------- MLP shapes

    /** Forward {@code Z = X·W}: batch × inputs · inputs × outputs for every layer of 784-10-10, 784-128-10, 784-256-128-10. */
    @Test
    void forwardShapesOfTheNetworks() {
        int[][] layers = {{784, 10}, {784, 128}, {784, 256}, {256, 128}, {128, 10}, {10, 10}};
        int variant = 0;
        for (int b : BATCHES) {
            for (int[] l : layers) {
                for (boolean acc : new boolean[] {false, true}) {
                    check(Form.AB, b, l[1], l[0], acc, variant++);
                }
            }
        }
    }

    /** Input gradient {@code dX = dZ·Wᵀ} with {@code W} stored inputs × outputs, for every layer but the first. */
    @Test
    void inputGradientShapesOfTheNetworks() {
        // {inputs, outputs} of the layer: C is batch × inputs, k = outputs.
        int[][] layers = {{128, 10}, {256, 128}, {10, 10}};
        int variant = 1;
        for (int b : BATCHES) {
            for (int[] l : layers) {
                for (boolean acc : new boolean[] {false, true}) {
                    check(Form.ABT, b, l[0], l[1], acc, variant++);
                }
            }
        }
    }

    /** Weight gradient {@code dW = Xᵀ·dZ}: inputs × outputs, summed over the batch. */
    @Test
    void weightGradientShapesOfTheNetworks() {
        int[][] layers = {{784, 10}, {784, 128}, {784, 256}, {256, 128}, {128, 10}, {10, 10}};
        int variant = 2;
        for (int b : BATCHES) {
            for (int[] l : layers) {
                for (boolean acc : new boolean[] {false, true}) {
                    check(Form.ATB, l[0], l[1], b, acc, variant++);
                }
            }
        }
    }

    // ---------------------------------------------------------------- awkward sizes

    /** Every combination of sizes around the tile edges (6 rows, 2 × 8 or 2 × 16 columns). */
    @Test
    void smallOddSizesInEveryCombination() {
        int[] sizes = {1, 2, 3, 13, 15, 16, 17, 31, 33};
        int variant = 0;
        for (Form f : Form.values()) {
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : sizes) {
                        check(f, m, n, k, (variant & 1) == 1, variant++);
                    }
                }
            }
        }
    }

    /** Sizes past the cache blocks (256 rows of B per block, 1024 columns) mixed with tiny ones. */
    @Test
    void largeOddSizesAcrossTheBlockEdges() {
        int[][] mnk = {
            {127, 127, 127}, {1021, 3, 17}, {3, 1021, 17}, {17, 3, 1021}, {13, 1021, 33}, {33, 13, 1021},
            {1, 1021, 127}, {127, 1, 1021}, {1021, 33, 1}, {31, 513, 257}, {7, 257, 513}, {6, 16, 256},
            {6, 16, 257}, {12, 32, 512}, {2, 300, 300}, {3, 2053, 17}, {2053, 3, 17}, {13, 1031, 300},
        };
        int variant = 0;
        for (Form f : Form.values()) {
            for (int[] s : mnk) {
                for (boolean acc : new boolean[] {false, true}) {
                    check(f, s[0], s[1], s[2], acc, variant++);
                }
            }
        }
    }

    /** {@code k = 0} leaves a zero (overwrite) or the old C (accumulate); empty C touches nothing. */
    @Test
    void emptyDimensions() {
        int variant = 0;
        for (Form f : Form.values()) {
            for (int[] s : new int[][] {{3, 17, 0}, {0, 17, 5}, {3, 0, 5}, {0, 0, 0}}) {
                for (boolean acc : new boolean[] {false, true}) {
                    check(f, s[0], s[1], s[2], acc, variant++);
                }
            }
        }
    }

    /**
     * B that ends exactly where the array ends: a skinny B is read in place a full vector per row, so
     * its last rows must come from a copy, not past the array (which would throw).
     */
    @Test
    void operandsFlushWithTheEndOfTheirArrays() {
        for (Form f : Form.values()) {
            for (int n : new int[] {1, 5, 10, 15, 16, 17, 33}) {
                for (int k : new int[] {1, 2, 10, 100}) {
                    for (boolean acc : new boolean[] {false, true}) {
                        Case c = new Case(f, 7, n, k, acc, 0, 0, 0, 0, 0);
                        c.run();
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- determinism, threads, allocation

    /**
     * The same call, repeated from the first (interpreted) run until the kernels run compiled and
     * allocation-free, always gives the same bits. Also proves the steady state allocates nothing: the
     * loop only ends once 50 consecutive calls allocated zero bytes.
     */
    @Test
    void repeatedCallsGiveTheSameBitsAndStopAllocatingOnceCompiled() {
        com.sun.management.ThreadMXBean mx = threadMx();
        for (Form f : Form.values()) {
            int m = f == Form.ATB ? 784 : 64;
            int n = f == Form.ABT ? 128 : 10;
            int k = f == Form.ATB ? 64 : f == Form.ABT ? 10 : 784;
            repeatUntilSteady(mx, new Case(f, m, n, k, false, 3, 4, 5, 6, 1));
            repeatUntilSteady(mx, new Case(f, m, 3 * n + 2, k, true, 1, 0, 2, 3, 1));
        }
    }

    private static void repeatUntilSteady(com.sun.management.ThreadMXBean mx, Case c) {
        float[] first = c.runVector();
        float[] expected = c.runScalar();
        assertArrayEquals(expected, first, c + ": first call differs from the reference");
        long deadline = System.nanoTime() + 15_000_000_000L;
        int calls = 0;
        int quiet = 0;
        while (quiet < 50) {
            long before = mx.getCurrentThreadAllocatedBytes();
            c.callVector();
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            calls++;
            quiet = allocated == 0 ? quiet + 1 : 0;
            if (!Arrays.equals(first, c.cv)) {
                fail(c + ": call " + calls + " differs from the first call");
            }
            if (System.nanoTime() > deadline) {
                fail(c + ": still allocating " + allocated + " bytes per call after " + calls + " calls");
            }
        }
    }

    /** Two threads multiplying at once (each with its own scratch space) get exactly the reference. */
    @Test
    void concurrentCallersDoNotShareScratch() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                // Each thread has its own operands; the kernels' scratch space is the only thing shared if anything is.
                List<Case> cases = List.of(
                        new Case(Form.AB, 64, 256, 784, false, 0, 1, 2, 3, 0),
                        new Case(Form.ABT, 33, 256, 128, true, 1, 2, 3, 4, 1),
                        new Case(Form.ATB, 784, 128, 64, false, 2, 3, 0, 1, 1),
                        new Case(Form.AB, 64, 10, 784, true, 3, 0, 1, 2, 0));
                List<float[]> expected = new ArrayList<>();
                for (Case c : cases) {
                    expected.add(c.runScalar());
                }
                int shift = t;
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 24; rep++) {
                        int i = (rep + shift) % cases.size();
                        Case c = cases.get(i);
                        c.callVector();
                        assertArrayEquals(expected.get(i), c.cv, c + ": differs from the reference, repetition " + rep);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- the check

    private static void check(Form f, int m, int n, int k, boolean accumulate, int variant) {
        int v = Math.floorMod(variant, 97);
        new Case(f, m, n, k, accumulate, v % 5, (v / 5) % 4, (v / 2) % 3 * 7, v % 3 * 5, 1 + v % 2).run();
    }

    private static com.sun.management.ThreadMXBean threadMx() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(hs.isThreadAllocatedMemorySupported() && hs.isThreadAllocatedMemoryEnabled());
        return hs;
    }

    /**
     * One multiply: operands inside larger arrays. {@code off} is the offset of every matrix, the
     * {@code pad*} are added to the leading dimensions, and {@code slack} floats follow each matrix.
     */
    static final class Case {
        final Form form;
        final int m;
        final int n;
        final int k;
        final boolean accumulate;
        final int aOff;
        final int bOff;
        final int cOff;
        final int lda;
        final int ldb;
        final int ldc;
        final float[] a;
        final float[] b;
        final float[] c0;
        final float[] cv;
        private final float[] cs;

        Case(Form form, int m, int n, int k, boolean accumulate, int off, int padA, int padB, int padC, int slack) {
            this.form = form;
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = accumulate;
            SplittableRandom rng = new SplittableRandom(31L * m + 17L * n + k + (accumulate ? 5 : 0)
                    + 1000L * form.ordinal() + 7919L * off + 104729L * padA);
            int aRows = form == Form.ATB ? k : m;
            int aCols = form == Form.ATB ? m : k;
            int bRows = form == Form.ABT ? n : k;
            int bCols = form == Form.ABT ? k : n;
            aOff = off;
            bOff = 2 * off;
            cOff = 3 * off;
            lda = aCols + padA;
            ldb = bCols + padB;
            ldc = n + padC;
            a = matrix(rng, aRows, aCols, aOff, lda, slack, Float.NaN);
            b = matrix(rng, bRows, bCols, bOff, ldb, slack, Float.NaN);
            c0 = new float[size(m, n, cOff, ldc, slack)];
            Arrays.fill(c0, GUARD);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    // Overwrite mode must not read C: NaN there would poison any result that did.
                    c0[cOff + i * ldc + j] = accumulate ? value(rng) : Float.NaN;
                }
            }
            cv = c0.clone();
            cs = c0.clone();
        }

        private static int size(int rows, int cols, int off, int ld, int slack) {
            return rows == 0 || cols == 0 ? off + slack : off + (rows - 1) * ld + cols + slack;
        }

        private static float[] matrix(SplittableRandom rng, int rows, int cols, int off, int ld, int slack, float pad) {
            float[] x = new float[size(rows, cols, off, ld, slack)];
            Arrays.fill(x, pad);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[off + i * ld + j] = value(rng);
                }
            }
            return x;
        }

        /** Mostly uniform in [−1, 1), with the exact zeros of ReLU outputs (of both signs) mixed in. */
        private static float value(SplittableRandom rng) {
            int r = rng.nextInt(10);
            if (r == 0) {
                return 0f;
            }
            if (r == 1) {
                return -0f;
            }
            return (float) (rng.nextDouble() * 2 - 1);
        }

        float[] runVector() {
            callVector();
            return cv.clone();
        }

        float[] runScalar() {
            System.arraycopy(c0, 0, cs, 0, c0.length);
            call(SCALAR, cs);
            return cs.clone();
        }

        void callVector() {
            System.arraycopy(c0, 0, cv, 0, c0.length);
            call(VECTOR, cv);
        }

        private void call(Kernels kernels, float[] c) {
            switch (form) {
                case AB:
                    kernels.matmul(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
                    break;
                case ABT:
                    kernels.matmulTransB(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
                    break;
                default:
                    kernels.matmulTransA(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
                    break;
            }
        }

        private float av(int i, int p) {
            return form == Form.ATB ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        private float bv(int p, int j) {
            return form == Form.ABT ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** Runs both implementations and checks the vector result as described in the class comment. */
        void run() {
            float[] aBefore = a.clone();
            float[] bBefore = b.clone();
            float[] ref = runScalar();
            callVector();
            assertArrayEquals(aBefore, a, this + ": A was modified");
            assertArrayEquals(bBefore, b, this + ": B was modified");
            boolean[] inResult = new boolean[c0.length];
            double gamma = k * U / (1 - k * U);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int at = cOff + i * ldc + j;
                    inResult[at] = true;
                    double start = accumulate ? c0[at] : 0;
                    double exact = start;
                    double scale = Math.abs(start);
                    for (int p = 0; p < k; p++) {
                        double prod = (double) av(i, p) * bv(p, j);
                        exact += prod;
                        scale += Math.abs(prod);
                    }
                    float got = cv[at];
                    String where = this + " at C[" + i + "][" + j + "]";
                    if (!(Math.abs(got - exact) <= gamma * scale)) {
                        fail(where + ": " + got + " is not within γ_k·S = " + gamma * scale + " of the exact " + exact);
                    }
                    if (!(Math.abs(got - ref[at]) <= 1e-6 * scale)) {
                        fail(where + ": " + got + " is not within 1e-6·S = " + 1e-6 * scale + " of the reference " + ref[at]);
                    }
                    if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(ref[at])) {
                        fail(where + ": " + got + " is not bitwise equal to the reference " + ref[at]);
                    }
                }
            }
            for (int at = 0; at < cv.length; at++) {
                if (!inResult[at]) {
                    assertEquals(GUARD, cv[at], this + ": C's array changed outside the result at index " + at);
                }
            }
            assertTrue(Arrays.equals(ref, cv), this + ": differs from the reference");
        }

        @Override
        public String toString() {
            return form + " m=" + m + " n=" + n + " k=" + k + (accumulate ? " accumulate" : " overwrite")
                    + " offsets " + aOff + "/" + bOff + "/" + cOff + " ld " + lda + "/" + ldb + "/" + ldc
                    + " lengths " + a.length + "/" + b.length + "/" + c0.length;
        }
    }
}
