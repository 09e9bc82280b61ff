package dev.lanes.benchmark;

import dev.lanes.kernels.Kernels;
import dev.lanes.training.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A matrix multiply at one of the shapes a dense layer of the MNIST networks runs: the forward
 * product {@code X·W}, the input gradient {@code dZ·Wᵀ} and the weight gradient {@code Xᵀ·dZ}.
 *
 * @param form which product
 * @param m    rows of the result
 * @param k    the summed dimension
 * @param n    columns of the result
 */
record GemmCase(GemmCase.Form form, int m, int k, int n) {

    /** The three products of a dense layer, by the kernel that computes each. */
    enum Form {
        /** {@code Z[B×out] = X[B×in]·W[in×out]}: {@link Kernels#matmul}. */
        FORWARD("matmul", "forward"),
        /** {@code dX[B×in] = dZ[B×out]·W[in×out]ᵀ}: {@link Kernels#matmulTransB}. */
        INPUT_GRADIENT("matmulTransB", "input gradient"),
        /** {@code dW[in×out] = X[B×in]ᵀ·dZ[B×out]}: {@link Kernels#matmulTransA}. */
        WEIGHT_GRADIENT("matmulTransA", "weight gradient");

        final String kernel;
        final String role;

        Form(String kernel, String role) {
            this.kernel = kernel;
            this.role = role;
        }
    }

    /** The batch sizes of the standard configurations. */
    static final int[] BATCHES = {64, 256};
    /** {@code {inputs, outputs}} of the layers whose products dominate MNIST training. */
    static final int[][] LAYERS = {{784, 10}, {784, 128}, {784, 256}, {256, 128}};

    /** @return every case: for each batch size and layer, the forward, input-gradient and weight-gradient products */
    static List<GemmCase> all() {
        List<GemmCase> cases = new ArrayList<>();
        for (int batch : BATCHES) {
            for (int[] layer : LAYERS) {
                cases.add(of(Form.FORWARD, batch, layer[0], layer[1]));
                cases.add(of(Form.INPUT_GRADIENT, batch, layer[0], layer[1]));
                cases.add(of(Form.WEIGHT_GRADIENT, batch, layer[0], layer[1]));
            }
        }
        return cases;
    }

    /** The product {@code form} of a layer with {@code in} inputs and {@code out} outputs on a batch. */
    static GemmCase of(Form form, int batch, int in, int out) {
        switch (form) {
            case FORWARD:
                return new GemmCase(form, batch, in, out);
            case INPUT_GRADIENT:
                return new GemmCase(form, batch, out, in);
            default:
                return new GemmCase(form, in, batch, out);
        }
    }

    /** @return e.g. {@code matmul 64x784x10}: the kernel and M×K×N */
    String name() {
        return form.kernel + " " + m + "x" + k + "x" + n;
    }

    /** @return the outputs of the layer this product belongs to */
    int layerOutputs() {
        return form == Form.INPUT_GRADIENT ? k : n;
    }

    /**
     * @return whether this is a product of a layer at most 16 wide (the 10-class output layer), which
     *         the vector kernels compute with other code than the products of the wide layers
     */
    boolean narrow() {
        return layerOutputs() <= 16;
    }

    /** @return floating-point operations per call: a multiply and an add per term */
    double flops() {
        return 2.0 * m * k * n;
    }

    /**
     * Measures this product on {@code threads} threads, each computing its own band of the result's
     * rows, as a multi-threaded GEMM divides its work. {@code first} asks for the longer warm-up that
     * waits for the JIT to compile the kernel.
     *
     * @return GFLOPS per round
     */
    Summary measure(Harness harness, Kernels kernels, int threads, boolean first) {
        Operands ops = operands();
        WorkerPool.Task task = ops.task(kernels, threads);
        try (WorkerPool pool = new WorkerPool(threads)) {
            double[] seconds = harness.secondsPerCall(() -> pool.run(task), first);
            return Summary.of(seconds).reciprocal(flops() / 1e9);
        }
    }

    /** @return random operands of this case's shape and a zeroed result */
    Operands operands() {
        SplittableRandom rng = new SplittableRandom(m * 31L + k * 7L + n);
        return new Operands(random(rng, m * k), random(rng, k * n), new float[m * n]);
    }

    /**
     * The matrices of one case, laid out as the kernel expects: {@code a} is {@code M×K} (or {@code K×M}
     * for the weight gradient), {@code b} is {@code K×N} (or {@code N×K} for the input gradient), and
     * the result {@code c} is {@code M×N}.
     */
    final class Operands {
        final float[] a;
        final float[] b;
        final float[] c;

        private Operands(float[] a, float[] b, float[] c) {
            this.a = a;
            this.b = b;
            this.c = c;
        }

        /**
         * @return a task whose member {@code t} of {@code threads} computes rows
         *         {@code [M·t/threads, M·(t+1)/threads)} of the result; all members together compute all of it
         */
        WorkerPool.Task task(Kernels kernels, int threads) {
            boolean transA = form == Form.WEIGHT_GRADIENT;
            int lda = transA ? m : k;
            int ldb = form == Form.INPUT_GRADIENT ? k : n;
            int[] band = new int[threads + 1];
            for (int t = 0; t <= threads; t++) {
                band[t] = (int) ((long) m * t / threads);
            }
            return member -> {
                int top = band[member];
                int rows = band[member + 1] - top;
                if (rows == 0) {
                    return;
                }
                // A band of result rows is a band of A's rows, or of A's columns when A is transposed.
                int aOff = transA ? top : top * lda;
                int cOff = top * n;
                switch (form) {
                    case FORWARD:
                        kernels.matmul(rows, n, k, a, aOff, lda, b, 0, ldb, c, cOff, n, false);
                        break;
                    case INPUT_GRADIENT:
                        kernels.matmulTransB(rows, n, k, a, aOff, lda, b, 0, ldb, c, cOff, n, false);
                        break;
                    default:
                        kernels.matmulTransA(rows, n, k, a, aOff, lda, b, 0, ldb, c, cOff, n, false);
                        break;
                }
            };
        }
    }

    static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
