package dev.lanes.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.ScalarKernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final Measurement GEMM = new Measurement("matmul 64x784x10", Kind.GEMM, "forward", "vector", 2,
            new Summary(12.5, 10.25, 13, 5), 1003520, 0, null, null);
    private static final Measurement ADAM = new Measurement("adam 7960", Kind.KERNEL, "update", "scalar", 1,
            new Summary(2.5e-6, 2e-6, 3e-6, 3), 7960, 0, null, null);
    private static final Measurement EPOCH = new Measurement("epoch 784-10-10 batch 64", Kind.EPOCH, "training",
            "vector", 1, new Summary(0.25, 0.2, 0.5, 3), 60000, 6400, "synthetic \"random\"\tdata", null);
    private static final Measurement MISSING = new Measurement("adam 7960", Kind.KERNEL, "update", "vector", 1,
            null, 7960, 0, null, "the jdk.incubator.vector module is not enabled");

    @Test
    void aGemmRowCarriesGflopsWithItsRangeAndWork() {
        Map<String, Object> row = FlatJson.parse(Report.json(GEMM, "17.0.1"));
        assertEquals("matmul 64x784x10", row.get("name"));
        assertEquals("gemm", row.get("kind"));
        assertEquals("forward", row.get("role"));
        assertEquals("vector", row.get("impl"));
        assertEquals(2.0, row.get("threads"));
        assertEquals("17.0.1", row.get("jdk"));
        assertEquals(true, row.get("available"));
        assertEquals(12.5, row.get("gflops"));
        assertEquals(10.25, row.get("min"));
        assertEquals(13.0, row.get("max"));
        assertEquals(5.0, row.get("repeats"));
        assertEquals(1003520.0, row.get("flops"));
        assertFalse(row.containsKey("seconds"));
    }

    @Test
    void kernelAndEpochRowsCarrySecondsAndStringsSurviveEscaping() {
        Map<String, Object> adam = FlatJson.parse(Report.json(ADAM, "25"));
        assertEquals(2.5e-6, adam.get("seconds"));
        assertEquals(2e-6, adam.get("min"));
        assertEquals(7960.0, adam.get("elements"));
        assertFalse(adam.containsKey("gflops"));

        Map<String, Object> epoch = FlatJson.parse(Report.json(EPOCH, "25"));
        assertEquals("epoch", epoch.get("kind"));
        assertEquals(0.25, epoch.get("seconds"));
        assertEquals(60000.0, epoch.get("samples"));
        assertEquals(6400.0, epoch.get("timed_samples"));
        assertEquals("synthetic \"random\"\tdata", epoch.get("data"));
    }

    @Test
    void anUnavailableRowSaysWhyAndHasNoFigure() {
        Map<String, Object> row = FlatJson.parse(Report.json(MISSING, "17"));
        assertEquals(false, row.get("available"));
        assertEquals("the jdk.incubator.vector module is not enabled", row.get("reason"));
        assertFalse(row.containsKey("seconds"));
        assertFalse(row.containsKey("min"));
    }

    @Test
    void aMeasurementHasAFigureOrAReasonNeverBoth() {
        assertThrows(IllegalArgumentException.class, () -> new Measurement("x", Kind.GEMM, "r", "scalar", 1,
                null, 1, 0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Measurement("x", Kind.GEMM, "r", "scalar", 1,
                new Summary(1, 1, 1, 1), 1, 0, null, "why"));
    }

    @Test
    void theTablePrintsOneAlignedLinePerRowWithUnits() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        SelfBenchmark bench = new SelfBenchmark(Budget.quick(), new int[] {1}, TrainingData.synthetic(10, 1),
                new ScalarKernels(), Optional.empty(), "the jdk.incubator.vector module is not enabled",
                new ScalarKernels());
        Report.Table table = Report.table(out, bench, true);
        for (Measurement m : new Measurement[] {GEMM, ADAM, MISSING, EPOCH}) {
            table.accept(m);
        }
        table.finish();
        String s = text.toString();
        assertTrue(s.contains("vector kernels unavailable: the jdk.incubator.vector module is not enabled"), s);
        assertTrue(line(s, "matmul 64x784x10").matches(".*forward +vector +2 +12\\.5 +10\\.3-13\\.0\\s*"), s);
        assertTrue(line(s, "adam 7960").matches(".*scalar +1 +2\\.50 us +2\\.00-3\\.00 us +3184 M elements/s\\s*"), s);
        assertTrue(s.contains("unavailable: the jdk.incubator.vector module is not enabled"), s);
        assertTrue(line(s, "epoch 784-10-10").matches(
                ".*vector +1 +250 ms +200-500 ms +240,000 samples/s \\(timed on 6400 samples, scaled\\)\\s*"), s);
        assertTrue(s.chars().allMatch(c -> c < 128), "ASCII only");
    }

    private static String line(String text, String start) {
        for (String l : text.split("\n")) {
            if (l.startsWith(start)) {
                return l;
            }
        }
        throw new AssertionError("no line starts with " + start + " in\n" + text);
    }
}
