package dev.lanes.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked GEMM micro-kernel: a tile of {@code rows × NR} results of {@code C} lives in vector
 * registers while {@code kc} rank-one updates stream through it.
 *
 * <p>It computes, for each row {@code r} and column {@code j < nv} of its tile,
 * <pre>   c[r][j] = fma(A(r, kc−1), B(kc−1, j), … fma(A(r, 0), B(0, j), start) …)</pre>
 * with {@code start} the current {@code c[r][j]} when {@code load}, else {@code +0}. That is exactly the
 * fused-multiply-add chain, in increasing {@code p}, of the scalar reference, so the results are equal
 * to it bit for bit and cannot depend on the JIT. Columns {@code nv} and beyond are computed in spare
 * lanes (from zero padding or from whatever follows the row of {@code B}) and never written: lanes do
 * not interact, so their contents cannot reach the stored ones.
 *
 * <p>Its parameters:
 * <ul>
 *   <li>{@code A(r, p) = a[a0 + r·rs + p·ks]}: {@code rs = lda, ks = 1} for a row-major {@code A},
 *       {@code rs = 1, ks = lda} when the caller multiplies by {@code Aᵀ};</li>
 *   <li>{@code B(p, j) = b[b0 + p·bs + j]} for {@code j < NR}: {@code NR} readable floats per step,
 *       either a packed panel ({@code bs = NR}) or rows of the caller's matrix ({@code bs = ldb});</li>
 *   <li>{@code c[r][j] = c[c0 + r·ldc + j]}, of which only {@code j < min(nv, NR)} is read or written;</li>
 *   <li>{@code tmp}: at least {@code L} floats of per-thread scratch for partial rows of {@code C}.</li>
 * </ul>
 * Two vectors of {@code L} lanes per row and six rows make twelve accumulators, two {@code B} vectors
 * and a broadcast: fifteen of the sixteen AVX2 registers, with twelve independent FMA chains, more than
 * the eight needed to cover the FMA latency on two pipes.
 *
 * <p>There is deliberately one kernel, for every tile height, and callers keep each call to at most a
 * few hundred steps: until C2 compiles it, Vector API code runs as slow allocating Java, and C2 compiles
 * a method once it has been called a few hundred times. Separate kernels for the last rows of {@code C}
 * would each wait for their own few hundred calls (one per multiply), and long calls would make the
 * count grow slowly.
 */
final class GemmMicroKernels {

    static final VectorSpecies<Float> F = VectorKernels.F;
    /** Float lanes per vector. */
    static final int L = F.length();
    private static final Class<? extends Vector<Float>> VECTOR_CLASS = F.vectorType();
    /** Columns per tile (and per packed panel of {@code B}). */
    static final int NR = 2 * L;
    /** Rows of a tile. */
    static final int MR = 6;

    private GemmMicroKernels() {
    }

    /**
     * One tile of {@code rows ≤ 6} rows × {@link #NR} columns; see the class comment for the parameters.
     * Missing rows ({@code r ≥ rows}) are computed on a copy of row 0 and never stored, so one compiled
     * kernel serves every tile height.
     */
    static void tile(int rows, int kc, float[] a, int a0, int rs, int ks, float[] b, int b0, int bs,
                     float[] c, int c0, int ldc, int nv, boolean load, float[] tmp) {
        int a1 = rows > 1 ? a0 + 1 * rs : a0;
        int a2 = rows > 2 ? a0 + 2 * rs : a0;
        int a3 = rows > 3 ? a0 + 3 * rs : a0;
        int a4 = rows > 4 ? a0 + 4 * rs : a0;
        int a5 = rows > 5 ? a0 + 5 * rs : a0;
        int c1 = rows > 1 ? c0 + 1 * ldc : c0;
        int c2 = rows > 2 ? c0 + 2 * ldc : c0;
        int c3 = rows > 3 ? c0 + 3 * ldc : c0;
        int c4 = rows > 4 ? c0 + 4 * ldc : c0;
        int c5 = rows > 5 ? c0 + 5 * ldc : c0;
        int nv1 = nv - L;
        FloatVector x00, x01, x10, x11, x20, x21, x30, x31, x40, x41, x50, x51;
        if (load) {
            x00 = FloatVector.fromArray(F, from(c, c0, nv, tmp), at(c0, nv));
            x01 = FloatVector.fromArray(F, from(c, c0 + L, nv1, tmp), at(c0 + L, nv1));
            x10 = FloatVector.fromArray(F, from(c, c1, nv, tmp), at(c1, nv));
            x11 = FloatVector.fromArray(F, from(c, c1 + L, nv1, tmp), at(c1 + L, nv1));
            x20 = FloatVector.fromArray(F, from(c, c2, nv, tmp), at(c2, nv));
            x21 = FloatVector.fromArray(F, from(c, c2 + L, nv1, tmp), at(c2 + L, nv1));
            x30 = FloatVector.fromArray(F, from(c, c3, nv, tmp), at(c3, nv));
            x31 = FloatVector.fromArray(F, from(c, c3 + L, nv1, tmp), at(c3 + L, nv1));
            x40 = FloatVector.fromArray(F, from(c, c4, nv, tmp), at(c4, nv));
            x41 = FloatVector.fromArray(F, from(c, c4 + L, nv1, tmp), at(c4 + L, nv1));
            x50 = FloatVector.fromArray(F, from(c, c5, nv, tmp), at(c5, nv));
            x51 = FloatVector.fromArray(F, from(c, c5 + L, nv1, tmp), at(c5 + L, nv1));
        } else {
            x00 = FloatVector.zero(F);
            x01 = FloatVector.zero(F);
            x10 = FloatVector.zero(F);
            x11 = FloatVector.zero(F);
            x20 = FloatVector.zero(F);
            x21 = FloatVector.zero(F);
            x30 = FloatVector.zero(F);
            x31 = FloatVector.zero(F);
            x40 = FloatVector.zero(F);
            x41 = FloatVector.zero(F);
            x50 = FloatVector.zero(F);
            x51 = FloatVector.zero(F);
        }
        for (int p = 0, ap = 0, bp = b0; p < kc; p++, ap += ks, bp += bs) {
            x00 = exact(x00);
            x01 = exact(x01);
            x10 = exact(x10);
            x11 = exact(x11);
            x20 = exact(x20);
            x21 = exact(x21);
            x30 = exact(x30);
            x31 = exact(x31);
            x40 = exact(x40);
            x41 = exact(x41);
            x50 = exact(x50);
            x51 = exact(x51);
            FloatVector w0 = FloatVector.fromArray(F, b, bp);
            FloatVector w1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector s0 = FloatVector.broadcast(F, a[a0 + ap]);
            x00 = w0.fma(s0, x00);
            x01 = w1.fma(s0, x01);
            FloatVector s1 = FloatVector.broadcast(F, a[a1 + ap]);
            x10 = w0.fma(s1, x10);
            x11 = w1.fma(s1, x11);
            FloatVector s2 = FloatVector.broadcast(F, a[a2 + ap]);
            x20 = w0.fma(s2, x20);
            x21 = w1.fma(s2, x21);
            FloatVector s3 = FloatVector.broadcast(F, a[a3 + ap]);
            x30 = w0.fma(s3, x30);
            x31 = w1.fma(s3, x31);
            FloatVector s4 = FloatVector.broadcast(F, a[a4 + ap]);
            x40 = w0.fma(s4, x40);
            x41 = w1.fma(s4, x41);
            FloatVector s5 = FloatVector.broadcast(F, a[a5 + ap]);
            x50 = w0.fma(s5, x50);
            x51 = w1.fma(s5, x51);
        }
        x00.intoArray(to(c, nv, tmp), at(c0, nv));
        flush(tmp, c, c0, nv);
        x01.intoArray(to(c, nv1, tmp), at(c0 + L, nv1));
        flush(tmp, c, c0 + L, nv1);
        if (rows > 1) {
            x10.intoArray(to(c, nv, tmp), at(c1, nv));
            flush(tmp, c, c1, nv);
            x11.intoArray(to(c, nv1, tmp), at(c1 + L, nv1));
            flush(tmp, c, c1 + L, nv1);
        }
        if (rows > 2) {
            x20.intoArray(to(c, nv, tmp), at(c2, nv));
            flush(tmp, c, c2, nv);
            x21.intoArray(to(c, nv1, tmp), at(c2 + L, nv1));
            flush(tmp, c, c2 + L, nv1);
        }
        if (rows > 3) {
            x30.intoArray(to(c, nv, tmp), at(c3, nv));
            flush(tmp, c, c3, nv);
            x31.intoArray(to(c, nv1, tmp), at(c3 + L, nv1));
            flush(tmp, c, c3 + L, nv1);
        }
        if (rows > 4) {
            x40.intoArray(to(c, nv, tmp), at(c4, nv));
            flush(tmp, c, c4, nv);
            x41.intoArray(to(c, nv1, tmp), at(c4 + L, nv1));
            flush(tmp, c, c4 + L, nv1);
        }
        if (rows > 5) {
            x50.intoArray(to(c, nv, tmp), at(c5, nv));
            flush(tmp, c, c5, nv);
            x51.intoArray(to(c, nv1, tmp), at(c5 + L, nv1));
            flush(tmp, c, c5 + L, nv1);
        }
    }

    /**
     * Casts an accumulator to the exact vector class of {@link #F}. Free in normally compiled code;
     * in an on-stack-replacement compilation (JDK 17's C2 entering the {@code p} loop of a long first
     * call) the loop-carried accumulators arrive typed as the abstract {@code FloatVector}, and without
     * this cast every vector operation in the loop falls back to allocating Java code.
     */
    private static FloatVector exact(FloatVector v) {
        return (FloatVector) VECTOR_CLASS.cast(v);
    }

    // Partial rows of C go through tmp. These helpers take and return no vectors, so a call C2
    // declines to inline never boxes an accumulator.

    /** @return the array to load a row segment of {@code valid} floats from: {@code c} itself if a full vector fits */
    private static float[] from(float[] c, int i, int valid, float[] tmp) {
        if (valid >= L) {
            return c;
        }
        for (int t = 0; t < L; t++) {
            tmp[t] = t < valid ? c[i + t] : 0f;
        }
        return tmp;
    }

    /** @return the array a row segment of {@code valid} floats is stored to: {@code c} itself if a full vector fits */
    private static float[] to(float[] c, int valid, float[] tmp) {
        return valid >= L ? c : tmp;
    }

    /** @return the index matching {@link #from} and {@link #to}: {@code i} in {@code c}, or 0 in {@code tmp} */
    private static int at(int i, int valid) {
        return valid >= L ? i : 0;
    }

    /** After a store to {@link #to}: copies a partial segment's {@code valid} floats from {@code tmp} into {@code c}. */
    private static void flush(float[] tmp, float[] c, int i, int valid) {
        if (valid < L) {
            for (int t = 0; t < valid; t++) {
                c[i + t] = tmp[t];
            }
        }
    }
}
