package dev.lanes.benchmark;

/** What a {@link Measurement} measured, which decides its unit. */
public enum Kind {
    /** A matrix multiply; the figure is GFLOPS ({@code 2·M·N·K} floating-point operations per call). */
    GEMM,
    /** An element-wise kernel; the figure is seconds per call. */
    KERNEL,
    /** A training epoch; the figure is seconds per epoch. */
    EPOCH;

    /** @return whether the figure is a rate (higher is better) rather than a time */
    public boolean isRate() {
        return this == GEMM;
    }

    /** @return the JSON key and unit of the figure: {@code gflops} or {@code seconds} */
    public String key() {
        return isRate() ? "gflops" : "seconds";
    }
}
