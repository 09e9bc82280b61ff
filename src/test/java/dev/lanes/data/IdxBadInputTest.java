package dev.lanes.data;

import static dev.lanes.data.Fixtures.concat;
import static dev.lanes.data.Fixtures.gzip;
import static dev.lanes.data.Fixtures.idxImages;
import static dev.lanes.data.Fixtures.idxLabels;
import static dev.lanes.data.Fixtures.inputError;
import static dev.lanes.data.Fixtures.randomBytes;
import static dev.lanes.data.Fixtures.slice;
import static dev.lanes.data.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken IDX file gives a one-line InputException naming the file and the place. */
class IdxBadInputTest {

    @TempDir
    Path dir;

    private static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    @Test
    void labelsFileGivenAsImages() {
        Path f = write(dir, "labels-as-images", idxLabels(new int[] {1, 2, 3}));
        inputError(() -> Idx.readImages(f), "labels-as-images", "byte offset 0", "wrong magic number 0x00000801",
                "expected 0x00000803", "this is an IDX labels file");
    }

    @Test
    void imagesFileGivenAsLabels() {
        Path f = write(dir, "images-as-labels", idxImages(1, 1, 1, new byte[1]));
        inputError(() -> Idx.readLabels(f), "images-as-labels", "byte offset 0", "wrong magic number 0x00000803",
                "this is an IDX images file");
    }

    @Test
    void textIsNotIdx() {
        Path f = write(dir, "train.csv", "label,pixel0\n1,2\n");
        inputError(() -> Idx.readImages(f), "train.csv", "byte offset 0", "wrong magic", "not an IDX file");
    }

    @Test
    void floatElementsAreNotSupported() {
        Path f = write(dir, "floats", concat(header(0x00000D03, 1, 1, 1), new byte[4]));
        inputError(() -> Idx.readImages(f), "floats", "byte offset 0", "element type 0x0D (float) is not supported");
    }

    @Test
    void wrongDimensionCount() {
        Path f = write(dir, "four-d", concat(header(0x00000804, 1, 1, 1, 1), new byte[1]));
        inputError(() -> Idx.readImages(f), "four-d", "byte offset 0", "4 dimensions where IDX images have 3");
    }

    @Test
    void wrongMagicInsideGzipNamesTheDecompressedOffset() {
        Path f = write(dir, "lab.gz", gzip(idxLabels(new int[] {1})));
        inputError(() -> Idx.readImages(f), "lab.gz", "decompressed byte offset 0", "wrong magic");
    }

    @Test
    void truncatedInsideAnImage() {
        // 5 images of 2x2 declared, 10 pixel bytes present: image 2 (bytes 8..11) is cut after 2 bytes.
        Path f = write(dir, "short", slice(idxImages(5, 2, 2, new byte[20]), 0, 16 + 10));
        inputError(() -> Idx.readImages(f), "short", "byte offset 26", "truncated", "inside image 2 (counting from 0) of 5",
                "declares 5 images of 2x2 (20 bytes after the 16-byte header)");
    }

    @Test
    void truncatedAtARecordBoundary() {
        Path f = write(dir, "labels", slice(idxLabels(new int[] {1, 2, 3, 4}), 0, 8 + 3));
        inputError(() -> Idx.readLabels(f), "labels", "byte offset 11", "truncated", "after 3 complete labels of 4");
    }

    @Test
    void truncatedHeader() {
        Path f = write(dir, "hdr", slice(idxImages(5, 2, 2, new byte[20]), 0, 10));
        inputError(() -> Idx.readImages(f), "hdr", "byte offset 10", "truncated", "16-byte IDX header");
        Path g = write(dir, "magic", new byte[] {0, 0, 8});
        inputError(() -> Idx.readImages(g), "magic", "byte offset 3", "truncated", "magic number");
    }

    @Test
    void truncatedDecompressedData() {
        Path f = write(dir, "short.gz", gzip(slice(idxImages(5, 2, 2, randomBytes(20, 1)), 0, 16 + 10)));
        inputError(() -> Idx.readImages(f), "short.gz", "decompressed byte offset 26", "truncated", "inside image 2");
    }

    @Test
    void truncatedGzipStream() {
        byte[] gz = gzip(idxImages(50, 8, 8, randomBytes(50 * 64, 2)));
        Path f = write(dir, "cut.gz", slice(gz, 0, gz.length / 2));
        inputError(() -> Idx.readImages(f), "cut.gz", "compressed byte offset " + gz.length / 2, "cut off");
        Path g = write(dir, "no-trailer.gz", slice(gz, 0, gz.length - 3));
        inputError(() -> Idx.readImages(g), "no-trailer.gz", "compressed byte offset " + (gz.length - 3),
                "gzip trailer is cut off");
    }

    @Test
    void gzipChecksumMismatch() {
        byte[] gz = gzip(idxImages(3, 2, 2, randomBytes(12, 3)));
        gz[gz.length - 8] ^= 1; // first byte of the CRC-32 in the trailer
        Path f = write(dir, "crc.gz", gz);
        inputError(() -> Idx.readImages(f), "crc.gz", "compressed byte offset " + (gz.length - 8), "CRC-32 mismatch");
    }

    @Test
    void corruptDeflateData() {
        byte[] gz = gzip(idxImages(50, 8, 8, randomBytes(50 * 64, 4)));
        for (int i = 12; i < 40; i++) {
            gz[i] = (byte) 0xff; // inside the deflate stream: no longer a valid block sequence
        }
        Path f = write(dir, "bad.gz", gz);
        inputError(() -> Idx.readImages(f), "bad.gz", "compressed byte offset", "corrupt gzip data");
    }

    @Test
    void trailingGarbageInRawFile() {
        Path f = write(dir, "long", concat(idxImages(2, 2, 2, new byte[8]), new byte[] {1, 2, 3}));
        inputError(() -> Idx.readImages(f), "long", "byte offset 24", "trailing garbage: 3 bytes after the declared data");
    }

    @Test
    void trailingGarbageInDecompressedData() {
        Path f = write(dir, "long.gz", gzip(concat(idxLabels(new int[] {1, 2}), new byte[] {9})));
        inputError(() -> Idx.readLabels(f), "long.gz", "decompressed byte offset 10", "trailing garbage after the declared 2 labels");
    }

    @Test
    void garbageAfterTheGzipStream() {
        byte[] gz = gzip(idxLabels(new int[] {1, 2}));
        Path f = write(dir, "junk.gz", concat(gz, new byte[] {'j', 'u', 'n', 'k'}));
        inputError(() -> Idx.readLabels(f), "junk.gz", "compressed byte offset " + gz.length, "trailing garbage after the gzip data");
        Path g = write(dir, "onebyte.gz", concat(gz, new byte[] {0x1f}));
        inputError(() -> Idx.readLabels(g), "onebyte.gz", "compressed byte offset " + gz.length, "trailing garbage");
    }

    @Test
    void zeroImagesOrZeroSizedImages() {
        Path f = write(dir, "none", header(0x00000803, 0, 28, 28));
        inputError(() -> Idx.readImages(f), "none", "byte offset 4", "declares 0 images");
        Path g = write(dir, "flat", header(0x00000803, 3, 0, 28));
        inputError(() -> Idx.readImages(g), "flat", "byte offset 8", "images of 0x28 pixels");
    }

    @Test
    void headerClaimingTwoToThe31ImagesIsRejectedWithoutAllocating() {
        // A raw file's length is known: the claim (2^31 images of 28x28, 1.7 TB) is checked against it first.
        Path f = write(dir, "claims", concat(header(0x00000803, 0x80000000, 28, 28), new byte[784]));
        long allocated = allocatedBy(() -> inputError(() -> Idx.readImages(f), "claims", "byte offset 800", "truncated",
                "after 1 complete images of 2147483648"));
        // Bound: the test's own strings and buffers take kilobytes; obeying the claim would take 1.7 TB.
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void rowsTimesColumnsOverflowingAnInt() {
        // 65536 x 65536 = 2^32 pixels per image: wraps to 0 in int arithmetic.
        Path raw = write(dir, "wide", concat(header(0x00000803, 1, 65536, 65536), new byte[16]));
        inputError(() -> Idx.readImages(raw), "wide", "byte offset 32", "truncated", "declares 1 images of 65536x65536");
        Path gz = write(dir, "wide.gz", gzip(concat(header(0x00000803, 1, 65536, 65536), new byte[16])));
        inputError(() -> Idx.readImages(gz), "wide.gz", "decompressed byte offset 4", "too large",
                "4294967296 bytes", "more than one array holds");
    }

    @Test
    void gzipHeaderClaimingTwoGigabytesAllocatesOnlyWhatArrives() {
        // 2 700 000 images of 28x28 = 2.1 GB: within one array's limit, so only the bytes that really
        // arrive can stop the reader from allocating it (and, with the tests' 2 GB heap, failing with
        // OutOfMemoryError). The gzip length is unknown up front: memory must follow the data.
        byte[] idx = concat(header(0x00000803, 2_700_000, 28, 28), randomBytes(100 * 784, 5));
        Path f = write(dir, "claims.gz", gzip(idx));
        long allocated = allocatedBy(() -> inputError(() -> Idx.readImages(f), "claims.gz",
                "decompressed byte offset " + (16 + 100 * 784), "after 100 complete images of 2700000"));
        // Bound: ~80 KB arrive, the array doubles from 64 KiB to at most 128 KiB, plus the 1 MiB-ish
        // buffers of the readers; 16 MiB is a hundred times less than the claim.
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
    }

    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        r.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void emptyFile() {
        Path f = write(dir, "empty", new byte[0]);
        inputError(() -> Idx.readImages(f), "empty", "empty file");
        Path g = write(dir, "empty.gz", gzip(new byte[0]));
        inputError(() -> Idx.readLabels(g), "empty.gz", "gzip data decompresses to nothing");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nowhere");
        inputError(() -> Idx.readImages(f), "nowhere", "no such file");
    }

    @Test
    void directoryInsteadOfFile() {
        inputError(() -> Idx.readImages(dir), dir.getFileName().toString(), "is a directory");
    }

    @Test
    void unreadableFile() throws Exception {
        Path f = write(dir, "secret", idxLabels(new int[] {1}));
        assumeTrue(Files.getFileStore(f).supportsFileAttributeView("posix"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(f), "the superuser reads files whatever their permissions");
        inputError(() -> Idx.readLabels(f), "secret", "permission denied");
    }

    @Test
    void readErrorIsAnInputError() throws Exception {
        // Reading /proc/self/mem at offset 0 fails with EIO (address 0 is never mapped): a real I/O
        // error in the middle of a read, which whoever runs the tests (even root) gets.
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(Files.exists(mem));
        Path link = Files.createSymbolicLink(dir.resolve("mem-link"), mem);
        inputError(() -> Idx.readImages(link), "mem-link", "cannot read");
    }

    @Test
    void labelAndImageCountsDisagree() {
        Path images = write(dir, "imgs", idxImages(5, 1, 1, new byte[5]));
        Path labels = write(dir, "labs", idxLabels(new int[4]));
        inputError(() -> Idx.read(images, labels), "labs", "byte offset 4", "declares 4 labels", "imgs declares 5 images");
    }
}
