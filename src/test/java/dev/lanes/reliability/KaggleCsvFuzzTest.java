package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanes.data.Dataset;
import dev.lanes.data.KaggleCsv;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the Kaggle CSV reader ({@link KaggleCsv}), differential against
 * {@link #reference}, the documented rules written as plainly as possible: for uncompressed input the
 * two must agree on acceptance and on every pixel and label; gzip input that the reader accepts must
 * decompress (by the JDK) to a file the reference accepts with the same content. {@link #gzippedCsv}
 * compresses each input first, so that the fuzzer explores CSV content behind a valid gzip wrapper.
 * Rejections must be one-line {@link dev.lanes.InputException}s and allocation must follow the real
 * data.
 */
class KaggleCsvFuzzTest {

    @TempDir(factory = FuzzSupport.MemoryTempDir.class)
    static Path dir;

    @FuzzTest
    void csv(byte[] input) {
        FuzzSupport.limited(() -> check(input, FuzzSupport.isGzip(input) ? null : input));
    }

    /** The input gzip-compressed: the CSV content behind a valid gzip wrapper. */
    @FuzzTest
    void gzippedCsv(byte[] input) {
        FuzzSupport.limited(() -> check(FuzzSupport.gzip(input), input));
    }

    /**
     * @param bytes   the file
     * @param content what it holds once decompressed, where that is known to be all there is (raw
     *                input, or a valid gzip wrapper); null for gzip-looking fuzz input
     */
    private static void check(byte[] bytes, byte[] content) {
        Path file = FuzzSupport.write(dir.resolve("digits.csv"), bytes);
        FuzzSupport.Outcome<Dataset> o = FuzzSupport.readBounded(() -> KaggleCsv.read(file),
                FuzzSupport.dataBytes(bytes), "KaggleCsv.read");
        if (o.rejection() != null) {
            FuzzSupport.assertCleanRejection(o.rejection(), file.toString());
        }
        Dataset d = o.value();
        if (content == null && d == null) {
            return; // corrupt gzip is the reader's own business; the JDK stream is more lenient
        }
        Expected e = reference(content != null ? content : FuzzSupport.gunzip(bytes));
        assertEquals(e != null, d != null, () -> "the documented CSV rules decide acceptance; reference says "
                + (e == null ? "reject" : "accept"));
        if (d != null) {
            assertNotNull(e);
            assertEquals(e.rows, d.imageRows(), "image rows");
            assertEquals(e.cols, d.imageCols(), "image columns");
            assertArrayEquals(e.pixels, d.pixels(), "pixels");
            assertArrayEquals(e.labels, d.labels(), "labels");
        }
    }

    /** What the reference makes of a file. */
    record Expected(byte[] pixels, int[] labels, int rows, int cols) {
    }

    /**
     * The format as the reader's Javadoc states it: optional UTF-8 byte-order mark; a header
     * {@code label,pixel0,…,pixelN-1} or {@code pixel0,…,pixelN-1}; then rows of exactly as many decimal
     * integers 0..255; lines end in LF or CR LF, the last line's end is optional, blank lines only at
     * the end; at least one row. N = s² gives s×s images, else 1×N.
     *
     * @return the content, or null if the file breaks a rule
     */
    static Expected reference(byte[] b) {
        int start = b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf ? 3 : 0;
        List<String> lines = lines(b, start);
        if (lines.isEmpty()) {
            return null;
        }
        String[] header = lines.get(0).split(",", -1);
        int labelled = header[0].equals("label") ? 1 : 0;
        int features = header.length - labelled;
        if (features == 0) {
            return null;
        }
        for (int c = 0; c < features; c++) {
            if (!header[labelled + c].equals("pixel" + c)) {
                return null;
            }
        }
        int last = lines.size() - 1;
        while (last > 0 && lines.get(last).isEmpty()) {
            last--;
        }
        if (last == 0) {
            return null;
        }
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        int[] labels = new int[last];
        for (int r = 1; r <= last; r++) {
            String[] fields = lines.get(r).split(",", -1);
            if (fields.length != header.length) {
                return null;
            }
            for (int c = 0; c < fields.length; c++) {
                int v = value(fields[c]);
                if (v < 0) {
                    return null;
                }
                if (c < labelled) {
                    labels[r - 1] = v;
                } else {
                    pixels.write(v);
                }
            }
        }
        int side = (int) Math.round(Math.sqrt(features));
        boolean square = side * side == features;
        return new Expected(pixels.toByteArray(), labelled == 1 ? labels : null, square ? side : 1,
                square ? side : features);
    }

    /** Lines from {@code start}: each LF ends one (a CR just before it is dropped); a non-empty rest is the last. */
    private static List<String> lines(byte[] b, int start) {
        List<String> lines = new ArrayList<>();
        int from = start;
        for (int i = start; i < b.length; i++) {
            if (b[i] == '\n') {
                int end = i > from && b[i - 1] == '\r' ? i - 1 : i;
                lines.add(new String(Arrays.copyOfRange(b, from, end), StandardCharsets.ISO_8859_1));
                from = i + 1;
            }
        }
        if (from < b.length) {
            lines.add(new String(Arrays.copyOfRange(b, from, b.length), StandardCharsets.ISO_8859_1));
        }
        return lines;
    }

    /** @return the field's value if it is a decimal integer 0..255 (leading zeros allowed), else -1 */
    private static int value(String field) {
        if (field.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < field.length(); i++) {
            if (field.charAt(i) < '0' || field.charAt(i) > '9') {
                return -1;
            }
        }
        String digits = field.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 3) {
            return -1;
        }
        int v = Integer.parseInt(digits);
        return v <= KaggleCsv.MAX_VALUE ? v : -1;
    }
}
