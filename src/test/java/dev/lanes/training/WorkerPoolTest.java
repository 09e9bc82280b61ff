package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker pool behind every training step and evaluation: each {@link WorkerPool#run} must run the
 * task exactly once per worker, return only when all are done, carry any failure to the caller, and
 * let its threads go when closed; many pools (many trainers) must not disturb each other.
 */
@Timeout(120)
class WorkerPoolTest {

    /** The pool threads started while {@code action} ran. */
    private static List<Thread> threadsStartedBy(Runnable action) {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        action.run();
        List<Thread> started = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.getName().startsWith("lanes-worker-")) {
                started.add(t);
            }
        }
        return started;
    }

    private static void assertAllEnd(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " still runs after close()");
        }
    }

    @Test
    void everyWorkerRunsOncePerRun() {
        try (WorkerPool pool = new WorkerPool(4)) {
            for (int round = 0; round < 300; round++) {
                AtomicReferenceArray<Thread> ran = new AtomicReferenceArray<>(4);
                AtomicInteger calls = new AtomicInteger();
                pool.run(w -> {
                    calls.incrementAndGet();
                    assertTrue(ran.compareAndSet(w, null, Thread.currentThread()), "worker " + w + " twice");
                });
                assertEquals(4, calls.get(), "round " + round);
                assertSame(Thread.currentThread(), ran.get(0), "worker 0 is the caller");
                Set<Thread> distinct = new HashSet<>();
                for (int w = 0; w < 4; w++) {
                    distinct.add(ran.get(w));
                }
                assertEquals(4, distinct.size(), "four different threads");
            }
        }
    }

    @Test
    void aWorkersExceptionReachesTheCallerAfterEveryWorkerFinished() {
        try (WorkerPool pool = new WorkerPool(3)) {
            IllegalStateException boom = new IllegalStateException("boom");
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(w -> {
                if (w == 2) {
                    throw boom;
                }
                sleep(50);
                finished.incrementAndGet();
            }));
            assertSame(boom, thrown);
            assertEquals(2, finished.get(), "run() returned before the other workers were done");

            // The pool stays usable: the next run is clean and complete.
            AtomicInteger calls = new AtomicInteger();
            pool.run(w -> calls.incrementAndGet());
            assertEquals(3, calls.get());
        }
    }

    @Test
    void theCallersOwnExceptionWaitsForTheWorkers() {
        try (WorkerPool pool = new WorkerPool(3)) {
            AtomicInteger finished = new AtomicInteger();
            assertThrows(ArithmeticException.class, () -> pool.run(w -> {
                if (w == 0) {
                    throw new ArithmeticException("caller");
                }
                sleep(50);
                finished.incrementAndGet();
            }));
            assertEquals(2, finished.get());
        }
    }

    @Test
    void errorsAndUndeclaredCheckedExceptionsAreNotLost() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AssertionError error = new AssertionError("error in a worker");
            assertSame(error, assertThrows(AssertionError.class, () -> pool.run(w -> {
                if (w == 1) {
                    throw error;
                }
            })));
            // A task cannot declare a checked exception, but code compiled from other JVM languages
            // (or a sneaky throw) can still raise one; it must not vanish.
            IOException io = new IOException("checked");
            UndeclaredThrowableException u = assertThrows(UndeclaredThrowableException.class, () -> pool.run(w -> {
                if (w == 1) {
                    WorkerPoolTest.<RuntimeException>sneaky(io);
                }
            }));
            assertSame(io, u.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void closingAnIdlePoolEndsItsThreadsAndLaterRunsFail() throws InterruptedException {
        WorkerPool[] pool = new WorkerPool[1];
        List<Thread> threads = threadsStartedBy(() -> pool[0] = new WorkerPool(4));
        assertEquals(3, threads.size(), "workers 1..3 are threads, worker 0 is the caller");
        pool[0].run(w -> { });
        sleep(100); // let the workers go from spinning to parked
        pool[0].close();
        assertAllEnd(threads);
        assertThrows(IllegalStateException.class, () -> pool[0].run(w -> { }));
        pool[0].close(); // closing twice is harmless

        WorkerPool one = new WorkerPool(1);
        one.close();
        assertThrows(IllegalStateException.class, () -> one.run(w -> { }), "a closed pool of one refuses too");
    }

    @Test
    void closingATrainerThatIsIdleEndsItsThreads() throws Exception {
        Dataset data = TrainerTest.blobs(300, 1);
        Network net = Network.create(new int[] {64, 16, 3}, Init.HE, 1);
        Trainer[] trainer = new Trainer[1];
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(50).threads(3).build();
        List<Thread> threads = threadsStartedBy(() -> trainer[0] = new Trainer(net, config));
        assertEquals(2, threads.size());
        trainer[0].trainEpoch(data, null);
        sleep(100);
        trainer[0].close();
        assertAllEnd(threads);
        assertThrows(IllegalStateException.class, () -> trainer[0].trainEpoch(data, null));
    }

    /** Many pools, each driven from its own thread at the same time: no run sees another pool's task. */
    @Test
    void manyPoolsAtOnceKeepToThemselves() throws Exception {
        int pools = 12;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> drivers = new ArrayList<>();
        for (int p = 0; p < pools; p++) {
            int size = 1 + p % 4;
            drivers.add(new Thread(() -> {
                try (WorkerPool pool = new WorkerPool(size)) {
                    start.await();
                    long[] sum = new long[size];
                    for (int round = 1; round <= 150; round++) {
                        int r = round;
                        pool.run(w -> sum[w] += r);
                        for (int w = 0; w < size; w++) {
                            if (sum[w] != (long) r * (r + 1) / 2) {
                                throw new AssertionError("pool of " + size + ", worker " + w + ", round " + r
                                        + ": sum " + sum[w]);
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        drivers.forEach(Thread::start);
        start.countDown();
        for (Thread d : drivers) {
            d.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** Several trainers alive and training at once, each on its own thread: each gets the result it gets alone. */
    @Test
    void manyTrainersAtOnceGiveTheirSoloResults() throws Exception {
        Dataset data = TrainerTest.blobs(503, 5);
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(64).optimizer(new Optimizer.Momentum(0.9f, false))
                .learningRate(0.05f).threads(2).build();
        int trainers = 4;
        float[][] solo = new float[trainers][];
        long t0 = System.nanoTime();
        for (int i = 0; i < trainers; i++) {
            solo[i] = train(config, data, i);
        }
        long t1 = System.nanoTime();
        float[][] together = new float[trainers][];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < trainers; i++) {
            int id = i;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    together[id] = train(config, data, id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("%d trainers: %.2f s one after another, %.2f s at once%n", trainers,
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        for (int i = 0; i < trainers; i++) {
            assertArrayEquals(solo[i], together[i], "trainer " + i);
        }
    }

    private static float[] train(TrainingConfig config, Dataset data, long seed) throws InputException, DivergedException {
        Network net = Network.create(new int[] {64, 32, 3}, Init.HE, seed);
        try (Trainer t = new Trainer(net, config)) {
            t.fit(data, null, data, null);
        }
        return net.parameters();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
