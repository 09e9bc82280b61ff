package dev.lanes.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
        float[] spill = scratch.tmp;
        pack(n, k, b, bOff, ldb, panel, width);
        int i = 0;
        if (width == L) {
            for (; i + 4 <= m; i += 4) {
                one4(k, a, aOff + i * lda, lda, panel, c, cOff + i * ldc, ldc, n, accumulate, spill);
            }
        } else {
            for (; i + 4 <= m; i += 4) {
                two4(k, a, aOff + i * lda, lda, panel, c, cOff + i * ldc, ldc, n, accumulate, spill);
            }
        }
        for (; i < m; i++) {
            row(k, a, aOff + i * lda, panel, width, c, cOff + i * ldc, n, accumulate, spill);
        }
    }

    /** Copies {@code B[k×n]} into {@code panel[k×width]}, zero beyond column {@code n}. */
    private static void pack(int n, int k, float[] b, int bOff, int ldb, float[] panel, int width) {
        // Whole-vector reads of each row, with the lanes past n masked to zero: one load, blend and
        // store per vector instead of a copy call and a fill loop per row. Rows whose vectors would
        // read past the end of b are copied one float at a time.
        VectorMask<Float> keep0 = F.indexInRange(0, n);
        VectorMask<Float> keep1 = F.indexInRange(L, n);
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

    /** Four rows, one vector of columns: four independent fma chains. */
    private static void one4(int k, float[] a, int a0, int rs, float[] panel,
                             float[] c, int c0, int ldc, int n, boolean acc, float[] spill) {
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        FloatVector x0 = start(c, c0, n, acc, spill);
        FloatVector x1 = start(c, c0 + ldc, n, acc, spill);
        FloatVector x2 = start(c, c0 + 2 * ldc, n, acc, spill);
        FloatVector x3 = start(c, c0 + 3 * ldc, n, acc, spill);
        for (int p = 0; p < k; p++) {
            FloatVector w = FloatVector.fromArray(F, panel, p * L);
            x0 = w.fma(FloatVector.broadcast(F, a[a0 + p]), x0);
            x1 = w.fma(FloatVector.broadcast(F, a[a1 + p]), x1);
            x2 = w.fma(FloatVector.broadcast(F, a[a2 + p]), x2);
            x3 = w.fma(FloatVector.broadcast(F, a[a3 + p]), x3);
        }
        finish(x0, c, c0, n, spill);
        finish(x1, c, c0 + ldc, n, spill);
        finish(x2, c, c0 + 2 * ldc, n, spill);
        finish(x3, c, c0 + 3 * ldc, n, spill);
    }

    /** Four rows, two vectors of columns: eight independent fma chains, enough to hide fma latency. */
    private static void two4(int k, float[] a, int a0, int rs, float[] panel,
                             float[] c, int c0, int ldc, int n, boolean acc, float[] spill) {
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int n2 = n - L;
        FloatVector x00 = start(c, c0, L, acc, spill);
        FloatVector x01 = start(c, c0 + L, n2, acc, spill);
        FloatVector x10 = start(c, c1, L, acc, spill);
        FloatVector x11 = start(c, c1 + L, n2, acc, spill);
        FloatVector x20 = start(c, c2, L, acc, spill);
        FloatVector x21 = start(c, c2 + L, n2, acc, spill);
        FloatVector x30 = start(c, c3, L, acc, spill);
        FloatVector x31 = start(c, c3 + L, n2, acc, spill);
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
        finish(x00, c, c0, L, spill);
        finish(x01, c, c0 + L, n2, spill);
        finish(x10, c, c1, L, spill);
        finish(x11, c, c1 + L, n2, spill);
        finish(x20, c, c2, L, spill);
        finish(x21, c, c2 + L, n2, spill);
        finish(x30, c, c3, L, spill);
        finish(x31, c, c3 + L, n2, spill);
    }

    /** One leftover row, any width up to two vectors. */
    private static void row(int k, float[] a, int a0, float[] panel, int width,
                            float[] c, int c0, int n, boolean acc, float[] spill) {
        for (int v = 0; v < width; v += L) {
            int valid = Math.min(L, n - v);
            FloatVector x = start(c, c0 + v, valid, acc, spill);
            for (int p = 0, bp = v; p < k; p++, bp += width) {
                x = FloatVector.fromArray(F, panel, bp).fma(FloatVector.broadcast(F, a[a0 + p]), x);
            }
            finish(x, c, c0 + v, valid, spill);
        }
    }

    /** The starting accumulator for {@code valid} columns at {@code c[i..]}: C itself, or zero. */
    private static FloatVector start(float[] c, int i, int valid, boolean acc, float[] spill) {
        if (!acc) {
            return FloatVector.zero(F);
        }
        if (valid == L) {
            return FloatVector.fromArray(F, c, i);
        }
        for (int t = 0; t < L; t++) {
            spill[t] = t < valid ? c[i + t] : 0f;
        }
        return FloatVector.fromArray(F, spill, 0);
    }

    /** Stores the first {@code valid} lanes at {@code c[i..]}, never past them. */
    private static void finish(FloatVector x, float[] c, int i, int valid, float[] spill) {
        if (valid == L) {
            x.intoArray(c, i);
            return;
        }
        x.intoArray(spill, 0);
        System.arraycopy(spill, 0, c, i, valid);
    }
}
