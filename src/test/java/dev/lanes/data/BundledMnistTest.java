package dev.lanes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The MNIST shipped in {@code data/mnist}: the files are the published ones, and the reader gets out of
 * them what an independent decoder (the JDK's GZIPInputStream) does and what is known of MNIST.
 */
class BundledMnistTest {

    /** SHA-256 of the uncompressed files, as published with the data (see data/README.md). */
    private static final String[][] SHA256 = {
        {"train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
        {"train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
        {"t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
        {"t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
    };

    /** Label histograms of MNIST, as widely published (e.g. 6742 ones in the training set). */
    private static final int[] TRAIN_HISTOGRAM = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] TEST_HISTOGRAM = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        }
    }

    @Test
    void shippedFilesDecompressToThePublishedBytes() throws Exception {
        for (String[] f : SHA256) {
            Path gz = BundledMnist.dir().resolve(f[0] + ".gz");
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(gunzip(gz));
            assertEquals(f[1], HexFormat.of().formatHex(sha), gz.toString());
        }
    }

    @Test
    void sizesAndShapes() {
        TrainTest tt = BundledMnist.get();
        assertEquals(60_000, tt.train().size());
        assertEquals(10_000, tt.test().size());
        for (Dataset d : new Dataset[] {tt.train(), tt.test()}) {
            assertEquals(28, d.imageRows());
            assertEquals(28, d.imageCols());
            assertTrue(d.hasLabels());
            assertEquals(10, d.classCount());
        }
    }

    @Test
    void knownLabels() {
        TrainTest tt = BundledMnist.get();
        assertEquals(5, tt.train().label(0));
        assertEquals(0, tt.train().label(1));
        assertEquals(7, tt.test().label(0));
        assertEquals(2, tt.test().label(1));
        assertArrayEquals(TRAIN_HISTOGRAM, histogram(tt.train()));
        assertArrayEquals(TEST_HISTOGRAM, histogram(tt.test()));
    }

    private static int[] histogram(Dataset d) {
        int[] h = new int[10];
        for (int l : d.labels()) {
            h[l]++; // a label outside 0..9 throws here
        }
        return h;
    }

    @Test
    void everyByteMatchesAnIndependentDecoder() throws Exception {
        TrainTest tt = BundledMnist.get();
        Path dir = BundledMnist.dir();
        byte[] trainImages = gunzip(dir.resolve("train-images-idx3-ubyte.gz"));
        byte[] testImages = gunzip(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertTrue(Arrays.equals(trainImages, 16, trainImages.length, tt.train().pixels(), 0, tt.train().pixels().length));
        assertTrue(Arrays.equals(testImages, 16, testImages.length, tt.test().pixels(), 0, tt.test().pixels().length));
        byte[] trainLabels = gunzip(dir.resolve("train-labels-idx1-ubyte.gz"));
        for (int i = 0; i < 60_000; i++) {
            assertEquals(trainLabels[8 + i], tt.train().label(i));
        }
    }

    @Test
    void theBundledFolderIsFound() throws Exception {
        Path found = IdxDirectory.bundled();
        assertEquals(BundledMnist.dir().toRealPath(), found.toRealPath());
    }
}
