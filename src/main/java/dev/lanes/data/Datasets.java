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
     * Requires a data set to fit a network: images with as many pixels as the network has inputs and,
     * where there are labels, every label below its class count. This is the one check every command and
     * the trainer make before putting data through a network.
     *
     * @param d       the data set
     * @param inputs  the network's inputs
     * @param classes the network's classes
     * @param network the network as the message names it, e.g. a model file or {@code "the network"}
     * @throws InputException naming the data set's source, the network and both sizes
     */
    public static void requireFits(Dataset d, int inputs, int classes, String network) throws InputException {
        requireInputs(d, inputs, network);
        if (d.hasLabels() && d.classCount() > classes) {
            throw new InputException(Inputs.oneLine(d.source() + ": label " + (d.classCount() - 1) + " is outside "
                    + network + "'s " + classes + " classes"));
        }
    }

    /**
     * As {@link #requireFits}, for the images alone: for prediction, where labels do not matter.
     *
     * @param d       the data set
     * @param inputs  the network's inputs
     * @param network the network as the message names it
     * @throws InputException naming the data set's source, the network and both sizes
     */
    public static void requireInputs(Dataset d, int inputs, String network) throws InputException {
        if (d.features() != inputs) {
            throw new InputException(Inputs.oneLine(d.source() + ": images have " + d.features() + " pixels but "
                    + network + " takes " + inputs));
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

    /**
     * Requires the labels to be the dense classes 0…max: the class count a network takes from them is
     * the largest label + 1, which is right only when every class below it occurs. One stray label
     * (a 255 among digits, say) would otherwise make a network of 256 classes without a word.
     *
     * @param d    labelled data
     * @param flag the option that sets the class count explicitly, named in the message
     * @throws InputException naming the label that leaves classes empty, its position and the classes seen
     */
    public static void requireDenseLabels(Dataset d, String flag) throws InputException {
        requireLabels(d);
        int[] labels = d.labels();
        int classes = d.classCount();
        long[] count = new long[classes];
        for (int label : labels) {
            count[label]++;
        }
        int firstEmpty = -1;
        for (int c = 0; c < classes; c++) {
            if (count[c] == 0) {
                firstEmpty = c;
                break;
            }
        }
        if (firstEmpty < 0) {
            return;
        }
        int above = firstEmpty + 1;
        while (count[above] == 0) {
            above++;
        }
        int at = 0;
        while (labels[at] != above) {
            at++;
        }
        int lastEmpty = above - 1;
        throw new InputException(Inputs.oneLine(d.source() + ": label " + above + " of image " + at
                + " (counting from 0) leaves class" + (lastEmpty > firstEmpty ? "es " + firstEmpty + "-" + lastEmpty
                : " " + firstEmpty) + " without a single image (classes seen: " + ranges(count)
                + "); if " + classes + " classes are meant, say " + flag + " " + classes));
    }

    /** @return the classes with images, as ranges: {@code 0-9, 255} */
    private static String ranges(long[] count) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < count.length; c++) {
            if (count[c] == 0) {
                continue;
            }
            int end = c;
            while (end + 1 < count.length && count[end + 1] > 0) {
                end++;
            }
            b.append(b.length() == 0 ? "" : ", ").append(c).append(end > c ? "-" + end : "");
            c = end;
        }
        return b.toString();
    }
}
