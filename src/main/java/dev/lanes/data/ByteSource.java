package dev.lanes.data;

import dev.lanes.InputException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one input file, decompressed on the fly when the file is gzip. Compression is
 * recognised from the first two bytes (the gzip magic {@code 1f 8b}), never from the file name: no
 * uncompressed IDX or CSV file can start that way (IDX starts with {@code 00 00}, CSV with text).
 *
 * <p>Reads go straight into the caller's array in large blocks; there is no per-byte call.
 */
abstract class ByteSource implements Closeable {

    /** Largest block moved per read call: bounds the JDK's temporary direct buffer for heap reads. */
    static final int BLOCK = 1 << 20;

    final Path file;
    final FileChannel channel;
    /** The file's length in bytes, or -1 where the file system cannot tell (pipes, /proc). */
    final long fileLength;

    ByteSource(Path file, FileChannel channel, long fileLength) {
        this.file = file;
        this.channel = channel;
        this.fileLength = fileLength;
    }

    /**
     * Opens a file, recognising gzip by its content.
     *
     * @param file the file
     * @return its bytes, decompressed if it is gzip
     * @throws InputException if the file is missing, a directory, unreadable, or a broken gzip header
     */
    static ByteSource open(Path file) throws InputException {
        if (Files.isDirectory(file)) {
            throw Inputs.error(file, "is a directory, expected a file");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw Inputs.io(file, e);
        }
        try {
            long length = Files.isRegularFile(file) ? ch.size() : -1;
            ByteBuffer head = ByteBuffer.allocate(2);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // a regular file fills both bytes in one read; pipes may deliver one at a time
            }
            boolean gzip = head.position() == 2 && head.get(0) == (byte) 0x1f && head.get(1) == (byte) 0x8b;
            if (gzip) {
                // The two magic bytes are re-read as part of the header (they belong to its CRC).
                return new GzipSource(file, ch, length, head.array());
            }
            if (length < 0) {
                return new RawSource(file, ch, length, head.array(), head.position());
            }
            ch.position(0);
            return new RawSource(file, ch, length, null, 0);
        } catch (IOException e) {
            closeQuietly(ch);
            throw Inputs.io(file, e);
        } catch (InputException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** @return the length of the (decompressed) data if known before reading it, else -1 (gzip, pipes) */
    final long dataLength() {
        return compressed() ? -1 : fileLength;
    }

    /** @return whether the file is gzip (offsets in messages then refer to the decompressed data) */
    abstract boolean compressed();

    /**
     * Reads up to {@code len} bytes of (decompressed) data.
     *
     * @return the number of bytes read, at least 1 when {@code len > 0}, or -1 at the end of the data
     */
    abstract int read(byte[] b, int off, int len) throws InputException;

    /** Reads until {@code len} bytes or the end of the data; returns how many were read. */
    final int readFully(byte[] b, int off, int len) throws InputException {
        int done = 0;
        while (done < len) {
            int n = read(b, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** @return {@code true} if another byte of data follows (it is consumed) */
    final boolean hasMore() throws InputException {
        return read(new byte[1], 0, 1) > 0;
    }

    /** @return how a position in the (decompressed) data is named in messages */
    final String at(long offset) {
        return (compressed() ? "decompressed byte offset " : "byte offset ") + offset;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // read-only: nothing that closing could have lost
        }
    }

    /** An uncompressed file. */
    static final class RawSource extends ByteSource {

        /** Bytes already taken from a stream that cannot seek back (null for seekable files). */
        private final byte[] pushedBack;
        private final int pushedBackCount;
        private int pushedBackLeft;

        RawSource(Path file, FileChannel ch, long length, byte[] pushedBack, int pushedBackCount) {
            super(file, ch, length);
            this.pushedBack = pushedBack;
            this.pushedBackCount = pushedBackCount;
            this.pushedBackLeft = pushedBackCount;
        }

        @Override
        boolean compressed() {
            return false;
        }

        @Override
        int read(byte[] b, int off, int len) throws InputException {
            if (len == 0) {
                return 0;
            }
            if (pushedBackLeft > 0) {
                int n = Math.min(len, pushedBackLeft);
                System.arraycopy(pushedBack, pushedBackCount - pushedBackLeft, b, off, n);
                pushedBackLeft -= n;
                return n;
            }
            try {
                ByteBuffer bb = ByteBuffer.wrap(b, off, Math.min(len, BLOCK));
                int n;
                do {
                    n = channel.read(bb);
                } while (n == 0);
                return n;
            } catch (IOException e) {
                throw Inputs.io(file, e);
            }
        }
    }
}
