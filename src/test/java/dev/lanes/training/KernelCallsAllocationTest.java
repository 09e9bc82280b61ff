package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Once compiled, no kernel call of a training step allocates, in a fresh JVM: the per-step total of
 * {@link TrainerAllocationTest} runs in the test JVM's own JIT state, and it missed a cross-entropy that
 * allocated 256 bytes a call in about half of all fresh JVMs (C2 had left a Vector API operation to
 * its Java fallback). Each case is a new JVM of this JDK running {@link KernelCallsAllocationCheck};
 * together they reach the 10-wide forward pass, the lanes-over-rows cross-entropy (whole blocks of
 * rows and single rows), the generic GEMM and both optimizers at one and two threads.
 */
class KernelCallsAllocationTest {

    @ParameterizedTest
    @CsvSource({"49-24-16-10, 16, 2, adam", "100-40-10, 64, 1, sgd", "100-40-10, 64, 2, sgd"})
    void noKernelCallAllocatesOnceCompiled(String sizes, int batch, int threads, String optimizer) throws Exception {
        // The allowance is for a slow, shared machine: these reach zero within 3-6 s on two cores.
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                KernelCallsAllocationCheck.class.getName(),
                sizes, Integer.toString(batch), Integer.toString(threads), optimizer, "40"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the check did not finish:\n" + out);
        assertEquals(0, p.exitValue(), "kernels still allocating once compiled:\n" + out);
    }
}
