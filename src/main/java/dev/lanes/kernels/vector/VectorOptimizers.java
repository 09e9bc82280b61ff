package dev.lanes.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGD, momentum and Adam updates on the Vector API.
 *
 * <p>The lanes perform the reference's expressions operation for operation: a product followed by a
 * sum stays a multiply then an add (Java never fuses {@code a*b + c}), divisions stay divisions and the
 * square root is the correctly rounded float one, so the updated weights and moments are bitwise equal
 * to {@link dev.lanes.kernels.ScalarKernels}'.
 */
final class VectorOptimizers {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();

    private VectorOptimizers() {
    }

    static void sgd(int n, float[] w, int wOff, float[] g, int gOff, float lr, float weightDecay) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector wv = FloatVector.fromArray(F, w, wOff + i);
            FloatVector d = FloatVector.fromArray(F, g, gOff + i).add(wv.mul(weightDecay));
            wv.sub(d.mul(lr)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            w[wOff + i] -= lr * d;
        }
    }

    static void momentum(int n, float[] w, int wOff, float[] g, int gOff, float[] v, int vOff, float lr, float mu,
                         float weightDecay, boolean nesterov) {
        if (nesterov) {
            nesterov(n, w, wOff, g, gOff, v, vOff, lr, mu, weightDecay);
        } else {
            heavyBall(n, w, wOff, g, gOff, v, vOff, lr, mu, weightDecay);
        }
    }

    private static void heavyBall(int n, float[] w, int wOff, float[] g, int gOff, float[] v, int vOff, float lr,
                                  float mu, float weightDecay) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector wv = FloatVector.fromArray(F, w, wOff + i);
            FloatVector d = FloatVector.fromArray(F, g, gOff + i).add(wv.mul(weightDecay));
            FloatVector vel = FloatVector.fromArray(F, v, vOff + i).mul(mu).add(d);
            vel.intoArray(v, vOff + i);
            wv.sub(vel.mul(lr)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            float vel = mu * v[vOff + i] + d;
            v[vOff + i] = vel;
            w[wOff + i] -= lr * vel;
        }
    }

    private static void nesterov(int n, float[] w, int wOff, float[] g, int gOff, float[] v, int vOff, float lr,
                                 float mu, float weightDecay) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector wv = FloatVector.fromArray(F, w, wOff + i);
            FloatVector d = FloatVector.fromArray(F, g, gOff + i).add(wv.mul(weightDecay));
            FloatVector vel = FloatVector.fromArray(F, v, vOff + i).mul(mu).add(d);
            vel.intoArray(v, vOff + i);
            FloatVector step = d.add(vel.mul(mu));
            wv.sub(step.mul(lr)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            float vel = mu * v[vOff + i] + d;
            v[vOff + i] = vel;
            w[wOff + i] -= lr * (d + mu * vel);
        }
    }

    static void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector wv = FloatVector.fromArray(F, w, wOff + i);
            FloatVector d = FloatVector.fromArray(F, g, gOff + i).add(wv.mul(weightDecay));
            FloatVector mi = FloatVector.fromArray(F, m, mOff + i).mul(beta1).add(d.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(F, v, vOff + i).mul(beta2).add(d.mul(d).mul(oneMinusBeta2));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            FloatVector step = mi.div(bc1).mul(lr).div(vi.div(bc2).sqrt().add(eps));
            wv.sub(step).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            float mi = beta1 * m[mOff + i] + oneMinusBeta1 * d;
            float vi = beta2 * v[vOff + i] + oneMinusBeta2 * (d * d);
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            w[wOff + i] -= lr * (mi / bc1) / ((float) Math.sqrt(vi / bc2) + eps);
        }
    }
}
