package dev.lanes.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.spark.bench.SparkBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the Spark benchmark once, tiny, so that it cannot rot; its timings mean nothing here. */
class BenchmarkSmokeTest {

    @Test
    void theBenchmarkRunsBothSidesAndPrintsTheComparison() throws Exception {
        Spark.local2();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<SparkBenchmark.Side> sides = SparkBenchmark.run(Spark.context(), Data.mnist(), 2, 2, 2000, 0, 0.1f, 0.1f,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, sides.size());
        assertEquals(2, sides.get(0).epochSeconds().length);
        assertEquals(2, sides.get(1).epochSeconds().length, "one round per epoch");
        assertTrue(sides.get(1).accuracy() > 0.5, "2 epochs on 2000 images learn something: " + out);
        assertTrue(out.contains("Spark / Lanes epoch time"), out);
    }
}
