package dev.lanes.reliability;

import dev.lanes.cli.Cli;
import dev.lanes.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Data folders, in-process command runs and real {@code java} processes for the reliability tests. */
final class Lab {

    private Lab() {
    }

    /** Writes the first {@code train} and {@code test} bundled MNIST images as a raw IDX folder. */
    static Path mnistSlice(Path dir, int train, int test) {
        return idxFolder(dir, Cli.mnist().train().select(range(train)), Cli.mnist().test().select(range(test)));
    }

    /** Writes two labelled data sets as an MNIST-layout raw IDX folder. */
    static Path idxFolder(Path dir, Dataset train, Dataset test) {
        try {
            Files.createDirectories(dir);
            writeIdx(dir, "train", train);
            writeIdx(dir, "t10k", test);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static void writeIdx(Path dir, String prefix, Dataset d) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + d.pixels().length);
        images.putInt(0x803).putInt(d.size()).putInt(d.imageRows()).putInt(d.imageCols()).put(d.pixels());
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        ByteBuffer labels = ByteBuffer.allocate(8 + d.size());
        labels.putInt(0x801).putInt(d.size());
        for (int i = 0; i < d.size(); i++) {
            labels.put((byte) d.label(i));
        }
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    /**
     * A {@code java} process of this very JVM (its {@code java.home}) on the test class path, with
     * the Vector API module like every Lanes process.
     *
     * @param mainClass the class to run
     * @param args      its arguments
     */
    static ProcessBuilder java(String mainClass, String... args) {
        return java(List.of(), mainClass, args);
    }

    /**
     * As {@link #java(String, String...)}, with extra JVM options (such as system properties).
     *
     * @param options   JVM options, before the main class
     * @param mainClass the class to run
     * @param args      its arguments
     */
    static ProcessBuilder java(List<String> options, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Xmx512m");
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** @return every entry of {@code dir} but {@code keep}, by name */
    static List<String> othersIn(Path dir, String... keep) throws IOException {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !Arrays.asList(keep).contains(n)).sorted()
                    .forEach(names::add);
        }
        return names;
    }
}
