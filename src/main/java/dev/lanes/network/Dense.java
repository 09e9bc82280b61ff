package dev.lanes.network;

import dev.lanes.kernels.Kernels;

/**
 * Forward and backward of one dense layer. All matrices are row-major with their natural width as
 * leading dimension; {@code p} is the network's flat parameter array, holding the layer's weights
 * {@code W[in×out]} at {@code wOff} and biases {@code b[out]} at {@code bOff}.
 *
 * <p>The passes are split the way a data-parallel step needs them: the forward pass and the input
 * gradient work on any block of rows (samples) on their own, while the weight and bias gradients sum
 * over every row of the batch and are split over the rows of {@code dW} instead. Every output element
 * is one fused multiply-add chain in a fixed order whatever the split, so a step gives the same bits
 * for any number of threads.
 */
final class Dense {

    private Dense() {
    }

    /**
     * Rows {@code r0 … r0+rows−1} of {@code Y[·×out] = act(X[·×in] · W[in×out] + b)}, with ReLU for hidden
     * layers and the identity for the output layer (whose softmax is fused with the loss, or applied by
     * the caller).
     */
    static void forward(Kernels k, int r0, int rows, int in, int out, float[] x, float[] p, int wOff, int bOff,
                        float[] y, boolean relu) {
        k.matmul(rows, out, in, x, r0 * in, in, p, wOff, out, y, r0 * out, out, false);
        if (relu) {
            k.addBiasRelu(rows, out, y, r0 * out, out, p, bOff);
        } else {
            k.addBias(rows, out, y, r0 * out, out, p, bOff);
        }
    }

    /**
     * Rows {@code r0 … r0+rows−1} of the input gradient, given {@code dY[·×out]}, the gradient of the loss
     * with respect to this layer's pre-activation:
     * <pre>   dX[·×in] = (dY · W[in×out]ᵀ) ⊙ [X > 0]</pre>
     * where {@code X} is the previous layer's ReLU output (this layer's input).
     */
    static void inputGradient(Kernels k, int r0, int rows, int in, int out, float[] x, float[] dy, float[] p,
                              int wOff, float[] dx) {
        k.matmulTransB(rows, in, out, dy, r0 * out, out, p, wOff, out, dx, r0 * in, in, false);
        k.reluBackward(rows, in, dx, r0 * in, in, x, r0 * in, in);
    }

    /**
     * Rows {@code i0 … i1−1} of the weight gradient over a batch of {@code rows} samples:
     * <pre>   dW[in×out] = X[rows×in]ᵀ · dY[rows×out]   (the sum over samples of the outer products x·dyᵀ)</pre>
     * overwriting {@code g} at the layer's weight offset. Each element sums the samples in increasing order.
     */
    static void weightGradient(Kernels k, int rows, int i0, int i1, int in, int out, float[] x, float[] dy,
                               float[] g, int wOff) {
        k.matmulTransA(i1 - i0, out, rows, x, i0, in, dy, 0, out, g, wOff + i0 * out, out, false);
    }

    /** {@code db[out] = Σ_rows dY}, overwriting {@code g} at the layer's bias offset. */
    static void biasGradient(Kernels k, int rows, int out, float[] dy, float[] g, int bOff) {
        k.columnSums(rows, out, dy, 0, out, g, bOff, false);
    }
}
