package dev.lanes.benchmark;

/**
 * Times a short piece of work the way a careful person would by hand: warm it up until the JIT
 * compiler has gone quiet (nothing compiled during the last round, nothing running or queued) and the
 * time per call has stopped improving, or until a time box runs out; pick
 * a number of calls that fills a round of the budget's length, then time several such rounds, and
 * time them again if the compiler was at work meanwhile.
 */
final class Harness {

    /** A round counts as steady when it is no more than this much slower than the best round so far. */
    private static final double STEADY = 1.05;
    /**
     * Calls the warm-up of a kernel's first case makes at least, unless its time box runs out first:
     * C2 compiles a method after about 5 000 calls from C1 code, and until then an outer kernel method
     * runs its Vector API code as slow, allocating Java. Slow rounds are short in calls, so two of them
     * can look steady while the compiler has nothing queued yet: bench once timed matmul 64x784x10 at
     * 0.1 GFLOPS so. Later cases of the same kernel start from the compiled code.
     */
    static final long MIN_WARMUP_CALLS = 6_000;
    /**
     * How many times the timed rounds are taken again when the JIT compiled during them. The kernel
     * drivers are shared by every shape, and a shape that reaches a path the earlier ones never took
     * makes C2 discard the driver and compile it again: bench timed matmul 64x784x128 at 19 GFLOPS
     * (repeats 10–69) on a warm-up that had ended quiet, and the same shape at 70 on two threads a
     * moment later.
     */
    static final int RETIMES = 3;

    private final Budget budget;
    private final Jit jit;
    private boolean warmedUp;
    private boolean timedQuietly;

    Harness(Budget budget) {
        this(budget, new Jit());
    }

    /** With the JIT watcher given: for tests that script what the compiler does. */
    Harness(Budget budget, Jit jit) {
        this.budget = budget;
        this.jit = jit;
    }

    /**
     * @param op    the work; it must do the same work on every call
     * @param first whether this is the first case of its kernel, which gets the longer warm-up
     * @return seconds per call, one value per timed round
     */
    double[] secondsPerCall(Runnable op, boolean first) {
        long box = first ? budget.firstWarmupNanos() : budget.warmupNanos();
        long start = System.nanoTime();
        op.run();
        double perCall = (System.nanoTime() - start) / 1e9;
        int calls = callsPerRound(perCall);
        long warmStart = System.nanoTime();
        double best = Double.POSITIVE_INFINITY;
        long compiled = jit.compileMillis();
        boolean warm = false;
        long warmCalls = 1;
        for (int round = 1; ; round++) {
            perCall = round(op, calls);
            warmCalls += calls;
            long nowCompiled = jit.compileMillis();
            boolean steady = perCall <= best * STEADY;
            boolean done = round >= budget.minWarmupRounds() && (!first || warmCalls >= MIN_WARMUP_CALLS)
                    && steady && nowCompiled == compiled && jit.idle();
            compiled = nowCompiled;
            best = Math.min(best, perCall);
            calls = callsPerRound(perCall);
            if (done) {
                warm = true;
                break;
            }
            if (System.nanoTime() - warmStart >= box) {
                break;
            }
        }
        double[] samples = timedRounds(op, calls);
        warmedUp = warm && timedQuietly;
        return samples;
    }

    /**
     * The budget's timed rounds of {@code calls} calls each, taken again, up to {@link #RETIMES} times,
     * while the JIT compiled during them; whether the last ones ran quiet goes into {@link #warmedUp}.
     */
    double[] timedRounds(Runnable op, int calls) {
        double[] samples = new double[budget.repeats()];
        for (int attempt = 0; ; attempt++) {
            long before = jit.compileMillis();
            for (int i = 0; i < samples.length; i++) {
                samples[i] = round(op, calls);
            }
            timedQuietly = jit.compileMillis() == before && jit.idle();
            if (timedQuietly || attempt == RETIMES) {
                return samples;
            }
        }
    }

    private static double round(Runnable op, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            op.run();
        }
        long elapsed = System.nanoTime() - start;
        return Math.max(elapsed, 1L) / 1e9 / calls;
    }

    private int callsPerRound(double perCall) {
        double calls = budget.roundNanos() / 1e9 / Math.max(perCall, 1e-9);
        return (int) Math.max(1, Math.min(calls, 10_000_000));
    }

    /**
     * @return whether the last {@link #secondsPerCall} warm-up ended because the code was compiled and
     *         its time steady, rather than because its time box ran out, and whether its timed rounds
     *         then ran without the JIT compiling (within {@link #RETIMES} attempts); otherwise its
     *         figure may be that of code the JIT had not compiled yet, many times too slow
     */
    boolean warmedUp() {
        return warmedUp;
    }

    /** @return the JIT watcher this harness consults */
    Jit jit() {
        return jit;
    }
}
