package dev.lanes.data;

import dev.lanes.InputException;
import java.nio.file.Path;

/**
 * Reads IDX files, the format of MNIST (and Fashion-MNIST, EMNIST, …): a big-endian header (magic
 * {@code 0x00000803} and count, rows, columns for images; {@code 0x00000801} and count for labels)
 * followed by one unsigned byte per pixel or label. Files may be gzip-compressed; that is recognised
 * from their first bytes, whatever their name.
 *
 * <p>Every problem (missing or unreadable file, wrong magic, header sizes that disagree with the file
 * length or with each other, truncation, trailing garbage, corrupt gzip) is an {@link InputException}
 * whose one-line message names the file and the byte offset. Offsets into a gzip file's content are
 * given as "decompressed byte offset"; offsets into the compressed stream itself as "compressed byte
 * offset".
 */
public final class Idx {

    private Idx() {
    }

    /**
     * Reads an IDX images file.
     *
     * @param images the file, raw or gzip
     * @return its images, without labels; the data set's source is the file name
     * @throws InputException if the file cannot be read or is not valid IDX images
     */
    public static Dataset readImages(Path images) throws InputException {
        try (IdxFile f = IdxFile.open(images, IdxFile.Kind.IMAGES)) {
            return new Dataset(images.toString(), f.readData(), null, f.count, f.rows, f.cols);
        }
    }

    /**
     * Reads an IDX labels file.
     *
     * @param labels the file, raw or gzip
     * @return one label (0..255) per item
     * @throws InputException if the file cannot be read or is not valid IDX labels
     */
    public static int[] readLabels(Path labels) throws InputException {
        try (IdxFile f = IdxFile.open(labels, IdxFile.Kind.LABELS)) {
            return f.readLabels();
        }
    }

    /**
     * Reads matching images and labels files. Both headers are checked against each other before any
     * data is decoded.
     *
     * @param images the images file, raw or gzip
     * @param labels the labels file, raw or gzip
     * @return the labelled images; the data set's source is the images file name
     * @throws InputException if either file is bad or their counts differ
     */
    public static Dataset read(Path images, Path labels) throws InputException {
        try (IdxFile l = IdxFile.open(labels, IdxFile.Kind.LABELS);
             IdxFile i = IdxFile.open(images, IdxFile.Kind.IMAGES)) {
            requireSameCount(i, l);
            int[] y = l.readLabels();
            return new Dataset(images.toString(), i.readData(), y, i.count, i.rows, i.cols);
        }
    }

    static void requireSameCount(IdxFile images, IdxFile labels) throws InputException {
        if (images.count != labels.count) {
            throw Inputs.error(labels.file, labels.at(4) + ": the header declares " + labels.count
                    + " labels but " + images.file + " declares " + images.count + " images");
        }
    }
}
