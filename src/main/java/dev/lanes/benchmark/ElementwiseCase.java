package dev.lanes.benchmark;

import dev.lanes.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An element-wise kernel whose cost shows in training: the fused softmax cross-entropy of the output
 * layer and the Adam update of all parameters.
 *
 * @param kernel   {@code softmaxCrossEntropy} or {@code adam}
 * @param rows     for the loss, the batch size; 1 for the update
 * @param cols     for the loss, the class count; for the update, the parameter count
 */
record ElementwiseCase(String kernel, int rows, int cols) {

    /** Parameters of 784-10-10 and 784-256-128-10. */
    static final int[] PARAMETERS = {784 * 10 + 10 + 10 * 10 + 10, 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10};

    /** Keeps the loss the kernel returns alive, so the JIT cannot drop the call. */
    static volatile double sink;

    /** @return the loss at both batch sizes, then the update at both parameter counts */
    static List<ElementwiseCase> all() {
        List<ElementwiseCase> cases = new ArrayList<>();
        for (int batch : GemmCase.BATCHES) {
            cases.add(new ElementwiseCase("softmaxCrossEntropy", batch, 10));
        }
        for (int n : PARAMETERS) {
            cases.add(new ElementwiseCase("adam", 1, n));
        }
        return cases;
    }

    /** @return e.g. {@code softmaxCrossEntropy 64x10} or {@code adam 7960} */
    String name() {
        return isLoss() ? kernel + " " + rows + "x" + cols : kernel + " " + cols;
    }

    String role() {
        return isLoss() ? "loss" : "update";
    }

    /** @return elements per call */
    int elements() {
        return rows * cols;
    }

    private boolean isLoss() {
        return kernel.equals("softmaxCrossEntropy");
    }

    /** @return seconds per call, per round; {@code first} asks for the longer warm-up */
    Summary measure(Harness harness, Kernels k, boolean first) {
        SplittableRandom rng = new SplittableRandom(rows * 31L + cols);
        Runnable op;
        if (isLoss()) {
            float[] logits = GemmCase.random(rng, rows * cols);
            for (int i = 0; i < logits.length; i++) {
                logits[i] *= 4; // logits of a trained network spread over several units
            }
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = rng.nextInt(cols);
            }
            float[] grad = new float[rows * cols];
            float scale = 1f / rows;
            op = () -> sink = k.softmaxCrossEntropy(rows, cols, logits, 0, cols, labels, 0, grad, 0, cols, scale);
        } else {
            float[] w = GemmCase.random(rng, cols);
            float[] g = GemmCase.random(rng, cols);
            float[] m = new float[cols];
            float[] v = new float[cols];
            // The bias corrections of step 10: a step of ordinary training, not the first.
            float bc1 = (float) (1 - Math.pow(0.9, 10));
            float bc2 = (float) (1 - Math.pow(0.999, 10));
            op = () -> k.adam(cols, w, 0, g, 0, m, 0, v, 0, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, bc1, bc2);
        }
        return Summary.of(harness.secondsPerCall(op, first));
    }
}
