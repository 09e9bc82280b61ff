package dev.lanes.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One training example as Spark carries it: a class label and the image's unsigned pixels, row-major.
 *
 * @param label  the class, ≥ 0
 * @param pixels the pixels, one unsigned byte each (0 to 255)
 */
public record LabeledImage(int label, byte[] pixels) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that the pixels are present. */
    public LabeledImage {
        Objects.requireNonNull(pixels, "pixels");
    }
}
