package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.KernelsProvider;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code lanes bench} in a JVM without the Vector API module (the build's fallback run): the scalar and
 * epoch rows still run, and every vector row is reported as unavailable with the reason.
 */
@Tag("fallback")
class BenchFallbackTest {

    @Test
    void vectorRowsAreMarkedUnavailableAndTheRestRuns() {
        assertEquals("scalar", System.getProperty("lanes.test.expect"), "this test belongs to the fallback run");
        Cli.Result r = Cli.run("bench", "--quick", "--json", "--threads", "1");
        assertEquals(0, r.status(), r.toString());
        List<Map<String, Object>> rows = BenchCommandTest.parseLines(r.out());
        Set<String> seen = new HashSet<>();
        int unavailable = 0;
        for (Map<String, Object> row : rows) {
            seen.add(row.get("name") + "|" + row.get("impl") + "|" + ((Double) row.get("threads")).intValue());
            if (row.get("impl").equals("vector")) {
                unavailable++;
                assertEquals(false, row.get("available"), row.toString());
                assertEquals(KernelsProvider.vectorUnavailableReason(), row.get("reason"));
                assertTrue(((String) row.get("reason")).contains("jdk.incubator.vector"), row.toString());
            } else {
                assertEquals("scalar", row.get("impl"), row.toString());
                assertEquals(true, row.get("available"), row.toString());
                BenchCommandTest.assertPositiveFinite(row, row.get("kind").equals("gemm") ? "gflops" : "seconds");
            }
        }
        Set<String> expected = new HashSet<>();
        for (String key : BenchCommandTest.expectedRows("scalar")) {
            if (!key.endsWith("|2")) {
                expected.add(key);
            }
        }
        assertEquals(expected, seen);
        assertEquals(24 + 4, unavailable, "every GEMM and element-wise case has its vector row");
    }
}
