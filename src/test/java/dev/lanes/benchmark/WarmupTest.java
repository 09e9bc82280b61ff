package dev.lanes.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import dev.lanes.kernels.KernelsProvider;
import org.junit.jupiter.api.Test;

/** A figure whose warm-up ran out of time is marked, never passed off as compiled code's. */
class WarmupTest {

    private static final long MS = 1_000_000L;

    @Test
    void aWarmupCutShortByItsTimeBoxIsReported() {
        // No warm-up time at all, two rounds required: the box always runs out first.
        Harness h = new Harness(new Budget(0, 0, 2, MS, 1, 0, MS, 1, MS));
        double[] x = new double[64];
        h.secondsPerCall(() -> x[0] += 1, true);
        assertFalse(h.warmedUp());
    }

    @Test
    void theFirstCaseOfAKernelIsCalledEnoughTimesForC2() {
        // A generous box (30 s) and rounds of about one call: only the call count can hold the
        // warm-up open past its first steady, quiet rounds.
        Harness h = new Harness(new Budget(30_000 * MS, 30_000 * MS, 2, 1, 1, 0, MS, 1, MS));
        long[] calls = new long[1];
        h.secondsPerCall(() -> calls[0]++, true);
        assertTrue(h.warmedUp());
        // The warm-up calls plus one timed round: at least the minimum, and the box did not end it.
        assertTrue(calls[0] >= Harness.MIN_WARMUP_CALLS, calls[0] + " calls");
    }

    @Test
    void rowsOfAColdRunAreMarkedInJsonAndTable() {
        SelfBenchmark bench = new SelfBenchmark(new Budget(0, 0, 2, MS, 1, 0, MS, 1, 10 * MS), new int[] {1},
                TrainingData.synthetic(256, 3), KernelsProvider.scalar(), Optional.empty(), "no vector module for this test",
                KernelsProvider.scalar());
        StringWriter table = new StringWriter();
        Report.Table t = Report.table(new PrintWriter(table), bench, true);
        int[] cold = {0};
        bench.run(m -> {
            t.accept(m);
            if (m.available()) {
                Map<String, Object> row = FlatJson.parse(Report.json(m, "17"));
                assertEquals(false, row.get("warmed_up"), row.toString());
                cold[0]++;
            }
        });
        t.finish();
        assertTrue(cold[0] > 3, "rows measured: " + cold[0]);
        assertTrue(table.toString().contains("(not warmed up *)"), table.toString());
        assertTrue(table.toString().contains("* not warmed up: the JIT was still compiling"), table.toString());
    }

    @Test
    void aWarmedUpRowSaysSo() {
        Measurement m = new Measurement("adam 7960", Kind.KERNEL, "update", "scalar", 1,
                new Summary(2.5e-6, 2e-6, 3e-6, 3), 7960, 0, null, null);
        assertEquals(true, FlatJson.parse(Report.json(m, "17")).get("warmed_up"));
    }
}
