package dev.lanes.jmh;

import dev.lanes.data.Dataset;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.training.DivergedException;
import dev.lanes.training.EpochStats;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training steps of the two standard networks on the training kernels: one operation is an epoch of
 * {@code steps} batches of random MNIST-shaped images. Run with {@code -prof gc}: the allocation per
 * operation is the same for 4 and 16 steps (an epoch's own statistics and shuffle generator), so a
 * step allocates nothing; the time per operation divided by {@code steps} is the time of a step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = BenchKernels.VECTOR_FLAG)
@State(Scope.Thread)
public class TrainingStepBench {

    /** {@code 784-10-10@64}: the seed network at batch 64; {@code 784-256-128-10@256}: the wide one. */
    @Param({"784-10-10@64", "784-256-128-10@256"})
    public String network;

    @Param({"4", "16"})
    public int steps;

    @Param({"1", "2"})
    public int threads;

    private Trainer trainer;
    private Dataset data;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = network.split("@");
        String[] widths = parts[0].split("-");
        int[] sizes = new int[widths.length];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Integer.parseInt(widths[i]);
        }
        int batch = Integer.parseInt(parts[1]);
        int n = batch * steps;
        SplittableRandom rng = new SplittableRandom(11);
        byte[] pixels = new byte[n * sizes[0]];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(sizes[sizes.length - 1]);
        }
        data = new Dataset("random", pixels, labels, n, 28, 28);
        // A small learning rate keeps the random-label run finite for as long as JMH trains it.
        TrainingConfig config = TrainingConfig.builder().batchSize(batch).learningRate(1e-4f)
                .epochs(Integer.MAX_VALUE).threads(threads).build();
        trainer = new Trainer(Network.create(sizes, Init.HE, 1), config);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }

    @Benchmark
    public EpochStats epochOfSteps() throws DivergedException {
        return trainer.trainEpoch(data, null);
    }
}
