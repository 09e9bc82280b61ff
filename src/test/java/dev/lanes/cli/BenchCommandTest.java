package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.benchmark.FlatJson;
import dev.lanes.kernels.KernelsProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code lanes bench} end to end, in the test JVM. Runs {@code --quick --json} once (about half a minute)
 * and checks every row the benchmark promises; never asserts speed.
 */
class BenchCommandTest {

    private static Cli.Result quick;

    @BeforeAll
    static void runQuickJson() {
        quick = Cli.run("bench", "--quick", "--json", "--threads", "2,1");
    }

    /** The rows the benchmark promises, as "name|impl|threads", written out from its description. */
    static Set<String> expectedRows(String trainingImpl) {
        Set<String> rows = new LinkedHashSet<>();
        for (int b : new int[] {64, 256}) {
            for (int[] layer : new int[][] {{784, 10}, {784, 128}, {784, 256}, {256, 128}}) {
                int in = layer[0];
                int out = layer[1];
                for (String name : new String[] {"matmul " + b + "x" + in + "x" + out,
                    "matmulTransB " + b + "x" + out + "x" + in, "matmulTransA " + in + "x" + b + "x" + out}) {
                    rows.add(name + "|scalar|1");
                    rows.add(name + "|vector|1");
                    rows.add(name + "|vector|2");
                }
            }
        }
        for (String name : new String[] {"softmaxCrossEntropy 64x10", "softmaxCrossEntropy 256x10", "adam 7960",
            "adam 235146"}) {
            rows.add(name + "|scalar|1");
            rows.add(name + "|vector|1");
        }
        for (String name : new String[] {"epoch 784-10-10 batch 64", "epoch 784-256-128-10 batch 256"}) {
            rows.add(name + "|" + trainingImpl + "|1");
            rows.add(name + "|" + trainingImpl + "|2");
        }
        return rows;
    }

    static List<Map<String, Object>> parseLines(String out) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(FlatJson.parse(line));
            }
        }
        return rows;
    }

    static void assertPositiveFinite(Map<String, Object> row, String key) {
        Object v = row.get(key);
        assertTrue(v instanceof Double && (Double) v > 0 && Double.isFinite((Double) v), key + " in " + row);
    }

    @Test
    void quickJsonGivesOneValidRowForEveryPromisedCase() {
        assertEquals(0, quick.status(), quick.toString());
        assertEquals("", quick.err());
        List<Map<String, Object>> rows = parseLines(quick.out());
        Set<String> expected = expectedRows(KernelsProvider.get().name());
        Map<String, Map<String, Object>> byKey = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String key = row.get("name") + "|" + row.get("impl") + "|" + ((Double) row.get("threads")).intValue();
            assertEquals(null, byKey.put(key, row), "duplicate row " + key);
        }
        assertEquals(expected, byKey.keySet(), "the rows, in order of appearance: " + byKey.keySet());
        for (Map<String, Object> row : rows) {
            assertEquals(true, row.get("available"), row.toString());
            String kind = (String) row.get("kind");
            String figure = kind.equals("gemm") ? "gflops" : "seconds";
            for (String key : new String[] {figure, "min", "max", "repeats"}) {
                assertPositiveFinite(row, key);
            }
            double median = (Double) row.get(figure);
            assertTrue((Double) row.get("min") <= median && median <= (Double) row.get("max"), row.toString());
            assertFalse(row.containsKey(kind.equals("gemm") ? "seconds" : "gflops"), row.toString());
            if (kind.equals("epoch")) {
                assertEquals(60000.0, row.get("samples"), row.toString());
                double timed = (Double) row.get("timed_samples");
                assertTrue(timed >= 1 && timed <= 60000, row.toString());
                assertTrue(((String) row.get("data")).startsWith("synthetic"), row.toString());
            }
        }
    }

    @Test
    void gemmRowsComeFirstThenKernelsThenEpochs() {
        List<String> kinds = new ArrayList<>();
        for (Map<String, Object> row : parseLines(quick.out())) {
            String kind = (String) row.get("kind");
            if (kinds.isEmpty() || !kinds.get(kinds.size() - 1).equals(kind)) {
                kinds.add(kind);
            }
        }
        assertEquals(List.of("gemm", "kernel", "epoch"), kinds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "x", "1,,2", "", "2000", "1.5"})
    void badThreadListsAreOneLineErrors(String list) {
        Cli.Result r = Cli.run("bench", "--quick", "--threads", list);
        assertEquals(Main.EXIT_BAD_INPUT, r.status(), r.toString());
        assertEquals("", r.out());
        assertOneLine(r.err(), "--threads");
    }

    @Test
    void unknownOptionsAreOneLineErrors() {
        Cli.Result r = Cli.run("bench", "--fast");
        assertEquals(Main.EXIT_BAD_INPUT, r.status(), r.toString());
        assertOneLine(r.err(), "--fast");
        Cli.Result missing = Cli.run("bench", "--threads");
        assertEquals(Main.EXIT_BAD_INPUT, missing.status(), missing.toString());
        assertOneLine(missing.err(), "--threads");
    }

    @Test
    void aMissingDataFolderIsAOneLineError(@TempDir Path dir) {
        Path nowhere = dir.resolve("nowhere");
        Cli.Result r = Cli.run("bench", "--quick", "--data", nowhere.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.status(), r.toString());
        assertOneLine(r.err(), nowhere.toString());
    }

    @Test
    void helpDescribesTheOptions() {
        Cli.Result r = Cli.run("bench", "--help");
        assertEquals(0, r.status(), r.toString());
        for (String option : new String[] {"--quick", "--json", "--threads", "--data"}) {
            assertTrue(r.out().contains(option), r.out());
        }
    }

    static void assertOneLine(String err, String mentions) {
        assertTrue(err.startsWith("lanes bench: "), err);
        assertEquals(1, err.strip().split("\n").length, err);
        assertTrue(err.contains(mentions), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }
}
