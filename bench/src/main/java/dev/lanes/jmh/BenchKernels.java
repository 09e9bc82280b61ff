package dev.lanes.jmh;

import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import java.util.SplittableRandom;

/** Shared helpers of the benchmarks: the implementation named by a {@code kernels} parameter, test data. */
public final class BenchKernels {

    /** The JVM flag every benchmark fork needs for the vector kernels (a constant for {@code @Fork}). */
    public static final String VECTOR_FLAG = "--add-modules=jdk.incubator.vector";

    private BenchKernels() {
    }

    /**
     * @param name {@code scalar} or {@code vector}
     * @return that implementation; {@code vector} fails loudly rather than quietly measuring scalar code
     */
    public static Kernels named(String name) {
        switch (name) {
            case "scalar":
                return KernelsProvider.scalar();
            case "vector":
                return KernelsProvider.vector().orElseThrow(() -> new IllegalStateException(
                        "vector kernels unavailable: " + KernelsProvider.vectorUnavailableReason()));
            default:
                throw new IllegalArgumentException("kernels must be scalar or vector, not " + name);
        }
    }

    /** @return {@code n} floats uniform in [−1, 1) from a fixed seed */
    public static float[] floats(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
