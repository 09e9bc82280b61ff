package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are checked before any work: never an input, never each other, and writable. */
class OutputSafetyTest {

    @TempDir
    static Path shared;
    static Path slice;
    static Path model;
    static byte[] modelBytes;

    @BeforeAll
    static void trainOnce() throws IOException {
        slice = Cli.mnistSlice(shared.resolve("mnist"), 1000, 200);
        model = shared.resolve("m.lanes");
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--model", model.toString());
        assertEquals(0, r.status(), r.toString());
        modelBytes = Files.readAllBytes(model);
    }

    private static void assertRefused(Cli.Result r, String... named) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        for (String n : named) {
            assertTrue(r.err().contains(n), n + " in " + r.err());
        }
        assertFalse(r.out().contains("epoch "), "refused before training: " + r.out());
    }

    @Test
    void metricsCannotOverwriteTheModel(@TempDir Path tmp) {
        Path same = tmp.resolve("same.lanes");
        assertRefused(Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--metrics", same.toString(),
                "--model", same.toString()), "--metrics", "--model", "same file");
        assertFalse(Files.exists(same));
        // The same file under another spelling is the same file.
        assertRefused(Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--metrics", same.toString(),
                "--model", tmp.resolve("sub/../same.lanes").toString()), "same file");
    }

    @Test
    void predictionsCannotOverwriteTheModelOrTheImages(@TempDir Path tmp) throws IOException {
        Path copy = Files.write(tmp.resolve("m.lanes"), modelBytes);
        Path csv = Cli.csv(tmp.resolve("t.csv"), Cli.mnist().test(), 20, false);
        byte[] csvBytes = Files.readAllBytes(csv);
        assertRefused(Cli.run("predict", "--model", copy.toString(), "--csv", csv.toString(), "--out", copy.toString()),
                "--out", "--model");
        assertRefused(Cli.run("predict", "--model", copy.toString(), "--csv", csv.toString(), "--out", csv.toString()),
                "--out", "--csv");
        Path link = Files.createSymbolicLink(tmp.resolve("link.csv"), copy);
        assertRefused(Cli.run("predict", "--model", copy.toString(), "--csv", csv.toString(), "--out", link.toString()),
                "--out", "--model");
        assertArrayEquals(modelBytes, Files.readAllBytes(copy));
        assertArrayEquals(csvBytes, Files.readAllBytes(csv));
    }

    @Test
    void trainingCannotOverwriteItsStartModelOrData(@TempDir Path tmp) throws IOException {
        Path copy = Files.write(tmp.resolve("m.lanes"), modelBytes);
        assertRefused(Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--from", copy.toString(),
                "--model", copy.toString()), "--model", "--from");
        assertRefused(Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--model",
                slice.resolve("train-labels-idx1-ubyte").toString()), "--model", "--data");
        assertArrayEquals(modelBytes, Files.readAllBytes(copy));
    }

    /** A 250-character name is valid on common file systems; the temporary name must not push it over. */
    @Test
    void longValidNamesCanBeWritten(@TempDir Path tmp) throws IOException {
        Path csv = Cli.csv(tmp.resolve("t.csv"), Cli.mnist().test(), 5, false);
        Path out = tmp.resolve("p".repeat(246) + ".csv");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--csv", csv.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(6, Files.readAllLines(out).size());
        Path longModel = tmp.resolve("m".repeat(249) + ".lanes");
        Cli.Result t = Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--model", longModel.toString());
        assertEquals(0, t.status(), t.toString());
        assertTrue(Files.size(longModel) > 0);
        assertEquals(List.of(out.getFileName().toString(), longModel.getFileName().toString(), "t.csv").stream().sorted().toList(),
                names(tmp), "no temporary file left");
    }

    @Test
    void temporaryNamesHaveABoundedLength() {
        String name = AtomicFile.class.getSimpleName(); // any short name keeps its full prefix
        assertTrue(tempName(name).startsWith("." + name + ".tmp-"));
        String longName = "x".repeat(255);
        assertTrue(tempName(longName).length() <= 1 + 32 + 5 + 16, tempName(longName));
        // A surrogate pair is never cut in half.
        String emoji = "a".repeat(31) + "\uD83D\uDE00" + "b".repeat(100);
        assertFalse(Character.isHighSurrogate(tempName(emoji).charAt(31)));
    }

    private static String tempName(String name) {
        try {
            java.lang.reflect.Method m = AtomicFile.class.getDeclaredMethod("tempName", String.class, long.class);
            m.setAccessible(true);
            return (String) m.invoke(null, name, -1L);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Too long for the file system: refused before the first epoch, not after it. */
    @Test
    void unwritableOutputsFailBeforeTraining(@TempDir Path tmp) {
        String tooLong = "n".repeat(300);
        assertRefused(Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--model",
                tmp.resolve(tooLong).toString()), tooLong);
        assertRefused(Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--model",
                tmp.resolve("ok.lanes").toString(), "--metrics", tmp.resolve(tooLong + ".jsonl").toString()), "--metrics",
                tooLong);
        assertFalse(Files.exists(tmp.resolve("ok.lanes")));
    }

    @Test
    void aProbeLeavesNothingBehind(@TempDir Path tmp) throws InputException, IOException {
        AtomicFile.requireWritable(tmp.resolve("new.bin"));
        Files.writeString(tmp.resolve("old.bin"), "keep");
        AtomicFile.requireWritable(tmp.resolve("old.bin"));
        assertEquals(List.of("old.bin"), names(tmp));
        assertEquals("keep", Files.readString(tmp.resolve("old.bin"), StandardCharsets.UTF_8));
    }

    /** eval and predict need only the two test files of a folder. */
    @Test
    void evalAndPredictWorkOnAFolderWithOnlyTheTestFiles(@TempDir Path tmp) throws IOException {
        Path only = Files.createDirectories(tmp.resolve("t10k-only"));
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.copy(slice.resolve(f), only.resolve(f));
        }
        Cli.Result e = Cli.run("eval", "--model", model.toString(), "--data", only.toString());
        assertEquals(0, e.status(), e.toString());
        assertTrue(e.out().contains("200 images"), e.out());
        Path out = tmp.resolve("p.csv");
        Cli.Result p = Cli.run("predict", "--model", model.toString(), "--data", only.toString(), "--out", out.toString());
        assertEquals(0, p.status(), p.toString());
        assertEquals(201, Files.readAllLines(out).size());
    }

    @Test
    void evalHelpOffersOnlyWhatEvalAccepts() {
        Cli.Result r = Cli.run("eval", "--help");
        assertEquals(0, r.status());
        assertFalse(r.out().contains("--train-csv"), r.out());
        assertTrue(r.out().contains("--test-csv"), r.out());
        assertTrue(Cli.run("train", "--help").out().contains("--train-csv"));
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
