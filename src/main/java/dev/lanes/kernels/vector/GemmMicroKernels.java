package dev.lanes.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked GEMM micro-kernel on packed panels: a {@code MR × NR} tile of {@code C} lives in
 * vector registers while {@code kc} rank-one updates stream through it.
 *
 * <p>Both operands arrive packed by {@link VectorGemm}, BLIS style: the {@code A} micro-panel holds, for
 * each step {@code p}, the {@code MR} values {@code A(0..MR−1, p)} one after the other, and the {@code B}
 * micro-panel the {@code NR} values {@code B(p, 0..NR−1)}. Both are read with constant strides from a
 * single induction variable, so the loop carries no index arithmetic of its own and C2 hoists every
 * bounds check out of it. Edges are the packer's business (zero padding), so there is one kernel for
 * every tile.
 *
 * <p>It computes {@code c[r][j] = fma(A(r, kc−1), B(kc−1, j), … fma(A(r, 0), B(0, j), start) …)} with
 * {@code start} the current {@code c[r][j]} when {@code load}, else {@code +0}: exactly the
 * fused-multiply-add chain, in increasing {@code p}, of the scalar reference, so the results are equal
 * to it bit for bit and cannot depend on the JIT.
 *
 * <p>Two vectors of {@code L} lanes per row and five rows make ten accumulators, two {@code B} vectors
 * and the broadcasts C2 schedules ahead: within the sixteen AVX2 registers, with ten independent FMA
 * chains, more than the eight needed to cover the FMA latency on two pipes. Six rows (twelve
 * accumulators) leave no register for a third broadcast in flight: JDK 25's C2 then spills one
 * accumulator to the stack inside the loop, putting a store and a reload on its FMA chain, and ran
 * at 35 GFLOPS against 79 with five rows (256×784·784×256 on Zen 3; JDK 17 went from 70 to 79).
 * Four rows (eight accumulators) leave room to unroll the loop by two, which JDK 17's C2 compiles
 * well and JDK 25's does not ({@link #KERNEL} picks one).
 */
final class GemmMicroKernels {

    static final VectorSpecies<Float> F = VectorKernels.F;
    /** Float lanes per vector. */
    static final int L = F.length();
    private static final Class<? extends Vector<Float>> VECTOR_CLASS = F.vectorType();
    /** Columns per tile (and per packed panel of {@code B}). */
    static final int NR = 2 * L;
    /** Rows of {@link #tile} and {@link #tileStrided} (and per packed panel of {@code A} for them). */
    static final int MR = 5;
    /** Rows of {@link #tile4} and {@link #tile4x2}. */
    static final int MR4 = 4;

    /** A tile kernel of the blocked driver: {@link #tile4}, four rows. */
    static final int FOUR = 0;
    /** A tile kernel of the blocked driver: {@link #tile4x2}, four rows, two steps an iteration. */
    static final int FOUR_BY_TWO = 1;
    /**
     * The kernel of the blocked driver's ordinary products for the JDK running: {@link #FOUR_BY_TWO}
     * before JDK 25, {@link #FOUR} from 25 on (results computed through their transpose, the narrow
     * weight gradients, use the five-row tiles). The kernels compute the same fma chains, so the choice
     * changes no result, only the speed. Kernel-only loops of the three tiles alternated in one JVM (panels
     * of 196 steps, Zen 3), GFLOPS: JDK 17 five rows 60–64, four 53–56, four by two 66–72; JDK 25 five
     * 59–61, four 65–66 (its C2 drops the {@code B} loads' bounds checks there: 17 instructions for 8
     * fmas), four by two 39–40
     * (it schedules all eight broadcasts of the body first and spills an accumulator and a broadcast).
     */
    static final int KERNEL = Runtime.version().feature() >= 25 ? FOUR : FOUR_BY_TWO;

    private GemmMicroKernels() {
    }

    /** One four-row tile with {@code kernel}: {@link #tile4x2} or {@link #tile4}. */
    static void tile4(int kernel, int kc, float[] a, int a0, float[] b, int b0, float[] c, int c0, int ldc, boolean load) {
        if (kernel == FOUR_BY_TWO) {
            tile4x2(kc, a, a0, b, b0, c, c0, ldc, load);
        } else {
            tile4(kc, a, a0, b, b0, c, c0, ldc, load);
        }
    }

    /**
     * One full {@code MR × NR} tile: {@code C[c0 + r·ldc + j] (+)= Σ_p a[a0 + p·MR + r] · b[b0 + p·NR + j]}.
     *
     * @param kc   the steps
     * @param a    packed {@code A}: {@code kc × MR} floats from {@code a0}
     * @param b    packed {@code B}: {@code kc × NR} floats from {@code b0}
     * @param c    the result tile's array, with {@code MR} rows of {@code NR} floats from {@code c0}
     * @param load whether to start from {@code C} (else from zero)
     */
    static void tile(int kc, float[] a, int a0, float[] b, int b0, float[] c, int c0, int ldc, boolean load) {
        FloatVector x00, x01, x10, x11, x20, x21, x30, x31, x40, x41;
        if (load) {
            int ci = c0;
            x00 = FloatVector.fromArray(F, c, ci);
            x01 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x10 = FloatVector.fromArray(F, c, ci);
            x11 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x20 = FloatVector.fromArray(F, c, ci);
            x21 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x30 = FloatVector.fromArray(F, c, ci);
            x31 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x40 = FloatVector.fromArray(F, c, ci);
            x41 = FloatVector.fromArray(F, c, ci + L);
        } else {
            x00 = FloatVector.zero(F);
            x01 = x00;
            x10 = x00;
            x11 = x00;
            x20 = x00;
            x21 = x00;
            x30 = x00;
            x31 = x00;
            x40 = x00;
            x41 = x00;
        }
        for (int ap = a0, bp = b0, end = a0 + kc * MR; ap < end; ap += MR, bp += NR) {
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
            FloatVector w0 = FloatVector.fromArray(F, b, bp);
            FloatVector w1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector s = FloatVector.broadcast(F, a[ap]);
            x00 = w0.fma(s, x00);
            x01 = w1.fma(s, x01);
            s = FloatVector.broadcast(F, a[ap + 1]);
            x10 = w0.fma(s, x10);
            x11 = w1.fma(s, x11);
            s = FloatVector.broadcast(F, a[ap + 2]);
            x20 = w0.fma(s, x20);
            x21 = w1.fma(s, x21);
            s = FloatVector.broadcast(F, a[ap + 3]);
            x30 = w0.fma(s, x30);
            x31 = w1.fma(s, x31);
            s = FloatVector.broadcast(F, a[ap + 4]);
            x40 = w0.fma(s, x40);
            x41 = w1.fma(s, x41);
        }
        int ci = c0;
        x00.intoArray(c, ci);
        x01.intoArray(c, ci + L);
        ci += ldc;
        x10.intoArray(c, ci);
        x11.intoArray(c, ci + L);
        ci += ldc;
        x20.intoArray(c, ci);
        x21.intoArray(c, ci + L);
        ci += ldc;
        x30.intoArray(c, ci);
        x31.intoArray(c, ci + L);
        ci += ldc;
        x40.intoArray(c, ci);
        x41.intoArray(c, ci + L);
    }

    /** As {@link #tile}, for a tile of {@link #MR4} rows: {@code a} packed four floats a step, eight accumulators. */
    static void tile4(int kc, float[] a, int a0, float[] b, int b0, float[] c, int c0, int ldc, boolean load) {
        FloatVector x00, x01, x10, x11, x20, x21, x30, x31;
        if (load) {
            int ci = c0;
            x00 = FloatVector.fromArray(F, c, ci);
            x01 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x10 = FloatVector.fromArray(F, c, ci);
            x11 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x20 = FloatVector.fromArray(F, c, ci);
            x21 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x30 = FloatVector.fromArray(F, c, ci);
            x31 = FloatVector.fromArray(F, c, ci + L);
        } else {
            x00 = FloatVector.zero(F);
            x01 = x00;
            x10 = x00;
            x11 = x00;
            x20 = x00;
            x21 = x00;
            x30 = x00;
            x31 = x00;
        }
        for (int ap = a0, bp = b0, end = a0 + kc * MR4; ap < end; ap += MR4, bp += NR) {
            x00 = exact(x00);
            x01 = exact(x01);
            x10 = exact(x10);
            x11 = exact(x11);
            x20 = exact(x20);
            x21 = exact(x21);
            x30 = exact(x30);
            x31 = exact(x31);
            FloatVector w0 = FloatVector.fromArray(F, b, bp);
            FloatVector w1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector s = FloatVector.broadcast(F, a[ap]);
            x00 = w0.fma(s, x00);
            x01 = w1.fma(s, x01);
            s = FloatVector.broadcast(F, a[ap + 1]);
            x10 = w0.fma(s, x10);
            x11 = w1.fma(s, x11);
            s = FloatVector.broadcast(F, a[ap + 2]);
            x20 = w0.fma(s, x20);
            x21 = w1.fma(s, x21);
            s = FloatVector.broadcast(F, a[ap + 3]);
            x30 = w0.fma(s, x30);
            x31 = w1.fma(s, x31);
        }
        int ci = c0;
        x00.intoArray(c, ci);
        x01.intoArray(c, ci + L);
        ci += ldc;
        x10.intoArray(c, ci);
        x11.intoArray(c, ci + L);
        ci += ldc;
        x20.intoArray(c, ci);
        x21.intoArray(c, ci + L);
        ci += ldc;
        x30.intoArray(c, ci);
        x31.intoArray(c, ci + L);
    }

    /**
     * As {@link #tile4}, two steps an iteration: one loop test and index update per two steps, 2.4
     * instructions per fma instead of 2.9 for {@link #tile} (JDK 17's {@code -XX:+PrintAssembly}: 39
     * for 16 fmas, no spill). Unrolled by four, JDK 17's C2 spills too (0.58–0.74× this one).
     */
    static void tile4x2(int kc, float[] a, int a0, float[] b, int b0, float[] c, int c0, int ldc, boolean load) {
        FloatVector x00, x01, x10, x11, x20, x21, x30, x31;
        if (load) {
            int ci = c0;
            x00 = FloatVector.fromArray(F, c, ci);
            x01 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x10 = FloatVector.fromArray(F, c, ci);
            x11 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x20 = FloatVector.fromArray(F, c, ci);
            x21 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x30 = FloatVector.fromArray(F, c, ci);
            x31 = FloatVector.fromArray(F, c, ci + L);
        } else {
            x00 = FloatVector.zero(F);
            x01 = x00;
            x10 = x00;
            x11 = x00;
            x20 = x00;
            x21 = x00;
            x30 = x00;
            x31 = x00;
        }
        int ap = a0;
        int bp = b0;
        for (int end = a0 + (kc & ~1) * MR4; ap < end; ap += 2 * MR4, bp += 2 * NR) {
            x00 = exact(x00);
            x01 = exact(x01);
            x10 = exact(x10);
            x11 = exact(x11);
            x20 = exact(x20);
            x21 = exact(x21);
            x30 = exact(x30);
            x31 = exact(x31);
            FloatVector w0 = FloatVector.fromArray(F, b, bp);
            FloatVector w1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector s = FloatVector.broadcast(F, a[ap]);
            x00 = w0.fma(s, x00);
            x01 = w1.fma(s, x01);
            s = FloatVector.broadcast(F, a[ap + 1]);
            x10 = w0.fma(s, x10);
            x11 = w1.fma(s, x11);
            s = FloatVector.broadcast(F, a[ap + 2]);
            x20 = w0.fma(s, x20);
            x21 = w1.fma(s, x21);
            s = FloatVector.broadcast(F, a[ap + 3]);
            x30 = w0.fma(s, x30);
            x31 = w1.fma(s, x31);
            w0 = FloatVector.fromArray(F, b, bp + NR);
            w1 = FloatVector.fromArray(F, b, bp + NR + L);
            s = FloatVector.broadcast(F, a[ap + 4]);
            x00 = w0.fma(s, x00);
            x01 = w1.fma(s, x01);
            s = FloatVector.broadcast(F, a[ap + 5]);
            x10 = w0.fma(s, x10);
            x11 = w1.fma(s, x11);
            s = FloatVector.broadcast(F, a[ap + 6]);
            x20 = w0.fma(s, x20);
            x21 = w1.fma(s, x21);
            s = FloatVector.broadcast(F, a[ap + 7]);
            x30 = w0.fma(s, x30);
            x31 = w1.fma(s, x31);
        }
        if ((kc & 1) != 0) {
            FloatVector w0 = FloatVector.fromArray(F, b, bp);
            FloatVector w1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector s = FloatVector.broadcast(F, a[ap]);
            x00 = w0.fma(s, x00);
            x01 = w1.fma(s, x01);
            s = FloatVector.broadcast(F, a[ap + 1]);
            x10 = w0.fma(s, x10);
            x11 = w1.fma(s, x11);
            s = FloatVector.broadcast(F, a[ap + 2]);
            x20 = w0.fma(s, x20);
            x21 = w1.fma(s, x21);
            s = FloatVector.broadcast(F, a[ap + 3]);
            x30 = w0.fma(s, x30);
            x31 = w1.fma(s, x31);
        }
        int ci = c0;
        x00.intoArray(c, ci);
        x01.intoArray(c, ci + L);
        ci += ldc;
        x10.intoArray(c, ci);
        x11.intoArray(c, ci + L);
        ci += ldc;
        x20.intoArray(c, ci);
        x21.intoArray(c, ci + L);
        ci += ldc;
        x30.intoArray(c, ci);
        x31.intoArray(c, ci + L);
    }

    /**
     * As {@link #tile}, with {@code B} read in place: row {@code p} of the tile's {@code B} is the
     * {@code NR} floats at {@code b[b0 + p·bs]}. For short {@code k} (a batch) and a long {@code n}, where
     * packing {@code B} would copy more floats than the kernel multiplies. A copy of {@link #tile} rather
     * than {@code tile} calling it with {@code bs = NR}: with the stride a parameter the large products
     * ran at 53–67 GFLOPS against 77–79 (JDK 17, Zen 3), so the packed kernel keeps its constant stride.
     */
    static void tileStrided(int kc, float[] a, int a0, float[] b, int b0, int bs, float[] c, int c0, int ldc, boolean load) {
        FloatVector x00, x01, x10, x11, x20, x21, x30, x31, x40, x41;
        if (load) {
            int ci = c0;
            x00 = FloatVector.fromArray(F, c, ci);
            x01 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x10 = FloatVector.fromArray(F, c, ci);
            x11 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x20 = FloatVector.fromArray(F, c, ci);
            x21 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x30 = FloatVector.fromArray(F, c, ci);
            x31 = FloatVector.fromArray(F, c, ci + L);
            ci += ldc;
            x40 = FloatVector.fromArray(F, c, ci);
            x41 = FloatVector.fromArray(F, c, ci + L);
        } else {
            x00 = FloatVector.zero(F);
            x01 = x00;
            x10 = x00;
            x11 = x00;
            x20 = x00;
            x21 = x00;
            x30 = x00;
            x31 = x00;
            x40 = x00;
            x41 = x00;
        }
        for (int ap = a0, bp = b0, end = a0 + kc * MR; ap < end; ap += MR, bp += bs) {
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
            FloatVector w0 = FloatVector.fromArray(F, b, bp);
            FloatVector w1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector s = FloatVector.broadcast(F, a[ap]);
            x00 = w0.fma(s, x00);
            x01 = w1.fma(s, x01);
            s = FloatVector.broadcast(F, a[ap + 1]);
            x10 = w0.fma(s, x10);
            x11 = w1.fma(s, x11);
            s = FloatVector.broadcast(F, a[ap + 2]);
            x20 = w0.fma(s, x20);
            x21 = w1.fma(s, x21);
            s = FloatVector.broadcast(F, a[ap + 3]);
            x30 = w0.fma(s, x30);
            x31 = w1.fma(s, x31);
            s = FloatVector.broadcast(F, a[ap + 4]);
            x40 = w0.fma(s, x40);
            x41 = w1.fma(s, x41);
        }
        int ci = c0;
        x00.intoArray(c, ci);
        x01.intoArray(c, ci + L);
        ci += ldc;
        x10.intoArray(c, ci);
        x11.intoArray(c, ci + L);
        ci += ldc;
        x20.intoArray(c, ci);
        x21.intoArray(c, ci + L);
        ci += ldc;
        x30.intoArray(c, ci);
        x31.intoArray(c, ci + L);
        ci += ldc;
        x40.intoArray(c, ci);
        x41.intoArray(c, ci + L);
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
}
