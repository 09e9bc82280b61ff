package dev.lanes.data;

import dev.lanes.InputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** Message and allocation helpers shared by the readers. */
final class Inputs {

    /** The largest array length every mainstream JVM accepts. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Inputs() {
    }

    /** @return {@code file: what}, forced onto one line */
    static InputException error(Path file, String what) {
        return new InputException(oneLine(file + ": " + what));
    }

    /** Turns any I/O failure on {@code file} into a one-line input error that names it. */
    static InputException io(Path file, IOException e) {
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file";
        } else if (e instanceof AccessDeniedException) {
            what = "cannot read: permission denied";
        } else if (e instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            what = "cannot read: " + ((FileSystemException) e).getReason();
        } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
            what = "cannot read: " + e.getMessage();
        } else {
            what = "cannot read: " + e.getClass().getSimpleName();
        }
        return new InputException(oneLine(file + ": " + what), e);
    }

    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /**
     * Allocates a byte array whose size the caller has already checked against the input; only a
     * genuinely large but valid input can get here, and running out of heap for it is then the
     * user's to fix, so it is reported as such rather than as a crash.
     */
    static byte[] bytes(Path file, long n, String what) throws InputException {
        checkLength(file, n, what);
        try {
            return new byte[(int) n];
        } catch (OutOfMemoryError e) {
            throw noMemory(file, n, what);
        }
    }

    /** As {@link #bytes}, for ints. */
    static int[] ints(Path file, long n, String what) throws InputException {
        checkLength(file, n, what);
        try {
            return new int[(int) n];
        } catch (OutOfMemoryError e) {
            throw noMemory(file, 4 * n, what);
        }
    }

    /** Grows {@code a} to {@code n} elements, reporting a lack of heap as an input error. */
    static byte[] grow(Path file, byte[] a, long n, String what) throws InputException {
        checkLength(file, n, what);
        try {
            return java.util.Arrays.copyOf(a, (int) n);
        } catch (OutOfMemoryError e) {
            throw noMemory(file, n, what);
        }
    }

    /** As {@link #grow(Path, byte[], long, String)}, for ints. */
    static int[] grow(Path file, int[] a, long n, String what) throws InputException {
        checkLength(file, n, what);
        try {
            return java.util.Arrays.copyOf(a, (int) n);
        } catch (OutOfMemoryError e) {
            throw noMemory(file, 4 * n, what);
        }
    }

    private static void checkLength(Path file, long n, String what) throws InputException {
        if (n < 0 || n > MAX_ARRAY) {
            throw error(file, what + " would need " + n + " elements, more than one array holds (" + MAX_ARRAY + ")");
        }
    }

    private static InputException noMemory(Path file, long bytes, String what) {
        return error(file, "not enough memory for " + what + " (" + bytes + " bytes); give Java a larger heap with -Xmx");
    }

    /** @return {@code a·b}, or {@link Long#MAX_VALUE} where that overflows (both non-negative) */
    static long mulSaturated(long a, long b) {
        if (a != 0 && b > Long.MAX_VALUE / a) {
            return Long.MAX_VALUE;
        }
        return a * b;
    }
}
