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
        // A generous box (30 s), rounds of about one call and a compiler that is always quiet: only the
        // call count can hold the warm-up open past its first steady rounds. (With the test JVM's own
        // compiler, busy with the other tests, the timing after the warm-up may be disturbed all four
        // times in the microseconds it takes, which is not what this test is about.)
        Harness h = new Harness(new Budget(30_000 * MS, 30_000 * MS, 2, 1, 1, 0, MS, 1, MS), new ScriptedJit(0, 0));
        long[] calls = new long[1];
        h.secondsPerCall(() -> calls[0]++, true);
        assertTrue(h.warmedUp());
        // The warm-up calls plus one timed round: at least the minimum, and the box did not end it.
        assertTrue(calls[0] >= Harness.MIN_WARMUP_CALLS, calls[0] + " calls");
    }

    /**
     * A compiler that is quiet for the first {@code quietReads} reads of its compile time, then compiles
     * (the time moves, nothing is idle) for the next {@code busyReads}, then is quiet again.
     */
    private static final class ScriptedJit extends Jit {
        private final int quietReads;
        private int busyReads;
        private int reads;
        private long millis;

        ScriptedJit(int quietReads, int busyReads) {
            this.quietReads = quietReads;
            this.busyReads = busyReads;
        }

        @Override
        long compileMillis() {
            reads++;
            if (busy()) {
                busyReads--;
                millis++;
            }
            return millis;
        }

        @Override
        boolean idle() {
            return !busy();
        }

        private boolean busy() {
            return reads > quietReads && busyReads > 0;
        }
    }

    @Test
    void roundsTimedWhileTheJitCompiledAreTakenAgain() {
        // Two reads of the compile time per timing; compiling through the first timing only.
        Harness h = new Harness(new Budget(0, 0, 1, MS, 3, 0, MS, 1, MS), new ScriptedJit(0, 2));
        long[] calls = new long[1];
        h.timedRounds(() -> calls[0]++, 5);
        assertEquals(2 * 3 * 5, calls[0], "one timing of 3 rounds of 5 calls disturbed, one quiet");
    }

    @Test
    void aJitStillCompilingAfterTheWarmupLeavesTheRowMarkedNotWarmedUp() {
        // One warm-up round in a 10 s box ends quiet (two reads); the compiler then never stops.
        Budget budget = new Budget(10_000 * MS, 10_000 * MS, 1, MS, 2, 0, MS, 1, MS);
        Harness busy = new Harness(budget, new ScriptedJit(2, Integer.MAX_VALUE));
        busy.secondsPerCall(() -> { }, false);
        assertFalse(busy.warmedUp());
        // The same warm-up with a compiler that stays quiet: warmed up.
        Harness quiet = new Harness(budget, new ScriptedJit(2, 0));
        quiet.secondsPerCall(() -> { }, false);
        assertTrue(quiet.warmedUp());
        long[] calls = new long[1];
        new Harness(budget, new ScriptedJit(0, Integer.MAX_VALUE)).timedRounds(() -> calls[0]++, 4);
        assertEquals((Harness.RETIMES + 1) * 2 * 4, calls[0], "every retiming used, then given up");
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
