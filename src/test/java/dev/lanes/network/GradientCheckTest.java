package dev.lanes.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backprop against finite differences. The numerical gradient comes from this test's own
 * double-precision forward pass (plain loops, independent of the kernels), so the check is tight:
 * central differences with h = 1e-5 in double are accurate to ~1e-9, far below the float error of
 * the backward pass under test.
 */
class GradientCheckTest {

    private static final int[] SIZES = {12, 7, 5, 4};
    private static final int ROWS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void everyLayersGradientMatchesFiniteDifferences(String impl) {
        Kernels k = impl.equals("scalar") ? KernelsProvider.scalar() : KernelsProvider.vector().orElseThrow();
        SplittableRandom rng = new SplittableRandom(42);
        Network net = Network.create(SIZES, Init.HE, 7);
        float[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (rng.nextDouble() - 0.5) * 0.2f; // non-zero biases too
        }
        Workspace ws = new Workspace(net, ROWS);
        float[] x = new float[ROWS * SIZES[0]];
        int[] y = new int[ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        for (int r = 0; r < ROWS; r++) {
            y[r] = rng.nextInt(SIZES[SIZES.length - 1]);
        }
        System.arraycopy(x, 0, ws.input(), 0, x.length);
        System.arraycopy(y, 0, ws.labels(), 0, ROWS);
        net.forward(k, ws, ROWS);
        float[] grads = new float[net.parameterCount()];
        double lossSum = net.backward(k, ws, ROWS, 1f / ROWS, grads);

        double[] pd = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            pd[i] = p[i];
        }
        // The loss reported with the backward pass is the same quantity as the reference's, in float.
        assertEquals(meanLoss(pd, x, y) * ROWS, lossSum, 1e-4 * ROWS, "loss sum");

        double h = 1e-5;
        int checked = 0;
        for (int layer = 0; layer < net.layers(); layer++) {
            int from = net.weightOffset(layer);
            int to = net.biasOffset(layer) + net.layerOutputs(layer);
            for (int i = from; i < to; i++) {
                double saved = pd[i];
                pd[i] = saved + h;
                double up = meanLoss(pd, x, y);
                pd[i] = saved - h;
                double down = meanLoss(pd, x, y);
                pd[i] = saved;
                double numeric = (up - down) / (2 * h);
                // Float backprop through three layers: relative error ~1e-6; 1e-4 relative plus 1e-6
                // absolute leaves room for rounding yet catches any wrong term (errors of ≥ 1e-2).
                assertEquals(numeric, grads[i], 1e-4 * Math.abs(numeric) + 1e-6,
                        "layer " + layer + " parameter " + (i - from));
                checked++;
            }
        }
        assertEquals(net.parameterCount(), checked);
        assertTrue(nonZero(grads) > net.parameterCount() / 2, "most gradients must be non-zero for the check to mean anything");
    }

    private static int nonZero(float[] g) {
        int n = 0;
        for (float v : g) {
            if (v != 0) {
                n++;
            }
        }
        return n;
    }

    /** Independent reference: mean softmax cross-entropy of the MLP in double precision. */
    private static double meanLoss(double[] p, float[] x, int[] y) {
        double total = 0;
        for (int r = 0; r < ROWS; r++) {
            double[] a = new double[SIZES[0]];
            for (int i = 0; i < a.length; i++) {
                a[i] = x[r * SIZES[0] + i];
            }
            int offset = 0;
            for (int l = 0; l + 1 < SIZES.length; l++) {
                int in = SIZES[l];
                int out = SIZES[l + 1];
                double[] z = new double[out];
                for (int j = 0; j < out; j++) {
                    double s = p[offset + in * out + j];
                    for (int i = 0; i < in; i++) {
                        s += a[i] * p[offset + i * out + j];
                    }
                    z[j] = (l + 2 < SIZES.length) ? Math.max(0, s) : s;
                }
                offset += in * out + out;
                a = z;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : a) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : a) {
                sum += Math.exp(v - max);
            }
            total += Math.log(sum) - (a[y[r]] - max);
        }
        return total / ROWS;
    }
}
