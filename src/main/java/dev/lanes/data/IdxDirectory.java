package dev.lanes.data;

import dev.lanes.InputException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a folder laid out like the MNIST distribution: the four files {@value #TRAIN_IMAGES},
 * {@value #TRAIN_LABELS}, {@value #TEST_IMAGES} and {@value #TEST_LABELS}, each either as named or
 * with {@code .gz} (when both exist the uncompressed one is used, as download tools often keep both).
 * Whether a file is actually compressed is read from its bytes, not its name.
 *
 * <p>Before any data is decoded the four headers are checked against each other: each label count
 * must equal its image count and the test images must have the training images' size.
 *
 * <p>Label rule: the class count is taken from the training labels (largest training label + 1), so a
 * folder of any IDX classification data works, not only the ten digits; every test label must be below
 * it, because a network with that many outputs could never predict a larger one and its accuracy on
 * such a test set would be meaningless.
 */
public final class IdxDirectory {

    /** File name of the training images. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** File name of the training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** File name of the test images. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** File name of the test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Where the bundled MNIST lives, relative to the repository (and working directory of a checkout). */
    public static final Path BUNDLED = Path.of("data", "mnist");

    private IdxDirectory() {
    }

    /**
     * Loads the training and test sets of a folder.
     *
     * @param dir the folder
     * @return both sets, labelled; each data set's source is its images file
     * @throws InputException if the folder or any of its four files is missing, unreadable or bad, or the
     *                        files disagree with each other
     */
    public static TrainTest load(Path dir) throws InputException {
        requireFolder(dir);
        List<String> missing = new ArrayList<>();
        Path trainImages = find(dir, TRAIN_IMAGES, missing);
        Path trainLabels = find(dir, TRAIN_LABELS, missing);
        Path testImages = find(dir, TEST_IMAGES, missing);
        Path testLabels = find(dir, TEST_LABELS, missing);
        if (!missing.isEmpty()) {
            throw Inputs.error(dir, "missing " + String.join(", ", missing)
                    + " (each file may also be gzip-compressed with the extra suffix .gz)");
        }
        try (IdxFile trl = IdxFile.open(trainLabels, IdxFile.Kind.LABELS);
             IdxFile tri = IdxFile.open(trainImages, IdxFile.Kind.IMAGES);
             IdxFile tel = IdxFile.open(testLabels, IdxFile.Kind.LABELS);
             IdxFile tei = IdxFile.open(testImages, IdxFile.Kind.IMAGES)) {
            Idx.requireSameCount(tri, trl);
            Idx.requireSameCount(tei, tel);
            if (tei.rows != tri.rows || tei.cols != tri.cols) {
                throw Inputs.error(testImages, tei.at(8) + ": test images are " + tei.rows + "x" + tei.cols
                        + " but the training images (" + trainImages + ") are " + tri.rows + "x" + tri.cols);
            }
            int[] trainY = trl.readLabels();
            int classes = 0;
            for (int y : trainY) {
                classes = Math.max(classes, y + 1);
            }
            int[] testY = tel.readLabels();
            for (int i = 0; i < testY.length; i++) {
                if (testY[i] >= classes) {
                    throw Inputs.error(testLabels, tel.at(tel.offsetOf(i)) + ": label " + testY[i] + " of test image " + i
                            + " is not below " + classes + ", the class count of the training labels (largest + 1)");
                }
            }
            Dataset train = new Dataset(trainImages.toString(), tri.readData(), trainY, tri.count, tri.rows, tri.cols);
            Dataset test = new Dataset(testImages.toString(), tei.readData(), testY, tei.count, tei.rows, tei.cols);
            return new TrainTest(train, test);
        }
    }

    /**
     * Loads only the test set of a folder: the two files {@value #TEST_IMAGES} and {@value #TEST_LABELS}
     * (each optionally {@code .gz}); the training files need not be there, as for evaluating a model.
     *
     * @param dir the folder
     * @return the labelled test set; its source is its images file
     * @throws InputException if the folder or either file is missing, unreadable or bad, or the counts differ
     */
    public static Dataset loadTest(Path dir) throws InputException {
        requireFolder(dir);
        List<String> missing = new ArrayList<>();
        Path testImages = find(dir, TEST_IMAGES, missing);
        Path testLabels = find(dir, TEST_LABELS, missing);
        if (!missing.isEmpty()) {
            throw Inputs.error(dir, "missing " + String.join(", ", missing)
                    + " (each file may also be gzip-compressed with the extra suffix .gz)");
        }
        try (IdxFile tel = IdxFile.open(testLabels, IdxFile.Kind.LABELS);
             IdxFile tei = IdxFile.open(testImages, IdxFile.Kind.IMAGES)) {
            Idx.requireSameCount(tei, tel);
            int[] testY = tel.readLabels();
            return new Dataset(testImages.toString(), tei.readData(), testY, tei.count, tei.rows, tei.cols);
        }
    }

    private static void requireFolder(Path dir) throws InputException {
        if (!Files.exists(dir)) {
            throw Inputs.error(dir, "no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw Inputs.error(dir, "not a directory (expected a folder holding " + TRAIN_IMAGES + ", " + TRAIN_LABELS
                    + ", " + TEST_IMAGES + " and " + TEST_LABELS + ", each optionally .gz)");
        }
    }

    /**
     * Finds the bundled MNIST folder: {@link #BUNDLED} under the working directory, else under the
     * folder that holds the build output this class was loaded from (so that
     * {@code java -jar target/engine.jar} finds it from anywhere).
     *
     * @return the folder
     * @throws InputException if neither place has it
     */
    public static Path bundled() throws InputException {
        List<Path> tried = new ArrayList<>();
        tried.add(BUNDLED);
        Path home = codeHome();
        if (home != null) {
            tried.add(home.resolve(BUNDLED));
        }
        for (Path p : tried) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new InputException(Inputs.oneLine("bundled MNIST not found (looked in " + tried
                + "); give the folder holding the four MNIST IDX files explicitly"));
    }

    /** @return the folder above the jar or class folder this class came from (e.g. a checkout's root), or null */
    private static Path codeHome() {
        try {
            CodeSource cs = IdxDirectory.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null || !"file".equals(cs.getLocation().getProtocol())) {
                return null;
            }
            Path code = Path.of(cs.getLocation().toURI()).toAbsolutePath();
            Path buildDir = code.getParent();
            return buildDir == null ? null : buildDir.getParent();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Path find(Path dir, String name, List<String> missing) {
        Path raw = dir.resolve(name);
        if (Files.exists(raw)) {
            return raw;
        }
        Path gz = dir.resolve(name.concat(".gz")); // concat(): no string-concatenation bootstrap on the load path
        if (Files.exists(gz)) {
            return gz;
        }
        missing.add(name);
        return null;
    }
}
