package dev.lanes.network;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.Datasets;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A multi-layer perceptron: dense layers with ReLU between them and softmax at the output.
 *
 * <p>All parameters live in one {@code float[]} so that an optimizer step or a gradient reduction is a
 * single kernel call; {@link #layer(int)} names each layer's part of it. Layer {@code l} maps
 * {@code sizes[l]} inputs to {@code sizes[l+1]} outputs; its weights are a row-major
 * {@code sizes[l] × sizes[l+1]} block (so the forward pass is {@code Z = X·W}) followed by its
 * {@code sizes[l+1]} biases.
 */
public final class Network {

    private final int[] sizes;
    private final float[] params;
    private final DenseLayer[] layers;
    /** Per-thread single-image scratch for {@link #predict}: concurrent callers never share buffers. */
    private final ThreadLocal<Workspace> single;

    /**
     * Wraps existing parameters.
     *
     * @param sizes  layer widths: inputs, the hidden layers, classes (at least two entries, all ≥ 1)
     * @param params the parameters in the layout described above; used, not copied
     * @throws IllegalArgumentException if the sizes are invalid or {@code params} has the wrong length
     */
    public Network(int[] sizes, float[] params) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a network needs at least an input and an output size");
        }
        this.sizes = sizes.clone();
        int count = sizes.length - 1;
        layers = new DenseLayer[count];
        long offset = 0;
        for (int l = 0; l < count; l++) {
            if (sizes[l] < 1 || sizes[l + 1] < 1) {
                throw new IllegalArgumentException("layer sizes must be ≥ 1: " + Arrays.toString(sizes));
            }
            long weights = offset;
            long biases = weights + (long) sizes[l] * sizes[l + 1];
            offset = biases + sizes[l + 1];
            if (offset > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("too many parameters: " + Arrays.toString(sizes));
            }
            layers[l] = new DenseLayer(sizes[l], sizes[l + 1], (int) weights, (int) biases,
                    l == count - 1 ? Activation.SOFTMAX : Activation.RELU);
        }
        if (params.length != offset) {
            throw new IllegalArgumentException("expected " + offset + " parameters, got " + params.length);
        }
        this.params = params;
        this.single = ThreadLocal.withInitial(() -> new Workspace(this, 1));
    }

    /**
     * Creates a network with freshly drawn weights.
     *
     * @param sizes layer widths: inputs, hidden layers, classes
     * @param init  the weight distribution
     * @param seed  the random seed; the same seed gives the same weights
     * @return the new network
     */
    public static Network create(int[] sizes, Init init, long seed) {
        Network net = new Network(sizes, new float[parameterCount(sizes)]);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < net.layers(); l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = net.weightOffset(l);
            int b = net.biasOffset(l);
            if (init == Init.HE) {
                double std = Math.sqrt(2.0 / in);
                for (int i = 0; i < in * out; i++) {
                    net.params[w + i] = (float) (gaussian(rng) * std);
                }
            } else {
                for (int i = 0; i < in * out; i++) {
                    net.params[w + i] = (float) (rng.nextDouble() - 0.5);
                }
                for (int i = 0; i < out; i++) {
                    net.params[b + i] = (float) (rng.nextDouble() - 0.5);
                }
            }
        }
        return net;
    }

    /** Box–Muller from the generator alone, so the draw is the same on every JDK. */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** The most parameters one network holds: they live in one Java array. */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 16;

    /**
     * @param sizes layer widths, each ≥ 1
     * @return the number of parameters such a network would have, however large (no overflow for
     *         any int widths), so that a caller can refuse a network before trying to create it
     */
    public static long parameters(int[] sizes) {
        long n = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            n += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return n;
    }

    /**
     * @param sizes layer widths
     * @return the number of parameters such a network has
     * @throws IllegalArgumentException if it exceeds {@link #MAX_PARAMETERS}
     */
    public static int parameterCount(int[] sizes) {
        long n = parameters(sizes);
        if (n > MAX_PARAMETERS) {
            throw new IllegalArgumentException("too many parameters: " + Arrays.toString(sizes));
        }
        return (int) n;
    }

    /** @return a deep copy */
    public Network copy() {
        return new Network(sizes, params.clone());
    }

    /** @return the layer widths: inputs, hidden layers, classes (a copy) */
    public int[] sizes() {
        return sizes.clone();
    }

    /** @return the number of dense layers */
    public int layers() {
        return sizes.length - 1;
    }

    /** @return the number of inputs (pixels per image) */
    public int inputs() {
        return sizes[0];
    }

    /** @return the number of classes (outputs) */
    public int classes() {
        return sizes[sizes.length - 1];
    }

    /**
     * @param layer a layer index
     * @return that layer's input width
     */
    public int layerInputs(int layer) {
        return layers[layer].in();
    }

    /**
     * @param layer a layer index
     * @return that layer's output width
     */
    public int layerOutputs(int layer) {
        return layers[layer].out();
    }

    /**
     * @param layer a layer index
     * @return that layer: its widths, where its weights and biases are, its activation
     */
    public DenseLayer layer(int layer) {
        return layers[layer];
    }

    /**
     * @param layer a layer index
     * @return the activation after that layer: ReLU for hidden layers, softmax for the last
     */
    public Activation activation(int layer) {
        return layers[layer].activation();
    }

    /** @return the live parameter array (weights and biases of every layer) */
    public float[] parameters() {
        return params;
    }

    /** @return the total number of parameters */
    public int parameterCount() {
        return params.length;
    }

    /**
     * @param rows images
     * @return the floating-point operations of a forward pass over them: two per weight per image
     */
    public long forwardFlops(long rows) {
        long weights = 0;
        for (int l = 0; l < layers(); l++) {
            weights += (long) layerInputs(l) * layerOutputs(l);
        }
        return 2 * weights * rows;
    }

    /**
     * @param layer a layer index
     * @return the offset of that layer's {@code inputs × outputs} weight block in {@link #parameters()}
     */
    public int weightOffset(int layer) {
        return layers[layer].weightOffset();
    }

    /**
     * @param layer a layer index
     * @return the offset of that layer's biases in {@link #parameters()}
     */
    public int biasOffset(int layer) {
        return layers[layer].biasOffset();
    }

    /** @return whether every parameter is finite */
    public boolean isFinite() {
        for (float p : params) {
            if (!Float.isFinite(p)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- passes

    /**
     * Forward pass over the first {@code rows} samples of {@code ws.input()}: leaves the output layer's
     * logits in {@code ws.output()} and the predicted classes in {@code ws.predictions()}.
     *
     * @param k    the kernels to run on
     * @param ws   a workspace for this network with capacity ≥ {@code rows}
     * @param rows the number of samples
     */
    public void forward(Kernels k, Workspace ws, int rows) {
        forward(k, ws, 0, rows);
    }

    /**
     * Forward pass over samples {@code r0 … r0+rows−1} of {@code ws.input()}, touching only those rows
     * of the workspace, so that threads may run disjoint row blocks of one workspace at once.
     *
     * @param k    the kernels to run on
     * @param ws   a workspace for this network with capacity ≥ {@code r0 + rows}
     * @param r0   the first sample
     * @param rows the number of samples
     */
    public void forward(Kernels k, Workspace ws, int r0, int rows) {
        for (int l = 0; l < layers(); l++) {
            Dense.forward(k, layers[l], r0, rows, ws.acts[l], params, ws.acts[l + 1]);
        }
        k.argmaxRows(rows, classes(), ws.output(), r0 * classes(), classes(), ws.predictions, r0);
    }

    /**
     * Loss and backward pass after {@link #forward}: softmax cross-entropy against {@code ws.labels()},
     * then every layer's gradient into {@code grads} (same layout as {@link #parameters()}, overwritten).
     * Destroys the logits. The single-threaded composition of {@link #outputGradient},
     * {@link #backpropagate}, {@link #weightGradient} and {@link #biasGradient}.
     *
     * @param k     the kernels to run on
     * @param ws    the workspace the forward pass used
     * @param rows  the number of samples
     * @param scale the factor on the loss gradient: {@code 1/B} for the mean over a batch of {@code B}
     * @param grads receives the gradient of {@code scale · Σ loss}
     * @return the sum of the per-sample losses of these rows
     */
    public double backward(Kernels k, Workspace ws, int rows, float scale, float[] grads) {
        double loss = outputGradient(k, ws, 0, rows, scale);
        backpropagate(k, ws, 0, rows);
        for (int l = 0; l < layers(); l++) {
            weightGradient(k, ws, rows, l, 0, sizes[l], grads);
            biasGradient(k, ws, rows, l, grads);
        }
        return loss;
    }

    /**
     * Softmax cross-entropy of samples {@code r0 … r0+rows−1} after {@link #forward}: writes
     * {@code scale·(softmax − onehot)} as the output layer's pre-activation gradient, destroying the logits.
     *
     * @param k     the kernels to run on
     * @param ws    the workspace the forward pass used
     * @param r0    the first sample
     * @param rows  the number of samples
     * @param scale the factor on the loss gradient: {@code 1/B} for the mean over a batch of {@code B}
     * @return the sum of these samples' losses
     */
    public double outputGradient(Kernels k, Workspace ws, int r0, int rows, float scale) {
        int c = classes();
        return k.softmaxCrossEntropy(rows, c, ws.output(), r0 * c, c, ws.labels, r0,
                ws.deltas[layers() - 1], r0 * c, c, scale);
    }

    /**
     * Carries the output gradient of samples {@code r0 … r0+rows−1} back through every layer: each
     * hidden layer's pre-activation gradient, for those rows only. Uses the weights, so it must run
     * before they are updated.
     *
     * @param k    the kernels to run on
     * @param ws   the workspace of {@link #outputGradient}
     * @param r0   the first sample
     * @param rows the number of samples
     */
    public void backpropagate(Kernels k, Workspace ws, int r0, int rows) {
        for (int l = layers() - 1; l > 0; l--) {
            Dense.inputGradient(k, layers[l], layers[l - 1].activation(), r0, rows, ws.acts[l], ws.deltas[l], params,
                    ws.deltas[l - 1]);
        }
    }

    /**
     * Rows {@code i0 … i1−1} of layer {@code layer}'s weight gradient,
     * summed over the first {@code rows} samples, after {@link #backpropagate} has run for all of them.
     * Disjoint row ranges may be computed by different threads at once.
     *
     * @param k      the kernels to run on
     * @param ws     the workspace of the backward pass
     * @param rows   the batch size
     * @param layer  the layer
     * @param i0     the first row of {@code dW} (an input unit of the layer)
     * @param i1     one past the last row, at most {@link #layerInputs}{@code (layer)}
     * @param grads  receives the gradient at the layer's weight offset (same layout as {@link #parameters()})
     */
    public void weightGradient(Kernels k, Workspace ws, int rows, int layer, int i0, int i1, float[] grads) {
        Dense.weightGradient(k, layers[layer], rows, i0, i1, ws.acts[layer], ws.deltas[layer], grads);
    }

    /**
     * Layer {@code layer}'s bias gradient, summed over the first {@code rows} samples, after
     * {@link #backpropagate} has run for all of them.
     *
     * @param k     the kernels to run on
     * @param ws    the workspace of the backward pass
     * @param rows  the batch size
     * @param layer the layer
     * @param grads receives the gradient at the layer's bias offset
     */
    public void biasGradient(Kernels k, Workspace ws, int rows, int layer, float[] grads) {
        Dense.biasGradient(k, layers[layer], rows, ws.deltas[layer], grads);
    }

    /**
     * The cross-entropy after {@link #forward}, against {@code ws.labels()}, without a backward pass.
     *
     * @param k    the kernels to run on
     * @param ws   the workspace the forward pass used
     * @param rows the number of samples
     * @return the sum of the per-sample losses
     */
    public double loss(Kernels k, Workspace ws, int rows) {
        return k.softmaxCrossEntropy(rows, classes(), ws.output(), 0, classes(), ws.labels, 0,
                ws.deltas[layers() - 1], 0, classes(), 1f);
    }

    // ---------------------------------------------------------------- inference

    /**
     * Classifies one image of unsigned pixels. Safe to call from many threads at once.
     *
     * @param pixels the array holding the image
     * @param offset where the image's {@link #inputs()} bytes start
     * @return the predicted class
     */
    public int predict(byte[] pixels, int offset) {
        Workspace ws = single.get();
        Kernels k = KernelsProvider.forWork(forwardFlops(1));
        k.bytesToFloats(inputs(), pixels, offset, ws.input(), 0);
        forward(k, ws, 1);
        return ws.predictions[0];
    }

    /**
     * Class probabilities for one image of floats (pixels scaled to [0, 1]). Safe to call from many
     * threads at once.
     *
     * @param image {@link #inputs()} values
     * @return {@link #classes()} probabilities summing to 1
     */
    public float[] probabilities(float[] image) {
        if (image.length != inputs()) {
            throw new IllegalArgumentException("expected " + inputs() + " inputs, got " + image.length);
        }
        Workspace ws = single.get();
        Kernels k = KernelsProvider.forWork(forwardFlops(1));
        System.arraycopy(image, 0, ws.input(), 0, image.length);
        forward(k, ws, 1);
        float[] out = Arrays.copyOf(ws.output(), classes());
        k.softmax(1, classes(), out, 0, classes());
        return out;
    }

    private void requireInputs(Dataset data) {
        try {
            Datasets.requireInputs(data, inputs(), "the network");
        } catch (InputException e) {
            // A caller that passes data it has not checked has a bug, not bad input.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Classifies every image of a data set. Safe to call from many threads at once.
     *
     * @param data images with {@link #inputs()} pixels each
     * @return the predicted class of each image
     */
    public int[] predict(Dataset data) {
        requireInputs(data);
        Kernels k = KernelsProvider.forWork(forwardFlops(data.size()));
        int block = Math.min(256, Math.max(1, data.size()));
        Workspace ws = new Workspace(this, block);
        int[] out = new int[data.size()];
        for (int start = 0; start < data.size(); start += block) {
            int rows = Math.min(block, data.size() - start);
            k.bytesToFloats(rows * inputs(), data.pixels(), start * inputs(), ws.input(), 0);
            forward(k, ws, rows);
            System.arraycopy(ws.predictions, 0, out, start, rows);
        }
        return out;
    }

    /**
     * Class probabilities of every image of a data set. Safe to call from many threads at once.
     *
     * @param data images with {@link #inputs()} pixels each
     * @return {@code data.size() × classes()} probabilities, row-major: row {@code i} sums to 1 and its
     *         largest entry is at {@code predict(data)[i]}
     */
    public float[] probabilities(Dataset data) {
        requireInputs(data);
        Kernels k = KernelsProvider.forWork(forwardFlops(data.size()));
        int classes = classes();
        int block = Math.min(256, Math.max(1, data.size()));
        Workspace ws = new Workspace(this, block);
        float[] out = new float[Math.multiplyExact(data.size(), classes)];
        for (int start = 0; start < data.size(); start += block) {
            int rows = Math.min(block, data.size() - start);
            k.bytesToFloats(rows * inputs(), data.pixels(), start * inputs(), ws.input(), 0);
            forward(k, ws, rows);
            System.arraycopy(ws.output(), 0, out, start * classes, rows * classes);
            k.softmax(rows, classes, out, start * classes, classes);
        }
        return out;
    }
}
