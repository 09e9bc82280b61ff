package dev.lanes.data;

import dev.lanes.InputException;
import java.io.Closeable;
import java.math.BigInteger;
import java.nio.file.Path;

/**
 * One IDX file of unsigned bytes, opened and its header checked; the data is read on demand so that
 * a caller can compare the headers of several files before decoding any of them.
 *
 * <p>Every size the header claims is checked before anything is allocated: against the file length
 * when it is known (an uncompressed regular file), and otherwise (gzip, pipes) the data array grows as
 * bytes actually arrive, capped by the claim, so memory follows the real data and not the header.
 */
final class IdxFile implements Closeable {

    /** What an IDX file holds. */
    enum Kind {
        IMAGES(0x00000803, "images", "image"),
        LABELS(0x00000801, "labels", "label");

        final int magic;
        final String plural;
        final String singular;

        Kind(int magic, String plural, String singular) {
            this.magic = magic;
            this.plural = plural;
            this.singular = singular;
        }

        int dims() {
            return magic & 0xff;
        }
    }

    /** Unsigned byte, the only IDX element type a pixel or class index needs. */
    private static final int UBYTE = 0x08;
    /** First guess at the decompressed size, relative to the compressed size (MNIST compresses 4.9:1). */
    private static final int GZIP_RATIO_GUESS = 8;
    private static final int MIN_GUESS = 1 << 16;

    final Path file;
    final Kind kind;
    final int count;
    final int rows;
    final int cols;
    private final ByteSource source;
    private final int headerBytes;

    private IdxFile(Path file, Kind kind, ByteSource source, int count, int rows, int cols, int headerBytes) {
        this.file = file;
        this.kind = kind;
        this.source = source;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.headerBytes = headerBytes;
    }

    /**
     * Opens {@code file} and checks its header.
     *
     * @throws InputException if the file cannot be read or its header is wrong or disagrees with its length
     */
    static IdxFile open(Path file, Kind kind) throws InputException {
        ByteSource src = ByteSource.open(file);
        try {
            return readHeader(file, kind, src);
        } catch (InputException | RuntimeException e) {
            src.close();
            throw e;
        }
    }

    private static IdxFile readHeader(Path file, Kind kind, ByteSource src) throws InputException {
        byte[] m = new byte[4];
        int got = src.readFully(m, 0, 4);
        if (got == 0) {
            throw Inputs.error(file, src.compressed() ? "empty: the gzip data decompresses to nothing"
                    : "empty file, expected IDX " + kind.plural);
        }
        if (got < 4) {
            throw Inputs.error(file, src.at(got) + ": truncated: the file ends inside the 4-byte IDX magic number");
        }
        int magic = (m[0] & 0xff) << 24 | (m[1] & 0xff) << 16 | (m[2] & 0xff) << 8 | (m[3] & 0xff);
        if (magic != kind.magic) {
            throw Inputs.error(file, src.at(0) + ": " + wrongMagic(magic, m, kind));
        }
        int dims = kind.dims();
        int headerBytes = 4 + 4 * dims;
        byte[] h = new byte[4 * dims];
        got = src.readFully(h, 0, h.length);
        if (got < h.length) {
            throw Inputs.error(file, src.at(4 + got) + ": truncated: the file ends inside the " + headerBytes
                    + "-byte IDX header");
        }
        long[] size = new long[dims];
        for (int d = 0; d < dims; d++) {
            size[d] = (h[4 * d] & 0xffL) << 24 | (h[4 * d + 1] & 0xffL) << 16 | (h[4 * d + 2] & 0xffL) << 8 | (h[4 * d + 3] & 0xffL);
        }
        long count = size[0];
        long rows = dims == 3 ? size[1] : 1;
        long cols = dims == 3 ? size[2] : 1;
        if (count == 0) {
            throw Inputs.error(file, src.at(4) + ": the header declares 0 " + kind.plural);
        }
        if (rows == 0 || cols == 0) {
            throw Inputs.error(file, src.at(8) + ": the header declares " + kind.plural + " of " + rows + "x" + cols + " pixels");
        }
        // Each size is below 2^32, so their products can pass 2^63: saturate rather than wrap to a
        // negative size that would slip past every check below.
        long perItem = Inputs.mulSaturated(rows, cols);
        long data = Inputs.mulSaturated(count, perItem);
        // Messages are built only on failure: a many-part string concatenation costs tens of
        // milliseconds of bootstrap the first time it runs, which would land on every load.
        if (src.dataLength() >= 0) {
            long available = src.dataLength() - headerBytes;
            if (available < data) {
                throw truncated(file, src, kind, headerBytes, available, count, rows, cols);
            }
            if (available > data) {
                throw Inputs.error(file, src.at(headerBytes + data) + ": trailing garbage: " + (available - data)
                        + " bytes after the declared data; " + claim(kind, headerBytes, count, rows, cols));
            }
        }
        if (count > Integer.MAX_VALUE || perItem > Inputs.MAX_ARRAY || data > Inputs.MAX_ARRAY) {
            throw Inputs.error(file, src.at(4) + ": too large: " + claim(kind, headerBytes, count, rows, cols)
                    + ", more than one array holds (" + Inputs.MAX_ARRAY + " bytes)");
        }
        return new IdxFile(file, kind, src, (int) count, (int) rows, (int) cols, headerBytes);
    }

    private static String claim(Kind kind, int headerBytes, long count, long rows, long cols) {
        BigInteger bytes = BigInteger.valueOf(count).multiply(BigInteger.valueOf(rows)).multiply(BigInteger.valueOf(cols));
        return "the header declares " + count + " " + kind.plural
                + (kind == Kind.IMAGES ? " of " + rows + "x" + cols : "")
                + " (" + bytes + " bytes after the " + headerBytes + "-byte header)";
    }

    private static String wrongMagic(int magic, byte[] m, IdxFile.Kind kind) {
        String found = String.format("wrong magic number 0x%08X, expected 0x%08X (IDX %s of unsigned bytes)",
                magic, kind.magic, kind.plural);
        if (m[0] != 0 || m[1] != 0) {
            boolean text = true;
            for (byte b : m) {
                text &= b >= 0x20 && b < 0x7f;
            }
            return found + (text ? ": not an IDX file (it starts with text)" : ": not an IDX file");
        }
        if ((m[2] & 0xff) != UBYTE) {
            return found + String.format(": element type 0x%02X (%s) is not supported", m[2] & 0xff, typeName(m[2] & 0xff));
        }
        for (Kind other : Kind.values()) {
            if (other != kind && other.magic == magic) {
                return found + ": this is an IDX " + other.plural + " file";
            }
        }
        return found + ": " + (m[3] & 0xff) + " dimensions where IDX " + kind.plural + " have " + kind.dims();
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x09: return "signed byte";
            case 0x0B: return "short";
            case 0x0C: return "int";
            case 0x0D: return "float";
            case 0x0E: return "double";
            default: return "unknown";
        }
    }

    private static InputException truncated(Path file, ByteSource src, Kind kind, int headerBytes, long available,
                                            long count, long rows, long cols) {
        long end = headerBytes + available;
        long perItem = Inputs.mulSaturated(rows, cols);
        long whole = available / perItem;
        String where = available % perItem == 0
                ? "after " + whole + " complete " + kind.plural
                : "inside " + kind.singular + " " + whole + " (counting from 0)";
        return Inputs.error(file, src.at(end) + ": truncated: the data ends " + where + " of " + count + "; "
                + claim(kind, headerBytes, count, rows, cols));
    }

    /** @return how a position in this file's (decompressed) data is named in messages */
    String at(long offset) {
        return source.at(offset);
    }

    /** @return the offset of item {@code i}'s first byte */
    long offsetOf(int i) {
        return headerBytes + (long) i * rows * cols;
    }

    /**
     * Reads all the data the header declares and checks that nothing follows it.
     *
     * @return {@code count·rows·cols} bytes
     */
    byte[] readData() throws InputException {
        long data = (long) count * rows * cols;
        String what = kind.plural;
        long guess = source.dataLength() >= 0 ? data
                : Math.max(MIN_GUESS, Inputs.mulSaturated(Math.max(source.fileLength, 0), GZIP_RATIO_GUESS));
        byte[] buf = Inputs.bytes(file, Math.min(data, guess), what);
        int filled = 0;
        while (filled < data) {
            if (filled == buf.length) {
                buf = Inputs.grow(file, buf, Math.min(data, 2L * buf.length), what);
            }
            int n = source.read(buf, filled, buf.length - filled);
            if (n < 0) {
                throw truncated(file, source, kind, headerBytes, filled, count, rows, cols);
            }
            filled += n;
        }
        if (source.hasMore()) {
            throw Inputs.error(file, source.at(headerBytes + data) + ": trailing garbage after the declared "
                    + count + " " + kind.plural);
        }
        return buf;
    }

    /** Reads a labels file's data as ints. */
    int[] readLabels() throws InputException {
        byte[] b = readData();
        int[] labels = Inputs.ints(file, b.length, kind.plural);
        for (int i = 0; i < b.length; i++) {
            labels[i] = b[i] & 0xff;
        }
        return labels;
    }

    @Override
    public void close() {
        source.close();
    }
}
