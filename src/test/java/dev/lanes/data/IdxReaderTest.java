package dev.lanes.data;

import static dev.lanes.data.Fixtures.concat;
import static dev.lanes.data.Fixtures.gzip;
import static dev.lanes.data.Fixtures.idxImages;
import static dev.lanes.data.Fixtures.idxLabels;
import static dev.lanes.data.Fixtures.randomBytes;
import static dev.lanes.data.Fixtures.randomLabels;
import static dev.lanes.data.Fixtures.slice;
import static dev.lanes.data.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** IDX files written byte by byte here, raw and gzip, must read back exactly. */
class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void rawImagesRoundTrip() throws Exception {
        byte[] pixels = randomBytes(7 * 5 * 3, 1);
        Dataset d = Idx.readImages(write(dir, "img", idxImages(7, 5, 3, pixels)));
        assertEquals(7, d.size());
        assertEquals(5, d.imageRows());
        assertEquals(3, d.imageCols());
        assertFalse(d.hasLabels());
        assertArrayEquals(pixels, d.pixels());
        assertEquals(dir.resolve("img").toString(), d.source());
    }

    @Test
    void gzipImagesRoundTrip() throws Exception {
        byte[] pixels = randomBytes(9 * 4 * 6, 2);
        Dataset d = Idx.readImages(write(dir, "img.gz", gzip(idxImages(9, 4, 6, pixels))));
        assertEquals(9, d.size());
        assertEquals(4, d.imageRows());
        assertEquals(6, d.imageCols());
        assertArrayEquals(pixels, d.pixels());
    }

    @Test
    void labelsRoundTripKeepEveryByteValue() throws Exception {
        int[] labels = new int[256];
        for (int i = 0; i < 256; i++) {
            labels[i] = 255 - i; // every unsigned byte value, including those negative as Java bytes
        }
        assertArrayEquals(labels, Idx.readLabels(write(dir, "l", idxLabels(labels))));
        assertArrayEquals(labels, Idx.readLabels(write(dir, "l.gz", gzip(idxLabels(labels)))));
    }

    @Test
    void imagesWithLabels() throws Exception {
        byte[] pixels = randomBytes(11 * 2 * 2, 3);
        int[] labels = randomLabels(11, 10, 4);
        Dataset d = Idx.read(write(dir, "i", idxImages(11, 2, 2, pixels)), write(dir, "l.gz", gzip(idxLabels(labels))));
        assertArrayEquals(pixels, d.pixels());
        assertArrayEquals(labels, d.labels());
        assertEquals(labels[10], d.label(10));
    }

    @Test
    void compressionIsReadFromTheBytesNotTheName() throws Exception {
        byte[] pixels = randomBytes(3 * 2 * 2, 5);
        byte[] file = idxImages(3, 2, 2, pixels);
        assertArrayEquals(pixels, Idx.readImages(write(dir, "raw-named.gz", file)).pixels());
        assertArrayEquals(pixels, Idx.readImages(write(dir, "gzip-named.idx", gzip(file))).pixels());
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws Exception {
        byte[] pixels = randomBytes(10 * 3 * 3, 6);
        byte[] file = idxImages(10, 3, 3, pixels);
        byte[] twoMembers = concat(gzip(slice(file, 0, 50)), gzip(new byte[0]), gzip(slice(file, 50, file.length)));
        assertArrayEquals(pixels, Idx.readImages(write(dir, "multi.gz", twoMembers)).pixels());
    }

    @Test
    void gzipHeaderWithEveryOptionalField() throws Exception {
        byte[] pixels = randomBytes(4 * 3 * 5, 7);
        byte[] file = idxImages(4, 3, 5, pixels);
        assertArrayEquals(pixels, Idx.readImages(write(dir, "fancy.gz", gzipWithAllHeaderFields(file))).pixels());
    }

    @Test
    void dataLargerThanEveryBufferAndFarMoreCompressibleThanGuessed() throws Exception {
        // 3 MB that compresses ~1000:1: the gzip path must grow its array many times from a 64 KiB
        // first guess, and the raw path must cross its 1 MiB read blocks.
        int count = 3000;
        byte[] pixels = new byte[count * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i / 4099);
        }
        byte[] file = idxImages(count, 32, 32, pixels);
        assertArrayEquals(pixels, Idx.readImages(write(dir, "big.gz", gzip(file))).pixels());
        assertArrayEquals(pixels, Idx.readImages(write(dir, "big", file)).pixels());
        byte[] noisy = randomBytes(count * 32 * 32, 8); // incompressible: many 256 KiB input blocks
        assertArrayEquals(noisy, Idx.readImages(write(dir, "noisy.gz", gzip(idxImages(count, 32, 32, noisy)))).pixels());
    }

    @Test
    @Timeout(20)
    void aPipeWhoseLengthIsUnknown() throws Exception {
        // A FIFO has no length and cannot seek: the reader must sniff the gzip magic without losing
        // those bytes and grow its array as data arrives, for raw and compressed content alike.
        byte[] pixels = randomBytes(300 * 7 * 7, 10);
        byte[] file = idxImages(300, 7, 7, pixels);
        for (byte[] content : new byte[][] {file, gzip(file)}) {
            Path fifo = dir.resolve("fifo");
            Files.deleteIfExists(fifo);
            Process mk;
            try {
                mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
            } catch (java.io.IOException e) {
                Assumptions.abort("no mkfifo here: " + e.getMessage());
                return;
            }
            Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
            Thread writer = new Thread(() -> {
                try {
                    Files.write(fifo, content);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.setDaemon(true);
            writer.start();
            assertArrayEquals(pixels, Idx.readImages(fifo).pixels());
            writer.join();
        }
    }

    /** A gzip member built by hand: FEXTRA, FNAME, FCOMMENT and FHCRC all present (RFC 1952). */
    static byte[] gzipWithAllHeaderFields(byte[] data) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0x12, 0x34, 0x56, 0x78, 0, 3});
        h.writeBytes(new byte[] {5, 0, 'a', 'b', 2, 0, 'z'}); // FEXTRA: length 5, one subfield
        h.writeBytes("images.idx\0".getBytes(StandardCharsets.ISO_8859_1));
        h.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        CRC32 headerCrc = new CRC32();
        headerCrc.update(h.toByteArray());
        int hcrc = (int) headerCrc.getValue() & 0xffff;
        h.write(hcrc & 0xff);
        h.write(hcrc >>> 8);
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] chunk = new byte[4096];
        while (!deflater.finished()) {
            h.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int) crc.getValue()).putInt(data.length);
        h.writeBytes(trailer.array());
        return h.toByteArray();
    }

    @Test
    void handBuiltGzipIsValidForTheJdkToo() throws Exception {
        // Guards the fixture above: if it were malformed, the test using it would prove nothing.
        byte[] data = randomBytes(1000, 9);
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(gzipWithAllHeaderFields(data)))) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertTrue(gzipWithAllHeaderFields(data).length > 20);
    }
}
