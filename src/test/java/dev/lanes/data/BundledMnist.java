package dev.lanes.data;

import dev.lanes.InputException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The repository's bundled MNIST, loaded once per test JVM and shared by every test that needs it. */
final class BundledMnist {

    private static TrainTest loaded;

    private BundledMnist() {
    }

    /** The repository's {@code data/mnist}, found from the build's base directory. */
    static Path dir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "data", "mnist");
    }

    static synchronized TrainTest get() {
        if (loaded == null) {
            try {
                loaded = IdxDirectory.load(dir());
            } catch (InputException e) {
                throw new UncheckedIOException(new java.io.IOException(e.getMessage(), e));
            }
        }
        return loaded;
    }
}
