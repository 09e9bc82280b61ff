package dev.lanes.data;

import static dev.lanes.data.Fixtures.gzip;
import static dev.lanes.data.Fixtures.inputError;
import static dev.lanes.data.Fixtures.randomBytes;
import static dev.lanes.data.Fixtures.randomLabels;
import static dev.lanes.data.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kaggle "Digit Recognizer" CSV files, written as text here and read back. */
class KaggleCsvTest {

    @TempDir
    Path dir;

    /** The CSV text of images of {@code features} pixels, labelled when {@code labels != null}. */
    static String csv(byte[] pixels, int[] labels, int features, String eol, boolean finalEol) {
        StringBuilder s = new StringBuilder();
        if (labels != null) {
            s.append("label,");
        }
        for (int c = 0; c < features; c++) {
            s.append(c == 0 ? "" : ",").append("pixel").append(c);
        }
        int n = pixels.length / features;
        for (int i = 0; i < n; i++) {
            s.append(eol);
            if (labels != null) {
                s.append(labels[i]).append(',');
            }
            for (int c = 0; c < features; c++) {
                s.append(c == 0 ? "" : ",").append(pixels[i * features + c] & 0xff);
            }
        }
        if (finalEol) {
            s.append(eol);
        }
        return s.toString();
    }

    @Test
    void labelledTrainingFile() throws Exception {
        byte[] pixels = randomBytes(5 * 784, 1);
        int[] labels = randomLabels(5, 10, 2);
        Dataset d = KaggleCsv.readLabelled(write(dir, "train.csv", csv(pixels, labels, 784, "\n", true)));
        assertEquals(5, d.size());
        assertEquals(28, d.imageRows());
        assertEquals(28, d.imageCols());
        assertArrayEquals(pixels, d.pixels());
        assertArrayEquals(labels, d.labels());
        assertEquals(dir.resolve("train.csv").toString(), d.source());
    }

    @Test
    void unlabelledTestFileWithCrLfAndNoFinalLineEnd() throws Exception {
        byte[] pixels = randomBytes(4 * 784, 3);
        Dataset d = KaggleCsv.read(write(dir, "test.csv", csv(pixels, null, 784, "\r\n", false)));
        assertFalse(d.hasLabels());
        assertNull(d.labels());
        assertArrayEquals(pixels, d.pixels());
    }

    @Test
    void nonSquareRowsAreOneRowImages() throws Exception {
        byte[] pixels = randomBytes(3 * 5, 4);
        Dataset d = KaggleCsv.read(write(dir, "five.csv", csv(pixels, new int[] {0, 1, 2}, 5, "\n", true)));
        assertEquals(1, d.imageRows());
        assertEquals(5, d.imageCols());
        assertArrayEquals(pixels, d.pixels());
        Dataset square = KaggleCsv.read(write(dir, "nine.csv", csv(randomBytes(9, 5), null, 9, "\n", true)));
        assertEquals(3, square.imageRows());
    }

    @Test
    void byteOrderMarkTrailingBlankLinesLeadingZerosAndGzip() throws Exception {
        String text = "\uFEFFlabel,pixel0,pixel1\r\n3,007,255\r\n0,0,10\r\n\r\n\n";
        for (Path f : new Path[] {write(dir, "a.csv", text),
                write(dir, "a.csv.gz", gzip(text.getBytes(StandardCharsets.UTF_8)))}) {
            Dataset d = KaggleCsv.read(f);
            assertArrayEquals(new byte[] {7, (byte) 255, 0, 10}, d.pixels(), f.toString());
            assertArrayEquals(new int[] {3, 0}, d.labels(), f.toString());
        }
    }

    @Test
    void largeFileCrossesEveryBufferBoundary() throws Exception {
        // 1500 rows of 784 pixels, 4 MB: rows, fields and \r\n pairs straddle the 1 MiB blocks and
        // the row arrays grow (gzip: from a guess) many times.
        int n = 1500;
        byte[] pixels = randomBytes(n * 784, 6);
        int[] labels = randomLabels(n, 10, 7);
        String text = csv(pixels, labels, 784, "\r\n", true);
        Dataset raw = KaggleCsv.read(write(dir, "big.csv", text));
        assertArrayEquals(pixels, raw.pixels());
        assertArrayEquals(labels, raw.labels());
        Dataset gz = KaggleCsv.read(write(dir, "big.csv.gz", gzip(text.getBytes(StandardCharsets.US_ASCII))));
        assertArrayEquals(pixels, gz.pixels());
        assertArrayEquals(labels, gz.labels());
    }

    // ---- bad input ----

    @Test
    void tooFewColumns() {
        Path f = write(dir, "few.csv", "label,pixel0,pixel1,pixel2\n1,2,3,4\n5,6,7\n");
        inputError(() -> KaggleCsv.read(f), "few.csv", "row 3 has 3 columns, expected 4");
    }

    @Test
    void tooManyColumns() {
        Path f = write(dir, "many.csv", "pixel0,pixel1\n1,2,3,4\n");
        inputError(() -> KaggleCsv.read(f), "many.csv", "row 2 has 4 columns, expected 2");
    }

    @Test
    void nonIntegerPixel() {
        Path f = write(dir, "frac.csv", "label,pixel0,pixel1\n1,2,3\n1,0.5,3\n");
        inputError(() -> KaggleCsv.read(f), "frac.csv", "row 3, column 2 (pixel0)", "\"0.5\" is not an integer 0..255");
        Path g = write(dir, "word.csv", "pixel0,pixel1\n1, 2\n");
        inputError(() -> KaggleCsv.read(g), "word.csv", "row 2, column 2 (pixel1)", "\" 2\" is not an integer");
        Path h = write(dir, "gap.csv", "pixel0,pixel1,pixel2\n1,,2\n");
        inputError(() -> KaggleCsv.read(h), "gap.csv", "row 2, column 2 (pixel1)", "empty field");
    }

    @Test
    void pixelOutOfRange() {
        Path f = write(dir, "big.csv", "pixel0,pixel1\n1,256\n");
        inputError(() -> KaggleCsv.read(f), "big.csv", "row 2, column 2 (pixel1)", "pixel value 256 is out of range 0..255");
        Path g = write(dir, "neg.csv", "pixel0,pixel1\n-1,2\n");
        inputError(() -> KaggleCsv.read(g), "neg.csv", "row 2, column 1 (pixel0)", "pixel value -1 is out of range");
        Path h = write(dir, "huge.csv", "pixel0\n123456789012345678901234567890\n");
        inputError(() -> KaggleCsv.read(h), "huge.csv", "row 2, column 1 (pixel0)", "out of range");
    }

    @Test
    void labelThatIsNotANonNegativeInteger() {
        Path f = write(dir, "neg.csv", "label,pixel0\n-1,2\n");
        inputError(() -> KaggleCsv.read(f), "neg.csv", "row 2, column 1 (label)", "label -1 is not a non-negative integer");
        Path g = write(dir, "word.csv", "label,pixel0\n1,2\nseven,2\n");
        inputError(() -> KaggleCsv.read(g), "word.csv", "row 3, column 1 (label)", "\"seven\" is not a non-negative integer");
        Path h = write(dir, "float.csv", "label,pixel0\n1.0,2\n");
        inputError(() -> KaggleCsv.read(h), "float.csv", "row 2, column 1 (label)", "\"1.0\" is not a non-negative integer");
        Path i = write(dir, "wide.csv", "label,pixel0\n300,2\n");
        inputError(() -> KaggleCsv.read(i), "wide.csv", "row 2, column 1 (label)", "label 300 is out of range 0..255");
    }

    @Test
    void emptyFile() {
        Path f = write(dir, "empty.csv", "");
        inputError(() -> KaggleCsv.read(f), "empty.csv", "empty file");
        Path g = write(dir, "empty.csv.gz", gzip(new byte[0]));
        inputError(() -> KaggleCsv.read(g), "empty.csv.gz", "decompresses to nothing");
    }

    @Test
    void headerOnly() {
        Path f = write(dir, "hdr.csv", "label,pixel0\n");
        inputError(() -> KaggleCsv.read(f), "hdr.csv", "no data rows");
    }

    @Test
    void missingHeader() {
        Path f = write(dir, "nohdr.csv", "1,2,3\n4,5,6\n");
        inputError(() -> KaggleCsv.read(f), "nohdr.csv", "row 1, column 1", "expected the header", "found \"1\"",
                "header row is missing");
    }

    @Test
    void wrongHeaderName() {
        Path f = write(dir, "names.csv", "label,pixel0,pixel2\n1,2,3\n");
        inputError(() -> KaggleCsv.read(f), "names.csv", "row 1, column 3", "expected header name pixel1, found \"pixel2\"");
    }

    @Test
    void trainingFileWithoutLabels() {
        Path f = write(dir, "test.csv", "pixel0,pixel1\n1,2\n");
        inputError(() -> KaggleCsv.readLabelled(f), "test.csv", "row 1", "no label column");
    }

    @Test
    void strayCarriageReturn() {
        Path f = write(dir, "cr.csv", "pixel0,pixel1\n1,2\r3\n");
        inputError(() -> KaggleCsv.read(f), "cr.csv", "row 2, column 2 (pixel1)", "carriage return not followed by a line feed");
    }

    @Test
    void blankLineBeforeMoreRows() {
        Path f = write(dir, "blank.csv", "pixel0\n1\n\n2\n");
        inputError(() -> KaggleCsv.read(f), "blank.csv", "row 3 is empty");
    }

    @Test
    void endlessLines() {
        // No line end in 17 MB: the header reader gives up at 16 MiB instead of buffering the file.
        byte[] xs = new byte[17 << 20];
        java.util.Arrays.fill(xs, (byte) 'x');
        Path f = write(dir, "endless.csv", xs);
        inputError(() -> KaggleCsv.read(f), "endless.csv", "row 1", "line longer than 16777216 bytes");
        // A data row: one valid-looking field of 2 MB of zeros, longer than any real row of 2 columns.
        Path g = write(dir, "endless-row.csv", "pixel0,pixel1\n" + "0".repeat(2 << 20) + "\n");
        inputError(() -> KaggleCsv.read(g), "endless-row.csv", "row 2", "line longer than 1048576 bytes for 2 columns");
    }

    @Test
    void missingFileAndDirectory() {
        Path f = dir.resolve("absent.csv");
        inputError(() -> KaggleCsv.read(f), "absent.csv", "no such file");
        inputError(() -> KaggleCsv.read(dir), dir.getFileName().toString(), "is a directory");
    }
}
