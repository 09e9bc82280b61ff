package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a command reads and writes, checked before it does any work: no output may be the same
 * file as an input or as another output (comparing real paths, so links and {@code ./} spellings are
 * caught), and every output must be writable.
 */
final class Outputs {

    /** A file and the flag that named it. */
    private record Named(String flag, Path path) {
    }

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    /** @return this, with {@code path} (if not null) read by the command */
    Outputs input(String flag, Path path) {
        if (path != null) {
            inputs.add(new Named(flag, path));
        }
        return this;
    }

    /** @return this, with {@code path} (if not null) written by the command */
    Outputs output(String flag, Path path) {
        if (path != null) {
            outputs.add(new Named(flag, path));
        }
        return this;
    }

    /**
     * @throws InputException naming the first output that is an input or another output, or that
     *                        cannot be written
     */
    void check() throws InputException {
        for (int i = 0; i < outputs.size(); i++) {
            Named out = outputs.get(i);
            for (Named in : inputs) {
                if (same(out.path, in.path)) {
                    throw new InputException(out.flag + " " + out.path + " is the same file as " + in.flag + " "
                            + in.path + "; writing it would destroy the input (choose another name)");
                }
            }
            for (int j = 0; j < i; j++) {
                Named other = outputs.get(j);
                if (same(out.path, other.path)) {
                    throw new InputException(out.flag + " " + out.path + " is the same file as " + other.flag + " "
                            + other.path + "; one would overwrite the other (choose another name)");
                }
            }
        }
        for (Named out : outputs) {
            try {
                AtomicFile.requireWritable(out.path);
            } catch (InputException e) {
                throw new InputException(out.flag + " " + e.getMessage(), e);
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (Files.exists(a) && Files.exists(b)) {
            try {
                return Files.isSameFile(a, b);
            } catch (IOException e) {
                return real(a).equals(real(b));
            }
        }
        return real(a).equals(real(b));
    }

    /** The path with every link resolved that exists, for files that may not exist yet. */
    private static Path real(Path p) {
        Path absolute = p.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            return parent == null || absolute.getFileName() == null ? absolute
                    : real(parent).resolve(absolute.getFileName());
        }
    }
}
