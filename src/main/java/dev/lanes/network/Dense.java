package dev.lanes.network;

import dev.lanes.kernels.Kernels;

/**
 * Forward and backward of one {@link DenseLayer}. All matrices are row-major with their natural width
 * as leading dimension; {@code p} is the network's flat parameter array, holding the layer's weights
 * {@code W[in×out]} and biases {@code b[out]} where the layer says.
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
     * Rows {@code r0 … r0+rows−1} of {@code Y[·×out] = act(X[·×in] · W[in×out] + b)}: ReLU for a hidden
     * layer; for the softmax output layer the logits, whose softmax is fused with the loss or applied by
     * the caller.
     */
    static void forward(Kernels k, DenseLayer layer, int r0, int rows, float[] x, float[] p, float[] y) {
        int in = layer.in();
        int out = layer.out();
        k.matmul(rows, out, in, x, r0 * in, in, p, layer.weightOffset(), out, y, r0 * out, out, false);
        switch (layer.activation()) {
            case RELU:
                k.addBiasRelu(rows, out, y, r0 * out, out, p, layer.biasOffset());
                break;
            case SOFTMAX:
                k.addBias(rows, out, y, r0 * out, out, p, layer.biasOffset());
                break;
            default:
                throw new IllegalStateException("no forward pass for " + layer.activation());
        }
    }

    /**
     * Rows {@code r0 … r0+rows−1} of the input gradient, given {@code dY[·×out]}, the gradient of the loss
     * with respect to this layer's pre-activation:
     * <pre>   dX[·×in] = (dY · W[in×out]ᵀ) ⊙ act'(X)</pre>
     * where {@code X} is this layer's input, the output of the previous layer and its activation
     * {@code inputActivation}; for ReLU, {@code act'(X) = [X > 0]}.
     */
    static void inputGradient(Kernels k, DenseLayer layer, Activation inputActivation, int r0, int rows, float[] x,
                              float[] dy, float[] p, float[] dx) {
        int in = layer.in();
        int out = layer.out();
        k.matmulTransB(rows, in, out, dy, r0 * out, out, p, layer.weightOffset(), out, dx, r0 * in, in, false);
        switch (inputActivation) {
            case RELU:
                k.reluBackward(rows, in, dx, r0 * in, in, x, r0 * in, in);
                break;
            default:
                throw new IllegalStateException("no hidden layer ends in " + inputActivation);
        }
    }

    /**
     * Rows {@code i0 … i1−1} of the weight gradient over a batch of {@code rows} samples:
     * <pre>   dW[in×out] = X[rows×in]ᵀ · dY[rows×out]   (the sum over samples of the outer products x·dyᵀ)</pre>
     * overwriting {@code g} at the layer's weight offset. Each element sums the samples in increasing order.
     */
    static void weightGradient(Kernels k, DenseLayer layer, int rows, int i0, int i1, float[] x, float[] dy,
                               float[] g) {
        int in = layer.in();
        int out = layer.out();
        k.matmulTransA(i1 - i0, out, rows, x, i0, in, dy, 0, out, g, layer.weightOffset() + i0 * out, out, false);
    }

    /** {@code db[out] = Σ_rows dY}, overwriting {@code g} at the layer's bias offset. */
    static void biasGradient(Kernels k, DenseLayer layer, int rows, float[] dy, float[] g) {
        k.columnSums(rows, layer.out(), dy, 0, layer.out(), g, layer.biasOffset(), false);
    }
}
