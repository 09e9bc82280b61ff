package dev.lanes.network;

import dev.lanes.kernels.Kernels;

/**
 * Forward and backward of one dense layer, on a block of {@code rows} samples. All matrices are
 * row-major with their natural width as leading dimension; {@code p} is the network's flat parameter
 * array, holding the layer's weights {@code W[in×out]} at {@code wOff} and biases {@code b[out]} at
 * {@code bOff}.
 */
final class Dense {

    private Dense() {
    }

    /**
     * {@code Y[rows×out] = act(X[rows×in] · W[in×out] + b)}, with ReLU for hidden layers and the identity
     * for the output layer (whose softmax is fused with the loss, or applied by the caller).
     */
    static void forward(Kernels k, int rows, int in, int out, float[] x, float[] p, int wOff, int bOff,
                        float[] y, boolean relu) {
        k.matmul(rows, out, in, x, 0, in, p, wOff, out, y, 0, out, false);
        if (relu) {
            k.addBiasRelu(rows, out, y, 0, out, p, bOff);
        } else {
            k.addBias(rows, out, y, 0, out, p, bOff);
        }
    }

    /**
     * Given {@code dY[rows×out]}, the gradient of the loss with respect to this layer's pre-activation:
     * <pre>
     *   dW[in×out] = X[rows×in]ᵀ · dY      (the sum over samples of the outer products x·dyᵀ)
     *   db[out]    = Σ_rows dY
     *   dX[rows×in] = (dY · W[in×out]ᵀ) ⊙ [X > 0]   (only when {@code dx != null}; X is the previous
     *                                                 layer's ReLU output)
     * </pre>
     * The gradients overwrite {@code g} at the layer's offsets.
     */
    static void backward(Kernels k, int rows, int in, int out, float[] x, float[] dy, float[] p, int wOff,
                         int bOff, float[] g, float[] dx) {
        k.matmulTransA(in, out, rows, x, 0, in, dy, 0, out, g, wOff, out, false);
        k.columnSums(rows, out, dy, 0, out, g, bOff, false);
        if (dx != null) {
            k.matmulTransB(rows, in, out, dy, 0, out, p, wOff, out, dx, 0, in, false);
            k.reluBackward(rows, in, dx, 0, in, x, 0, in);
        }
    }
}
