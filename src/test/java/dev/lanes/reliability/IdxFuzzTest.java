package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanes.data.Dataset;
import dev.lanes.data.Idx;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the IDX reader ({@link Idx}), raw and gzip. Each input is written to a
 * file (the reader reads paths) and must either load or be rejected with a one-line
 * {@link dev.lanes.InputException}; nothing else may escape, and allocation must follow the real data.
 *
 * <p>Oracles beyond "no crash": an accepted file re-encodes to exactly its (decompressed) bytes, and
 * for uncompressed input a plain reading of the format decides acceptance on its own, so the reader
 * may neither reject a valid file nor accept an invalid one. The {@code gzipped…} targets compress
 * each input first, so that the fuzzer works on the IDX content behind a valid gzip wrapper (where
 * the file length no longer bounds the header's claims) instead of on deflate streams. Seeds and past findings live in
 * {@code src/test/resources/dev/lanes/reliability/IdxFuzzTestInputs/}; see docs/fuzzing.md.
 */
class IdxFuzzTest {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    @TempDir(factory = FuzzSupport.MemoryTempDir.class)
    static Path dir;

    @FuzzTest
    void images(byte[] input) {
        FuzzSupport.limited(() -> checkImages(input, FuzzSupport.isGzip(input) ? null : input));
    }

    /** The input gzip-compressed: the fuzzer explores the IDX content behind a valid gzip wrapper. */
    @FuzzTest
    void gzippedImages(byte[] input) {
        FuzzSupport.limited(() -> checkImages(FuzzSupport.gzip(input), input));
    }

    @FuzzTest
    void labels(byte[] input) {
        FuzzSupport.limited(() -> checkLabels(input, FuzzSupport.isGzip(input) ? null : input));
    }

    @FuzzTest
    void gzippedLabels(byte[] input) {
        FuzzSupport.limited(() -> checkLabels(FuzzSupport.gzip(input), input));
    }

    /**
     * @param bytes   the file
     * @param content what it holds once decompressed, where that is known to be all there is (raw
     *                input, or a valid gzip wrapper); null for gzip-looking fuzz input
     */
    private static void checkImages(byte[] bytes, byte[] content) {
        Path file = FuzzSupport.write(dir.resolve("images-idx3-ubyte"), bytes);
        FuzzSupport.Outcome<Dataset> o = FuzzSupport.readBounded(() -> Idx.readImages(file),
                FuzzSupport.dataBytes(bytes), "Idx.readImages");
        if (o.rejection() != null) {
            FuzzSupport.assertCleanRejection(o.rejection(), file.toString());
            FuzzSupport.assertNoNegativeNumber(o.rejection());
        }
        Dataset d = o.value();
        if (content != null) {
            assertEquals(validRawImages(content), d != null, "the IDX images format decides acceptance");
        }
        if (d != null) {
            byte[] expected = content != null ? content : FuzzSupport.gunzip(bytes);
            assertArrayEquals(expected, encodeImages(d), "an accepted file is exactly its content");
        }
    }

    /** As {@link #checkImages}, for a labels file. */
    private static void checkLabels(byte[] bytes, byte[] content) {
        Path file = FuzzSupport.write(dir.resolve("labels-idx1-ubyte"), bytes);
        FuzzSupport.Outcome<int[]> o = FuzzSupport.readBounded(() -> Idx.readLabels(file),
                FuzzSupport.dataBytes(bytes), "Idx.readLabels");
        if (o.rejection() != null) {
            FuzzSupport.assertCleanRejection(o.rejection(), file.toString());
            FuzzSupport.assertNoNegativeNumber(o.rejection());
        }
        int[] labels = o.value();
        if (content != null) {
            assertEquals(validRawLabels(content), labels != null, "the IDX labels format decides acceptance");
        }
        if (labels != null) {
            byte[] expected = content != null ? content : FuzzSupport.gunzip(bytes);
            assertArrayEquals(expected, encodeLabels(labels), "an accepted file is exactly its content");
        }
    }

    /** The format, read plainly: magic, three non-zero big-endian sizes, exactly their product of bytes. */
    static boolean validRawImages(byte[] b) {
        if (b.length < 16) {
            return false;
        }
        ByteBuffer h = ByteBuffer.wrap(b);
        long count = Integer.toUnsignedLong(h.getInt(4));
        long rows = Integer.toUnsignedLong(h.getInt(8));
        long cols = Integer.toUnsignedLong(h.getInt(12));
        long data = b.length - 16L;
        // each factor of a product equal to data is at most data (< 2^31): no overflow below
        return h.getInt(0) == IMAGES_MAGIC && count > 0 && rows > 0 && cols > 0
                && count <= data && rows <= data && count * rows <= data && count * rows * cols == data;
    }

    /** Magic, a non-zero big-endian count, exactly that many bytes. */
    static boolean validRawLabels(byte[] b) {
        if (b.length < 8) {
            return false;
        }
        ByteBuffer h = ByteBuffer.wrap(b);
        long count = Integer.toUnsignedLong(h.getInt(4));
        return h.getInt(0) == LABELS_MAGIC && count > 0 && count == b.length - 8L;
    }

    static byte[] encodeImages(Dataset d) {
        ByteBuffer b = ByteBuffer.allocate(16 + d.pixels().length);
        b.putInt(IMAGES_MAGIC).putInt(d.size()).putInt(d.imageRows()).putInt(d.imageCols()).put(d.pixels());
        return b.array();
    }

    static byte[] encodeLabels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }
}
