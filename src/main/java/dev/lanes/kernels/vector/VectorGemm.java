package dev.lanes.kernels.vector;

import static dev.lanes.kernels.vector.GemmMicroKernels.F;
import static dev.lanes.kernels.vector.GemmMicroKernels.L;
import static dev.lanes.kernels.vector.GemmMicroKernels.MR;
import static dev.lanes.kernels.vector.GemmMicroKernels.MR4;
import static dev.lanes.kernels.vector.GemmMicroKernels.NR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix multiplies on the Vector API, in the three forms backprop needs.
 *
 * <p>All three reduce to one driver in the BLIS style around the register-blocked micro-kernel of
 * {@link GemmMicroKernels}. Both operands are packed, block by block, into micro-panels the kernel
 * reads with constant strides:
 * <ul>
 *   <li>{@code B}, per block of at most {@link #KC} rows and {@link #NC} columns, into {@code NR}-wide
 *       panels; packing {@code Bᵀ} (input gradients) is its transposition;</li>
 *   <li>{@code A}, per block of at most {@link #MC} rows of that {@code KC} slice, into panels as tall
 *       as the tile (four or five rows, see {@link GemmMicroKernels#KERNEL}); {@code A} is described
 *       by a row stride and a {@code k} stride, so packing {@code Aᵀ} (weight gradients) is its
 *       transposition and costs the kernel nothing.</li>
 * </ul>
 * The loops run, from the outside: column blocks of {@code B}, {@code k} blocks (pack {@code B}), row
 * blocks of {@code A} (pack {@code A}), {@code B} panels, {@code A} panels. A {@code B} panel
 * ({@code KC × NR}, 16 KiB at 8 lanes) stays in L1 while the {@code A} block ({@code MC × KC}, 100 KiB)
 * streams from L2; the {@code B} block waits in L3. Results at most {@code NR} wide from {@code A·B}
 * (the ten classes of a digit classifier, the seed network's ten hidden units) go to
 * {@link GemmSkinny} instead, and narrow {@code Aᵀ·B} (their weight gradients) is computed as its
 * transpose, reading {@code B} (the layer's input) in place: its {@code k} is a batch, so packing
 * {@code B} would copy as many floats as the kernel multiplies (64×784x10: the copy was 14% of a
 * 784-10-10 step; in place, 1.2–1.4× faster).
 *
 * <p>Determinism and accuracy: every element of {@code C} is one chain of fused multiply-adds in
 * increasing {@code k}, started from {@code +0} or from {@code C} itself when accumulating; blocking
 * over {@code k} stores the partial chain to {@code C} and reloads it, which changes no bit, and zero
 * padding only feeds lanes that are never stored. The results are therefore bitwise equal to
 * {@link dev.lanes.kernels.ScalarKernels}, whatever the JIT state, thread or vector width, and share its
 * error bound: {@code |C − exact| ≤ γ_k·Σ_p|a_p·b_p|} with {@code γ_k = k·u/(1 − k·u)}, {@code u = 2⁻²⁴}
 * (plus {@code |C₀|} in the sum when accumulating).
 *
 * <p>Scratch space is per thread ({@link GemmScratch}); in steady state a call does not allocate.
 */
final class VectorGemm {

    /** Rows of {@code B} per packed block, and steps per kernel call: a {@code KC × NR} panel sits in L1. */
    static final int KC = 256;
    /**
     * Columns of {@code B} per packed block ({@code KC × NC} floats, 1 MiB, in L3; the kernel reads one
     * {@code KC × NR} panel of it at a time). Every column block packs all of {@code A} again, so the
     * block spans the widest layer in one: with 256 columns, {@code dZ·Wᵀ} of a 784-wide layer packed
     * its {@code A} four times, and the products 784 wide ran 1.02–1.17× faster with one block (both
     * drivers alternated in one JVM, Zen 3, JDK 17 and 25).
     */
    static final int NC = 1024;
    /** Rows of {@code A} per packed block, a multiple of both tile heights (4 and 5): {@code MC × KC} floats (100 KiB) sit in L2. */
    static final int MC = 100;

    private VectorGemm() {
    }

    static void matmul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        matmul(GemmMicroKernels.KERNEL, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    static void matmulTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        matmulTransB(GemmMicroKernels.KERNEL, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    static void matmulTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        matmulTransA(GemmMicroKernels.KERNEL, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /*
     * The three forms with the tile kernel of the ordinary products given (GemmMicroKernels.FOUR or
     * FOUR_BY_TWO), so that tests run both on any JDK; the forms above pass this JDK's.
     */

    static void matmul(int kernel, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        if (GemmSkinny.fits(n)) {
            GemmSkinny.multiply(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        gemm(kernel, m, n, k, a, aOff, lda, 1, b, bOff, ldb, false, c, cOff, ldc, accumulate, false);
    }

    static void matmulTransB(int kernel, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(kernel, m, n, k, a, aOff, lda, 1, b, bOff, ldb, true, c, cOff, ldc, accumulate, false);
    }

    static void matmulTransA(int kernel, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (n < NR && m >= NR) {
            // Weight gradients of narrow layers: Cᵀ = Bᵀ·A, so that the vector lanes run along the
            // long side, over rows of A that are contiguous in memory (see transposedC). The tile
            // keeps five rows here: its rows are the layer's outputs, and ten outputs are two tiles
            // of five (four rows would compute twelve).
            gemm(kernel, n, m, k, b, bOff, 1, ldb, a, aOff, lda, false, c, cOff, ldc, accumulate, true);
            return;
        }
        gemm(kernel, m, n, k, a, aOff, 1, lda, b, bOff, ldb, false, c, cOff, ldc, accumulate, false);
    }

    /**
     * {@code C (+)= A·B} with {@code A(i, p) = a[aOff + i·rs + p·ks]} and {@code B} or {@code Bᵀ} row-major.
     * {@code C(i, j)} is {@code c[cOff + i·ldc + j]}, or {@code c[cOff + j·ldc + i]} when {@code transposedC}
     * (the caller computes a result through its transpose). {@code kernel} is the four-row tile kernel
     * ({@link GemmMicroKernels#KERNEL}); a result computed through its transpose uses five-row tiles.
     */
    private static void gemm(int kernel, int m, int n, int k, float[] a, int aOff, int rs, int ks,
                             float[] b, int bOff, int ldb, boolean transB,
                             float[] c, int cOff, int ldc, boolean accumulate, boolean transposedC) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                if (transposedC) {
                    zero(n, m, c, cOff, ldc);
                } else {
                    zero(m, n, c, cOff, ldc);
                }
            }
            return;
        }
        // Narrow weight gradients read B (the layer's input, k = batch rows of it) in place.
        boolean inPlaceB = transposedC && !transB;
        int mr = transposedC ? MR : MR4;
        GemmScratch scratch = GemmScratch.get();
        int kc = blockSize(k);
        int ncMax = Math.min(n, NC);
        int mcMax = Math.min(m, MC);
        float[] packedB = scratch.packed(kc * panels(ncMax, NR) * NR);
        float[] packedA = scratch.packedA(kc * panels(mcMax, mr) * mr + L);
        float[] edge = scratch.edge;
        // A result computed through its transpose is accumulated in a row-major scratch copy padded to
        // whole tiles, and transposed into C once at the end. Tiles stored straight into the transposed
        // C went through an edge tile read back a float at a time, right after its vector stores: the
        // loads waited on store forwarding, and 64x784x10 ran at a third of its speed without them.
        int ldt = panels(n, NR) * NR;
        float[] ct = transposedC ? scratch.transposed(panels(m, MR) * MR * ldt) : null;
        if (transposedC && accumulate) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    ct[i * ldt + j] = c[cOff + j * ldc + i];
                }
            }
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kc) {
                int kcur = Math.min(kc, k - pc);
                if (transB) {
                    packTransposed(kcur, nc, b, bOff + jc * ldb + pc, ldb, packedB);
                } else if (inPlaceB) {
                    // Only the last, partial panel is packed, into the first panel's slot.
                    int full = nc - nc % NR;
                    if (full < nc) {
                        packRows(kcur, nc - full, b, bOff + pc * ldb + jc + full, ldb, packedB, 0);
                    }
                } else {
                    packPanels(kcur, nc, b, bOff + pc * ldb + jc, ldb, packedB);
                }
                boolean load = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(mc, kcur, a, aOff + ic * rs + pc * ks, rs, ks, mr, packedA);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        int bp = inPlaceB ? 0 : jr * kcur;
                        // One loop per kind of tile column, none with a test that is the same for every
                        // tile: with such tests in one loop, C2's speculative loop predicates at its head
                        // failed in every job (four profile_predicate traps, -XX:+LogCompilation) and the
                        // compiled driver was discarded and compiled again (JDK 17 and 25).
                        if (transposedC && inPlaceB && cols == NR) {
                            // Whole tiles of the padded copy: the padding rows and columns see only
                            // the packers' zeros and are never copied out.
                            for (int ir = 0; ir < mc; ir += MR) {
                                GemmMicroKernels.tileStrided(kcur, packedA, ir * kcur, b, bOff + pc * ldb + jc + jr,
                                        ldb, ct, (ic + ir) * ldt + jc + jr, ldt, load);
                            }
                        } else if (transposedC) {
                            for (int ir = 0; ir < mc; ir += MR) {
                                GemmMicroKernels.tile(kcur, packedA, ir * kcur, packedB, bp, ct,
                                        (ic + ir) * ldt + jc + jr, ldt, load);
                            }
                        } else if (cols == NR) {
                            int ir = 0;
                            for (; ir + MR4 <= mc; ir += MR4) {
                                GemmMicroKernels.tile4(kernel, kcur, packedA, ir * kcur, packedB, bp, c,
                                        cOff + (ic + ir) * ldc + jc + jr, ldc, load);
                            }
                            if (ir < mc) {
                                edgeTile(kernel, kcur, packedA, ir * kcur, packedB, bp, c,
                                        cOff + (ic + ir) * ldc + jc + jr, ldc, mc - ir, cols, load, edge);
                            }
                        } else {
                            for (int ir = 0; ir < mc; ir += MR4) {
                                edgeTile(kernel, kcur, packedA, ir * kcur, packedB, bp, c,
                                        cOff + (ic + ir) * ldc + jc + jr, ldc, Math.min(MR4, mc - ir), cols, load, edge);
                            }
                        }
                    }
                }
            }
        }
        if (transposedC) {
            // Along C's rows (contiguous stores), five rows of the copy at a time.
            int i = 0;
            for (; i + MR <= m; i += MR) {
                int t0 = i * ldt;
                int t1 = t0 + ldt;
                int t2 = t1 + ldt;
                int t3 = t2 + ldt;
                int t4 = t3 + ldt;
                for (int j = 0, o = cOff + i; j < n; j++, o += ldc) {
                    c[o] = ct[t0 + j];
                    c[o + 1] = ct[t1 + j];
                    c[o + 2] = ct[t2 + j];
                    c[o + 3] = ct[t3 + j];
                    c[o + 4] = ct[t4 + j];
                }
            }
            for (; i < m; i++) {
                for (int j = 0, t = i * ldt; j < n; j++, t++) {
                    c[cOff + j * ldc + i] = ct[t];
                }
            }
        }
    }

    /**
     * A four-row tile cut by the edge of {@code C}: computed in full on a scratch tile (the padding
     * lanes see only the packers' zeros) and stored for its {@code rows × cols} valid part.
     */
    private static void edgeTile(int kernel, int kc, float[] a, int ap, float[] b, int bp, float[] c, int c0, int ldc,
                                 int rows, int cols, boolean load, float[] edge) {
        if (load) {
            for (int r = 0; r < MR4; r++) {
                for (int j = 0; j < NR; j++) {
                    edge[r * NR + j] = r < rows && j < cols ? c[c0 + r * ldc + j] : 0f;
                }
            }
        }
        GemmMicroKernels.tile4(kernel, kc, a, ap, b, bp, edge, 0, NR, load);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(edge, r * NR, c, c0 + r * ldc, cols);
        }
    }

    /** @return the length of the {@code k} blocks: at most {@link #KC}, as even as possible */
    private static int blockSize(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    private static int panels(int n, int width) {
        return (n + width - 1) / width;
    }

    /**
     * Packs the {@code mc × kc} block {@code A(i, p) = a[off + i·rs + p·ks]} into panels of {@code mr}
     * rows: panel {@code ip} holds, for each {@code p}, {@code A(ip·mr … ip·mr+mr−1, p)}, zero-padded.
     */
    private static void packA(int mc, int kc, float[] a, int off, int rs, int ks, int mr, float[] dst) {
        for (int i = 0, base = 0; i < mc; i += mr, base += kc * mr) {
            int rows = Math.min(mr, mc - i);
            int src = off + i * rs;
            if (ks == 1 && rows == MR4 && mr == MR4) {
                // Row-major A: one pass along the four rows, each step's four values stored together.
                int s1 = src + rs;
                int s2 = s1 + rs;
                int s3 = s2 + rs;
                for (int p = 0, d = base; p < kc; p++, d += MR4) {
                    dst[d] = a[src + p];
                    dst[d + 1] = a[s1 + p];
                    dst[d + 2] = a[s2 + p];
                    dst[d + 3] = a[s3 + p];
                }
            } else if (ks == 1) {
                for (int r = 0; r < rows; r++) {
                    for (int p = 0, s = src + r * rs, d = base + r; p < kc; p++, d += mr) {
                        dst[d] = a[s + p];
                    }
                }
            } else if (rs == 1 && rows == mr && L >= mr && src + (kc - 1) * ks + L <= a.length) {
                // The mr values of a step are contiguous (A is a transposed operand): one vector load
                // and store per step. The store's last L − mr lanes spill into the next step's slot,
                // which that step then overwrites; the buffer has L floats to spare past the end.
                for (int p = 0, s = src, d = base; p < kc; p++, s += ks, d += mr) {
                    FloatVector.fromArray(F, a, s).intoArray(dst, d);
                }
            } else {
                for (int p = 0, s = src, d = base; p < kc; p++, s += ks, d += mr) {
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[s + r * rs];
                    }
                }
            }
            for (int r = rows; r < mr; r++) {
                for (int p = 0, d = base + r; p < kc; p++, d += mr) {
                    dst[d] = 0f;
                }
            }
        }
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
        // Two loops rather than one with "t < cols ? b[off + t] : 0f", whose conditional load made C2's
        // speculative loop predicate fail (four profile_predicate traps in most jobs, then a recompilation).
        for (int p = 0; p < rows; p++, off += ldb, d += NR) {
            for (int t = 0; t < cols; t++) {
                dst[d + t] = b[off + t];
            }
            for (int t = cols; t < NR; t++) {
                dst[d + t] = 0f;
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
