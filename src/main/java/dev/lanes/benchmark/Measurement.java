package dev.lanes.benchmark;

import java.util.Objects;

/**
 * One row of the benchmark: a case, the implementation and thread count it ran on, and its figure.
 *
 * @param name         the case, e.g. {@code matmul 64x784x10} (M×K×N of {@code C[M×N] = A[M×K]·B[K×N]},
 *                     with A or B transposed as the kernel's name says), {@code adam 235146} (elements) or
 *                     {@code epoch 784-10-10 batch 64} (layer widths and batch size)
 * @param kind         what was measured, which fixes the unit of {@code summary}
 * @param role         where the case occurs in training, e.g. {@code forward} or {@code weight gradient}
 * @param impl         the kernels it ran on: {@code scalar} or {@code vector}
 * @param threads      threads working on it
 * @param summary      GFLOPS for {@link Kind#GEMM}, seconds otherwise; {@code null} when unavailable
 * @param work         per call or epoch: floating-point operations ({@link Kind#GEMM}), elements
 *                     ({@link Kind#KERNEL}) or training samples ({@link Kind#EPOCH})
 * @param timedSamples for epochs, the samples each timed repeat trained on (fewer than {@code work}
 *                     when a full epoch would take too long and the time was scaled up); 0 otherwise
 * @param data         for epochs, what the training data was; {@code null} otherwise
 * @param unavailable  why the case could not run (for example no Vector API), or {@code null}
 * @param warmedUp     whether the warm-up saw the code compiled and its time steady before timing; false
 *                     when the warm-up's time box ran out first, so that the figure may be that of code
 *                     the JIT had not compiled yet
 */
public record Measurement(String name, Kind kind, String role, String impl, int threads, Summary summary,
                          double work, int timedSamples, String data, String unavailable, boolean warmedUp) {

    /**
     * A measurement taken after a complete warm-up (or an unavailable one).
     *
     * @param name         the case
     * @param kind         what was measured
     * @param role         where the case occurs in training
     * @param impl         the kernels it ran on
     * @param threads      threads working on it
     * @param summary      the figure, or {@code null} when unavailable
     * @param work         work per call or epoch
     * @param timedSamples for epochs, the samples timed; 0 otherwise
     * @param data         for epochs, the training data; {@code null} otherwise
     * @param unavailable  why the case could not run, or {@code null}
     */
    public Measurement(String name, Kind kind, String role, String impl, int threads, Summary summary, double work,
                       int timedSamples, String data, String unavailable) {
        this(name, kind, role, impl, threads, summary, work, timedSamples, data, unavailable, true);
    }

    /** Checks that exactly one of {@code summary} and {@code unavailable} is given. */
    public Measurement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(impl, "impl");
        if ((summary == null) == (unavailable == null)) {
            throw new IllegalArgumentException(name + ": exactly one of summary and unavailable must be given");
        }
    }

    /** @return whether the case ran */
    public boolean available() {
        return summary != null;
    }

    /**
     * @return the throughput that goes with the figure: GFLOPS for a GEMM, million elements per second
     *         for a kernel, samples per second for an epoch
     */
    public double throughput() {
        if (kind == Kind.GEMM) {
            return summary.median();
        }
        double perSecond = work / summary.median();
        return kind == Kind.KERNEL ? perSecond / 1e6 : perSecond;
    }
}
