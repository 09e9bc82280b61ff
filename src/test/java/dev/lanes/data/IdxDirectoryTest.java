package dev.lanes.data;

import static dev.lanes.data.Fixtures.gzip;
import static dev.lanes.data.Fixtures.idxImages;
import static dev.lanes.data.Fixtures.idxLabels;
import static dev.lanes.data.Fixtures.inputError;
import static dev.lanes.data.Fixtures.randomBytes;
import static dev.lanes.data.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of the four MNIST-named IDX files, good and bad. */
class IdxDirectoryTest {

    @TempDir
    Path dir;

    private final byte[] trainPixels = randomBytes(6 * 3 * 4, 1);
    private final int[] trainLabels = {0, 1, 2, 3, 4, 2};
    private final byte[] testPixels = randomBytes(2 * 3 * 4, 2);
    private final int[] testLabels = {4, 0};

    /** Writes a valid folder; {@code gz} picks, per file, whether it is gzip-compressed and named .gz. */
    private void writeAll(boolean... gz) {
        file(IdxDirectory.TRAIN_IMAGES, idxImages(6, 3, 4, trainPixels), gz[0]);
        file(IdxDirectory.TRAIN_LABELS, idxLabels(trainLabels), gz[1]);
        file(IdxDirectory.TEST_IMAGES, idxImages(2, 3, 4, testPixels), gz[2]);
        file(IdxDirectory.TEST_LABELS, idxLabels(testLabels), gz[3]);
    }

    private Path file(String name, byte[] content, boolean gz) {
        return gz ? write(dir, name + ".gz", gzip(content)) : write(dir, name, content);
    }

    private void assertLoaded(TrainTest tt) {
        assertArrayEquals(trainPixels, tt.train().pixels());
        assertArrayEquals(trainLabels, tt.train().labels());
        assertArrayEquals(testPixels, tt.test().pixels());
        assertArrayEquals(testLabels, tt.test().labels());
        assertEquals(3, tt.train().imageRows());
        assertEquals(4, tt.test().imageCols());
    }

    @Test
    void loadsAnyMixOfRawAndGzipFiles() throws Exception {
        writeAll(true, false, false, true);
        TrainTest tt = IdxDirectory.load(dir);
        assertLoaded(tt);
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz").toString(), tt.train().source());
        assertEquals(dir.resolve("t10k-images-idx3-ubyte").toString(), tt.test().source());
    }

    @Test
    void prefersTheUncompressedFileWhenBothExist() throws Exception {
        writeAll(false, false, false, false);
        // A .gz beside the raw file that would fail to load: proves the raw one is the one read.
        write(dir, IdxDirectory.TRAIN_IMAGES + ".gz", new byte[] {1, 2, 3});
        assertLoaded(IdxDirectory.load(dir));
    }

    @Test
    void missingDirectory() {
        Path d = dir.resolve("no-such-folder");
        inputError(() -> IdxDirectory.load(d), "no-such-folder", "no such directory");
    }

    @Test
    void fileInsteadOfDirectory() {
        Path f = write(dir, "plain-file", new byte[] {1});
        inputError(() -> IdxDirectory.load(f), "plain-file", "not a directory");
    }

    @Test
    void directoryMissingOneFile() throws Exception {
        writeAll(false, false, true, false);
        Files.delete(dir.resolve(IdxDirectory.TEST_IMAGES + ".gz"));
        inputError(() -> IdxDirectory.load(dir), dir.toString(), "missing t10k-images-idx3-ubyte", ".gz");
    }

    @Test
    void emptyDirectoryNamesAllFourFiles() {
        inputError(() -> IdxDirectory.load(dir), "missing train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte");
    }

    @Test
    void labelCountDiffersFromImageCount() {
        writeAll(false, false, false, false);
        write(dir, IdxDirectory.TEST_LABELS, idxLabels(new int[] {1, 2, 3}));
        inputError(() -> IdxDirectory.load(dir), "t10k-labels-idx1-ubyte", "byte offset 4", "declares 3 labels",
                "t10k-images-idx3-ubyte declares 2 images");
    }

    @Test
    void trainAndTestImagesOfDifferentSizes() {
        writeAll(false, false, false, false);
        write(dir, IdxDirectory.TEST_IMAGES, idxImages(2, 4, 3, testPixels));
        inputError(() -> IdxDirectory.load(dir), "t10k-images-idx3-ubyte", "byte offset 8", "test images are 4x3",
                "training images", "are 3x4");
    }

    @Test
    void testLabelAboveTheTrainingClasses() {
        writeAll(false, false, false, true);
        // Training labels go up to 4, so there are 5 classes; test image 1 has label 5.
        write(dir, IdxDirectory.TEST_LABELS + ".gz", gzip(idxLabels(new int[] {4, 5})));
        inputError(() -> IdxDirectory.load(dir), "t10k-labels-idx1-ubyte.gz", "decompressed byte offset 9",
                "label 5 of test image 1", "not below 5");
    }

    @Test
    void aBadFileInsideTheFolderIsNamed() {
        writeAll(false, false, false, false);
        write(dir, IdxDirectory.TRAIN_LABELS, new byte[0]);
        inputError(() -> IdxDirectory.load(dir), "train-labels-idx1-ubyte", "empty file");
    }

    @Test
    void aDirectoryWhereAFileShouldBe() throws Exception {
        writeAll(false, false, false, false);
        Files.delete(dir.resolve(IdxDirectory.TRAIN_IMAGES));
        Files.createDirectory(dir.resolve(IdxDirectory.TRAIN_IMAGES));
        inputError(() -> IdxDirectory.load(dir), "train-images-idx3-ubyte", "is a directory");
    }
}
