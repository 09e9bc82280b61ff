package dev.lanes.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.io.AtomicFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    private static final String NAME = "m.lanes";

    @TempDir
    Path dir;

    /** A small network whose parameters include the float values most likely to be mangled. */
    private static Network awkwardNetwork() {
        Network net = Network.create(new int[] {5, 4, 3, 2}, Init.HE, 42);
        float[] p = net.parameters();
        p[0] = -0.0f;
        p[1] = Float.MIN_VALUE;
        p[2] = -Float.MAX_VALUE;
        p[3] = 1.0e-40f; // subnormal
        p[p.length - 1] = Float.MIN_NORMAL;
        return net;
    }

    private static byte[] state(int length, long seed) {
        byte[] s = new byte[length];
        new Random(seed).nextBytes(s);
        return s;
    }

    private static void assertBitExact(Network expected, Network actual) {
        assertArrayEquals(expected.sizes(), actual.sizes());
        float[] e = expected.parameters();
        float[] a = actual.parameters();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), "parameter " + i);
        }
    }

    /**
     * An encoder written from the format description alone, independent of {@link ModelFile}: the
     * reader must accept what it builds, and its output is the starting point for every corruption.
     */
    private static byte[] handBuilt(int[] sizes, int[] codes, float[] params, int flags, byte[] state) {
        int layers = sizes.length - 1;
        int length = 8 + 4 + 4 + 4 + 4 * sizes.length + 4 * codes.length + 4 * params.length
                + (state == null ? 0 : 8 + state.length) + 4;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("LANESMLP".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(flags).putInt(layers);
        for (int s : sizes) {
            b.putInt(s);
        }
        for (int c : codes) {
            b.putInt(c);
        }
        for (float p : params) {
            b.putFloat(p);
        }
        if (state != null) {
            b.putLong(state.length).put(state);
        }
        return withCrc(b.array());
    }

    /** Rewrites the last four bytes as the CRC-32 of the others, so that only the intended defect remains. */
    private static byte[] withCrc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    private static byte[] putInt(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return withCrc(copy);
    }

    /** Decoding must fail with one line that names the file and contains every fragment. */
    private static String rejects(byte[] bytes, String... fragments) {
        InputException e = assertThrows(InputException.class, () -> ModelFile.decode(bytes, NAME));
        String m = e.getMessage();
        assertTrue(m.startsWith(NAME + ": "), m);
        assertFalse(m.contains("\n") || m.contains("\r"), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "expected \"" + f + "\" in: " + m);
        }
        return m;
    }

    private static final int[] TINY = {2, 3, 1};
    private static final int[] TINY_CODES = {1, 2};
    /** 2·3 + 3 + 3·1 + 1 parameters. */
    private static final float[] TINY_PARAMS = new float[13];

    static {
        for (int i = 0; i < TINY_PARAMS.length; i++) {
            TINY_PARAMS[i] = i + 1;
        }
    }

    private static byte[] tiny() {
        return handBuilt(TINY, TINY_CODES, TINY_PARAMS, 0, null);
    }

    private static byte[] tinyWithState() {
        return handBuilt(TINY, TINY_CODES, TINY_PARAMS, 1, new byte[] {9, 8, 7, 6, 5});
    }

    // ---- round trips and determinism

    @Test
    void roundTripWithoutStateIsBitExact() throws InputException {
        Network net = awkwardNetwork();
        ModelFile.Model m = ModelFile.decode(ModelFile.encode(net, null), NAME);
        assertBitExact(net, m.network());
        assertNull(m.trainingState());
    }

    @Test
    void roundTripWithStateIsBitExact() throws InputException {
        Network net = awkwardNetwork();
        byte[] s = state(100_003, 1);
        ModelFile.Model m = ModelFile.decode(ModelFile.encode(net, s), NAME);
        assertBitExact(net, m.network());
        assertArrayEquals(s, m.trainingState());
    }

    @Test
    void emptyStateIsKeptAsEmptyNotAbsent() throws InputException {
        ModelFile.Model m = ModelFile.decode(ModelFile.encode(awkwardNetwork(), new byte[0]), NAME);
        assertNotNull(m.trainingState());
        assertEquals(0, m.trainingState().length);
    }

    @Test
    void largerThanOneEncodingBufferRoundTrips() throws InputException {
        // 784·64 + 64 + 64·10 + 10 parameters: many 64 KiB chunks, and the state starts mid-chunk.
        Network net = Network.create(new int[] {784, 64, 10}, Init.SEED, 3);
        byte[] s = state(70_001, 2);
        ModelFile.Model m = ModelFile.decode(ModelFile.encode(net, s), NAME);
        assertBitExact(net, m.network());
        assertArrayEquals(s, m.trainingState());
    }

    @Test
    void sameNetworkGivesIdenticalBytes() throws InputException, IOException {
        Network net = awkwardNetwork();
        byte[] s = state(64, 5);
        assertArrayEquals(ModelFile.encode(net, s), ModelFile.encode(net.copy(), s.clone()));
        assertArrayEquals(ModelFile.encode(net, null), ModelFile.encode(net.copy(), null));
        ModelFile.write(dir.resolve("a"), net, s);
        ModelFile.write(dir.resolve("b"), net.copy(), s);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b")));
        assertArrayEquals(ModelFile.encode(net, s), Files.readAllBytes(dir.resolve("a")));
    }

    // ---- the layout is pinned by the specification, not by the implementation

    @Test
    void encodingMatchesTheSpecificationByteForByte() {
        Network net = new Network(TINY, TINY_PARAMS.clone());
        assertArrayEquals(tiny(), ModelFile.encode(net, null));
        assertArrayEquals(tinyWithState(), ModelFile.encode(net, new byte[] {9, 8, 7, 6, 5}));
    }

    @Test
    void headerFieldsSitAtTheirDocumentedOffsets() {
        byte[] b = ModelFile.encode(new Network(TINY, TINY_PARAMS.clone()), new byte[] {42});
        // 24 + 8·2 header bytes, 13 floats, 8 + 1 state bytes, 4 CRC bytes.
        assertEquals(40 + 52 + 9 + 4, b.length);
        assertArrayEquals(new byte[] {'L', 'A', 'N', 'E', 'S', 'M', 'L', 'P'}, Arrays.copyOfRange(b, 0, 8));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, Arrays.copyOfRange(b, 8, 12)); // version
        assertArrayEquals(new byte[] {1, 0, 0, 0}, Arrays.copyOfRange(b, 12, 16)); // flags: state present
        assertArrayEquals(new byte[] {2, 0, 0, 0}, Arrays.copyOfRange(b, 16, 20)); // two layers
        assertArrayEquals(new byte[] {2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0}, Arrays.copyOfRange(b, 20, 32));
        assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0, 0, 0}, Arrays.copyOfRange(b, 32, 40)); // RELU, SOFTMAX
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(b, 40, 44)); // 1.0f
        assertArrayEquals(new byte[] {0, 0, 0x50, 0x41}, Arrays.copyOfRange(b, 88, 92)); // 13.0f
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(b, 92, 100)); // state length
        assertEquals(42, b[100]);
        CRC32 crc = new CRC32();
        crc.update(b, 0, 101);
        assertEquals(crc.getValue(), Integer.toUnsignedLong(
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(101)));
        byte[] none = ModelFile.encode(new Network(TINY, TINY_PARAMS.clone()), null);
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Arrays.copyOfRange(none, 12, 16)); // flags: no state
        assertEquals(40 + 52 + 4, none.length);
        // The worked example in docs/model-format.md: 28 + 8·2 + 4·7960 bytes.
        assertEquals(31_884, ModelFile.encode(Network.create(new int[] {784, 10, 10}, Init.HE, 1), null).length);
    }

    @Test
    void handBuiltFileDecodes() throws InputException {
        ModelFile.Model m = ModelFile.decode(tinyWithState(), NAME);
        assertBitExact(new Network(TINY, TINY_PARAMS), m.network());
        assertArrayEquals(new byte[] {9, 8, 7, 6, 5}, m.trainingState());
    }

    // ---- every defect is named

    @Test
    void emptyInput() {
        rejects(new byte[0], "empty");
    }

    @Test
    void badMagic() {
        byte[] b = tiny();
        b[3] = 'X';
        rejects(withCrc(b), "not a Lanes model", "bytes 0-7");
        rejects("{\"json\": true}".getBytes(StandardCharsets.US_ASCII), "not a Lanes model");
        rejects(new byte[] {'L', 'A', 'X'}, "not a Lanes model");
    }

    @Test
    void unsupportedVersion() {
        rejects(putInt(tiny(), 8, 2), "unsupported model format version 2", "byte 8");
        rejects(putInt(tiny(), 8, 0), "version 0", "byte 8");
        rejects(putInt(tiny(), 8, -1), "version 4294967295", "byte 8");
    }

    @Test
    void unknownFlagBits() {
        rejects(putInt(tiny(), 12, 2), "unknown flag bits 0x2", "byte 12");
        rejects(putInt(tiny(), 12, 0x80000001), "unknown flag bits 0x80000000", "byte 12");
    }

    @Test
    void layerCountOutOfRange() {
        rejects(putInt(tiny(), 16, 0), "layer count 0", "byte 16");
        rejects(putInt(tiny(), 16, 65), "layer count 65", "byte 16");
        rejects(putInt(tiny(), 16, -1), "layer count 4294967295", "byte 16");
    }

    @Test
    void layerSizesOutOfRange() {
        rejects(putInt(tiny(), 24, 0), "layer size 1 = 0", "byte 24");
        rejects(putInt(tiny(), 28, (1 << 24) + 1), "layer size 2 = 16777217", "byte 28");
        rejects(putInt(tiny(), 20, -7), "layer size 0 = 4294967289", "byte 20");
    }

    @Test
    void parameterCountBeyondANetworkIsRejectedWithoutAllocating() {
        // 2^24 × 2^24 weights: 2^48 parameters, far beyond the heap; the check must come first.
        int[] sizes = {1 << 24, 1 << 24, 1};
        byte[] b = handBuilt(sizes, new int[] {1, 2}, new float[0], 0, null);
        rejects(b, "16777216-16777216-1", "more than a Lanes network holds", "byte 20");
    }

    @Test
    void hugeButRepresentableSizesInATinyFileAreTruncationNotAllocation() {
        // 100·2^24 + 2^24 + 2^24 + 1 ≈ 1.7·10^9 parameters: a valid count, but 6.8 GB of floats that
        // the test heap (2 GB) could not hold; the length check must reject the 52-byte file first.
        int[] sizes = {100, 1 << 24, 1};
        byte[] b = handBuilt(sizes, new int[] {1, 2}, new float[0], 0, null);
        rejects(b, "truncated", "ends at byte " + b.length, "100-16777216-1", "cut inside the parameters");
        byte[] withState = handBuilt(sizes, new int[] {1, 2}, new float[0], 1, new byte[3]);
        rejects(withState, "truncated", "with a training state");
    }

    @Test
    void badActivationCodes() {
        rejects(putInt(tiny(), 36, 1), "activation code 1 of layer 1", "byte 36", "RELU", "expected 2 = SOFTMAX");
        rejects(putInt(tiny(), 32, 2), "activation code 2 of layer 0", "byte 32", "expected 1 = RELU");
        rejects(putInt(tiny(), 32, 7), "activation code 7 of layer 0", "is unknown");
        rejects(putInt(tiny(), 36, -1), "activation code 4294967295 of layer 1", "is unknown");
        rejects(putInt(tiny(), 32, 0), "activation code 0 of layer 0", "is unknown");
    }

    @Test
    void everyTruncationIsReportedWithItsOffset() {
        for (byte[] full : new byte[][] {tiny(), tinyWithState()}) {
            for (int cut = 1; cut < full.length; cut++) {
                byte[] b = Arrays.copyOf(full, cut);
                rejects(b, "truncated", "byte " + cut);
            }
        }
    }

    @Test
    void truncationNamesTheSection() {
        byte[] full = tinyWithState();
        rejects(Arrays.copyOf(full, 5), "inside the magic");
        rejects(Arrays.copyOf(full, 10), "inside the format version at byte 8");
        rejects(Arrays.copyOf(full, 14), "inside the flags at byte 12");
        rejects(Arrays.copyOf(full, 18), "inside the layer count at byte 16");
        rejects(Arrays.copyOf(full, 27), "inside the layer size 1 at byte 24");
        rejects(Arrays.copyOf(full, 38), "inside the activation code of layer 1 at byte 36");
        rejects(Arrays.copyOf(full, 50), "cut inside the parameters, which span bytes 40 to 91");
        rejects(Arrays.copyOf(full, 95), "cut inside the training-state length at byte 92");
        rejects(Arrays.copyOf(full, 103), "ends at byte 103", "inside the state or the CRC");
        rejects(Arrays.copyOf(full, 107), "training-state length 5 at byte 92 exceeds the 3 bytes");
        rejects(Arrays.copyOf(tiny(), 94), "cut inside the CRC");
    }

    @Test
    void stateLengthBeyondTheFile() {
        byte[] b = tinyWithState();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(92, 1_000_000_000_000L);
        rejects(withCrc(b), "training-state length 1000000000000 at byte 92", "exceeds the 5 bytes");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(92, -1L);
        rejects(withCrc(b), "training-state length 18446744073709551615 at byte 92");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(92, 6);
        rejects(withCrc(b), "training-state length 6 at byte 92");
    }

    @Test
    void trailingBytes() {
        byte[] t = tiny();
        rejects(withCrc(Arrays.copyOf(t, t.length + 3)), "3 unexpected bytes", "at byte " + t.length);
        rejects(withCrc(Arrays.copyOf(t, t.length + 1)), "1 unexpected byte after", "at byte " + t.length);
        byte[] s = tinyWithState();
        byte[] shortState = s.clone();
        ByteBuffer.wrap(shortState).order(ByteOrder.LITTLE_ENDIAN).putLong(92, 2);
        rejects(withCrc(shortState), "3 unexpected bytes", "at byte " + (92 + 8 + 2 + 4));
    }

    @Test
    void anyFlippedBitOutsideTheHeaderIsACrcError() {
        byte[] full = tinyWithState();
        // Bytes 40 and on are parameters, state and CRC: no range check sees a flip there, the CRC must.
        for (int at = 40; at < full.length; at++) {
            if (at >= 92 && at < 100) {
                continue; // the state length: a flip there is a length error, tested above
            }
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = full.clone();
                b[at] ^= (byte) (1 << bit);
                rejects(b, "CRC-32 mismatch", "byte " + (full.length - 4), "corrupt");
            }
        }
    }

    @Test
    void nonFiniteParametersAreCaughtBehindAValidCrc() {
        float[] p = TINY_PARAMS.clone();
        p[1] = Float.NaN;
        rejects(handBuilt(TINY, TINY_CODES, p, 0, null), "non-finite parameter NaN", "byte 44",
                "layer 0 weight [0][1]");
        p = TINY_PARAMS.clone();
        p[12] = Float.POSITIVE_INFINITY;
        rejects(handBuilt(TINY, TINY_CODES, p, 1, new byte[2]), "non-finite parameter Infinity", "byte 88",
                "layer 1 bias 0");
        p = TINY_PARAMS.clone();
        p[7] = Float.NEGATIVE_INFINITY;
        rejects(handBuilt(TINY, TINY_CODES, p, 0, null), "-Infinity", "byte 68", "layer 0 bias 1");
    }

    @Test
    void unstorableNetworksAreRefusedWhenEncoding() {
        Network nan = awkwardNetwork();
        nan.parameters()[5] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.encode(nan, null));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        int[] deep = new int[66];
        Arrays.fill(deep, 1);
        Network tooDeep = new Network(deep, new float[Network.parameterCount(deep)]);
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.encode(tooDeep, null));
        assertTrue(e.getMessage().contains("65 layers"), e.getMessage());
        Network tooWide = new Network(new int[] {(1 << 24) + 1, 1}, new float[(1 << 24) + 2]);
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.encode(tooWide, null));
        assertTrue(e.getMessage().contains("16777217"), e.getMessage());
    }

    // ---- files

    @Test
    void writeThenReadFromDisk() throws InputException, IOException {
        Network net = awkwardNetwork();
        byte[] s = state(999, 4);
        Path f = dir.resolve("model.lanes");
        ModelFile.write(f, net, s);
        ModelFile.Model m = ModelFile.read(f);
        assertBitExact(net, m.network());
        assertArrayEquals(s, m.trainingState());
        assertEquals(Arrays.asList("model.lanes"), listing());
    }

    @Test
    void overwriteReplacesTheWholeFile() throws InputException, IOException {
        Path f = dir.resolve("model.lanes");
        ModelFile.write(f, awkwardNetwork(), state(5000, 1));
        Network small = new Network(TINY, TINY_PARAMS.clone());
        ModelFile.write(f, small, null);
        assertArrayEquals(tiny(), Files.readAllBytes(f));
        assertEquals(Arrays.asList("model.lanes"), listing());
    }

    private java.util.List<String> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String readFails(Path f, String... fragments) {
        InputException e = assertThrows(InputException.class, () -> ModelFile.read(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertFalse(m.contains("\n"), m);
        for (String frag : fragments) {
            assertTrue(m.contains(frag), "expected \"" + frag + "\" in: " + m);
        }
        return m;
    }

    @Test
    void readRejectsMissingEmptyFolderAndCorruptFiles() throws IOException {
        readFails(dir.resolve("absent.lanes"), "no such file");
        Path empty = Files.createFile(dir.resolve("empty.lanes"));
        readFails(empty, "empty file");
        readFails(dir, "is a folder");
        Path bad = dir.resolve("bad.lanes");
        byte[] b = tinyWithState();
        b[60] ^= 1;
        Files.write(bad, b);
        readFails(bad, "CRC-32 mismatch");
        Files.write(bad, Arrays.copyOf(tiny(), 50));
        readFails(bad, "truncated", "byte 50");
    }

    @Test
    void readRefusesAFileLargerThanAnyModelBeforeReadingIt() throws IOException {
        Path big = dir.resolve("big.lanes");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(ModelFile.MAX_FILE_BYTES + 1); // sparse: costs no disk space
        }
        readFails(big, (ModelFile.MAX_FILE_BYTES + 1) + " bytes", "larger than any Lanes model");
    }

    @Test
    void readChecksTheHeaderAgainstTheSizeBeforeReadingTheRest() throws IOException {
        // A valid tiny header followed by a sparse gigabyte: rejected from the header alone.
        Path f = dir.resolve("padded.lanes");
        Files.write(f, tiny());
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(1L << 30);
        }
        long before = System.nanoTime();
        readFails(f, ((1L << 30) - 96) + " unexpected bytes", "at byte 96");
        // Reading and checksumming 1 GiB takes seconds; the header check takes microseconds. The bound
        // is generous for a loaded machine yet far below the cost of reading the file.
        assertTrue(System.nanoTime() - before < 500_000_000L, "the whole file was read");
    }

    // ---- atomic writes

    @Test
    void failedWriteLeavesTheExistingModelByteIdenticalAndNoTempFile() throws Exception {
        Path f = dir.resolve("model.lanes");
        ModelFile.write(f, awkwardNetwork(), state(300, 9));
        byte[] before = Files.readAllBytes(f);

        Network nan = awkwardNetwork();
        nan.parameters()[3] = Float.NaN;
        InputException e = assertThrows(InputException.class, () -> ModelFile.write(f, nan, null));
        assertTrue(e.getMessage().startsWith(f + ": cannot save the model: non-finite"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));

        // A failure half-way through writing, as a full disk would cause.
        e = assertThrows(InputException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals(f + ": cannot write: No space left on device", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));

        assertThrows(IllegalStateException.class, () -> AtomicFile.write(f, out -> {
            out.write(1);
            throw new IllegalStateException("bug");
        }));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(Arrays.asList("model.lanes"), listing());
    }

    @Test
    void writeIntoAMissingFolderFailsClearly() {
        Path f = dir.resolve("no-such-folder").resolve("model.lanes");
        InputException e = assertThrows(InputException.class, () -> ModelFile.write(f, awkwardNetwork(), null));
        assertEquals(f + ": cannot write, folder " + f.getParent() + " does not exist", e.getMessage());
        assertFalse(Files.exists(f.getParent()));
    }

    @Test
    void writeUnderARegularFileFailsClearly() throws Exception {
        Path file = Files.write(dir.resolve("plain.txt"), new byte[] {1});
        Path f = file.resolve("model.lanes");
        InputException e = assertThrows(InputException.class, () -> ModelFile.write(f, awkwardNetwork(), null));
        assertEquals(f + ": cannot write, " + file + " is not a folder", e.getMessage());
        assertEquals(Arrays.asList("plain.txt"), listing());
    }

    @Test
    void writeOntoAFolderFailsAndKeepsIt() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.write(sub.resolve("keep"), new byte[] {7});
        InputException e = assertThrows(InputException.class, () -> ModelFile.write(sub, awkwardNetwork(), null));
        assertEquals(sub + ": cannot write, it is a folder", e.getMessage());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(sub.resolve("keep")));
        assertEquals(Arrays.asList("sub"), listing());
    }
}
