package dev.lanes.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.junit.jupiter.api.Test;

/**
 * Runs every JMH benchmark of {@code dev.lanes.jmh}, with every parameter combination, once at minimal
 * settings in this JVM, so a benchmark that no longer compiles, throws or measures nothing fails the
 * build. The numbers are meaningless (a few milliseconds, mostly before the JIT); only their presence
 * and sanity are checked.
 */
class BenchmarkSmokeTest {

    private static final String INCLUDE = "dev\\.lanes\\.jmh\\..*";

    @Test
    void everyBenchmarkRunsAndReportsAPositiveScore() throws Exception {
        // JMH refuses to start while another JMH run holds /tmp/jmh.lock; this smoke run measures
        // nothing, so it must not fail (or wait) because someone benchmarks on the same machine.
        System.setProperty("jmh.ignoreLock", "true");
        Options options = new OptionsBuilder()
                .include(INCLUDE)
                // Forks 0: the test JVM already runs with the Vector API module (this class is not
                // in the fallback run), and forking 100-odd JVMs would take minutes.
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(2))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(5))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Integer> expected = expectedRuns();
        assertFalse(expected.isEmpty(), "no benchmarks in META-INF/BenchmarkList");
        Map<String, Integer> actual = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            actual.merge(name, 1, Integer::sum);
            String where = describe(r);
            Result<?> primary = r.getPrimaryResult();
            assertTrue(Double.isFinite(primary.getScore()) && primary.getScore() > 0,
                    where + ": score " + primary.getScore());
            for (Result<?> secondary : r.getSecondaryResults().values()) {
                assertTrue(Double.isFinite(secondary.getScore()) && secondary.getScore() > 0,
                        where + ": " + secondary.getLabel() + " " + secondary.getScore());
            }
            if (name.endsWith("GemmBench.gemm")) {
                assertTrue(r.getSecondaryResults().containsKey("gflops"), where + ": no gflops counter");
            }
        }
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), "benchmarks that ran");
        assertEquals(expected, actual, "runs per benchmark (one per parameter combination)");
    }

    private static String describe(RunResult r) {
        StringBuilder s = new StringBuilder(r.getParams().getBenchmark());
        for (String key : r.getParams().getParamsKeys()) {
            s.append(' ').append(key).append('=').append(r.getParams().getParam(key));
        }
        return s.toString();
    }

    /** @return for each benchmark in the generated list, how many parameter combinations it has */
    private static Map<String, Integer> expectedRuns() {
        Map<String, Integer> runs = new HashMap<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().find(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of(INCLUDE),
                List.of())) {
            int combinations = 1;
            for (String[] values : e.getParams().orElse(Map.of()).values()) {
                combinations *= values.length;
            }
            runs.merge(e.getUsername(), combinations, Integer::sum);
        }
        return runs;
    }
}
