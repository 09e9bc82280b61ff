package dev.lanes.kernels.vector;

import static dev.lanes.kernels.vector.GemmMicroKernels.F;
import static dev.lanes.kernels.vector.GemmMicroKernels.L;
import static dev.lanes.kernels.vector.GemmMicroKernels.MR;
import static dev.lanes.kernels.vector.GemmMicroKernels.NR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix multiplies on the Vector API, in the three forms backprop needs.
 *
 * <p>All three reduce to one driver around the register-blocked micro-kernels of
 * {@link GemmMicroKernels}: {@code A} is read in place through a row stride and a {@code k} stride
 * (so {@code Aᵀ} costs nothing), and {@code B} reaches the kernels packed as rows of {@code NR} floats.
 * Results at most {@code NR} wide from {@code A·B} and {@code Aᵀ·B} (the ten classes of a digit
 * classifier, the seed network's ten hidden units) go to {@link GemmSkinny} instead.
 * <ul>
 *   <li>Wide {@code B} is packed, per block of at most {@link #KC} rows and {@link #NC} columns, into
 *       contiguous {@code NR}-wide panels that stay in the L1/L2 caches while every row of {@code A}
 *       streams past them.</li>
 *   <li>{@code Bᵀ} (input gradients) is always packed: the packing is the transposition.</li>
 * </ul>
 *
 * <p>Determinism and accuracy: every element of {@code C} is one chain of fused multiply-adds in
 * increasing {@code k}, started from {@code +0} or from {@code C} itself when accumulating; blocking
 * over {@code k} stores the partial chain to {@code C} and reloads it, which changes no bit. The results
 * are therefore bitwise equal to {@link dev.lanes.kernels.ScalarKernels}, whatever the JIT state,
 * thread or vector width, and share its error bound: {@code |C − exact| ≤ γ_k·Σ_p|a_p·b_p|} with
 * {@code γ_k = k·u/(1 − k·u)}, {@code u = 2⁻²⁴} (plus {@code |C₀|} in the sum when accumulating).
 *
 * <p>Scratch space is per thread ({@link GemmScratch}); in steady state a call does not allocate.
 */
final class VectorGemm {

    /**
     * Rows of {@code B} per packed block, and steps per kernel call: a {@code KC × NR} panel (16 KiB at
     * 8 lanes) sits in L1.
     */
    static final int KC = 256;
    /** Columns of {@code B} per packed block: {@code KC × NC} floats (256 KiB) sit in L2. */
    static final int NC = 256;

    private VectorGemm() {
    }

    static void matmul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        if (GemmSkinny.fits(n)) {
            GemmSkinny.multiply(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        gemm(m, n, k, a, aOff, lda, 1, b, bOff, ldb, false, c, cOff, ldc, accumulate);
    }

    static void matmulTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(m, n, k, a, aOff, lda, 1, b, bOff, ldb, true, c, cOff, ldc, accumulate);
    }

    static void matmulTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (GemmSkinny.fits(n)) {
            GemmSkinny.multiply(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        gemm(m, n, k, a, aOff, 1, lda, b, bOff, ldb, false, c, cOff, ldc, accumulate);
    }

    /** {@code C (+)= A·B} with {@code A(i, p) = a[aOff + i·rs + p·ks]} and {@code B} or {@code Bᵀ} row-major. */
    private static void gemm(int m, int n, int k, float[] a, int aOff, int rs, int ks,
                             float[] b, int bOff, int ldb, boolean transB,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                zero(m, n, c, cOff, ldc);
            }
            return;
        }
        blocked(m, n, k, a, aOff, rs, ks, b, bOff, ldb, transB, c, cOff, ldc, accumulate, GemmScratch.get());
    }

    /** General shapes: {@code B} packed block by block into {@code NR}-wide panels. */
    private static void blocked(int m, int n, int k, float[] a, int aOff, int rs, int ks,
                                float[] b, int bOff, int ldb, boolean transB,
                                float[] c, int cOff, int ldc, boolean accumulate, GemmScratch scratch) {
        int kc = blockSize(k);
        int ncMax = Math.min(n, NC);
        float[] packed = scratch.packed(kc * panels(ncMax) * NR);
        float[] tmp = scratch.tmp;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kc) {
                int kcur = Math.min(kc, k - pc);
                if (transB) {
                    packTransposed(kcur, nc, b, bOff + jc * ldb + pc, ldb, packed);
                } else {
                    packPanels(kcur, nc, b, bOff + pc * ldb + jc, ldb, packed);
                }
                boolean load = accumulate || pc > 0;
                int panelSize = kcur * NR;
                for (int i = 0; i < m; i += MR) {
                    int rows = Math.min(MR, m - i);
                    int a0 = aOff + i * rs + pc * ks;
                    int c0 = cOff + i * ldc + jc;
                    for (int jp = 0, j = 0; j < nc; jp++, j += NR) {
                        GemmMicroKernels.tile(rows, kcur, a, a0, rs, ks, packed, jp * panelSize, NR,
                                c, c0 + j, ldc, nc - j, load, tmp);
                    }
                }
            }
        }
    }

    /** @return the length of the {@code k} blocks: at most {@link #KC}, as even as possible */
    private static int blockSize(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    private static int panels(int n) {
        return (n + NR - 1) / NR;
    }

    /**
     * Packs the {@code kc × nc} block of row-major {@code B} at {@code b[off]} into panels: panel
     * {@code jp} holds columns {@code jp·NR …} as {@code kc} rows of {@code NR} floats, zero-padded.
     */
    private static void packPanels(int kc, int nc, float[] b, int off, int ldb, float[] dst) {
        int full = nc / NR;
        int d = 0;
        for (int jp = 0; jp < full; jp++) {
            int s = off + jp * NR;
            for (int p = 0; p < kc; p++, s += ldb, d += NR) {
                FloatVector.fromArray(F, b, s).intoArray(dst, d);
                FloatVector.fromArray(F, b, s + L).intoArray(dst, d + L);
            }
        }
        if (full * NR < nc) {
            packRows(kc, nc - full * NR, b, off + full * NR, ldb, dst, d);
        }
    }

    /** Copies {@code rows × cols} ({@code cols ≤ NR}) of {@code b} into rows of {@code NR} floats, zero-padded. */
    private static void packRows(int rows, int cols, float[] b, int off, int ldb, float[] dst, int d) {
        for (int p = 0; p < rows; p++, off += ldb, d += NR) {
            for (int t = 0; t < NR; t++) {
                dst[d + t] = t < cols ? b[off + t] : 0f;
            }
        }
    }

    /**
     * Packs {@code Bᵀ} for a {@code kc × nc} block, where {@code b[off + j·ldb + p]} is {@code Bᵀ(p, j)}:
     * panel {@code jp} holds, for each {@code p}, the {@code NR} values {@code b[off + (jp·NR + t)·ldb + p]}.
     */
    private static void packTransposed(int kc, int nc, float[] b, int off, int ldb, float[] dst) {
        for (int jp = 0, j = 0; j < nc; jp++, j += NR) {
            int base = jp * kc * NR;
            int cols = Math.min(NR, nc - j);
            for (int t = 0; t < cols; t++) {
                int s = off + (j + t) * ldb;
                for (int p = 0, d = base + t; p < kc; p++, d += NR) {
                    dst[d] = b[s + p];
                }
            }
            for (int t = cols; t < NR; t++) {
                for (int p = 0, d = base + t; p < kc; p++, d += NR) {
                    dst[d] = 0f;
                }
            }
        }
    }

    private static void zero(int m, int n, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
    }
}
