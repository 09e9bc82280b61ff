package dev.lanes.training;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run one task together and wait for each other, thousands of times a
 * second, without allocating: the calling thread is worker 0, daemon threads are workers 1..n−1.
 * Waiting spins briefly (a training step is tens of microseconds) and then parks. The trainer, the
 * evaluator and the self-benchmark's multi-threaded kernels share it, so all measure the same hand-over.
 */
public final class WorkerPool implements AutoCloseable {

    /** Work for every worker; each call gets its worker index. */
    public interface Task {
        /**
         * Does this worker's share.
         *
         * @param worker the worker index, from 0 (the calling thread) to {@code size() − 1}
         */
        void run(int worker);
    }

    /** Busy-wait rounds before yielding: covers the gap between two steps on an idle core (~10 µs). */
    private static final int SPINS = 2_000;
    /** Yields before parking: on a machine busier than its cores, the thread we wait for needs our core. */
    private static final int YIELDS = 64;

    private final int size;
    private final Thread[] threads;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    /**
     * Starts {@code size − 1} daemon threads; the caller of {@link #run} is the last worker.
     *
     * @param size the number of workers, ≥ 1
     */
    public WorkerPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1: " + size);
        }
        this.size = size;
        threads = new Thread[size - 1];
        for (int i = 0; i < threads.length; i++) {
            int id = i + 1;
            threads[i] = new Thread(() -> loop(id), "lanes-worker-" + id);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** @return the number of workers, the calling thread included */
    public int size() {
        return size;
    }

    /**
     * Runs {@code t} on every worker and returns when all are done; rethrows a worker's failure (a
     * checked exception, which a task can only raise undeclared, wrapped in an
     * {@link UndeclaredThrowableException}).
     *
     * @param t the work; called once per worker index
     */
    public void run(Task t) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (size == 1) {
            t.run(0);
            return;
        }
        caller = Thread.currentThread();
        task = t;
        failure = null;
        pending.set(size - 1);
        generation++;
        for (Thread th : threads) {
            LockSupport.unpark(th);
        }
        Throwable own = null;
        try {
            t.run(0);
        } catch (Throwable e) {
            own = e;
        }
        for (int spins = 0; pending.get() != 0; spins++) {
            pause(spins);
        }
        task = null;
        Throwable f = own != null ? own : failure;
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new UndeclaredThrowableException(f);
        }
    }

    private void loop(int id) {
        int seen = 0;
        while (true) {
            for (int spins = 0; generation == seen && !closed; spins++) {
                pause(spins);
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                task.run(id);
            } catch (Throwable e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void pause(int round) {
        if (round < SPINS) {
            Thread.onSpinWait();
        } else if (round < SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.park(this);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread th : threads) {
            LockSupport.unpark(th);
        }
    }
}
