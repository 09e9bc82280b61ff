package dev.lanes.network;

/**
 * One dense layer of a {@link Network}, as a named view of the network's flat parameter array:
 * <pre>   Y[·×out] = activation(X[·×in] · W[in×out] + b[out])</pre>
 * with {@code W} a row-major block of {@code in·out} floats at {@code weightOffset} and {@code b} the
 * {@code out} floats at {@code biasOffset}.
 *
 * @param in           input width
 * @param out          output width
 * @param weightOffset where {@code W} starts in {@link Network#parameters()}
 * @param biasOffset   where {@code b} starts
 * @param activation   what follows the affine map: ReLU for a hidden layer; softmax for the output
 *                     layer, which the loss applies together with the cross-entropy
 */
public record DenseLayer(int in, int out, int weightOffset, int biasOffset, Activation activation) {

    /** @return the layer's parameter count, {@code in·out + out} */
    public int parameters() {
        return in * out + out;
    }
}
