package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the specification itself: each kernel against results worked out by hand or with
 * independent math (in double), so that the scalar reference is not merely compared with itself.
 * Runs on the reference and, where the JVM has it, on the vector implementation too.
 */
class KernelSpecificationTest {

    /** Half an ulp of 1f. */
    private static final double U = 0x1p-24;

    static Stream<Kernels> implementations() {
        List<Kernels> all = new ArrayList<>();
        all.add(new ScalarKernels());
        KernelsProvider.vector().ifPresent(all::add);
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmulOfATwoByTwoExample(Kernels k) {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        k.matmul(2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c); // [1 2; 3 4]·[5 6; 7 8], exact in float
        k.matmul(2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {38, 44, 86, 100}, c);
        // A·Bᵀ with B stored 2×2: [1 2; 3 4]·[5 7; 6 8]
        k.matmulTransB(2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {17, 23, 39, 53}, c);
        // Aᵀ·B: [1 3; 2 4]·[5 6; 7 8]
        k.matmulTransA(2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {26, 30, 38, 44}, c);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmulOfARectangularExampleWithStrides(Kernels k) {
        // A = [1 2 3; 4 5 6] at offset 1 with ld 4, B = [1 0; 0 1; 2 −1] at offset 2 with ld 3:
        // A·B = [7 −1; 16 −1].
        float[] a = {9, 1, 2, 3, 9, 4, 5, 6, 9};
        float[] b = {9, 9, 1, 0, 9, 0, 1, 9, 2, -1, 9};
        float[] c = {9, 9, 9, 9, 9, 9, 9};
        k.matmul(2, 2, 3, a, 1, 4, b, 2, 3, c, 1, 3, false);
        assertArrayEquals(new float[] {9, 7, -1, 9, 16, -1, 9}, c);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void softmaxOfZeroAndLn2IsOneThirdAndTwoThirds(Kernels k) {
        float[] x = {0f, (float) Math.log(2)};
        k.softmax(1, 2, x, 0, 2);
        // e^0 : e^ln2 = 1 : 2. (float) ln 2 is within u of ln 2, so p shifts by at most ~u; the exp
        // and division add a few ulp: 8u of 2/3 covers both implementations.
        assertEquals(1.0 / 3, x[0], 8 * U);
        assertEquals(2.0 / 3, x[1], 8 * U);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void softmaxIsShiftInvariantAndStableForHugeLogits(Kernels k) {
        float[] x = {1000f, 1001f, 999f, 1002f};
        k.softmax(1, 4, x, 0, 4);
        double[] exact = {Math.exp(-2), Math.exp(-1), Math.exp(-3), 1};
        double sum = exact[0] + exact[1] + exact[2] + exact[3];
        for (int i = 0; i < 4; i++) {
            assertEquals(exact[i] / sum, x[i], 1e-6, "softmax(1000 + [0, 1, −1, 2])[" + i + "]");
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void crossEntropyOfUniformLogitsIsLogOfTheClassCount(Kernels k) {
        int rows = 3;
        int cols = 10;
        float[] logits = new float[rows * cols];
        java.util.Arrays.fill(logits, 2.5f);
        int[] labels = {0, 9, 4};
        float[] grad = new float[rows * cols];
        double loss = k.softmaxCrossEntropy(rows, cols, logits, 0, cols, labels, 0, grad, 0, cols, 1f / rows);
        // Every P = 1/10: each row costs ln 10; Math.log of the float sum 10 is exact to double precision.
        assertEquals(rows * Math.log(10), loss, 1e-12);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double want = (0.1 - (c == labels[r] ? 1 : 0)) / rows;
                assertEquals(want, grad[r * cols + c], 4 * U, "grad[" + r + "][" + c + "]");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void crossEntropyOfZeroAndLn2(Kernels k) {
        float[] logits = {0f, (float) Math.log(2), 0f, (float) Math.log(2)};
        float[] grad = new float[4];
        double loss = k.softmaxCrossEntropy(2, 2, logits, 0, 2, new int[] {0, 1}, 0, grad, 0, 2, 1f);
        // −log(1/3) − log(2/3) = log(9/2); the float ln 2 and the float sum 3 keep it within 1e-6.
        assertEquals(Math.log(4.5), loss, 1e-6);
        assertArrayEquals(new float[] {-2f / 3, 2f / 3, 1f / 3, -1f / 3}, grad, 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void crossEntropyStaysFiniteWhenTheLabelProbabilityUnderflows(Kernels k) {
        float[] logits = {0f, 1000f};
        float[] grad = new float[2];
        double loss = k.softmaxCrossEntropy(1, 2, logits, 0, 2, new int[] {0}, 0, grad, 0, 2, 1f);
        // −log(e^0 / (e^0 + e^1000)) = 1000 + log(1 + e^−1000) = 1000 in double.
        assertEquals(1000.0, loss, 1e-9);
        assertArrayEquals(new float[] {-1f, 1f}, grad, 0f);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void biasReluAndItsBackwardPass(Kernels k) {
        float[] x = {-1f, 0.5f, 2f, -3f, 1f, 0f};
        float[] bias = {1.5f, -1f, 0f};
        k.addBiasRelu(2, 3, x, 0, 3, bias, 0);
        assertArrayEquals(new float[] {0.5f, 0f, 2f, 0f, 0f, 0f}, x);
        float[] grad = {1f, 2f, 3f, 4f, 5f, 6f};
        k.reluBackward(2, 3, grad, 0, 3, x, 0, 3);
        assertArrayEquals(new float[] {1f, 0f, 3f, 0f, 0f, 0f}, grad);
        float[] y = {1f, 2f, 3f, 4f, 5f, 6f};
        k.addBias(2, 3, y, 0, 3, bias, 0);
        assertArrayEquals(new float[] {2.5f, 1f, 3f, 5.5f, 4f, 6f}, y);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void columnSumsAndAdd(Kernels k) {
        float[] x = {1f, 2f, 3f, 4f, 5f, 6f};
        float[] out = {10f, 20f, 30f};
        k.columnSums(2, 3, x, 0, 3, out, 0, true);
        assertArrayEquals(new float[] {15f, 27f, 39f}, out);
        k.columnSums(2, 3, x, 0, 3, out, 0, false);
        assertArrayEquals(new float[] {5f, 7f, 9f}, out);
        k.add(3, x, 3, out, 0);
        assertArrayEquals(new float[] {9f, 12f, 15f}, out);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void sgdAndMomentumFollowTheirFormulas(Kernels k) {
        float[] w = {1f, -2f};
        float[] g = {0.5f, 0.25f};
        k.sgd(2, w, 0, g, 0, 0.1f, 0.01f);
        // w − lr·(g + wd·w)
        assertEquals(1 - 0.1 * (0.5 + 0.01), w[0], 1e-6);
        assertEquals(-2 - 0.1 * (0.25 - 0.02), w[1], 1e-6);

        double[] wd = {1, -2};
        double[] vd = {0, 0};
        float[] wf = {1f, -2f};
        float[] vf = {0f, 0f};
        for (boolean nesterov : new boolean[] {false, true}) {
            for (int step = 0; step < 3; step++) {
                k.momentum(2, wf, 0, g, 0, vf, 0, 0.1f, 0.9f, 0.01f, nesterov);
                for (int i = 0; i < 2; i++) {
                    double d = g[i] + 0.01 * wd[i];
                    vd[i] = 0.9 * vd[i] + d;
                    wd[i] -= 0.1 * (nesterov ? d + 0.9 * vd[i] : vd[i]);
                }
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(wd[i], wf[i], 1e-5, "momentum weight " + i + " nesterov=" + nesterov);
                assertEquals(vd[i], vf[i], 1e-5, "momentum velocity " + i + " nesterov=" + nesterov);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void adamsFirstStepMovesEachWeightByTheLearningRate(Kernels k) {
        // At t = 1 the bias-corrected moments are d and d², so the step is lr·d/(|d| + eps) ≈ lr·sign(d).
        float[] w = {0.5f, 0.5f, 0.5f};
        float[] g = {3f, -0.002f, 0f};
        float[] m = new float[3];
        float[] v = new float[3];
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        k.adam(3, w, 0, g, 0, m, 0, v, 0, 0.01f, beta1, beta2, 1e-8f, 0f, 1 - beta1, 1 - beta2);
        assertEquals(0.49, w[0], 1e-6);
        assertEquals(0.51, w[1], 1e-6);
        assertEquals(0.5, w[2], 0.0, "a zero gradient leaves the weight alone");
        assertEquals(0.1 * 3, m[0], 1e-6);
        assertEquals(0.001 * 9, v[0], 1e-6);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void bytesBecomeFractionsOf255(Kernels k) {
        byte[] src = {0, (byte) 255, (byte) 128, 1, (byte) 200, 7, (byte) 254, 100, 3, (byte) 129};
        float[] dst = new float[10];
        k.bytesToFloats(10, src, 0, dst, 0);
        for (int i = 0; i < 10; i++) {
            // Division is correctly rounded: the nearest float to the exact fraction.
            assertEquals((float) ((src[i] & 0xFF) / 255.0), dst[i], 0f, "pixel " + (src[i] & 0xFF));
        }
        assertEquals(0f, dst[0]);
        assertEquals(1f, dst[1]);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void argmaxTakesTheFirstOfEqualMaxima(Kernels k) {
        float[] x = {1f, 3f, 3f, 2f, 5f, 5f, 5f, 5f, 9f, Float.NaN, 9f, 8f};
        int[] out = new int[3];
        k.argmaxRows(3, 4, x, 0, 4, out, 0);
        assertArrayEquals(new int[] {1, 0, 0}, out);
        k.argmaxRows(1, 3, x, 9, 3, out, 0);
        assertEquals(0, out[0], "a NaN in the first column is kept, as the reference's x > x[best] never holds");
        assertTrue(Float.isNaN(x[9]));
    }
}
