package dev.lanes.benchmark;

import dev.lanes.data.Dataset;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The images the epoch cases train on, with a one-line description for the report.
 *
 * @param train       labelled images
 * @param description what they are, e.g. {@code synthetic: 60000 random 28x28 images with random labels}
 */
public record TrainingData(Dataset train, String description) {

    /** The size of MNIST's training set. */
    public static final int MNIST_IMAGES = 60_000;

    /** Checks that the images are labelled and that there are some. */
    public TrainingData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(description, "description");
        if (!train.hasLabels() || train.size() == 0) {
            throw new IllegalArgumentException(train.source() + ": the benchmark needs labelled images");
        }
    }

    /**
     * Images of MNIST's size and shape with uniformly random pixels and labels. Dense kernels do the
     * same work whatever the values, so the timing is that of MNIST; the accuracy would be meaningless,
     * and the benchmark does not report it.
     *
     * @param images how many 28×28 images
     * @param seed   the random seed
     * @return the data
     */
    public static TrainingData synthetic(int images, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[Math.multiplyExact(images, 28 * 28)];
        rng.nextBytes(pixels);
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new TrainingData(new Dataset("synthetic", pixels, labels, images, 28, 28),
                "synthetic: " + images + " random 28x28 uint8 images with random labels (timing only)");
    }

    /** @return {@link #synthetic(int, long)} at MNIST's training-set size */
    public static TrainingData syntheticMnist() {
        return synthetic(MNIST_IMAGES, 20_240_601L);
    }

    /** @return whether the images are random rather than loaded from files */
    public boolean isSynthetic() {
        return train.source().equals("synthetic");
    }

    /** @return the number of classes the labels imply, at least 2 */
    public int classes() {
        return Math.max(2, train.classCount());
    }
}
