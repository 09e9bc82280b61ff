package dev.lanes.data;

import dev.lanes.InputException;

/** Checks that a command makes on data sets before using them together; each failure is a one-line input error. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Requires every label to be a valid class index, e.g. for a network with {@code classes} outputs.
     *
     * @param d       the data set
     * @param classes the number of classes, ≥ 1
     * @throws InputException naming the data set's source and the first image whose label is too large
     */
    public static void requireLabelsBelow(Dataset d, int classes) throws InputException {
        requireLabels(d);
        int[] labels = d.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new InputException(Inputs.oneLine(d.source() + ": image " + i + " (counting from 0) has label "
                        + labels[i] + ", but labels must be below " + classes + " (the number of classes)"));
            }
        }
    }

    /**
     * Requires labels, e.g. for training or for measuring accuracy.
     *
     * @param d the data set
     * @throws InputException if it has none
     */
    public static void requireLabels(Dataset d) throws InputException {
        if (!d.hasLabels()) {
            throw new InputException(Inputs.oneLine(d.source() + ": has no labels"));
        }
    }

    /**
     * Requires {@code other}'s images to have the size of {@code reference}'s (e.g. test and training
     * sets, or input and model).
     *
     * @param reference the data set that fixes the size
     * @param other     the data set checked
     * @throws InputException naming {@code other}'s source and both sizes
     */
    public static void requireSameImageSize(Dataset reference, Dataset other) throws InputException {
        if (other.imageRows() != reference.imageRows() || other.imageCols() != reference.imageCols()) {
            throw new InputException(Inputs.oneLine(other.source() + ": images are " + other.imageRows() + "x"
                    + other.imageCols() + " but those of " + reference.source() + " are " + reference.imageRows()
                    + "x" + reference.imageCols()));
        }
    }
}
