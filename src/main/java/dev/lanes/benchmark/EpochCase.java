package dev.lanes.benchmark;

import dev.lanes.data.Dataset;
import dev.lanes.kernels.Kernels;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.training.DivergedException;
import dev.lanes.training.Optimizer;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import dev.lanes.training.TrainingRun;
import java.util.Arrays;
import java.util.List;

/**
 * One epoch of SGD training of a standard network, as {@code lanes train} runs it.
 *
 * @param hidden       hidden layer widths
 * @param batch        samples per step
 * @param learningRate SGD step size
 */
record EpochCase(int[] hidden, int batch, float learningRate) {

    /** The two standard configurations: the original 784-10-10 at batch 64 and 784-256-128-10 at batch 256. */
    static List<EpochCase> all() {
        return List.of(new EpochCase(new int[] {10}, 64, 0.1f), new EpochCase(new int[] {256, 128}, 256, 0.1f));
    }

    /** Network widths: the data's inputs, the hidden layers, the data's classes. */
    int[] sizes(TrainingData data) {
        return TrainingRun.layerSizes(data.train().features(), hidden, data.classes());
    }

    /** @return e.g. {@code epoch 784-10-10 batch 64} */
    String name(TrainingData data) {
        StringBuilder s = new StringBuilder("epoch ");
        int[] sizes = sizes(data);
        for (int i = 0; i < sizes.length; i++) {
            s.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        return s.append(" batch ").append(batch).toString();
    }

    /** The epoch time, and how many samples each timed repeat trained on. */
    record Result(Summary seconds, int timedSamples, boolean warmedUp) {
    }

    /**
     * Warms training up on growing prefixes of the data, then times epochs from the same initial
     * weights. When a whole epoch would exceed the budget's cap, a prefix is timed and its time scaled
     * to the whole data set (the work per sample is the same in every batch). {@code first} asks for the
     * longer warm-up that waits for the JIT to compile the trainer in the first place.
     */
    Result measure(Harness harness, Budget budget, Kernels kernels, TrainingData data, int threads, boolean first) {
        long box = first ? Math.max(budget.epochWarmupNanos(), budget.firstWarmupNanos()) : budget.epochWarmupNanos();
        Dataset all = data.train();
        int size = all.size();
        Network net = Network.create(sizes(data), Init.HE, 1);
        float[] initial = net.parameters().clone();
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(batch).learningRate(learningRate)
                .optimizer(new Optimizer.Sgd()).seed(1).threads(threads).build();
        try (Trainer trainer = new Trainer(net, config, kernels)) {
            int samples = Math.min(size, 4 * batch);
            Dataset part = prefix(all, samples);
            double best = Double.POSITIVE_INFINITY;
            double perSample = Double.POSITIVE_INFINITY;
            Jit jit = harness.jit();
            long compiled = jit.compileMillis();
            long warmStart = System.nanoTime();
            boolean warmed = false;
            for (int atSize = 1; ; atSize++) {
                double seconds = epoch(trainer, net, initial, part);
                perSample = seconds / samples;
                long nowCompiled = jit.compileMillis();
                boolean steady = perSample <= best * 1.05;
                boolean quiet = nowCompiled == compiled;
                compiled = nowCompiled;
                best = Math.min(best, perSample);
                if (seconds * 1e9 < budget.epochRoundNanos() && samples < size) {
                    // Too short to judge: double the prefix and start judging afresh.
                    samples = Math.min(size, 2 * samples);
                    part = prefix(all, samples);
                    best = Double.POSITIVE_INFINITY;
                    atSize = 0;
                } else if (atSize >= Math.max(2, budget.minWarmupRounds()) && steady && quiet && jit.idle()) {
                    warmed = true;
                    break;
                }
                if (System.nanoTime() - warmStart >= box) {
                    break;
                }
            }
            int timed = size;
            if (perSample * size * 1e9 > budget.epochCapNanos()) {
                int batches = (int) (budget.epochCapNanos() / 1e9 / perSample / batch);
                timed = Math.min(size, Math.max(1, batches) * batch);
            }
            Dataset timedPart = prefix(all, timed);
            double[] seconds = new double[budget.epochRepeats()];
            for (int i = 0; i < seconds.length; i++) {
                seconds[i] = epoch(trainer, net, initial, timedPart) * size / timed;
            }
            return new Result(Summary.of(seconds), timed, warmed);
        }
    }

    /** One epoch from the initial weights; the per-epoch shuffle still differs, as in real training. */
    private static double epoch(Trainer trainer, Network net, float[] initial, Dataset part) {
        System.arraycopy(initial, 0, net.parameters(), 0, initial.length);
        long start = System.nanoTime();
        try {
            trainer.trainEpoch(part, null);
        } catch (DivergedException e) {
            throw new IllegalStateException("benchmark training diverged: " + e.getMessage(), e);
        }
        return Math.max(System.nanoTime() - start, 1L) / 1e9;
    }

    /** The first {@code n} images of {@code d} (the same object when that is all of them). */
    static Dataset prefix(Dataset d, int n) {
        if (n == d.size()) {
            return d;
        }
        int f = d.features();
        return new Dataset(d.source(), Arrays.copyOf(d.pixels(), n * f), Arrays.copyOf(d.labels(), n), n,
                d.imageRows(), d.imageCols());
    }
}
