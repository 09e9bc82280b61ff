package dev.lanes.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.Numerics;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lanes' version of {@link Numerics}' {@code exp} and summation order, which the vector softmax
 * kernels are built on.
 */
class VectorMathTest {

    private static final int L = VectorKernels.F.length();

    /**
     * The worst error of the polynomial {@code exp} over every float in {@code [EXP_LOWEST, 0]} (all
     * 1.1e9 of them, checked once offline) is 1.0103 ulp of the correctly rounded result, against the
     * exact value. The function is deterministic, so a sample can never exceed it: any larger error
     * means the constants or the reduction changed.
     */
    private static final double EXP_MAX_ULP = 1.0104;

    /** 2^20 points spread over the range plus every float in the first and last few thousand ulps. */
    private static float[] expArguments() {
        int dense = 1 << 20;
        int ends = 4096;
        float[] x = new float[dense + 2 * ends];
        for (int i = 0; i < dense; i++) {
            x[i] = Numerics.EXP_LOWEST * (i / (float) (dense - 1));
        }
        float near0 = -0f;
        float nearLowest = Numerics.EXP_LOWEST;
        for (int i = 0; i < ends; i++) {
            x[dense + i] = near0;
            x[dense + ends + i] = nearLowest;
            near0 = Math.nextDown(near0);
            nearLowest = Math.nextUp(nearLowest);
        }
        return x;
    }

    @Test
    void expIsWithinOneUlpOfTheExactValue() {
        float[] x = expArguments();
        float[] y = new float[x.length];
        VectorMath.expShifted(x.length, x, 0, y, 0, 0f);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double exact = Math.exp(x[i]);
            double ulps = Math.abs(y[i] - exact) / Math.ulp((float) exact);
            worst = Math.max(worst, ulps);
            if (!(ulps <= EXP_MAX_ULP)) {
                fail("exp(" + x[i] + ") = " + y[i] + ", exact " + exact + ": " + ulps + " ulp");
            }
        }
        assertTrue(worst > 0.5, "the sample should reach the polynomial's known worst errors, got " + worst);
    }

    @Test
    void expFlushesSubnormalResultsToZero() {
        float[] x = new float[20000];
        for (int i = 0; i < x.length; i++) {
            // From just below ln(Float.MIN_NORMAL) down to −104, where e^x falls below Float.MIN_VALUE.
            x[i] = Math.nextDown(Numerics.EXP_LOWEST) - i * (16.7f / x.length);
        }
        x[x.length - 2] = -1e4f;
        x[x.length - 1] = Float.NEGATIVE_INFINITY;
        float[] y = new float[x.length];
        VectorMath.expShifted(x.length, x, 0, y, 0, 0f);
        for (int i = 0; i < x.length; i++) {
            // The result is 0 where the true value is below Float.MIN_NORMAL: an absolute error
            // below 1.2e-38, which no probability can notice.
            assertTrue(Math.exp(x[i]) < Float.MIN_NORMAL, "argument " + x[i] + " should be in the flushed range");
            assertEquals(0f, y[i], 0f, "exp(" + x[i] + ")");
        }
        assertEquals(0f, Numerics.exp(Float.NEGATIVE_INFINITY), 0f);
    }

    @Test
    void expOfSpecialValues() {
        float[] x = Arrays.copyOf(new float[] {0f, -0f, Float.NaN, Numerics.EXP_LOWEST, -1f,
            (float) -Math.log(2), -1e-30f}, Math.max(7, L));
        float[] y = new float[x.length];
        VectorMath.expShifted(x.length, x, 0, y, 0, 0f);
        assertEquals(1f, y[0], 0f);
        assertEquals(1f, y[1], 0f);
        assertTrue(Float.isNaN(y[2]), "exp(NaN) is NaN");
        assertTrue(y[3] >= Float.MIN_NORMAL * 0.99f, "exp(ln MIN_NORMAL) is about MIN_NORMAL: " + y[3]);
        assertEquals((float) Math.exp(-1), y[4], Math.ulp(y[4]));
        assertEquals(0.5f, y[5], Math.ulp(0.5f));
        assertEquals(1f, y[6], 0f);
    }

    @Test
    void scalarTwinGivesTheLaneBits() {
        float[] x = expArguments();
        float[] y = new float[x.length];
        VectorMath.expShifted(x.length, x, 0, y, 0, 0f);
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(Numerics.exp(x[i])) != Float.floatToRawIntBits(y[i])) {
                fail("scalar exp(" + x[i] + ") = " + Numerics.exp(x[i]) + " but the vector lane gives " + y[i]);
            }
        }
    }

    @Test
    void expShiftedSubtractsTheShiftInFloat() {
        Random rnd = new Random(3);
        float[] x = new float[3 * L + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * 20f;
        }
        float shift = 0;
        for (float v : x) {
            shift = Math.max(shift, v);
        }
        float[] y = new float[x.length];
        VectorMath.expShifted(x.length, x, 0, y, 0, shift);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Numerics.exp(x[i] - shift), y[i], 0f, "element " + i);
        }
    }

    @Test
    void expShiftedInPlaceEqualsOutOfPlaceAndStaysInItsRange() {
        Random rnd = new Random(4);
        for (int n = L; n <= 6 * L + 3; n++) {
            float[] x = new float[n + 6];
            for (int i = 0; i < x.length; i++) {
                x[i] = -Math.abs((float) rnd.nextGaussian() * 8f);
            }
            float[] out = new float[n + 9];
            Arrays.fill(out, 42f);
            float sumOut = VectorMath.expShifted(n, x, 3, out, 5, 0f);
            float[] inPlace = x.clone();
            float sumIn = VectorMath.expShifted(n, inPlace, 3, inPlace, 3, 0f);
            assertEquals(sumOut, sumIn, 0f, "sum, n = " + n);
            for (int i = 0; i < n; i++) {
                assertEquals(out[5 + i], inPlace[3 + i], 0f, "n = " + n + ", element " + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(42f, out[i], 0f, "n = " + n + ": written before the output range");
            }
            for (int i = 5 + n; i < out.length; i++) {
                assertEquals(42f, out[i], 0f, "n = " + n + ": written after the output range");
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(x[i], inPlace[i], 0f, "n = " + n + ": in place, written before the range");
            }
            for (int i = 3 + n; i < x.length; i++) {
                assertEquals(x[i], inPlace[i], 0f, "n = " + n + ": in place, written after the range");
            }
        }
    }

    /**
     * The summation order is part of the reproducibility contract: it fixes the bits of every
     * probability, hence of training, at every vector width. The expected value is computed here from
     * the written definition (16 interleaved partials, folded j+8, j+4, j+2, j+1, then the tail left to
     * right), independently of {@link Numerics#sum}, and both implementations must give its bits.
     */
    @Test
    void theSumIsAddedInTheDocumentedOrder() {
        Random rnd = new Random(6);
        for (int n = 1; n <= 8 * 16 + 3; n++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                // Wide magnitudes, so that another order would round differently.
                x[i] = (float) Math.exp(rnd.nextGaussian() * 6);
            }
            float[] p = new float[16];
            int blocks = n - n % 16;
            for (int i = 0; i < blocks; i++) {
                p[i % 16] += x[i];
            }
            for (int d = 8; d >= 1; d /= 2) {
                for (int j = 0; j < d; j++) {
                    p[j] = p[j] + p[j + d];
                }
            }
            float want = p[0];
            for (int i = blocks; i < n; i++) {
                want += x[i];
            }
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(Numerics.sum(x, 0, n)),
                    "reference, n = " + n);
            float[] shifted = new float[n + 3];
            System.arraycopy(x, 0, shifted, 3, n);
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(VectorMath.sum(n, shifted, 3)),
                    "vector, n = " + n + ", " + L + " lanes");
        }
    }

    @Test
    void expShiftedReturnsTheSumOfWhatItWrote() {
        Random rnd = new Random(7);
        for (int n = L; n <= 6 * L + 3; n++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = -Math.abs((float) rnd.nextGaussian() * 4f);
            }
            float[] e = new float[n];
            float sum = VectorMath.expShifted(n, x, 0, e, 0, 0f);
            assertEquals(Float.floatToRawIntBits(Numerics.sum(e, 0, n)), Float.floatToRawIntBits(sum), "n = " + n);
        }
    }

    /** The width runs of the build set {@code -Dlanes.vectorBits}; without it the CPU's widest is used. */
    @Test
    void theKernelsRunAtTheRequestedWidth() {
        int bits = dev.lanes.kernels.KernelsProvider.requestedVectorBits();
        int want = bits == 0 ? jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() : bits;
        assertEquals(want, VectorKernels.F.vectorBitSize());
        assertEquals(want / 32, L);
    }
}
