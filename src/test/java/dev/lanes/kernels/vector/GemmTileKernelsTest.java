package dev.lanes.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.ScalarKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both four-row tile kernels of the blocked GEMM driver, whatever the JDK running: the driver uses one
 * of them ({@link GemmMicroKernels#KERNEL}), so the other would otherwise be tested only on other JDKs.
 * The narrow weight gradients' five-row tiles run in every case of that form with fewer than 16 columns.
 *
 * <p>Each result is compared bit for bit with the scalar reference (the driver keeps its fma chain
 * per element), for the three forms, overwriting and accumulating, at shapes that give full tiles and
 * cut ones of every height, odd and even {@code k} (one kernel takes two steps at a time) and
 * {@code k} past one block. Operands sit inside larger arrays with NaN around them, so a read outside
 * them shows up in the result, and everything in {@code C}'s array outside the result must keep its
 * guard value.
 */
class GemmTileKernelsTest {

    private static final ScalarKernels SCALAR = new ScalarKernels();
    private static final float GUARD = -7.75e7f;
    /** Floats before each operand and after each row, NaN-filled (the C guard for C). */
    private static final int PAD = 3;

    enum Form { PLAIN, TRANS_B, TRANS_A }

    static Stream<Arguments> cases() {
        int[][] shapes = {
            // m, n, k: full four-row tiles, cut ones of one to three rows
            {4, 32, 17}, {5, 32, 16}, {8, 32, 3}, {20, 48, 33}, {1, 17, 2}, {2, 40, 1}, {3, 33, 5},
            {6, 32, 9}, {7, 31, 12}, {9, 64, 31}, {13, 17, 64}, {101, 130, 257},
            // the networks' shapes at a batch of 64 (k past one block of 256 in the forward pass)
            {64, 128, 784}, {64, 784, 128}, {128, 64, 256},
            // narrow results: the skinny kernel and the transposed weight gradient (five-row tiles,
            // whole and cut, k past one block)
            {64, 10, 100}, {40, 10, 64}, {40, 7, 300}, {33, 13, 64}
        };
        List<Arguments> cases = new ArrayList<>();
        for (int kernel : new int[] {GemmMicroKernels.FOUR, GemmMicroKernels.FOUR_BY_TWO}) {
            for (Form form : Form.values()) {
                for (int[] s : shapes) {
                    cases.add(Arguments.of(kernel, form, s[0], s[1], s[2]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "kernel={0} {1} m={2} n={3} k={4}")
    @MethodSource("cases")
    void equalsTheScalarReferenceBitForBit(int kernel, Form form, int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 1009L * n + 7919L * k + form.ordinal());
        int aRows = form == Form.TRANS_A ? k : m;
        int aCols = form == Form.TRANS_A ? m : k;
        int bRows = form == Form.TRANS_B ? n : k;
        int bCols = form == Form.TRANS_B ? k : n;
        int lda = aCols + PAD;
        int ldb = bCols + PAD;
        int ldc = n + PAD;
        float[] a = operand(rnd, aRows, aCols, lda);
        float[] b = operand(rnd, bRows, bCols, ldb);
        float[] c0 = new float[PAD + m * ldc + PAD];
        Arrays.fill(c0, GUARD);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c0[PAD + i * ldc + j] = (float) rnd.nextDouble(-1, 1);
            }
        }
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] want = c0.clone();
            float[] got = c0.clone();
            switch (form) {
                case PLAIN:
                    SCALAR.matmul(m, n, k, a, PAD, lda, b, PAD, ldb, want, PAD, ldc, accumulate);
                    VectorGemm.matmul(kernel, m, n, k, a, PAD, lda, b, PAD, ldb, got, PAD, ldc, accumulate);
                    break;
                case TRANS_B:
                    SCALAR.matmulTransB(m, n, k, a, PAD, lda, b, PAD, ldb, want, PAD, ldc, accumulate);
                    VectorGemm.matmulTransB(kernel, m, n, k, a, PAD, lda, b, PAD, ldb, got, PAD, ldc, accumulate);
                    break;
                default:
                    SCALAR.matmulTransA(m, n, k, a, PAD, lda, b, PAD, ldb, want, PAD, ldc, accumulate);
                    VectorGemm.matmulTransA(kernel, m, n, k, a, PAD, lda, b, PAD, ldb, got, PAD, ldc, accumulate);
                    break;
            }
            for (int x = 0; x < want.length; x++) {
                if (Float.floatToRawIntBits(want[x]) != Float.floatToRawIntBits(got[x])) {
                    int i = (x - PAD) / ldc;
                    int j = (x - PAD) % ldc;
                    fail("kernel=" + kernel + " " + form + " m=" + m + " n=" + n + " k=" + k + " accumulate=" + accumulate
                            + ": element " + x + " (C[" + i + "][" + j + "] if inside) reference " + want[x]
                            + ", vector " + got[x]);
                }
            }
        }
    }

    /** The driver's kernel for this JDK: four rows by two steps before JDK 25, four rows from 25 on. */
    @Test
    void theDriverUsesTheKernelChosenForThisJdk() {
        assertEquals(Runtime.version().feature() >= 25 ? GemmMicroKernels.FOUR : GemmMicroKernels.FOUR_BY_TWO,
                GemmMicroKernels.KERNEL);
    }

    /** A {@code rows × cols} matrix at offset {@link #PAD} with leading dimension {@code ld}, NaN around it. */
    private static float[] operand(SplittableRandom rnd, int rows, int cols, int ld) {
        float[] x = new float[PAD + rows * ld + PAD];
        Arrays.fill(x, Float.NaN);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                x[PAD + r * ld + j] = (float) rnd.nextDouble(-1, 1);
            }
        }
        return x;
    }
}
