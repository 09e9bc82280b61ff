package dev.lanes.network;

/**
 * Scratch buffers for running a network on up to {@link #capacity()} samples at once: one activation
 * buffer per layer, one gradient buffer per layer, labels and predictions. Sized once, it makes every
 * forward and backward pass allocation-free. Disjoint row blocks of one workspace may be worked on by
 * different threads at once (see {@link Network#forward(dev.lanes.kernels.Kernels, Workspace, int, int)}).
 */
public final class Workspace {

    /** {@code acts[l]}: {@code capacity × sizes[l]}; {@code acts[0]} is the input. */
    final float[][] acts;
    /** {@code deltas[l]}: {@code capacity × sizes[l+1]}, the loss gradient at layer {@code l}'s pre-activation. */
    final float[][] deltas;
    final int[] labels;
    final int[] predictions;
    private final int capacity;

    /**
     * @param network  the network whose layer widths size the buffers
     * @param capacity the most samples a single pass will hold
     */
    public Workspace(Network network, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be ≥ 1: " + capacity);
        }
        this.capacity = capacity;
        int[] sizes = network.sizes();
        acts = new float[sizes.length][];
        deltas = new float[sizes.length - 1][];
        for (int l = 0; l < sizes.length; l++) {
            acts[l] = new float[Math.multiplyExact(capacity, sizes[l])];
            if (l > 0) {
                deltas[l - 1] = new float[acts[l].length];
            }
        }
        labels = new int[capacity];
        predictions = new int[capacity];
    }

    /** @return the most samples one pass can hold */
    public int capacity() {
        return capacity;
    }

    /** @return the input buffer: {@code capacity × inputs} floats, row-major */
    public float[] input() {
        return acts[0];
    }

    /** @return the output buffer: {@code capacity × classes} logits or probabilities, row-major */
    public float[] output() {
        return acts[acts.length - 1];
    }

    /** @return the label buffer the loss reads, one per sample */
    public int[] labels() {
        return labels;
    }

    /** @return the predicted class of each sample, filled by {@link Network#forward} */
    public int[] predictions() {
        return predictions;
    }
}
