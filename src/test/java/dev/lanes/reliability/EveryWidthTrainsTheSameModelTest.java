package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lanes' promise across machines: the scalar kernels and the vector kernels at 128, 256 and 512 bits
 * train the same model file, byte for byte. Each width runs in a JVM of its own, because the species
 * is fixed when the kernels load; widths beyond this CPU's run as the Vector API's Java fallback.
 *
 * <p>The network is chosen to take every path whose arithmetic could depend on the width: a hidden
 * layer of 40 (the general GEMM at 128 and 256 bits, the skinny one at 512), 20 classes (a softmax
 * row with a whole block of 16 partial sums and a tail), Adam (every element-wise kernel of its update)
 * and a last batch of 40 rows (1000 = 15·64 + 40).
 */
class EveryWidthTrainsTheSameModelTest {

    private static final long PATIENCE_SECONDS = 300;

    @Test
    void scalarAnd128And256And512BitKernelsWriteTheSameModelBytes(@TempDir Path dir) throws Exception {
        Path data = Lab.mnistSlice(dir.resolve("data"), 1000, 200);
        Map<String, List<String>> runs = new LinkedHashMap<>();
        runs.put("scalar", List.of("-Dlanes.kernels=scalar"));
        for (String bits : new String[] {"128", "256", "512"}) {
            runs.put(bits + "-bit", List.of("-Dlanes.kernels=vector", "-Dlanes.vectorBits=" + bits));
        }
        Map<String, byte[]> models = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> run : runs.entrySet()) {
            Path model = dir.resolve(run.getKey() + ".lanes");
            List<String> options = new ArrayList<>(run.getValue());
            Process p = Lab.java(options, "dev.lanes.cli.Main", "train", "--data", data.toString(), "--epochs", "2",
                    "--hidden", "40", "--classes", "20", "--optimizer", "adam", "--lr", "0.003", "--threads", "1",
                    "--quiet", "--model", model.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve(run.getKey() + ".log").toFile()).start();
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), run.getKey() + " did not finish");
            String log = Files.readString(dir.resolve(run.getKey() + ".log"));
            assertEquals(0, p.exitValue(), run.getKey() + ": " + log);
            models.put(run.getKey(), Files.readAllBytes(model));
            // The width really is the one asked for (a property read wrongly would make this pass vacuously).
            Process info = Lab.java(options, "dev.lanes.cli.Main", "info").redirectErrorStream(true).start();
            String said = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(info.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "info did not finish");
            String expected = run.getKey().equals("scalar") ? "scalar" : "vector (" + run.getKey();
            assertTrue(said.contains(expected), run.getKey() + ": info says " + said);
        }
        byte[] reference = models.get("scalar");
        for (Map.Entry<String, byte[]> m : models.entrySet()) {
            assertArrayEquals(reference, m.getValue(), m.getKey() + " kernels wrote another model than the scalar ones");
        }
    }
}
