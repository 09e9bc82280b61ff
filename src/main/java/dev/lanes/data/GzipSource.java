package dev.lanes.data;

import dev.lanes.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip file (RFC 1952), decompressed straight into the caller's array. Written out rather than
 * taken from {@link java.util.zip.GZIPInputStream} because that class silently ignores bytes after
 * the last member and cannot say where in the file a problem lies; here every member's CRC-32 and
 * length are checked, concatenated members are read in turn, anything else after the data is an
 * error, and every message carries the compressed byte offset.
 */
final class GzipSource extends ByteSource {

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED = 0xe0;

    private final byte[] in = new byte[1 << 18];
    private int inPos;
    private int inLen;
    /** File offset of {@code in[0]}. */
    private long inBase;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberStart;
    private long memberOut;
    private boolean done;

    /** @param magic the two bytes already read from the channel, {@code 1f 8b} */
    GzipSource(Path file, FileChannel ch, long length, byte[] magic) throws InputException {
        super(file, ch, length);
        in[0] = magic[0];
        in[1] = magic[1];
        inLen = 2;
        try {
            readHeader();
        } catch (InputException | RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    @Override
    boolean compressed() {
        return true;
    }

    @Override
    int read(byte[] b, int off, int len) throws InputException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            if (inflater.needsInput()) {
                if (!ensure()) {
                    throw error(inBase + inLen, "the gzip data is cut off (the file ends inside the compressed stream"
                            + " of the member starting at compressed byte offset " + memberStart + ")");
                }
                inflater.setInput(in, inPos, inLen - inPos);
            }
            int before = inPos;
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw error(inBase + inPos, "corrupt gzip data: " + (e.getMessage() == null ? "invalid deflate stream" : e.getMessage()));
            }
            inPos = inLen - inflater.getRemaining();
            if (n > 0) {
                crc.update(b, off, n);
                memberOut += n;
                return n;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsDictionary()) {
                throw error(inBase + inPos, "corrupt gzip data: the deflate stream asks for a preset dictionary");
            } else if (!inflater.needsInput() && inPos == before) {
                throw error(inBase + inPos, "corrupt gzip data: the decoder makes no progress");
            }
        }
        return -1;
    }

    @Override
    public void close() {
        inflater.end();
        super.close();
    }

    private InputException error(long compressedOffset, String what) {
        return Inputs.error(file, "compressed byte offset " + compressedOffset + ": " + what);
    }

    /** Makes at least one unread byte available; returns false at the end of the file. */
    private boolean ensure() throws InputException {
        if (inPos < inLen) {
            return true;
        }
        inBase += inLen;
        inPos = 0;
        inLen = 0;
        try {
            ByteBuffer bb = ByteBuffer.wrap(in);
            int n;
            do {
                n = channel.read(bb);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            inLen = n;
            return true;
        } catch (IOException e) {
            throw Inputs.io(file, e);
        }
    }

    /** Makes {@code k} unread bytes available (moving the unread rest to the front); false if the file ends first. */
    private boolean buffered(int k) throws InputException {
        if (inLen - inPos >= k) {
            return true;
        }
        System.arraycopy(in, inPos, in, 0, inLen - inPos);
        inBase += inPos;
        inLen -= inPos;
        inPos = 0;
        try {
            while (inLen < k) {
                int n = channel.read(ByteBuffer.wrap(in, inLen, in.length - inLen));
                if (n < 0) {
                    return false;
                }
                inLen += n;
            }
            return true;
        } catch (IOException e) {
            throw Inputs.io(file, e);
        }
    }

    /** One byte of a member's header or trailer (small: byte-wise access is fine there). */
    private int next(String part) throws InputException {
        if (!ensure()) {
            throw error(inBase + inLen, "the gzip " + part + " is cut off (the file ends there)");
        }
        return in[inPos++] & 0xff;
    }

    private void readHeader() throws InputException {
        memberStart = inBase + inPos;
        // Only another member's magic may follow a member; anything else, even one byte, is garbage.
        if (!buffered(2) || in[inPos] != (byte) 0x1f || in[inPos + 1] != (byte) 0x8b) {
            throw error(memberStart, "trailing garbage after the gzip data (not the start of another gzip member)");
        }
        CRC32 headerCrc = new CRC32();
        int[] fixed = new int[10];
        for (int i = 0; i < 10; i++) {
            fixed[i] = next("header");
            headerCrc.update(fixed[i]);
        }
        if (fixed[2] != 8) {
            throw error(memberStart + 2, "unsupported gzip compression method " + fixed[2] + " (only 8, deflate, exists)");
        }
        int flags = fixed[3];
        if ((flags & RESERVED) != 0) {
            throw error(memberStart + 3, "corrupt gzip header: reserved flag bits set (flags 0x" + Integer.toHexString(flags) + ")");
        }
        if ((flags & FEXTRA) != 0) {
            int lo = next("header");
            int hi = next("header");
            headerCrc.update(lo);
            headerCrc.update(hi);
            for (int i = lo | hi << 8; i > 0; i--) {
                headerCrc.update(next("header"));
            }
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                int c;
                do {
                    c = next("header");
                    headerCrc.update(c);
                } while (c != 0);
            }
        }
        if ((flags & FHCRC) != 0) {
            long at = inBase + inPos;
            int stored = next("header") | next("header") << 8;
            if (stored != (int) (headerCrc.getValue() & 0xffff)) {
                throw error(at, "corrupt gzip header: header checksum mismatch");
            }
        }
        inflater.reset();
        crc.reset();
        memberOut = 0;
    }

    private void endMember() throws InputException {
        long at = inBase + inPos;
        long storedCrc = 0;
        for (int i = 0; i < 4; i++) {
            storedCrc |= (long) next("trailer") << (8 * i);
        }
        long storedSize = 0;
        for (int i = 0; i < 4; i++) {
            storedSize |= (long) next("trailer") << (8 * i);
        }
        if (storedCrc != crc.getValue()) {
            throw error(at, "corrupt gzip data: CRC-32 mismatch for the member starting at compressed byte offset "
                    + memberStart);
        }
        if (storedSize != (memberOut & 0xffffffffL)) {
            throw error(at + 4, "corrupt gzip data: length mismatch for the member starting at compressed byte offset "
                    + memberStart);
        }
        if (ensure()) {
            readHeader();
        } else {
            done = true;
        }
    }
}
