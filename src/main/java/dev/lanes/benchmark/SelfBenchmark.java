package dev.lanes.benchmark;

import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The whole self-benchmark, in three parts:
 * <ol>
 *   <li>matrix multiplies at the MNIST layer shapes (forward, input gradient, weight gradient; batch
 *       64 and 256), scalar on one thread and vector on each requested thread count;</li>
 *   <li>the fused softmax cross-entropy and the Adam update, scalar and vector, one thread;</li>
 *   <li>a training epoch of each standard configuration on the training kernels, per thread count.</li>
 * </ol>
 * When the vector kernels cannot run, their rows are still reported, marked unavailable with the reason.
 */
public final class SelfBenchmark {

    /** The name rows of the vector kernels carry, also when those kernels cannot run. */
    private static final String VECTOR = "vector";

    private final Budget budget;
    private final int[] threads;
    private final TrainingData data;
    private final Kernels scalar;
    private final Kernels vector;
    private final String vectorUnavailable;
    private final Kernels training;

    /**
     * @param budget            how long each part may take
     * @param threads           thread counts for the multi-threaded cases, each ≥ 1
     * @param data              what the epochs train on
     * @param scalar            the scalar kernels
     * @param vector            the vector kernels, or empty when they cannot run
     * @param vectorUnavailable why the vector kernels cannot run (required when {@code vector} is empty)
     * @param training          the kernels the epochs train on
     */
    public SelfBenchmark(Budget budget, int[] threads, TrainingData data, Kernels scalar, Optional<Kernels> vector,
                         String vectorUnavailable, Kernels training) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.threads = threads.clone();
        if (this.threads.length == 0 || Arrays.stream(this.threads).anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("thread counts must be ≥ 1: " + Arrays.toString(threads));
        }
        this.data = Objects.requireNonNull(data, "data");
        this.scalar = Objects.requireNonNull(scalar, "scalar");
        this.vector = vector.orElse(null);
        this.vectorUnavailable = this.vector == null ? Objects.requireNonNull(vectorUnavailable, "reason") : null;
        this.training = Objects.requireNonNull(training, "training");
    }

    /**
     * The benchmark of this JVM: {@link KernelsProvider#scalar()} against {@link KernelsProvider#vector()},
     * epochs on {@link KernelsProvider#get()}.
     *
     * @param budget  how long each part may take
     * @param threads thread counts, each ≥ 1
     * @param data    what the epochs train on
     * @return the benchmark, not yet run
     */
    public static SelfBenchmark forThisJvm(Budget budget, int[] threads, TrainingData data) {
        return new SelfBenchmark(budget, threads, data, KernelsProvider.scalar(), KernelsProvider.vector(),
                KernelsProvider.vectorUnavailableReason(), KernelsProvider.get());
    }

    /** @return 1 and 2 threads, and all processors when there are more than two */
    public static int[] defaultThreads() {
        TreeSet<Integer> t = new TreeSet<>(List.of(1, 2, Runtime.getRuntime().availableProcessors()));
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the kernels the epochs train on */
    public Kernels trainingKernels() {
        return training;
    }

    /** @return what the epochs train on */
    public TrainingData data() {
        return data;
    }

    /** @return why the vector kernels cannot run, or {@code null} when they can */
    public String vectorUnavailable() {
        return vectorUnavailable;
    }

    /**
     * Runs every case in order, handing each measurement to {@code listener} as soon as it is taken.
     *
     * @param listener receives the rows
     * @return all rows, in order
     */
    public List<Measurement> run(Consumer<Measurement> listener) {
        List<Measurement> rows = new ArrayList<>();
        Consumer<Measurement> emit = m -> {
            rows.add(m);
            listener.accept(m);
        };
        Harness harness = new Harness(budget);
        Set<String> warmed = new HashSet<>();
        for (GemmCase c : GemmCase.all()) {
            String kernel = c.form().kernel;
            Summary s = c.measure(harness, scalar, 1, warmed.add("scalar " + kernel));
            emit.accept(gemm(c, scalar.name(), 1, s, null, harness.warmedUp()));
            for (int t : threads) {
                if (vector == null) {
                    emit.accept(gemm(c, VECTOR, t, null, vectorUnavailable, true));
                } else {
                    // The first narrow and the first wide case of each kernel get the longer warm-up:
                    // the wide ones run other code (a blocked driver rather than a skinny kernel or a
                    // transposed product), and C2 compiled that code during the first wide case's
                    // timing (matmul 64x784x128 at 19 GFLOPS, repeats 10–69, against 70 on two threads).
                    Summary v = c.measure(harness, vector, t,
                            warmed.add("vector " + kernel + (c.narrow() ? " narrow" : " wide")));
                    emit.accept(gemm(c, vector.name(), t, v, null, harness.warmedUp()));
                }
            }
        }
        for (ElementwiseCase c : ElementwiseCase.all()) {
            Summary s = c.measure(harness, scalar, warmed.add("scalar " + c.kernel()));
            emit.accept(elementwise(c, scalar.name(), s, null, harness.warmedUp()));
            if (vector == null) {
                emit.accept(elementwise(c, VECTOR, null, vectorUnavailable, true));
            } else {
                Summary v = c.measure(harness, vector, warmed.add("vector " + c.kernel()));
                emit.accept(elementwise(c, vector.name(), v, null, harness.warmedUp()));
            }
        }
        for (EpochCase c : EpochCase.all()) {
            // Each network's first case gets the long warm-up: the wide network's layers reach code
            // and shapes the small one never ran, and its 1.5 s box ran out in 4 of 6 runs on one
            // thread (warmed_up false, the JIT still compiling).
            boolean first = true;
            for (int t : threads) {
                EpochCase.Result r = c.measure(harness, budget, training, data, t, first);
                first = false;
                emit.accept(new Measurement(c.name(data), Kind.EPOCH, "training", training.name(), t, r.seconds(),
                        data.train().size(), r.timedSamples(), data.description(), null, r.warmedUp()));
            }
        }
        return rows;
    }

    private static Measurement gemm(GemmCase c, String impl, int threads, Summary s, String unavailable,
                                    boolean warmedUp) {
        return new Measurement(c.name(), Kind.GEMM, c.form().role, impl, threads, s, c.flops(), 0, null, unavailable,
                warmedUp);
    }

    private static Measurement elementwise(ElementwiseCase c, String impl, Summary s, String unavailable,
                                           boolean warmedUp) {
        return new Measurement(c.name(), Kind.KERNEL, c.role(), impl, 1, s, c.elements(), 0, null, unavailable,
                warmedUp);
    }
}
