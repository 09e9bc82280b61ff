package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.cli.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict --csv - --out -} in a real process: a filter from standard input to standard output. */
class StandardStreamsTest {

    @Test
    void predictReadsStandardInputAndWritesStandardOutput(@TempDir Path tmp) throws Exception {
        Path data = Lab.mnistSlice(tmp.resolve("mnist"), 1000, 50);
        Path model = tmp.resolve("m.lanes");
        assertEquals(0, Cli.run("train", "--data", data.toString(), "--epochs", "1", "--model", model.toString()).status());
        Path csv = tmp.resolve("t.csv");
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 784; p++) {
            sb.append(p == 0 ? "" : ",").append("pixel").append(p);
        }
        sb.append('\n');
        byte[] pixels = Cli.mnist().test().pixels();
        for (int i = 0; i < 12; i++) {
            for (int p = 0; p < 784; p++) {
                sb.append(p == 0 ? "" : ",").append(pixels[i * 784 + p] & 0xFF);
            }
            sb.append('\n');
        }
        Files.writeString(csv, sb);
        Path expected = tmp.resolve("expected.csv");
        assertEquals(0, Cli.run("predict", "--model", model.toString(), "--csv", csv.toString(), "--out",
                expected.toString()).status());

        Path stdout = tmp.resolve("stdout.csv");
        Path stderr = tmp.resolve("stderr.txt");
        Process p = Lab.java("dev.lanes.cli.Main", "predict", "--model", model.toString(), "--csv", "-", "--out", "-")
                .redirectInput(csv.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        List<String> lines = Files.readAllLines(stdout);
        assertEquals(Files.readAllLines(expected), lines, "only the predictions go to standard output");
        assertTrue(err.contains("12 predictions written to standard output"), err);
    }
}
