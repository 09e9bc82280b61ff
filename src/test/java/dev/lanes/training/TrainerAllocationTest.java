package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lanes.data.Dataset;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step allocates nothing: the bytes allocated by every thread of the process during an epoch
 * of 64 steps are those of an epoch of 16 steps (an epoch itself allocates a little: its statistics and
 * its shuffle's generator). Measured with HotSpot's per-thread allocation counters over all threads, so
 * the worker threads count too.
 *
 * <p>Until C2 has compiled the kernels, Vector API code allocates on every call, so the epochs run in
 * rounds until the least bytes seen for the long epoch exceed the least seen for the short one by less
 * than one byte per extra step (a single boxed vector would be 16), within {@link #PATIENCE_NANOS}.
 */
class TrainerAllocationTest {

    private static final long PATIENCE_NANOS = 30_000_000_000L;
    private static final int BATCH = 16;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void stepsDoNotAllocate(int threads) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());

        int[] sizes = {49, 24, 16, 10};
        TrainingConfig config = TrainingConfig.builder().batchSize(BATCH).learningRate(0.01f)
                .optimizer(new Optimizer.Adam()).threads(threads).build();
        Dataset shortSet = data(16 * BATCH, sizes[0], 1);
        Dataset longSet = data(64 * BATCH, sizes[0], 2);
        try (Trainer shortRun = new Trainer(Network.create(sizes, Init.HE, 3), config);
             Trainer longRun = new Trainer(Network.create(sizes, Init.HE, 3), config)) {
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            // Other threads (the JIT's, the test runner's) only ever add bytes, so the least seen for each
            // epoch length converges to its own cost; the difference of the two is then the steps' share.
            long leastShort = Long.MAX_VALUE;
            long leastLong = Long.MAX_VALUE;
            double best = Double.MAX_VALUE;
            while (best >= 1 && System.nanoTime() < deadline) {
                long a = allocated(mx);
                shortRun.trainEpoch(shortSet, null);
                long b = allocated(mx);
                longRun.trainEpoch(longSet, null);
                long c = allocated(mx);
                leastShort = Math.min(leastShort, b - a);
                leastLong = Math.min(leastLong, c - b);
                best = (leastLong - leastShort) / 48.0;
            }
            assertTrue(best < 1, "a training step on " + threads + " thread(s) allocates " + best + " bytes");
        } catch (DivergedException e) {
            throw new AssertionError(e);
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean mx) {
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    private static Dataset data(int n, int features, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] pixels = new byte[n * features];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rnd.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(10);
        }
        return new Dataset("random", pixels, labels, n, 7, 7);
    }
}
