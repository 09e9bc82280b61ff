package dev.lanes.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;

/** Byte-exact IDX and gzip fixtures, written here independently of the readers under test. */
final class Fixtures {

    private Fixtures() {
    }

    /** An IDX images file: magic 0x00000803, then count, rows, cols big-endian, then the pixels. */
    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length); // ByteBuffer is big-endian by default
        b.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    /** An IDX labels file: magic 0x00000801, then the count big-endian, then one byte per label. */
    static byte[] idxLabels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static int[] randomLabels(int n, int classes, long seed) {
        Random r = new Random(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = r.nextInt(classes);
        }
        return l;
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String content) {
        return write(dir, name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code call}, which must fail with an {@link InputException} whose message is one line and
     * contains every fragment.
     *
     * @return the message
     */
    static String inputError(Executable call, String... fragments) {
        InputException e = assertThrows(InputException.class, call);
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), () -> "message is not one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), () -> "message lacks \"" + f + "\": " + m);
        }
        return m;
    }
}
