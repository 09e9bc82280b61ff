package dev.lanes.jmh;

import dev.lanes.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matrix multiplies at the shapes of the MLPs Lanes trains (784-10-10, 784-128-10, 784-256-128-10),
 * scalar against vector, one thread.
 *
 * <p>{@code shape} is {@code form-M×K×N} in the notation {@code C[M×N] = op(A)[M×K]·op(B)[K×N]}:
 * <ul>
 *   <li>{@code fwd}: {@code Z = X·W}, batch × inputs · inputs × outputs ({@code matmul});</li>
 *   <li>{@code dx}: {@code dX = dZ·Wᵀ}, batch × outputs · (inputs × outputs)ᵀ ({@code matmulTransB});</li>
 *   <li>{@code dw}: {@code dW = Xᵀ·dZ}, (batch × inputs)ᵀ · batch × outputs ({@code matmulTransA}).</li>
 * </ul>
 * The primary score is calls per second; the secondary result {@code gflops} is counted as
 * {@code 2·M·N·K / 10⁹} per call, so JMH reports it per second: GFLOPS.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = BenchKernels.VECTOR_FLAG)
@State(Scope.Thread)
public class GemmBench {

    @Param({"scalar", "vector"})
    public String kernels;

    @Param({
        "fwd-64x784x10", "fwd-64x784x128", "fwd-64x784x256", "fwd-64x256x128", "fwd-64x128x10", "fwd-64x10x10",
        "dx-64x10x128", "dx-64x128x256", "dx-64x10x10",
        "dw-784x64x10", "dw-784x64x128", "dw-784x64x256", "dw-256x64x128", "dw-128x64x10", "dw-10x64x10",
        "fwd-256x784x10", "fwd-256x784x128", "fwd-256x784x256", "fwd-256x256x128", "fwd-256x128x10", "fwd-256x10x10",
        "dx-256x10x128", "dx-256x128x256", "dx-256x10x10",
        "dw-784x256x10", "dw-784x256x128", "dw-784x256x256", "dw-256x256x128", "dw-128x256x10", "dw-10x256x10",
    })
    public String shape;

    private Kernels k;
    private int form;
    private int m;
    private int n;
    private int kk;
    private float[] a;
    private float[] b;
    private float[] c;
    private double gflopPerCall;

    /** GFLOP done, counted per call and reported by JMH per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Accumulated GFLOP; JMH divides by the iteration time. */
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup
    public void setUp() {
        k = BenchKernels.named(kernels);
        String[] parts = shape.split("-");
        String[] dims = parts[1].split("x");
        form = "fwd".equals(parts[0]) ? 0 : "dx".equals(parts[0]) ? 1 : "dw".equals(parts[0]) ? 2 : -1;
        if (form < 0 || dims.length != 3) {
            throw new IllegalArgumentException("shape must be fwd|dx|dw-MxKxN, not " + shape);
        }
        m = Integer.parseInt(dims[0]);
        kk = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        a = BenchKernels.floats(m * kk, 1);
        b = BenchKernels.floats(kk * n, 2);
        c = new float[m * n];
        gflopPerCall = 2.0 * m * n * kk / 1e9;
    }

    @Benchmark
    public float[] gemm(Flops flops) {
        switch (form) {
            case 0:
                k.matmul(m, n, kk, a, 0, kk, b, 0, n, c, 0, n, false);
                break;
            case 1:
                k.matmulTransB(m, n, kk, a, 0, kk, b, 0, kk, c, 0, n, false);
                break;
            default:
                k.matmulTransA(m, n, kk, a, 0, m, b, 0, n, c, 0, n, false);
                break;
        }
        flops.gflops += gflopPerCall;
        return c;
    }
}
