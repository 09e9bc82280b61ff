package dev.lanes.kernels;

/**
 * The numeric kernels that Lanes runs in its hot loops.
 *
 * <p>Matrices are row-major {@code float[]} buffers addressed by an array, the offset of element
 * (0, 0) and a leading dimension (the distance between the starts of two consecutive rows, at least
 * the row length). Kernels never allocate and never keep references to their arguments, so one
 * instance serves any number of threads as long as the threads write to disjoint buffers.
 *
 * <p>Two implementations exist: {@link ScalarKernels}, plain loops that are the specification, and a
 * Vector API implementation chosen at start-up by {@link KernelsProvider} when the
 * {@code jdk.incubator.vector} module is present. Every implementation gives the reference's bits, at
 * every vector width and whatever the JIT has compiled so far: each element is one fma chain or one
 * element-wise expression in index order, and the softmax's {@code exp} and row sum are the ones
 * defined in {@link Numerics} (no library {@code exp}, no lane reduction of unspecified order).
 */
public interface Kernels {

    /** @return a short name, {@code "scalar"} or {@code "vector"} */
    String name();

    /** @return a one-line human description, e.g. {@code "vector (512-bit, 16 float lanes)"} */
    String description();

    // ---------------------------------------------------------------- matrix multiply

    /**
     * {@code C[m×n] = A[m×k] · B[k×n]}, or {@code C += A·B} when {@code accumulate}.
     * Forward pass: {@code Z = X·W}.
     */
    void matmul(int m, int n, int k,
                float[] a, int aOff, int lda,
                float[] b, int bOff, int ldb,
                float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * {@code C[m×n] = A[m×k] · B[n×k]ᵀ}, or {@code C += A·Bᵀ} when {@code accumulate}.
     * Input gradient: {@code dX = dZ·Wᵀ}, where {@code W} is stored {@code inputs×outputs}, that is
     * {@code n×k}.
     */
    void matmulTransB(int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * {@code C[m×n] = A[k×m]ᵀ · B[k×n]}, or {@code C += Aᵀ·B} when {@code accumulate}.
     * Weight gradient: {@code dW = Xᵀ·dZ}, the sum over the batch of per-sample outer products.
     */
    void matmulTransA(int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate);

    // ---------------------------------------------------------------- activations

    /** In place: {@code x[r][c] = max(0, x[r][c] + bias[c])} for a {@code rows×cols} block. */
    void addBiasRelu(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff);

    /** In place: {@code x[r][c] += bias[c]} for a {@code rows×cols} block. */
    void addBias(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff);

    /**
     * In place ReLU backward: {@code grad[r][c] = act[r][c] > 0 ? grad[r][c] : 0}, where {@code act} is
     * the layer's output after ReLU ({@code act > 0} exactly when the pre-activation was {@code > 0}).
     */
    void reluBackward(int rows, int cols, float[] grad, int gradOff, int ldg,
                      float[] act, int actOff, int lda);

    /** In place, numerically stable row-wise softmax (each row's maximum is subtracted first). */
    void softmax(int rows, int cols, float[] x, int xOff, int ldx);

    /**
     * Softmax fused with cross-entropy for integer labels. For each row {@code r}, with
     * {@code P = softmax(logits[r])}: writes {@code grad[r][c] = (P[c] − [c == label]) · scale} and
     * adds {@code −log P[label]} to the returned sum. With {@code scale = 1/B} the gradient is the
     * gradient of the mean loss over a batch of {@code B} rows. {@code grad} may be the logits buffer
     * itself (same array, offset and stride): the computation is then in place.
     *
     * @return the sum over the rows of the cross-entropy loss (not the mean)
     */
    double softmaxCrossEntropy(int rows, int cols, float[] logits, int logitsOff, int ldl,
                               int[] labels, int labelsOff,
                               float[] grad, int gradOff, int ldg, float scale);

    /** {@code out[c] = Σ_r x[r][c]} (or {@code +=} when {@code accumulate}): the bias gradient. */
    void columnSums(int rows, int cols, float[] x, int xOff, int ldx,
                    float[] out, int outOff, boolean accumulate);

    /** {@code dst[i] += src[i]} for {@code n} elements: sums of gradients or of parameter sets. */
    void add(int n, float[] src, int srcOff, float[] dst, int dstOff);

    // ---------------------------------------------------------------- optimizers

    /** Plain SGD with L2 decay: {@code w −= lr · (g + wd·w)}. */
    void sgd(int n, float[] w, int wOff, float[] g, int gOff, float lr, float weightDecay);

    /**
     * SGD with momentum and L2 decay: {@code d = g + wd·w; v = μ·v + d;} then
     * {@code w −= lr · v}, or for Nesterov {@code w −= lr · (d + μ·v)}.
     */
    void momentum(int n, float[] w, int wOff, float[] g, int gOff, float[] v, int vOff,
                  float lr, float mu, float weightDecay, boolean nesterov);

    /**
     * Adam with L2 decay folded into the gradient: {@code d = g + wd·w; m = β1·m + (1−β1)·d;
     * v = β2·v + (1−β2)·d²; w −= lr · (m/bc1) / (sqrt(v/bc2) + eps)}, where the caller passes the
     * bias corrections {@code bc1 = 1−β1^t} and {@code bc2 = 1−β2^t} for step {@code t ≥ 1}.
     */
    void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
              float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2);

    // ---------------------------------------------------------------- data

    /** {@code dst[i] = (src[i] & 0xFF) / 255f}: unsigned pixels to floats in [0, 1]. */
    void bytesToFloats(int n, byte[] src, int srcOff, float[] dst, int dstOff);

    /** {@code out[r] = argmax_c x[r][c]}; ties go to the smallest index. */
    void argmaxRows(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff);
}
