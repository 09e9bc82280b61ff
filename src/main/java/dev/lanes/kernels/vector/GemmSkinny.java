package dev.lanes.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiplies whose result is at most two vectors wide ({@code n ≤ 2·lanes}): the 10-class
 * output layer and the seed network's 10-unit hidden layer. Generic register blocking wastes most of
 * its tile there; instead {@code B} is copied once per call into a zero-padded panel of whole vectors,
 * and each step of {@code k} broadcasts one element of {@code A} per row into a few accumulators.
 *
 * <p>{@code A} is row-major and read in place: each step of {@code k} moves one float along every row
 * it works on, the one induction variable of the loop, so C2 hoists the bounds checks. (Narrow
 * weight gradients, {@code Aᵀ·B}, go through {@link VectorGemm}'s transposed path instead.) Every element of {@code C} is a single fma chain in increasing
 * {@code p}, started from {@code C} (accumulate) or zero, exactly as the scalar reference computes it,
 * so the results are bitwise equal to {@link dev.lanes.kernels.ScalarKernels}.
 */
final class GemmSkinny {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();

    private GemmSkinny() {
    }

    /** @return whether {@code n} columns fit this kernel */
    static boolean fits(int n) {
        return n >= 1 && n <= 2 * L;
    }

    /**
     * {@code C[m×n] (+)= A[m×k]·B[k×n]} with {@code A[i][p] = a[aOff + i·lda + p]}.
     */
    static void multiply(int m, int n, int k, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        GemmScratch scratch = GemmScratch.get();
        int width = n <= L ? L : 2 * L;
        float[] panel = scratch.skinny(k * width);
        // The staging tile of the kernels: the driver's edge tile (5 × 2 vectors), unused meanwhile.
        float[] tile = scratch.edge;
        pack(n, k, b, bOff, ldb, panel, width);
        int i = 0;
        if (width == L) {
            for (; i + 4 <= m; i += 4) {
                one4(k, a, aOff + i * lda, lda, panel, c, cOff + i * ldc, ldc, n, accumulate, tile);
            }
        } else {
            // Rows as fives and fours (256 = 48·5 + 4·4, 128 = 24·5 + 2·4), leaving single rows only to
            // blocks of fewer than 16 rows: row() is called once per call at most, so it reaches C2
            // thousands of calls after the others, running its vector loop interpreted until then
            // (bench measured 256x784x10 at 7.5 GFLOPS for that reason when one row was left over).
            int fours = (5 - m % 5) % 5;
            if (4 * fours > m) {
                fours = m / 4;
            }
            for (int end = m - 4 * fours; i + 5 <= end; i += 5) {
                two5(k, a, aOff + i * lda, lda, panel, c, cOff + i * ldc, ldc, n, accumulate, tile);
            }
            for (int f = 0; f < fours; f++, i += 4) {
                two4(k, a, aOff + i * lda, lda, panel, c, cOff + i * ldc, ldc, n, accumulate, tile);
            }
        }
        for (; i < m; i++) {
            row(k, a, aOff + i * lda, panel, width, c, cOff + i * ldc, n, accumulate, tile);
        }
    }

    /** Copies {@code B[k×n]} into {@code panel[k×width]}, zero beyond column {@code n}. */
    private static void pack(int n, int k, float[] b, int bOff, int ldb, float[] panel, int width) {
        // Whole-vector reads of each row, with the lanes past n masked to zero: one load, blend and
        // store per vector instead of a copy call and a fill loop per row. Rows whose vectors would
        // read past the end of b are copied one float at a time.
        // The lanes below n, from the lane numbers: F.indexInRange allocated its masks on every call
        // (128 bytes a step of 784-256-128-10, JDK 17).
        FloatVector lanes = FloatVector.fromArray(F, VectorMath.LANE_NUMBERS, 0);
        VectorMask<Float> keep0 = lanes.compare(VectorOperators.LT, (float) n);
        VectorMask<Float> keep1 = lanes.compare(VectorOperators.LT, (float) (n - L));
        FloatVector zero = FloatVector.zero(F);
        int p = 0;
        for (; p < k && bOff + p * ldb + width <= b.length; p++) {
            int src = bOff + p * ldb;
            int dst = p * width;
            zero.blend(FloatVector.fromArray(F, b, src), keep0).intoArray(panel, dst);
            if (width > L) {
                zero.blend(FloatVector.fromArray(F, b, src + L), keep1).intoArray(panel, dst + L);
            }
        }
        for (; p < k; p++) {
            int src = bOff + p * ldb;
            int dst = p * width;
            for (int j = 0; j < width; j++) {
                panel[dst + j] = j < n ? b[src + j] : 0f;
            }
        }
    }

    /*
     * The kernels below start their accumulators from C through a staging tile and store them back the
     * same way, written out in each kernel rather than through small helpers: a vector passed through a
     * call that C2 does not inline is boxed, and every fma on it becomes a call. Whether such helpers
     * were inlined depended on the inlining budget of the compilation (two4 was compiled with them
     * boxed in some runs, 1.4 GFLOPS instead of 45 at 64x784x10), and the staged rows cost a few
     * scalar copies per call.
     */

    /** Copies {@code rows} rows of {@code n} values of C into the staging tile, rows {@code width} apart, zero-padded. */
    private static void stage(int rows, int n, float[] c, int c0, int ldc, float[] tile, int width) {
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < width; t++) {
                tile[r * width + t] = t < n ? c[c0 + r * ldc + t] : 0f;
            }
        }
    }

    /** Copies the valid {@code n} columns of {@code rows} staged rows back into C. */
    private static void unstage(int rows, int n, float[] tile, int width, float[] c, int c0, int ldc) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * width, c, c0 + r * ldc, n);
        }
    }

    /** Four rows, one vector of columns: four independent fma chains. */
    private static void one4(int k, float[] a, int a0, int rs, float[] panel,
                             float[] c, int c0, int ldc, int n, boolean acc, float[] tile) {
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        FloatVector x0 = FloatVector.zero(F), x1 = x0, x2 = x0, x3 = x0;
        if (acc) {
            stage(4, n, c, c0, ldc, tile, L);
            x0 = FloatVector.fromArray(F, tile, 0);
            x1 = FloatVector.fromArray(F, tile, L);
            x2 = FloatVector.fromArray(F, tile, 2 * L);
            x3 = FloatVector.fromArray(F, tile, 3 * L);
        }
        for (int p = 0; p < k; p++) {
            FloatVector w = FloatVector.fromArray(F, panel, p * L);
            x0 = w.fma(FloatVector.broadcast(F, a[a0 + p]), x0);
            x1 = w.fma(FloatVector.broadcast(F, a[a1 + p]), x1);
            x2 = w.fma(FloatVector.broadcast(F, a[a2 + p]), x2);
            x3 = w.fma(FloatVector.broadcast(F, a[a3 + p]), x3);
        }
        x0.intoArray(tile, 0);
        x1.intoArray(tile, L);
        x2.intoArray(tile, 2 * L);
        x3.intoArray(tile, 3 * L);
        unstage(4, n, tile, L, c, c0, ldc);
    }

    /**
     * Five rows, two vectors of columns: ten independent fma chains and seven loads per ten fmas (the
     * layout of the blocked driver's micro-kernel).
     */
    private static void two5(int k, float[] a, int a0, int rs, float[] panel,
                             float[] c, int c0, int ldc, int n, boolean acc, float[] tile) {
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        int a4 = a3 + rs;
        FloatVector x00 = FloatVector.zero(F), x01 = x00, x10 = x00, x11 = x00, x20 = x00;
        FloatVector x21 = x00, x30 = x00, x31 = x00, x40 = x00, x41 = x00;
        if (acc) {
            stage(5, n, c, c0, ldc, tile, 2 * L);
            x00 = FloatVector.fromArray(F, tile, 0);
            x01 = FloatVector.fromArray(F, tile, L);
            x10 = FloatVector.fromArray(F, tile, 2 * L);
            x11 = FloatVector.fromArray(F, tile, 3 * L);
            x20 = FloatVector.fromArray(F, tile, 4 * L);
            x21 = FloatVector.fromArray(F, tile, 5 * L);
            x30 = FloatVector.fromArray(F, tile, 6 * L);
            x31 = FloatVector.fromArray(F, tile, 7 * L);
            x40 = FloatVector.fromArray(F, tile, 8 * L);
            x41 = FloatVector.fromArray(F, tile, 9 * L);
        }
        for (int p = 0; p < k; p++) {
            FloatVector w0 = FloatVector.fromArray(F, panel, p * (2 * L));
            FloatVector w1 = FloatVector.fromArray(F, panel, p * (2 * L) + L);
            FloatVector s0 = FloatVector.broadcast(F, a[a0 + p]);
            x00 = w0.fma(s0, x00);
            x01 = w1.fma(s0, x01);
            FloatVector s1 = FloatVector.broadcast(F, a[a1 + p]);
            x10 = w0.fma(s1, x10);
            x11 = w1.fma(s1, x11);
            FloatVector s2 = FloatVector.broadcast(F, a[a2 + p]);
            x20 = w0.fma(s2, x20);
            x21 = w1.fma(s2, x21);
            FloatVector s3 = FloatVector.broadcast(F, a[a3 + p]);
            x30 = w0.fma(s3, x30);
            x31 = w1.fma(s3, x31);
            FloatVector s4 = FloatVector.broadcast(F, a[a4 + p]);
            x40 = w0.fma(s4, x40);
            x41 = w1.fma(s4, x41);
        }
        x00.intoArray(tile, 0);
        x01.intoArray(tile, L);
        x10.intoArray(tile, 2 * L);
        x11.intoArray(tile, 3 * L);
        x20.intoArray(tile, 4 * L);
        x21.intoArray(tile, 5 * L);
        x30.intoArray(tile, 6 * L);
        x31.intoArray(tile, 7 * L);
        x40.intoArray(tile, 8 * L);
        x41.intoArray(tile, 9 * L);
        unstage(5, n, tile, 2 * L, c, c0, ldc);
    }

    /** Four rows, two vectors of columns: eight independent fma chains, for the last four rows. */
    private static void two4(int k, float[] a, int a0, int rs, float[] panel,
                             float[] c, int c0, int ldc, int n, boolean acc, float[] tile) {
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        FloatVector x00 = FloatVector.zero(F), x01 = x00, x10 = x00, x11 = x00, x20 = x00;
        FloatVector x21 = x00, x30 = x00, x31 = x00;
        if (acc) {
            stage(4, n, c, c0, ldc, tile, 2 * L);
            x00 = FloatVector.fromArray(F, tile, 0);
            x01 = FloatVector.fromArray(F, tile, L);
            x10 = FloatVector.fromArray(F, tile, 2 * L);
            x11 = FloatVector.fromArray(F, tile, 3 * L);
            x20 = FloatVector.fromArray(F, tile, 4 * L);
            x21 = FloatVector.fromArray(F, tile, 5 * L);
            x30 = FloatVector.fromArray(F, tile, 6 * L);
            x31 = FloatVector.fromArray(F, tile, 7 * L);
        }
        for (int p = 0; p < k; p++) {
            FloatVector w0 = FloatVector.fromArray(F, panel, p * (2 * L));
            FloatVector w1 = FloatVector.fromArray(F, panel, p * (2 * L) + L);
            FloatVector s0 = FloatVector.broadcast(F, a[a0 + p]);
            x00 = w0.fma(s0, x00);
            x01 = w1.fma(s0, x01);
            FloatVector s1 = FloatVector.broadcast(F, a[a1 + p]);
            x10 = w0.fma(s1, x10);
            x11 = w1.fma(s1, x11);
            FloatVector s2 = FloatVector.broadcast(F, a[a2 + p]);
            x20 = w0.fma(s2, x20);
            x21 = w1.fma(s2, x21);
            FloatVector s3 = FloatVector.broadcast(F, a[a3 + p]);
            x30 = w0.fma(s3, x30);
            x31 = w1.fma(s3, x31);
        }
        x00.intoArray(tile, 0);
        x01.intoArray(tile, L);
        x10.intoArray(tile, 2 * L);
        x11.intoArray(tile, 3 * L);
        x20.intoArray(tile, 4 * L);
        x21.intoArray(tile, 5 * L);
        x30.intoArray(tile, 6 * L);
        x31.intoArray(tile, 7 * L);
        unstage(4, n, tile, 2 * L, c, c0, ldc);
    }

    /** One leftover row, one or two vectors of columns. */
    private static void row(int k, float[] a, int a0, float[] panel, int width,
                            float[] c, int c0, int n, boolean acc, float[] tile) {
        FloatVector x0 = FloatVector.zero(F), x1 = x0;
        if (acc) {
            stage(1, n, c, c0, 0, tile, width);
            x0 = FloatVector.fromArray(F, tile, 0);
            if (width > L) {
                x1 = FloatVector.fromArray(F, tile, L);
            }
        }
        if (width > L) {
            for (int p = 0; p < k; p++) {
                FloatVector s = FloatVector.broadcast(F, a[a0 + p]);
                x0 = FloatVector.fromArray(F, panel, p * (2 * L)).fma(s, x0);
                x1 = FloatVector.fromArray(F, panel, p * (2 * L) + L).fma(s, x1);
            }
        } else {
            for (int p = 0; p < k; p++) {
                x0 = FloatVector.fromArray(F, panel, p * L).fma(FloatVector.broadcast(F, a[a0 + p]), x0);
            }
        }
        x0.intoArray(tile, 0);
        if (width > L) {
            x1.intoArray(tile, L);
        }
        unstage(1, n, tile, width, c, c0, 0);
    }
}
