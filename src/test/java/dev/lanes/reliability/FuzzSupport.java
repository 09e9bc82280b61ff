package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.InputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * What every fuzz target checks besides its own oracle: a rejection is an {@link InputException} with
 * a one-line message naming the input, and the reader's heap allocation follows the bytes actually
 * present, never a size an untrusted header claims.
 */
final class FuzzSupport {

    /**
     * Fixed allowance for one call: the readers' 1 MiB block buffers, class loading and string
     * concatenation bootstraps on first use. A header's 32-bit size claim that is honoured before the
     * data arrives (up to 2 GiB) exceeds it by far; fuzz inputs are a few KiB.
     */
    static final long SLACK_BYTES = 16L << 20;
    /**
     * Allowance per byte of real data: the data array itself (×1), labels as ints (×4), arrays grown by
     * doubling (×2), a CSV header's column names as Strings (~×10 for "pixelN," columns). 32 leaves room
     * and still fails any allocation sized by a header instead of the data.
     */
    static final long BYTES_PER_INPUT_BYTE = 32;
    /** Caps {@link #gunzip} so that a measuring pass cannot itself blow up. */
    private static final int GUNZIP_CAP = 64 << 20;
    /** A minus sign starting a number: not preceded by a letter, digit or point. */
    private static final Pattern NEGATIVE = Pattern.compile("(?<![\\w.])-[0-9]");

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private FuzzSupport() {
    }

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean b = (com.sun.management.ThreadMXBean) bean;
            if (b.isThreadAllocatedMemorySupported()) {
                b.setThreadAllocatedMemoryEnabled(true);
                return b;
            }
        }
        return null;
    }

    /** @return bytes this thread has allocated so far, or -1 where the JVM cannot tell */
    static long allocatedBytes() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Longest one input may take when the corpus is replayed: far above the milliseconds a reader needs. */
    private static final Duration INPUT_LIMIT = Duration.ofSeconds(10);
    /** Jazzer fuzzes (instead of replaying the corpus) when this variable is set and not empty. */
    private static final boolean FUZZING = !System.getenv().getOrDefault("JAZZER_FUZZ", "").isEmpty();

    /**
     * Runs one input's checks, failing after {@link #INPUT_LIMIT} when the corpus is replayed, so that
     * a reader caught in an endless loop fails its input instead of stalling the build (the check runs
     * on a thread of its own, which an endless loop cannot keep from being abandoned). While fuzzing,
     * libFuzzer's own {@code -timeout} applies instead: a JUnit limit would end the whole session.
     */
    static void limited(Runnable check) {
        if (FUZZING) {
            check.run();
        } else {
            assertTimeoutPreemptively(INPUT_LIMIT, check::run);
        }
    }

    /** A reader call under test. */
    @FunctionalInterface
    interface Read<T> {
        T read() throws InputException;
    }

    /** What a reader call gave: a value or the documented rejection (anything else propagates). */
    record Outcome<T>(T value, InputException rejection) {
    }

    /**
     * Runs {@code read} and fails if it allocated more than the allowance for {@code dataBytes} bytes
     * of real input. A call over the bound is repeated once and judged by the repetition: the first
     * use of a code path also loads (and under the fuzzer instruments) classes, which allocates on this
     * thread, whereas an allocation sized by the input recurs every time.
     */
    static <T> Outcome<T> readBounded(Read<T> read, long dataBytes, String what) {
        long bound = SLACK_BYTES + BYTES_PER_INPUT_BYTE * dataBytes;
        long before = allocatedBytes();
        Outcome<T> outcome = attempt(read);
        if (before >= 0 && allocatedBytes() - before > bound) {
            long again = allocatedBytes();
            attempt(read);
            long used = allocatedBytes() - again;
            if (used > bound) {
                fail(what + " allocated " + used + " bytes for " + dataBytes + " bytes of data (bound " + bound
                        + "): an allocation follows a size claimed by the input instead of its real data");
            }
        }
        return outcome;
    }

    private static <T> Outcome<T> attempt(Read<T> read) {
        try {
            return new Outcome<>(read.read(), null);
        } catch (InputException e) {
            return new Outcome<>(null, e);
        }
    }

    /** Checks the documented rejection: a one-line message that starts with the input's name. */
    static void assertCleanRejection(InputException e, String name) {
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(name + ": ") && m.length() > name.length() + 2,
                () -> "message does not name " + name + ": " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), () -> "message is not one line: " + m);
    }

    /**
     * For messages that quote no input text (IDX, model files): no negative number, which can only
     * be a size or offset computed with an overflow. A minus glued to a word or number ("CRC-32",
     * "784-10") is not a sign.
     */
    static void assertNoNegativeNumber(InputException e) {
        String m = e.getMessage();
        assertFalse(NEGATIVE.matcher(m).find(), () -> "negative size or offset in: " + m);
    }

    /** @return whether the reader will treat these bytes as gzip (its magic 1f 8b) */
    static boolean isGzip(byte[] b) {
        return b.length >= 2 && b[0] == (byte) 0x1f && b[1] == (byte) 0x8b;
    }

    /**
     * Decompresses with the JDK's own gzip stream, an implementation independent of the reader's.
     * Stops quietly at the first error or at the cap: the result is the data a reader could have seen.
     */
    static byte[] gunzip(byte[] gz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            int n;
            while (out.size() < GUNZIP_CAP && (n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            // what was decompressed before the error is what counts
        }
        return out.toByteArray();
    }

    /** @return {@code data} as one gzip member */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot fail
        }
        return out.toByteArray();
    }

    /** @return how many bytes of data a reader of {@code input} can really meet */
    static long dataBytes(byte[] input) {
        return isGzip(input) ? Math.max(input.length, gunzip(input).length) : input.length;
    }

    /**
     * Puts {@code @TempDir} folders in memory where Linux offers it ({@code /dev/shm}): the fuzz
     * targets rewrite a file per input, and on a disk file system truncating it costs ten times the
     * read being tested. Elsewhere the default temporary folder is used.
     */
    static final class MemoryTempDir implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                return Files.createTempDirectory(shm, "lanes-fuzz");
            }
            return Files.createTempDirectory("lanes-fuzz");
        }
    }

    /** Replaces {@code file}'s content. */
    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
