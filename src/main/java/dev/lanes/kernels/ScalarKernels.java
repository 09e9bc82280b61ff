package dev.lanes.kernels;

/**
 * The reference kernels: plain loops, written to be obviously correct. They are the specification
 * the vector kernels are tested against, and the fallback when the Vector API is not available.
 *
 * <p>Every dot product runs in increasing {@code k} with {@link Math#fma}, one rounding per step, so a
 * vector kernel that keeps that order can match them bit for bit.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String description() {
        return "scalar (plain Java loops)";
    }

    @Override
    public void matmul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], sum);
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }

    @Override
    public void matmulTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + i * lda + p], b[bOff + j * ldb + p], sum);
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }

    @Override
    public void matmulTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + p * lda + i], b[bOff + p * ldb + j], sum);
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }

    @Override
    public void addBiasRelu(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = xOff + r * ldx + c;
                x[i] = Math.max(0f, x[i] + bias[biasOff + c]);
            }
        }
    }

    @Override
    public void addBias(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                x[xOff + r * ldx + c] += bias[biasOff + c];
            }
        }
    }

    @Override
    public void reluBackward(int rows, int cols, float[] grad, int gradOff, int ldg, float[] act, int actOff, int lda) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (!(act[actOff + r * lda + c] > 0f)) {
                    grad[gradOff + r * ldg + c] = 0f;
                }
            }
        }
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, int ldx) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * ldx;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[row + c]);
            }
            for (int c = 0; c < cols; c++) {
                x[row + c] = Numerics.exp(x[row + c] - max);
            }
            float sum = Numerics.sum(x, row, cols);
            for (int c = 0; c < cols; c++) {
                x[row + c] /= sum;
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(int rows, int cols, float[] logits, int logitsOff, int ldl, int[] labels,
                                      int labelsOff, float[] grad, int gradOff, int ldg, float scale) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int in = logitsOff + r * ldl;
            int out = gradOff + r * ldg;
            int label = labels[labelsOff + r];
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, logits[in + c]);
            }
            float shiftedLabel = logits[in + label] - max;
            for (int c = 0; c < cols; c++) {
                grad[out + c] = Numerics.exp(logits[in + c] - max);
            }
            float sum = Numerics.sum(grad, out, cols);
            // −log P[label] = log Σ exp(z − max) − (z[label] − max), finite even when P[label] underflows.
            loss += Math.log(sum) - shiftedLabel;
            for (int c = 0; c < cols; c++) {
                float p = grad[out + c] / sum;
                grad[out + c] = (c == label ? p - 1f : p) * scale;
            }
        }
        return loss;
    }

    @Override
    public void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff,
                           boolean accumulate) {
        for (int c = 0; c < cols; c++) {
            float sum = accumulate ? out[outOff + c] : 0f;
            for (int r = 0; r < rows; r++) {
                sum += x[xOff + r * ldx + c];
            }
            out[outOff + c] = sum;
        }
    }

    @Override
    public void add(int n, float[] src, int srcOff, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    @Override
    public void sgd(int n, float[] w, int wOff, float[] g, int gOff, float lr, float weightDecay) {
        for (int i = 0; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            w[wOff + i] -= lr * d;
        }
    }

    @Override
    public void momentum(int n, float[] w, int wOff, float[] g, int gOff, float[] v, int vOff, float lr, float mu,
                         float weightDecay, boolean nesterov) {
        for (int i = 0; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            float vel = mu * v[vOff + i] + d;
            v[vOff + i] = vel;
            float step = nesterov ? d + mu * vel : vel;
            w[wOff + i] -= lr * step;
        }
    }

    @Override
    public void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        for (int i = 0; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            float mi = beta1 * m[mOff + i] + (1f - beta1) * d;
            float vi = beta2 * v[vOff + i] + (1f - beta2) * (d * d);
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float mHat = mi / bc1;
            float vHat = vi / bc2;
            w[wOff + i] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
        }
    }

    @Override
    public void bytesToFloats(int n, byte[] src, int srcOff, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = (src[srcOff + i] & 0xFF) / 255f;
        }
    }

    @Override
    public void argmaxRows(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * ldx;
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (x[row + c] > x[row + best]) {
                    best = c;
                }
            }
            out[outOff + r] = best;
        }
    }
}
