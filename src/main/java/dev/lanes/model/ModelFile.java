package dev.lanes.model;

import dev.lanes.InputException;
import dev.lanes.io.AtomicFile;
import dev.lanes.network.Activation;
import dev.lanes.network.Network;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The Lanes model file, format version 1: a trained network's layer sizes, activations and
 * parameters, optionally followed by the trainer's opaque resume state, protected by a CRC-32.
 *
 * <p>The layout, byte by byte (all integers little-endian; {@code L} is the number of dense layers):
 * <pre>
 * offset        size      field
 * 0             8         magic, the ASCII bytes "LANESMLP"
 * 8             4         format version, u32 = 1
 * 12            4         flags, u32: bit 0 = a training-state section follows; other bits are 0
 * 16            4         L, u32, 1 ≤ L ≤ 64
 * 20            4(L+1)    layer sizes, u32 each, 1 ≤ size ≤ 2^24: inputs, hidden widths, classes
 * 24+4L         4L        activation codes, u32 each ({@link Activation#code()}): ReLU for hidden
 *                         layers, softmax for the last
 * 24+8L         4P        the P parameters as float32, exactly {@link Network#parameters()}: for each
 *                         layer its row-major inputs×outputs weights, then its biases
 * then, only if flag bit 0 is set:
 *               8         state length S, u64
 *               S         the training state, opaque bytes
 * last          4         CRC-32 ({@link CRC32}) of every preceding byte, u32
 * </pre>
 *
 * <p>Encoding is deterministic: no time stamps or other variable fields, so the same network and
 * state always give the same bytes. Decoding trusts nothing: every field is range-checked, the sizes
 * the header implies are checked against the actual length before anything is allocated, the CRC is
 * verified, and the parameters must be finite. Each rejection is an {@link InputException} whose one
 * line names the file and the byte offset or field at fault.
 *
 * <p>The whole file is held in one Java array while it is read or written, so a model file may be at
 * most {@link #MAX_FILE_BYTES} bytes; larger models are refused when saving and such files are refused
 * before they are read.
 */
public final class ModelFile {

    /** The format version this class writes and reads. */
    public static final int VERSION = 1;
    /** The most dense layers a model file may describe. */
    public static final int MAX_LAYERS = 64;
    /** The widest layer (input, hidden or output) a model file may describe: 2^24. */
    public static final int MAX_LAYER_SIZE = 1 << 24;
    /** The longest model file: the largest Java byte array the common JVMs allocate. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    /** Flag bit 0: a training-state section follows the parameters. */
    public static final int FLAG_TRAINING_STATE = 1;

    static final byte[] MAGIC = "LANESMLP".getBytes(StandardCharsets.US_ASCII);
    static final int OFFSET_VERSION = 8;
    static final int OFFSET_FLAGS = 12;
    static final int OFFSET_LAYERS = 16;
    static final int OFFSET_SIZES = 20;
    /** The longest possible header: magic, version, flags, L, then 65 sizes and 64 activation codes. */
    static final int MAX_HEADER_BYTES = 24 + 8 * MAX_LAYERS;
    /** The most parameters a {@link Network} holds (its flat array's limit). */
    private static final long MAX_PARAMETERS = Integer.MAX_VALUE - 16;
    private static final int CRC_BYTES = 4;
    private static final int STATE_LENGTH_BYTES = 8;

    /**
     * A model read from a file.
     *
     * @param network       the network with its parameters
     * @param trainingState the trainer's resume state exactly as it was stored, or {@code null} if the
     *                      file has no training-state section
     */
    public record Model(Network network, byte[] trainingState) {
    }

    private ModelFile() {
    }

    /**
     * Encodes a network (and optionally the trainer's state) in the model format.
     *
     * @param net                 the network; its parameters must be finite and its shape within the
     *                            format's limits
     * @param trainingStateOrNull opaque resume state to store after the parameters, or {@code null}
     *                            for none
     * @return the complete file content
     * @throws IllegalArgumentException if the network cannot be stored (too many layers, a layer too
     *                                  wide, a non-finite parameter, or a file longer than
     *                                  {@link #MAX_FILE_BYTES})
     */
    public static byte[] encode(Network net, byte[] trainingStateOrNull) {
        long length = checkStorable(net, trainingStateOrNull);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
        try {
            emit(net, trainingStateOrNull, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Saves a network atomically: the bytes go to a temporary file in the same folder, are forced to
     * disk, and replace {@code path} in one rename. On failure an existing file at {@code path} is left
     * untouched and no temporary file remains.
     *
     * @param path                the model file to create or replace
     * @param net                 the network
     * @param trainingStateOrNull opaque resume state, or {@code null} for none
     * @throws InputException one line naming {@code path} and the reason: the folder is missing or not
     *                        writable, the disk is full, or the network cannot be stored
     */
    public static void write(Path path, Network net, byte[] trainingStateOrNull) throws InputException {
        try {
            checkStorable(net, trainingStateOrNull);
        } catch (IllegalArgumentException e) {
            throw new InputException(path + ": cannot save the model: " + e.getMessage(), e);
        }
        AtomicFile.write(path, out -> emit(net, trainingStateOrNull, out));
    }

    /**
     * Reads and fully validates a model file. The file's size is checked before it is read, and its
     * header before the rest of it is read.
     *
     * @param path the model file
     * @return the network and the training state (or {@code null})
     * @throws InputException one line naming {@code path} and what is wrong: missing, empty, too
     *                        large, unreadable, or any of the defects {@link #decode} reports
     */
    public static Model read(Path path) throws InputException {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new InputException(name + ": is a folder, not a model file");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new InputException(name + ": empty file, not a Lanes model");
            }
            if (size > MAX_FILE_BYTES) {
                throw new InputException(name + ": " + size + " bytes, larger than any Lanes model file can be ("
                        + MAX_FILE_BYTES + " bytes at most)");
            }
            // Validate the header against the real length first, so that a large file that is not a
            // model, or whose header disagrees with its size, is rejected without reading it all.
            ByteBuffer prefix = readFully(channel, (int) Math.min(size, MAX_HEADER_BYTES), name);
            parseHeader(prefix, size, name);
            ByteBuffer all = readFully(channel, (int) size, name);
            return decode(all.array(), name);
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": no such file", e);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read: " + AtomicFile.reason(e), e);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, int length, String name)
            throws IOException, InputException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long position = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position);
            if (n < 0) {
                throw new InputException(name + ": the file shrank to " + position + " bytes while being read");
            }
            position += n;
        }
        return buf;
    }

    /**
     * Decodes and fully validates a model file's content.
     *
     * @param bytes the file content
     * @param name  the file name to use in messages
     * @return the network and the training state (or {@code null})
     * @throws InputException one line naming {@code name} and the byte offset or field at fault: empty,
     *                        not a Lanes model (magic), unsupported version, unknown flag bits, layer
     *                        count or sizes out of range, bad activation codes, truncated, a state
     *                        length beyond the end, trailing bytes, CRC mismatch, non-finite parameter
     */
    public static Model decode(byte[] bytes, String name) throws InputException {
        long length = bytes.length;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Header h = parseHeader(buf, length, name);
        long stateLength = -1;
        if (h.hasState) {
            // parseHeader made sure the state length field and the CRC fit in the file.
            long at = h.paramsEnd;
            stateLength = buf.getLong((int) at);
            long room = length - at - STATE_LENGTH_BYTES - CRC_BYTES;
            if (stateLength < 0 || stateLength > room) {
                throw new InputException(name + ": truncated or corrupt: the training-state length "
                        + Long.toUnsignedString(stateLength) + " at byte " + at + " exceeds the " + room
                        + " bytes between it and the CRC (the file ends at byte " + length + ")");
            }
            if (stateLength < room) {
                long end = at + STATE_LENGTH_BYTES + stateLength + CRC_BYTES;
                throw new InputException(name + ": " + unexpected(length - end) + " after the end of the model at byte "
                        + end);
            }
        }
        int crcAt = bytes.length - CRC_BYTES;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, crcAt);
        long stored = Integer.toUnsignedLong(buf.getInt(crcAt));
        if (stored != crc.getValue()) {
            throw new InputException(name + ": CRC-32 mismatch: byte " + crcAt + " stores "
                    + String.format("%08x", stored) + " but the content gives "
                    + String.format("%08x", crc.getValue()) + " (the file is corrupt)");
        }
        float[] params = new float[(int) h.paramCount];
        buf.position(h.paramsStart);
        buf.asFloatBuffer().get(params);
        Network net = new Network(h.sizes, params);
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new InputException(name + ": non-finite parameter " + params[i] + " at byte "
                        + (h.paramsStart + 4L * i) + " (" + describeParameter(net, i) + ")");
            }
        }
        byte[] state = null;
        if (h.hasState) {
            int from = (int) (h.paramsEnd + STATE_LENGTH_BYTES);
            state = Arrays.copyOfRange(bytes, from, from + (int) stateLength);
        }
        return new Model(net, state);
    }

    /** What a validated header says. */
    private static final class Header {
        final int[] sizes;
        final boolean hasState;
        final int paramsStart;
        final long paramCount;
        final long paramsEnd;

        Header(int[] sizes, boolean hasState, int paramsStart, long paramCount) {
            this.sizes = sizes;
            this.hasState = hasState;
            this.paramsStart = paramsStart;
            this.paramCount = paramCount;
            this.paramsEnd = paramsStart + 4 * paramCount;
        }
    }

    /**
     * Validates the header held at the start of {@code buf} against the file's full length, and the
     * length the header implies (up to the state length field) against the actual length.
     *
     * @param buf    the start of the file (possibly all of it)
     * @param length the full file length
     */
    private static Header parseHeader(ByteBuffer buf, long length, String name) throws InputException {
        buf.order(ByteOrder.LITTLE_ENDIAN);
        if (length == 0) {
            throw new InputException(name + ": empty file, not a Lanes model");
        }
        int magicBytes = (int) Math.min(MAGIC.length, buf.limit());
        for (int i = 0; i < magicBytes; i++) {
            if (buf.get(i) != MAGIC[i]) {
                throw new InputException(name + ": not a Lanes model file (bytes 0-7 should be \"LANESMLP\")");
            }
        }
        need(buf, 0, MAGIC.length, "magic \"LANESMLP\"", name);
        need(buf, OFFSET_VERSION, 4, "format version", name);
        long version = u32(buf, OFFSET_VERSION);
        if (version != VERSION) {
            throw new InputException(name + ": unsupported model format version " + version + " at byte "
                    + OFFSET_VERSION + " (this Lanes reads version " + VERSION + ")");
        }
        need(buf, OFFSET_FLAGS, 4, "flags", name);
        long flags = u32(buf, OFFSET_FLAGS);
        if ((flags & ~(long) FLAG_TRAINING_STATE) != 0) {
            throw new InputException(name + ": unknown flag bits 0x" + Long.toHexString(flags & ~(long) FLAG_TRAINING_STATE)
                    + " in the flags at byte " + OFFSET_FLAGS + " (only bit 0 is defined)");
        }
        need(buf, OFFSET_LAYERS, 4, "layer count", name);
        long layers = u32(buf, OFFSET_LAYERS);
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new InputException(name + ": layer count " + layers + " at byte " + OFFSET_LAYERS
                    + " is out of range (1 to " + MAX_LAYERS + ")");
        }
        int l = (int) layers;
        int[] sizes = new int[l + 1];
        for (int i = 0; i <= l; i++) {
            int at = OFFSET_SIZES + 4 * i;
            need(buf, at, 4, "layer size " + i, name);
            long size = u32(buf, at);
            if (size < 1 || size > MAX_LAYER_SIZE) {
                throw new InputException(name + ": layer size " + i + " = " + size + " at byte " + at
                        + " is out of range (1 to " + MAX_LAYER_SIZE + ")");
            }
            sizes[i] = (int) size;
        }
        int codesAt = OFFSET_SIZES + 4 * (l + 1);
        for (int i = 0; i < l; i++) {
            int at = codesAt + 4 * i;
            need(buf, at, 4, "activation code of layer " + i, name);
            long code = u32(buf, at);
            Activation expected = i == l - 1 ? Activation.SOFTMAX : Activation.RELU;
            Activation actual = code > Integer.MAX_VALUE ? null : Activation.fromCode((int) code);
            if (actual != expected) {
                throw new InputException(name + ": activation code " + code + " of layer " + i + " at byte " + at
                        + (actual == null ? " is unknown" : " (" + actual + ") is not allowed there")
                        + " (expected " + expected.code() + " = " + expected + ")");
            }
        }
        int paramsStart = codesAt + 4 * l;
        // Sizes are at most 2^24 and there are at most 64 layers, so this sum stays below 2^55.
        long params = 0;
        for (int i = 0; i < l; i++) {
            params += (long) sizes[i] * sizes[i + 1] + sizes[i + 1];
        }
        if (params > MAX_PARAMETERS) {
            throw new InputException(name + ": layer sizes " + shape(sizes) + " at byte " + OFFSET_SIZES + " give "
                    + params + " parameters, more than a Lanes network holds (" + MAX_PARAMETERS + ")");
        }
        boolean hasState = (flags & FLAG_TRAINING_STATE) != 0;
        long paramsEnd = paramsStart + 4 * params;
        long minimum = paramsEnd + (hasState ? STATE_LENGTH_BYTES : 0) + CRC_BYTES;
        if (length < minimum) {
            throw new InputException(name + ": truncated: the file ends at byte " + length + " but layers "
                    + shape(sizes) + (hasState ? " with a training state" : "") + " need at least " + minimum
                    + " bytes (" + where(length, paramsStart, paramsEnd, hasState) + ")");
        }
        if (!hasState && length > minimum) {
            throw new InputException(name + ": " + unexpected(length - minimum) + " after the end of the model at byte "
                    + minimum + " (layers " + shape(sizes) + ", no training state)");
        }
        return new Header(sizes, hasState, paramsStart, params);
    }

    /** Names the section a truncated file stops in. */
    private static String where(long length, long paramsStart, long paramsEnd, boolean hasState) {
        if (length < paramsEnd) {
            return "cut inside the parameters, which span bytes " + paramsStart + " to " + (paramsEnd - 1);
        }
        if (hasState && length < paramsEnd + STATE_LENGTH_BYTES) {
            return "cut inside the training-state length at byte " + paramsEnd;
        }
        return hasState ? "cut after the training-state length, inside the state or the CRC" : "cut inside the CRC";
    }

    private static void need(ByteBuffer buf, int at, int count, String field, String name) throws InputException {
        if (at + count > buf.limit()) {
            throw new InputException(name + ": truncated: the file ends at byte " + buf.limit() + " inside the "
                    + field + " at byte " + at);
        }
    }

    /** @return {@code 1 unexpected byte}, {@code 3 unexpected bytes} */
    private static String unexpected(long n) {
        return n + (n == 1 ? " unexpected byte" : " unexpected bytes");
    }

    private static long u32(ByteBuffer buf, int at) {
        return Integer.toUnsignedLong(buf.getInt(at));
    }

    private static String shape(int[] sizes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            s.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        return s.toString();
    }

    private static String describeParameter(Network net, int index) {
        for (int l = net.layers() - 1; l >= 0; l--) {
            if (index >= net.biasOffset(l)) {
                return "layer " + l + " bias " + (index - net.biasOffset(l));
            }
            if (index >= net.weightOffset(l)) {
                int k = index - net.weightOffset(l);
                int outputs = net.layerOutputs(l);
                return "layer " + l + " weight [" + k / outputs + "][" + k % outputs + "]";
            }
        }
        return "parameter " + index;
    }

    /**
     * @return the file length the network and state encode to
     * @throws IllegalArgumentException if they cannot be stored
     */
    private static long checkStorable(Network net, byte[] state) {
        int[] sizes = net.sizes();
        int layers = net.layers();
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException(layers + " layers, the format allows 1 to " + MAX_LAYERS);
        }
        for (int size : sizes) {
            if (size < 1 || size > MAX_LAYER_SIZE) {
                throw new IllegalArgumentException("layer size " + size + " in " + shape(sizes)
                        + ", the format allows 1 to " + MAX_LAYER_SIZE);
            }
        }
        float[] params = net.parameters();
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new IllegalArgumentException("non-finite parameter " + params[i] + " ("
                        + describeParameter(net, i) + "); the network has diverged");
            }
        }
        long length = 24L + 8L * layers + 4L * params.length + CRC_BYTES
                + (state == null ? 0 : STATE_LENGTH_BYTES + (long) state.length);
        if (length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("the model would take " + length + " bytes, more than the "
                    + MAX_FILE_BYTES + " a model file may have");
        }
        return length;
    }

    /** Writes the encoding to {@code sink}, in chunks so that no copy of the parameters is made. */
    private static void emit(Network net, byte[] state, OutputStream sink) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int layers = net.layers();
        buf.put(MAGIC);
        buf.putInt(VERSION);
        buf.putInt(state == null ? 0 : FLAG_TRAINING_STATE);
        buf.putInt(layers);
        for (int size : net.sizes()) {
            buf.putInt(size);
        }
        for (int l = 0; l < layers; l++) {
            buf.putInt(net.activation(l).code());
        }
        for (float p : net.parameters()) {
            if (buf.remaining() < Float.BYTES) {
                drain(buf, crc, sink);
            }
            buf.putFloat(p);
        }
        if (state != null) {
            if (buf.remaining() < Long.BYTES) {
                drain(buf, crc, sink);
            }
            buf.putLong(state.length);
            drain(buf, crc, sink);
            crc.update(state);
            sink.write(state);
        }
        drain(buf, crc, sink);
        buf.putInt((int) crc.getValue());
        buf.flip();
        sink.write(buf.array(), 0, buf.limit());
    }

    private static void drain(ByteBuffer buf, CRC32 crc, OutputStream sink) throws IOException {
        crc.update(buf.array(), 0, buf.position());
        sink.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
