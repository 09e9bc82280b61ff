package dev.lanes.training;

import dev.lanes.data.Dataset;

/** A textbook MLP gradient in double precision, independent of the engine, for tests only. */
final class ReferenceMlp {

    private ReferenceMlp() {
    }

    /** Gradient of the mean cross-entropy over samples [start, start+count) in file order. */
    static double[] gradient(int[] sizes, double[] p, Dataset data, int start, int count) {
        double[] grad = new double[p.length];
        int layers = sizes.length - 1;
        int[] wOff = new int[layers];
        int[] bOff = new int[layers];
        int off = 0;
        for (int l = 0; l < layers; l++) {
            wOff[l] = off;
            off += sizes[l] * sizes[l + 1];
            bOff[l] = off;
            off += sizes[l + 1];
        }
        for (int s = start; s < start + count; s++) {
            double[][] a = new double[layers + 1][];
            a[0] = new double[sizes[0]];
            for (int i = 0; i < sizes[0]; i++) {
                a[0][i] = (data.pixels()[s * sizes[0] + i] & 0xFF) / 255.0;
            }
            for (int l = 0; l < layers; l++) {
                a[l + 1] = new double[sizes[l + 1]];
                for (int j = 0; j < sizes[l + 1]; j++) {
                    double z = p[bOff[l] + j];
                    for (int i = 0; i < sizes[l]; i++) {
                        z += a[l][i] * p[wOff[l] + i * sizes[l + 1] + j];
                    }
                    a[l + 1][j] = l < layers - 1 ? Math.max(0, z) : z;
                }
            }
            double[] out = a[layers];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : out) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : out) {
                sum += Math.exp(v - max);
            }
            double[] delta = new double[out.length];
            for (int j = 0; j < out.length; j++) {
                delta[j] = (Math.exp(out[j] - max) / sum - (j == data.label(s) ? 1 : 0)) / count;
            }
            for (int l = layers - 1; l >= 0; l--) {
                double[] prev = new double[sizes[l]];
                for (int i = 0; i < sizes[l]; i++) {
                    for (int j = 0; j < sizes[l + 1]; j++) {
                        grad[wOff[l] + i * sizes[l + 1] + j] += a[l][i] * delta[j];
                        prev[i] += delta[j] * p[wOff[l] + i * sizes[l + 1] + j];
                    }
                }
                for (int j = 0; j < sizes[l + 1]; j++) {
                    grad[bOff[l] + j] += delta[j];
                }
                if (l > 0) {
                    for (int i = 0; i < sizes[l]; i++) {
                        prev[i] = a[l][i] > 0 ? prev[i] : 0;
                    }
                }
                delta = prev;
            }
        }
        return grad;
    }
}
