package dev.lanes.data;

import dev.lanes.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the CSV files of Kaggle's "Digit Recognizer": a training file with the header
 * {@code label,pixel0,…,pixel783} and a test file with the header {@code pixel0,…,pixel783}, then one
 * image per line, every field a decimal integer (pixels 0..255, labels 0..255 like IDX's unsigned-byte
 * labels). Any number of pixel columns is accepted: a perfect square N = s² gives s×s images, anything
 * else 1×N. Lines may end in {@code \n} or {@code \r\n}, the last line's end is optional, and blank
 * lines may close the file; a UTF-8 byte-order mark is skipped. A gzip-compressed file is recognised
 * from its bytes.
 *
 * <p>Errors name the file, the row (the line number: the header is row 1) and the column with its
 * header name. The parser works on bytes in large blocks, without strings or splitting per line.
 */
public final class KaggleCsv {

    /** Largest pixel value and largest label. */
    public static final int MAX_VALUE = 255;
    private static final int BLOCK = 1 << 20;
    /** A header of more than ~1.5 million columns is not a digit data set but a file without line ends. */
    private static final int MAX_HEADER = 16 << 20;
    /** Longest text of a bad field quoted in a message. */
    private static final int QUOTE = 24;

    private KaggleCsv() {
    }

    /**
     * Reads a Kaggle CSV file, labelled if its header starts with {@code label}.
     *
     * @param file the file, plain or gzip
     * @return its images, with labels if the file has them; the data set's source is the file name
     * @throws InputException if the file cannot be read or is not such a CSV
     */
    public static Dataset read(Path file) throws InputException {
        try (ByteSource src = ByteSource.open(file)) {
            return new Parser(file, src).parse(false);
        }
    }

    /**
     * Reads a Kaggle CSV file that must have a label column (a training file).
     *
     * @param file the file, plain or gzip
     * @return its labelled images; the data set's source is the file name
     * @throws InputException if the file cannot be read, is not such a CSV, or has no label column
     */
    public static Dataset readLabelled(Path file) throws InputException {
        try (ByteSource src = ByteSource.open(file)) {
            return new Parser(file, src).parse(true);
        }
    }

    /**
     * Writes images in the format {@link #read} reads: the header {@code [label,]pixel0,…}, then one
     * image per line.
     *
     * @param d      the images
     * @param count  how many of them, from the first
     * @param labels whether to write the label column (the data set must have labels)
     * @param out    where to write; not closed
     * @throws IOException if writing fails
     */
    public static void write(Dataset d, int count, boolean labels, OutputStream out) throws IOException {
        if (count < 0 || count > d.size()) {
            throw new IllegalArgumentException("count " + count + " is not in [0, " + d.size() + "]");
        }
        if (labels && !d.hasLabels()) {
            throw new IllegalArgumentException(d.source() + " has no labels");
        }
        int f = d.features();
        StringBuilder line = new StringBuilder(labels ? "label," : "");
        for (int p = 0; p < f; p++) {
            line.append(p == 0 ? "" : ",").append("pixel").append(p);
        }
        line.append('\n');
        out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] pixels = d.pixels();
        for (int i = 0; i < count; i++) {
            line.setLength(0);
            if (labels) {
                line.append(d.label(i)).append(',');
            }
            for (int p = 0; p < f; p++) {
                line.append(p == 0 ? "" : ",").append(pixels[i * f + p] & 0xFF);
            }
            line.append('\n');
            out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final class Parser {
        private final Path file;
        private final ByteSource src;
        private byte[] buf = new byte[BLOCK];
        private int lim;
        private int lineStart;
        private boolean eof;
        private int maxLine = MAX_HEADER;
        /** Line number of the line at {@code lineStart}. */
        private long row = 1;

        private String[] names;
        private int columns;
        /** 1 if the first column is the label, else 0. */
        private int labelColumns;
        private int features;
        private byte[] pixels;
        private int[] labels;

        Parser(Path file, ByteSource src) {
            this.file = file;
            this.src = src;
        }

        /** Reads more data, keeping the current line; grows the buffer if the line fills it. */
        private void fill() throws InputException {
            if (lineStart > 0) {
                System.arraycopy(buf, lineStart, buf, 0, lim - lineStart);
                lim -= lineStart;
                lineStart = 0;
            }
            if (lim == buf.length) {
                if (buf.length >= maxLine) {
                    throw Inputs.error(file, "row " + row + ": line longer than " + maxLine + " bytes"
                            + (names == null ? "; not a CSV file?" : " for " + columns + " columns"));
                }
                buf = Arrays.copyOf(buf, (int) Math.min(maxLine, 2L * buf.length));
            }
            int n = src.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }

        /** @return the index of the current line's end ({@code \n}, or {@code lim} at the end of the file) */
        private int lineEnd() throws InputException {
            int scanned = 0;
            while (true) {
                int p = lineStart + scanned;
                while (p < lim && buf[p] != '\n') {
                    p++;
                }
                if (p < lim || eof) {
                    return p;
                }
                scanned = p - lineStart;
                fill();
            }
        }

        Dataset parse(boolean requireLabels) throws InputException {
            readHeader(requireLabels);
            maxLine = (int) Math.min(Inputs.MAX_ARRAY, Math.max(BLOCK, 32L * columns + 64));
            long maxRows = Inputs.MAX_ARRAY / features;
            // Every row takes at least two bytes per column (a digit and a separator), so a known length
            // bounds the row count; for gzip guess from the compressed size and let the arrays grow.
            long guess = src.dataLength() >= 0 ? src.dataLength()
                    : src.fileLength >= 0 ? Inputs.mulSaturated(src.fileLength, 8) : 1 << 16;
            int capacity = (int) Math.max(1, Math.min(maxRows, guess / (2L * columns) + 1));
            pixels = Inputs.bytes(file, (long) capacity * features, "the pixels");
            labels = labelColumns == 0 ? null : Inputs.ints(file, capacity, "the labels");
            int n = 0;
            long firstBlank = -1;
            while (true) {
                if (lineStart >= lim) {
                    if (eof) {
                        break;
                    }
                    fill();
                    continue;
                }
                byte c0 = buf[lineStart];
                if (c0 == '\n' || c0 == '\r') {
                    if (c0 == '\r') {
                        if (lineStart + 1 >= lim && !eof) {
                            fill();
                            continue;
                        }
                        if (lineStart + 1 >= lim || buf[lineStart + 1] != '\n') {
                            throw at(0, "carriage return not followed by a line feed");
                        }
                        lineStart++;
                    }
                    lineStart++;
                    if (firstBlank < 0) {
                        firstBlank = row;
                    }
                    row++;
                    continue;
                }
                if (firstBlank >= 0) {
                    throw Inputs.error(file, "row " + firstBlank + " is empty (blank lines may only end the file)");
                }
                if (n == capacity) {
                    if (n == maxRows) {
                        throw Inputs.error(file, "row " + row + ": more than " + maxRows + " images of " + features
                                + " pixels do not fit one array");
                    }
                    capacity = (int) Math.min(maxRows, 2L * capacity);
                    pixels = Inputs.grow(file, pixels, (long) capacity * features, "the pixels");
                    if (labels != null) {
                        labels = Inputs.grow(file, labels, capacity, "the labels");
                    }
                }
                int next = parseRow(n);
                if (next < 0) {
                    fill();
                    continue;
                }
                lineStart = next;
                n++;
                row++;
            }
            if (n == 0) {
                throw Inputs.error(file, "no data rows after the header");
            }
            if (n < capacity) {
                pixels = Arrays.copyOf(pixels, n * features);
                if (labels != null) {
                    labels = Arrays.copyOf(labels, n);
                }
            }
            int side = (int) Math.round(Math.sqrt(features));
            boolean square = side * side == features;
            return new Dataset(file.toString(), pixels, labels, n, square ? side : 1, square ? side : features);
        }

        /**
         * Parses the row at {@code lineStart} into image {@code n}.
         *
         * @return the index just past the row's line end, or -1 if the buffer ends inside the row
         */
        private int parseRow(int n) throws InputException {
            final byte[] b = buf;
            final int end = lim;
            final int base = n * features - labelColumns;
            final int ncols = columns;
            final int nlabels = labelColumns;
            final boolean atEnd = eof;
            final byte[] px = pixels;
            int p = lineStart;
            for (int col = 0; ; col++) {
                if (col == ncols) {
                    throw columnCount();
                }
                int start = p;
                int v = 0;
                while (p < end) {
                    int d = b[p] - '0';
                    if (d < 0 || d > 9) {
                        break;
                    }
                    v = v * 10 + d;
                    if (v > MAX_VALUE) {
                        break;
                    }
                    p++;
                }
                if (p == end && !atEnd) {
                    return -1;
                }
                int c = p < end ? b[p] : '\n';
                if (p == start || v > MAX_VALUE || (c != ',' && c != '\n' && c != '\r')) {
                    throw badField(col, start);
                }
                if (col < nlabels) {
                    labels[n] = v;
                } else {
                    px[base + col] = (byte) v;
                }
                if (c == ',') {
                    p++;
                    continue;
                }
                if (c == '\r') {
                    if (p + 1 >= end && !atEnd) {
                        return -1;
                    }
                    if (p + 1 >= end || b[p + 1] != '\n') {
                        throw at(col, "carriage return not followed by a line feed");
                    }
                    p += 2;
                } else if (p < end) {
                    p++;
                }
                if (col + 1 != ncols) {
                    throw Inputs.error(file, "row " + row + " has " + (col + 1) + " columns, expected " + columns
                            + " like the header");
                }
                return p;
            }
        }

        private InputException columnCount() throws InputException {
            int e = lineEnd();
            long count = 1;
            for (int p = lineStart; p < e; p++) {
                count += buf[p] == ',' ? 1 : 0;
            }
            return Inputs.error(file, "row " + row + " has " + count + " columns, expected " + columns + " like the header");
        }

        private InputException at(int col, String what) {
            return Inputs.error(file, "row " + row + ", column " + (col + 1) + " (" + names[col] + "): " + what);
        }

        private InputException badField(int col, int start) {
            int p = start;
            while (p < lim && p - start <= QUOTE && buf[p] != ',' && buf[p] != '\n' && buf[p] != '\r') {
                p++;
            }
            boolean cut = p - start > QUOTE || (p == lim && !eof);
            String text = new String(buf, start, Math.min(p - start, QUOTE), StandardCharsets.UTF_8) + (cut ? "..." : "");
            boolean label = col < labelColumns;
            String what = label ? "label" : "pixel value";
            if (text.isEmpty()) {
                return at(col, "empty field, expected " + (label ? "a label 0.." : "a pixel value 0..") + MAX_VALUE);
            }
            if (text.matches("-?[0-9]+(\\.\\.\\.)?")) {
                if (label && text.startsWith("-")) {
                    return at(col, "label " + text + " is not a non-negative integer");
                }
                return at(col, what + " " + text + " is out of range 0.." + MAX_VALUE);
            }
            return at(col, what + " \"" + text + "\" is not " + (label ? "a non-negative integer" : "an integer 0.." + MAX_VALUE));
        }

        private void readHeader(boolean requireLabels) throws InputException {
            while (lim < 3 && !eof) {
                fill();
            }
            if (lim == 0) {
                throw Inputs.error(file, src.compressed() ? "empty: the gzip data decompresses to nothing"
                        : "empty file, expected a CSV header (label,pixel0,pixel1,... or pixel0,pixel1,...)");
            }
            if (lim >= 3 && (buf[0] & 0xff) == 0xef && (buf[1] & 0xff) == 0xbb && (buf[2] & 0xff) == 0xbf) {
                lineStart = 3;
            }
            int e = lineEnd();
            int textEnd = e > lineStart && buf[e - 1] == '\r' ? e - 1 : e;
            String header = new String(buf, lineStart, textEnd - lineStart, StandardCharsets.UTF_8);
            names = header.split(",", -1);
            columns = names.length;
            labelColumns = names[0].equals("label") ? 1 : 0;
            if (labelColumns == 0 && !names[0].equals("pixel0")) {
                String found = quote(names[0]);
                throw Inputs.error(file, "row 1, column 1: expected the header label,pixel0,pixel1,... or pixel0,pixel1,..., found "
                        + found + (names[0].matches("[0-9]+") ? " (the header row is missing)" : ""));
            }
            if (requireLabels && labelColumns == 0) {
                throw Inputs.error(file, "row 1: no label column: a training file's header starts with label,pixel0,...");
            }
            features = columns - labelColumns;
            if (features == 0) {
                throw Inputs.error(file, "row 1: the header has no pixel columns");
            }
            for (int c = labelColumns; c < columns; c++) {
                String want = "pixel" + (c - labelColumns);
                if (!names[c].equals(want)) {
                    throw Inputs.error(file, "row 1, column " + (c + 1) + ": expected header name " + want + ", found "
                            + quote(names[c]));
                }
            }
            lineStart = e < lim ? e + 1 : e;
            row = 2;
        }

        private static String quote(String s) {
            return "\"" + (s.length() > QUOTE ? s.substring(0, QUOTE) + "..." : s) + "\"";
        }
    }
}
