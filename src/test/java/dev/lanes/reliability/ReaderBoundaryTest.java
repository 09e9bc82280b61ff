package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.Idx;
import dev.lanes.data.KaggleCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The places fuzzing with inputs of a few KiB never reaches: the readers' block boundaries. A CSV row
 * is cut by the 1 MiB read buffer at every byte position (inside a number, on a comma, between CR and
 * LF), and a gzip member boundary falls at every position around the 256 KiB compressed-input
 * buffer. The content must come out exactly as written.
 */
class ReaderBoundaryTest {

    /** The CSV reader's first read: the file's first MiB. */
    private static final int CSV_BLOCK = 1 << 20;
    /** The gzip reader's compressed-input buffer. */
    private static final int GZIP_BUFFER = 1 << 18;
    private static final String HEADER = "label,pixel0,pixel1,pixel2,pixel3";

    @TempDir(factory = FuzzSupport.MemoryTempDir.class)
    static Path dir;

    /**
     * Rows of one label and four three-digit pixels (17 characters and the line end) after three
     * leading rows whose widths shift the rest by 0 to a full row: the 1 MiB boundary then falls at
     * each position of a row once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void csvRowsCutByTheReadBufferAtEveryPosition(String eol) throws IOException, InputException {
        int rowLength = 17 + eol.length();
        BitSet cutAt = new BitSet();
        for (int shift = 0; shift < rowLength; shift++) {
            ByteArrayOutputStream csv = new ByteArrayOutputStream(CSV_BLOCK + 4096);
            ByteArrayOutputStream pixels = new ByteArrayOutputStream();
            ByteArrayOutputStream labels = new ByteArrayOutputStream();
            write(csv, HEADER + eol);
            // Three lead rows of 9 to 17 characters each: together 27 + shift.
            int extra = shift;
            for (int lead = 0; lead < 3; lead++) {
                int widen = Math.min(8, extra);
                extra -= widen;
                // A one-digit label and four pixels of 1 to 3 digits: 9 to 17 characters.
                int[] row = {lead, 0, 0, 0, 0};
                int left = widen;
                for (int c = 1; c <= 4; c++) {
                    int digits = 1 + Math.min(2, left);
                    left -= digits - 1;
                    row[c] = digits == 1 ? 7 : digits == 2 ? 42 : 200 + c;
                }
                writeRow(csv, pixels, labels, row, eol);
            }
            int rowsStart = csv.size();
            for (int r = 0; csv.size() < CSV_BLOCK + 2 * rowLength; r++) {
                writeRow(csv, pixels, labels, new int[] {r % 10, 100 + r % 156, 255 - r % 156, 100 + (r * 7) % 156,
                    100 + (r * 13) % 156}, eol);
            }
            cutAt.set((CSV_BLOCK - rowsStart) % rowLength);
            Path file = Files.write(dir.resolve("cut.csv"), csv.toByteArray());
            Dataset d = KaggleCsv.read(file);
            assertArrayEquals(pixels.toByteArray(), d.pixels(), "pixels, shift " + shift);
            byte[] l = labels.toByteArray();
            assertEquals(l.length, d.size());
            for (int i = 0; i < l.length; i++) {
                assertEquals(l[i], d.label(i), "label " + i + ", shift " + shift);
            }
        }
        assertEquals(rowLength, cutAt.cardinality(), "the boundary met every position of a row: " + cutAt);
    }

    private static void writeRow(ByteArrayOutputStream csv, ByteArrayOutputStream pixels, ByteArrayOutputStream labels,
                                 int[] row, String eol) {
        StringBuilder s = new StringBuilder().append(row[0]);
        for (int c = 1; c < row.length; c++) {
            s.append(',').append(row[c]);
            pixels.write(row[c]);
        }
        labels.write(row[0]);
        write(csv, s.append(eol).toString());
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * An IDX labels file as two gzip members whose boundary sits at every offset from 24 bytes before
     * to 24 bytes after the end of the reader's first compressed buffer, so that the first member's
     * trailer and the second member's header are split across two reads.
     */
    @Test
    void gzipMemberBoundaryAtEveryPositionAroundTheInputBuffer() throws IOException, InputException {
        int n = 400_000;
        byte[] content = new byte[8 + n];
        ByteBuffer.wrap(content).putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) {
            content[8 + i] = (byte) ((i * 7 + i / 1000) % 10);
        }
        for (int end = GZIP_BUFFER - 24; end <= GZIP_BUFFER + 24; end++) {
            // A stored member of k bytes takes 18 + k + 5·ceil(k / 65535) bytes: solve for k.
            int k = end - 18;
            while (storedMemberLength(k) > end) {
                k--;
            }
            byte[] first = storedMember(content, 0, k);
            assertEquals(end, first.length, "member sizes are exact: the boundary is where intended");
            byte[] second = storedMember(content, k, content.length - k);
            byte[] file = new byte[first.length + second.length];
            System.arraycopy(first, 0, file, 0, first.length);
            System.arraycopy(second, 0, file, first.length, second.length);
            int[] labels = Idx.readLabels(Files.write(dir.resolve("labels.gz"), file));
            assertEquals(n, labels.length);
            for (int i = 0; i < n; i++) {
                if (labels[i] != content[8 + i]) {
                    assertEquals(content[8 + i], labels[i], "label " + i + ", member boundary at " + end);
                }
            }
        }
    }

    private static int storedMemberLength(int k) {
        return 18 + k + 5 * Math.max(1, (k + 65534) / 65535);
    }

    /** A gzip member (RFC 1952) holding {@code data[from, from+k)} in stored deflate blocks (RFC 1951 §3.2.4). */
    private static byte[] storedMember(byte[] data, int from, int k) {
        ByteBuffer b = ByteBuffer.allocate(storedMemberLength(k)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
        int done = 0;
        do {
            int len = Math.min(65535, k - done);
            boolean last = done + len == k;
            b.put((byte) (last ? 1 : 0)).putShort((short) len).putShort((short) ~len);
            b.put(data, from + done, len);
            done += len;
        } while (done < k);
        CRC32 crc = new CRC32();
        crc.update(data, from, k);
        b.putInt((int) crc.getValue()).putInt(k);
        return b.array();
    }
}
