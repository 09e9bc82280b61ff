package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.TrainTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process and captures what it prints; builds small MNIST folders. */
public final class Cli {

    /**
     * Exit status, standard output and standard error of one run.
     *
     * @param status exit status
     * @param out    standard output
     * @param err    standard error
     */
    public record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static TrainTest mnist;

    private Cli() {
    }

    /**
     * @param args the command line
     * @return what it printed and its exit status
     */
    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        int status = Main.run(args, o, e);
        o.flush();
        e.flush();
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** @return the bundled MNIST, loaded once per test JVM */
    public static synchronized TrainTest mnist() {
        if (mnist == null) {
            try {
                mnist = IdxDirectory.load(IdxDirectory.bundled());
            } catch (InputException e) {
                throw new IllegalStateException(e);
            }
        }
        return mnist;
    }

    /** Writes the first {@code train} and {@code test} MNIST images as a raw IDX folder. */
    static Path mnistSlice(Path dir, int train, int test) {
        try {
            Files.createDirectories(dir);
            writeIdx(dir, "train", mnist().train(), train);
            writeIdx(dir, "t10k", mnist().test(), test);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeIdx(Path dir, String prefix, Dataset d, int n) throws IOException {
        int f = d.features();
        ByteBuffer images = ByteBuffer.allocate(16 + n * f);
        images.putInt(0x803).putInt(n).putInt(d.imageRows()).putInt(d.imageCols()).put(d.pixels(), 0, n * f);
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        ByteBuffer labels = ByteBuffer.allocate(8 + n);
        labels.putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            labels.put((byte) d.label(i));
        }
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    /** Writes the first {@code n} images of {@code d} as a Kaggle CSV, with or without the label column. */
    static Path csv(Path file, Dataset d, int n, boolean labelled) {
        StringBuilder sb = new StringBuilder(labelled ? "label," : "");
        for (int p = 0; p < d.features(); p++) {
            sb.append(p == 0 ? "" : ",").append("pixel").append(p);
        }
        sb.append('\n');
        for (int i = 0; i < n; i++) {
            if (labelled) {
                sb.append(d.label(i)).append(',');
            }
            for (int p = 0; p < d.features(); p++) {
                sb.append(p == 0 ? "" : ",").append(d.pixels()[i * d.features() + p] & 0xFF);
            }
            sb.append('\n');
        }
        try {
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
