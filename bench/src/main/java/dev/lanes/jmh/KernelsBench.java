package dev.lanes.jmh;

import dev.lanes.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every element-wise kernel of {@link Kernels}, scalar against vector, at the sizes one training step
 * of the MLPs uses: batches of 64 or 256 rows, 10 classes, a 128-wide hidden layer, and the 235 146
 * parameters of 784-256-128-10 for the optimizers and the gradient reduction.
 *
 * <p>Kernels that work in place run on the result of the previous call; each keeps its values finite
 * and representative (ReLU and its mask are idempotent, the optimizers converge or drift slowly).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = BenchKernels.VECTOR_FLAG)
@State(Scope.Thread)
public class KernelsBench {

    /** Parameters of a 784-256-128-10 network. */
    static final int PARAMS = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    static final int CLASSES = 10;
    static final int HIDDEN = 128;
    static final int PIXELS = 784;

    @Param({"scalar", "vector"})
    public String kernels;

    private Kernels k;
    private float[] logits;
    private float[] probs;
    private int[] labels;
    private float[] hidden;
    private float[] hiddenGrad;
    private float[] bias;
    private float[] sums;
    private float[] w;
    private float[] g;
    private float[] m1;
    private float[] m2;
    private byte[] pixels;
    private float[] images;
    private int[] predicted;

    @Setup
    public void setUp() {
        k = BenchKernels.named(kernels);
        logits = BenchKernels.floats(256 * CLASSES, 1);
        probs = new float[256 * CLASSES];
        labels = new int[256];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % CLASSES;
        }
        hidden = BenchKernels.floats(256 * HIDDEN, 2);
        hiddenGrad = BenchKernels.floats(256 * HIDDEN, 3);
        bias = BenchKernels.floats(HIDDEN, 4);
        sums = new float[HIDDEN];
        w = BenchKernels.floats(PARAMS, 5);
        g = BenchKernels.floats(PARAMS, 6);
        m1 = new float[PARAMS];
        m2 = new float[PARAMS];
        pixels = new byte[64 * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        images = new float[64 * PIXELS];
        predicted = new int[256];
    }

    @Benchmark
    public double softmaxCrossEntropy64x10() {
        return k.softmaxCrossEntropy(64, CLASSES, logits, 0, CLASSES, labels, 0, probs, 0, CLASSES, 1f / 64);
    }

    @Benchmark
    public double softmaxCrossEntropy256x10() {
        return k.softmaxCrossEntropy(256, CLASSES, logits, 0, CLASSES, labels, 0, probs, 0, CLASSES, 1f / 256);
    }

    @Benchmark
    public float[] softmax256x10() {
        System.arraycopy(logits, 0, probs, 0, probs.length);
        k.softmax(256, CLASSES, probs, 0, CLASSES);
        return probs;
    }

    @Benchmark
    public float[] addBiasRelu256x128() {
        k.addBiasRelu(256, HIDDEN, hidden, 0, HIDDEN, bias, 0);
        return hidden;
    }

    @Benchmark
    public float[] addBias256x128() {
        k.addBias(256, HIDDEN, hiddenGrad, 0, HIDDEN, bias, 0);
        return hiddenGrad;
    }

    @Benchmark
    public float[] reluBackward256x128() {
        k.reluBackward(256, HIDDEN, hiddenGrad, 0, HIDDEN, hidden, 0, HIDDEN);
        return hiddenGrad;
    }

    @Benchmark
    public float[] columnSums256x128() {
        k.columnSums(256, HIDDEN, hiddenGrad, 0, HIDDEN, sums, 0, false);
        return sums;
    }

    @Benchmark
    public float[] columnSums256x10() {
        k.columnSums(256, CLASSES, logits, 0, CLASSES, sums, 0, false);
        return sums;
    }

    @Benchmark
    public float[] add235146() {
        k.add(PARAMS, g, 0, m1, 0);
        return m1;
    }

    @Benchmark
    public float[] sgd235146() {
        k.sgd(PARAMS, w, 0, g, 0, 1e-3f, 1e-4f);
        return w;
    }

    @Benchmark
    public float[] momentum235146() {
        k.momentum(PARAMS, w, 0, g, 0, m1, 0, 1e-3f, 0.9f, 1e-4f, false);
        return w;
    }

    @Benchmark
    public float[] nesterov235146() {
        k.momentum(PARAMS, w, 0, g, 0, m1, 0, 1e-3f, 0.9f, 1e-4f, true);
        return w;
    }

    @Benchmark
    public float[] adam235146() {
        k.adam(PARAMS, w, 0, g, 0, m1, 0, m2, 0, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, 0.5f, 0.25f);
        return w;
    }

    @Benchmark
    public float[] bytesToFloats64x784() {
        k.bytesToFloats(pixels.length, pixels, 0, images, 0);
        return images;
    }

    @Benchmark
    public int[] argmaxRows256x10() {
        k.argmaxRows(256, CLASSES, logits, 0, CLASSES, predicted, 0);
        return predicted;
    }
}
