package dev.lanes.benchmark;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed group of threads that run one task together, call after call, the way a parallel GEMM
 * would: the calling thread is member 0, daemon threads are members 1..n−1, and every call waits for
 * all members. Waiting spins first (a call lasts microseconds) and then parks, so an idle gang costs
 * nothing. The hand-over allocates nothing, so it does not disturb the timing.
 */
final class Gang implements AutoCloseable {

    /** One member's share of a call. */
    interface Task {
        void run(int member);
    }

    private static final int SPINS = 50_000;

    private final int size;
    private final Thread[] threads;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    Gang(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a gang needs at least one thread: " + size);
        }
        this.size = size;
        threads = new Thread[size - 1];
        for (int i = 0; i < threads.length; i++) {
            int id = i + 1;
            threads[i] = new Thread(() -> loop(id), "lanes-bench-" + id);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    int size() {
        return size;
    }

    /** Runs {@code t} on every member and returns when all are done; rethrows a member's failure. */
    void run(Task t) {
        if (size == 1) {
            t.run(0);
            return;
        }
        if (closed) {
            throw new IllegalStateException("gang is closed");
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
        } catch (RuntimeException | Error e) {
            own = e;
        }
        for (int spins = 0; pending.get() != 0; spins++) {
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        Throwable f = own != null ? own : failure;
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
    }

    private void loop(int id) {
        int seen = 0;
        while (true) {
            for (int spins = 0; generation == seen && !closed; spins++) {
                if (spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                task.run(id);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
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
