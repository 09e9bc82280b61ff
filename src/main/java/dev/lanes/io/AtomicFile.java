package dev.lanes.io;

import dev.lanes.InputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the complete old content or the complete new content,
 * never a mixture or a prefix: the bytes go to a hidden temporary file in the target's folder
 * ({@code .NAME.tmp-RANDOM}, with NAME cut to 32 characters), are forced to disk, and the temporary file is then renamed over the
 * target in one atomic step. On any failure the temporary file is removed and an existing target is
 * left exactly as it was.
 *
 * <p>Model files and charts are written this way, so that an interrupted run, a full disk or a
 * concurrent reader never meets a half-written file.
 */
public final class AtomicFile {

    /** Produces the file's content. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content.
         *
         * @param out where to write; buffered, and closed by the caller
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private static final int BUFFER = 1 << 16;
    /**
     * How much of the target's name the temporary name keeps: at most 4·32 bytes in UTF-8, plus 22 for
     * the dot and suffix, well below the 255-byte name limit of common file systems.
     */
    static final int TEMP_PREFIX_CHARS = 32;

    private AtomicFile() {
    }

    /**
     * Writes {@code content} to {@code target} atomically.
     *
     * @param target  the file to create or replace
     * @param content produces the bytes
     * @throws InputException one line naming {@code target} and the reason (folder missing, not a
     *                        folder, permission denied, disk full, …); nothing is left behind and an
     *                        existing {@code target} is unchanged
     */
    public static void write(Path target, Content content) throws InputException {
        checkTarget(target);
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path name = absolute.getFileName();
        Path temp = null;
        boolean done = false;
        try {
            temp = createTemp(dir, name.toString());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
                content.writeTo(out);
                out.flush();
                // The rename must not become visible before the data: force it to the device first.
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            syncFolder(dir);
        } catch (IOException e) {
            throw new InputException(target + ": cannot write: " + reason(e), e);
        } finally {
            if (!done && temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The original failure is the one worth reporting.
                }
            }
        }
    }

    /**
     * Checks what can be checked about {@code target} before its content exists: that it names a file
     * in an existing folder and is not itself a folder. Commands call this before long work whose
     * result goes to {@code target}, so that a mistyped path fails at once rather than after it.
     *
     * @param target the file to be written
     * @throws InputException one line naming {@code target} and what is wrong with it
     */
    public static void checkTarget(Path target) throws InputException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path name = absolute.getFileName();
        if (dir == null || name == null) {
            throw new InputException(target + ": not a file name");
        }
        if (!Files.isDirectory(dir)) {
            throw new InputException(target + ": cannot write, "
                    + (Files.exists(dir) ? dir + " is not a folder" : "folder " + dir + " does not exist"));
        }
        if (Files.isDirectory(absolute)) {
            throw new InputException(target + ": cannot write, it is a folder");
        }
    }

    /**
     * {@link #checkTarget}, and then proof that the file can be written: a temporary file is created
     * and deleted in its folder and, if the target does not exist yet, the target itself (which checks
     * permissions and that the name is not too long for the file system). Commands call this for each
     * output before their work, so that no result is lost to an unwritable path.
     *
     * @param target the file to be written
     * @throws InputException one line naming {@code target} and why it cannot be written
     */
    public static void requireWritable(Path target) throws InputException {
        checkTarget(target);
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        try {
            Files.delete(createTemp(dir, absolute.getFileName().toString()));
            if (!Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                FileChannel.open(absolute, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                Files.delete(absolute);
            }
        } catch (IOException e) {
            throw new InputException(target + ": cannot write: " + reason(e), e);
        }
    }

    /**
     * The temporary file's name: the target's name cut to {@value #TEMP_PREFIX_CHARS} characters, so
     * that a target whose own name is as long as the file system allows still gets a temporary file.
     */
    static String tempName(String name, long random) {
        int cut = Math.min(name.length(), TEMP_PREFIX_CHARS);
        if (cut > 0 && Character.isHighSurrogate(name.charAt(cut - 1))) {
            cut--;
        }
        return "." + name.substring(0, cut) + ".tmp-" + Long.toHexString(random & Long.MAX_VALUE);
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(tempName(name, ThreadLocalRandom.current().nextLong()));
            try {
                // CREATE_NEW, not Files.createTempFile: the latter makes the file private (0600),
                // and the renamed result should carry the usual permissions of a new file.
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 8) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename itself durable where the platform allows opening a folder (POSIX). */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Windows cannot open folders; the file itself is already on disk.
        }
    }

    /**
     * The reason for an I/O failure as a short phrase for a one-line message that names the file
     * first ({@code "permission denied"}, {@code "No space left on device"}): the JDK's own messages
     * repeat the path and may span lines.
     *
     * @param e an I/O failure
     * @return a short one-line reason suitable for a message
     */
    public static String reason(IOException e) {
        String r;
        if (e instanceof NoSuchFileException) {
            r = "no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            r = "permission denied";
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            r = ((FileSystemException) e).getReason();
        } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
            r = e.getMessage();
        } else {
            r = e.getClass().getSimpleName();
        }
        return r.replaceAll("\\s+", " ").trim();
    }
}
