package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad kernel property is bad input: one line naming it, exit status 2, no stack trace, no work done. */
class KernelPropertiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-Dlanes.kernels=simd | lanes: -Dlanes.kernels=simd: expected scalar or vector",
        "-Dlanes.vectorBits=384 | lanes: -Dlanes.vectorBits=384: expected 64, 128, 256 or 512"})
    void isRefusedInOneLine(String property, String message) throws Exception {
        Process p = Lab.java(List.of(property), "dev.lanes.cli.Main", "info").start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process did not end");
        assertEquals(2, p.exitValue(), err);
        assertEquals("", out, "nothing is done");
        // The JVM's own warning about the incubator module may come first; Lanes adds exactly one line.
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(List.of(message), lines);
    }
}
