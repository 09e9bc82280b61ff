package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.cli.Cli;
import dev.lanes.data.Dataset;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.training.DivergedException;
import dev.lanes.training.Optimizer;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Network.predict} and {@code Network.probabilities} are documented as safe to call from many
 * threads on one network. These tests hammer one network from more threads than there are cores, so
 * that calls interleave inside the forward pass, and compare every answer bitwise with the answer of
 * the same call made alone. A scratch buffer shared between callers shows up as a wrong answer.
 */
class ConcurrencyTest {

    /** More threads than the machine's cores: the scheduler then interleaves them mid-call. */
    private static final int THREADS = Math.max(6, 3 * Runtime.getRuntime().availableProcessors());
    private static final long STRESS_MILLIS = 2_500;

    static Network net;
    static Dataset images;
    static float[][] floats;
    static int[] single;
    static float[][] probabilities;
    static Dataset[] slices;
    static int[][] sliceAnswers;

    @BeforeAll
    static void sequentialAnswers() throws DivergedException {
        // A briefly trained network: its outputs depend on every pixel and differ from image to image.
        Dataset train = Cli.mnist().train().select(Lab.range(2000));
        net = Network.create(new int[] {784, 64, 32, 10}, Init.HE, 5);
        try (Trainer t = new Trainer(net, TrainingConfig.builder().epochs(1).threads(1).build())) {
            t.trainEpoch(train, null);
        }
        images = Cli.mnist().test().select(Lab.range(1000));
        int f = images.features();
        floats = new float[images.size()][f];
        single = new int[images.size()];
        probabilities = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            for (int p = 0; p < f; p++) {
                floats[i][p] = (images.pixels()[i * f + p] & 0xff) / 255f;
            }
            single[i] = net.predict(images.pixels(), i * f);
            probabilities[i] = net.probabilities(floats[i]);
        }
        SplittableRandom rng = new SplittableRandom(3);
        slices = new Dataset[24];
        sliceAnswers = new int[slices.length][];
        for (int s = 0; s < slices.length; s++) {
            // From 1 image to a little over the 256-image block of the batch form.
            int size = s == 0 ? 1 : s == 1 ? 300 : 1 + rng.nextInt(300);
            int start = rng.nextInt(images.size() - size + 1);
            slices[s] = images.select(Arrays.copyOfRange(Lab.range(start + size), start, start + size));
            sliceAnswers[s] = net.predict(slices[s]);
        }
        int distinct = (int) Arrays.stream(single).distinct().count();
        assertEquals(10, distinct, "the reference answers cover every class, so a mix-up cannot hide");
    }

    @Test
    void manyThreadsOnOneNetworkGetTheSequentialAnswers() throws InterruptedException {
        Stress s = new Stress();
        s.run(THREADS, STRESS_MILLIS, (rng, failures) -> check(net, rng, failures));
        s.assertClean(2000);
    }

    /** One random call, compared with the sequential answer; returns normally and records a mismatch. */
    private static void check(Network n, SplittableRandom rng, Stress.Failures failures) {
        int f = images.features();
        // Mostly single images (the calls with per-thread scratch); a batch costs a hundred of them.
        int r = rng.nextInt(100);
        switch (r < 49 ? 0 : r < 98 ? 1 : 2) {
            case 0: {
                int i = rng.nextInt(images.size());
                int got = n.predict(images.pixels(), i * f);
                if (got != single[i]) {
                    failures.record("predict(image " + i + ") gave " + got + ", alone " + single[i]);
                }
                break;
            }
            case 1: {
                int i = rng.nextInt(images.size());
                float[] got = n.probabilities(floats[i]);
                if (!Arrays.equals(got, probabilities[i])) {
                    failures.record("probabilities(image " + i + ") gave " + Arrays.toString(got) + ", alone "
                            + Arrays.toString(probabilities[i]));
                }
                break;
            }
            default: {
                int s = rng.nextInt(slices.length);
                int[] got = n.predict(slices[s]);
                if (!Arrays.equals(got, sliceAnswers[s])) {
                    failures.record("predict(batch of " + slices[s].size() + ") differs from the same call alone");
                }
                break;
            }
        }
    }

    /**
     * Training one network while other threads predict with another: the trained weights must be
     * bitwise those of the same training run alone, and every prediction the sequential one. Any
     * state shared between instances (a static buffer, a shared workspace) breaks one or the other.
     */
    @Test
    void trainingOneNetworkWhileAnotherPredicts() throws Exception {
        Dataset train = Cli.mnist().train().select(Lab.range(3000));
        TrainingConfig config = TrainingConfig.builder().epochs(2).optimizer(new Optimizer.Adam()).learningRate(0.002f)
                .threads(2).seed(4).build();
        Network alone = Network.create(new int[] {784, 48, 10}, Init.HE, 8);
        Network together = alone.copy();
        try (Trainer t = new Trainer(alone, config)) {
            t.fit(train, null, null, null);
        }

        Stress s = new Stress();
        AtomicReference<Throwable> trainingFailure = new AtomicReference<>();
        Thread trainer = new Thread(() -> {
            try (Trainer t = new Trainer(together, config)) {
                t.fit(train, null, null, null);
            } catch (Throwable e) {
                trainingFailure.set(e);
            } finally {
                s.stop();
            }
        }, "trainer");
        trainer.start();
        s.run(Math.max(2, THREADS / 2), 60_000, (rng, failures) -> check(net, rng, failures));
        trainer.join();
        if (trainingFailure.get() != null) {
            throw new AssertionError("training failed", trainingFailure.get());
        }
        s.assertClean(100);
        assertArrayEquals(alone.parameters(), together.parameters(), "training next to predictions changed the result");
    }

    /** Runs a check from many threads at once until a deadline or {@link #stop()}, and collects mismatches. */
    static final class Stress {
        interface Check {
            void once(SplittableRandom rng, Failures failures);
        }

        /** Mismatches seen, with the first one's description. */
        static final class Failures {
            final AtomicLong count = new AtomicLong();
            final AtomicReference<String> first = new AtomicReference<>();

            void record(String what) {
                count.incrementAndGet();
                first.compareAndSet(null, what);
            }
        }

        private final Failures failures = new Failures();
        private final AtomicLong calls = new AtomicLong();
        private final List<Throwable> errors = new ArrayList<>();
        private volatile boolean stopped;

        void stop() {
            stopped = true;
        }

        void run(int threads, long millis, Check check) throws InterruptedException {
            CountDownLatch start = new CountDownLatch(1);
            long deadline = System.nanoTime() + millis * 1_000_000;
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                long seed = 1000 + t;
                ts[t] = new Thread(() -> {
                    SplittableRandom rng = new SplittableRandom(seed);
                    try {
                        start.await();
                        while (!stopped && System.nanoTime() < deadline) {
                            check.once(rng, failures);
                            calls.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                }, "stress-" + t);
                ts[t].start();
            }
            start.countDown();
            for (Thread t : ts) {
                t.join();
            }
        }

        /** @param minimumCalls calls below which the run proves nothing (a stalled machine) */
        void assertClean(long minimumCalls) {
            System.out.println(calls.get() + " concurrent calls, " + failures.count.get() + " mismatches");
            if (!errors.isEmpty()) {
                throw new AssertionError(errors.size() + " calls threw", errors.get(0));
            }
            assertEquals(0, failures.count.get(), () -> failures.count.get() + " of " + calls.get()
                    + " concurrent calls disagreed with the sequential answer; first: " + failures.first.get());
            assertTrue(calls.get() >= minimumCalls, "only " + calls.get() + " calls were made");
        }
    }
}
