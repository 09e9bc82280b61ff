package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Once compiled, the vector kernels must not allocate. A Vector API value that C2 cannot keep in a
 * register (a vector passed to a method it did not inline, an operation it did not intrinsify) is
 * boxed on the heap on every use: the kernel then allocates hundreds of bytes per call and runs many
 * times slower, with correct results. This test measures the bytes allocated by the calling thread.
 *
 * <p>Compilation happens in the background and lags on a busy machine (a kernel called once per round
 * with its loop inside may need over ten thousand calls before C2 replaces its C1 code), so each kernel
 * runs in rounds of 500 calls until one round allocates less than one byte per call (one boxed vector
 * alone is at least 16 bytes). It fails if that has not happened after {@link #PATIENCE_NANOS} of
 * calls, far longer than compilation takes.
 */
class KernelAllocationTest {

    private static final long PATIENCE_NANOS = 15_000_000_000L;
    private static final int CALLS = 500;

    @Test
    void compiledKernelsDoNotAllocate() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        Kernels v = KernelsProvider.vector().orElseThrow();
        Random rnd = new Random(5);
        int rows = 7;
        int cols = 37;
        int n = rows * cols;
        float[] x = gaussian(rnd, n);
        float[] y = gaussian(rnd, n);
        float[] w = gaussian(rnd, n);
        float[] m = new float[n];
        float[] s = new float[n];
        float[] bias = gaussian(rnd, cols);
        int[] labels = new int[rows];
        byte[] pixels = new byte[n];
        rnd.nextBytes(pixels);

        Map<String, Runnable> kernels = new LinkedHashMap<>();
        kernels.put("softmaxCrossEntropy 7x37", () -> v.softmaxCrossEntropy(rows, cols, x, 0, cols, labels, 0, y, 0, cols, 1f));
        kernels.put("softmaxCrossEntropy 7x10", () -> v.softmaxCrossEntropy(rows, 10, x, 0, 10, labels, 0, y, 0, 10, 1f));
        // 25 rows of 10 classes: whole blocks of rows with the lanes over the rows, then single rows.
        int[] labels25 = new int[25];
        for (int i = 0; i < labels25.length; i++) {
            labels25[i] = rnd.nextInt(10);
        }
        kernels.put("softmaxCrossEntropy 25x10", () -> v.softmaxCrossEntropy(25, 10, x, 0, 10, labels25, 0, y, 0, 10, 1f));
        kernels.put("softmax 1x259", () -> {
            System.arraycopy(x, 0, y, 0, n);
            v.softmax(1, n, y, 0, n);
        });
        kernels.put("argmaxRows", () -> v.argmaxRows(rows, cols, x, 0, cols, labels, 0));
        kernels.put("addBiasRelu", () -> v.addBiasRelu(rows, cols, y, 0, cols, bias, 0));
        kernels.put("addBias", () -> v.addBias(rows, cols, y, 0, cols, bias, 0));
        kernels.put("reluBackward", () -> v.reluBackward(rows, cols, y, 0, cols, x, 0, cols));
        kernels.put("reluBackward strided", () -> v.reluBackward(rows, 30, y, 0, cols, x, 0, cols));
        kernels.put("columnSums", () -> v.columnSums(rows, cols, x, 0, cols, bias, 0, false));
        kernels.put("add", () -> v.add(n, x, 0, y, 0));
        kernels.put("sgd", () -> v.sgd(n, w, 0, x, 0, 1e-6f, 1e-4f));
        kernels.put("momentum", () -> v.momentum(n, w, 0, x, 0, m, 0, 1e-6f, 0.9f, 1e-4f, false));
        kernels.put("momentum nesterov", () -> v.momentum(n, w, 0, x, 0, m, 0, 1e-6f, 0.9f, 1e-4f, true));
        kernels.put("adam", () -> v.adam(n, w, 0, x, 0, m, 0, s, 0, 1e-6f, 0.9f, 0.999f, 1e-8f, 1e-4f, 0.5f, 0.5f));
        kernels.put("bytesToFloats", () -> v.bytesToFloats(n, pixels, 0, y, 0));

        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, Runnable> kernel : kernels.entrySet()) {
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            double best = Double.MAX_VALUE;
            int rounds = 0;
            while (best >= 1 && System.nanoTime() < deadline) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int call = 0; call < CALLS; call++) {
                    kernel.getValue().run();
                }
                best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / (double) CALLS);
                rounds++;
            }
            if (best >= 1) {
                failures.append(String.format("%n  %s: %.0f bytes per call at best, after %d calls",
                        kernel.getKey(), best, rounds * CALLS));
            }
        }
        if (failures.length() > 0) {
            fail("kernels still allocating once compiled:" + failures);
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
