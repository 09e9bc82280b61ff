package dev.lanes.spark;

import dev.lanes.data.Dataset;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.network.Network;
import dev.lanes.training.DivergedException;
import dev.lanes.training.EpochStats;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import dev.lanes.training.TrainingState;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The executor's part of a round: train one partition's K local batches from the broadcast state. */
final class PartitionTask {

    private PartitionTask() {
    }

    /** What every partition starts a round from. */
    static final class Input implements Serializable {
        private static final long serialVersionUID = 1L;
        final int[] sizes;
        final float[] params;
        final float[][] moments;
        final long steps;
        final int batches;
        final byte[] config;
        final int threads;

        Input(int[] sizes, float[] params, float[][] moments, long steps, int batches, TrainingConfig config,
              int threads) {
            // TrainingConfig is not serializable: it travels as the same bytes a checkpoint stores.
            this.sizes = sizes;
            this.params = params;
            this.moments = moments;
            this.steps = steps;
            this.batches = batches;
            this.config = TrainingState.encodeConfig(config);
            this.threads = threads;
        }
    }

    /** What a partition hands back. */
    static final class Output implements Serializable {
        private static final long serialVersionUID = 1L;
        final int partition;
        final float[] params;
        final float[][] moments;
        final double lossSum;
        final double correct;
        final long samples;
        final double seconds;
        final String kernels;
        final String kernelsNote;
        final String diverged;

        Output(int partition, float[] params, float[][] moments, double lossSum, double correct, long samples,
               double seconds, String kernels, String kernelsNote, String diverged) {
            this.partition = partition;
            this.params = params;
            this.moments = moments;
            this.lossSum = lossSum;
            this.correct = correct;
            this.samples = samples;
            this.seconds = seconds;
            this.kernels = kernels;
            this.kernelsNote = kernelsNote;
            this.diverged = diverged;
        }
    }

    /**
     * The shuffle seed of a partition: the run's seed for partition 0 (so one partition reproduces
     * single-machine training), a distinct one for each other partition.
     */
    static long partitionSeed(long seed, int partition) {
        return seed + partition * 0x9E3779B97F4A7C15L;
    }

    static Output run(Shard shard, Input in) {
        Dataset data = shard.dataset();
        Kernels k = KernelsProvider.get();
        String note = null;
        if (!"vector".equals(k.name())) {
            String reason = KernelsProvider.vectorUnavailableReason();
            note = reason != null ? reason : "-D" + KernelsProvider.PROPERTY + "=" + System.getProperty(KernelsProvider.PROPERTY);
        }
        TrainingConfig given = TrainingState.readConfig(ByteBuffer.wrap(in.config).order(ByteOrder.LITTLE_ENDIAN),
                in.threads);
        TrainingConfig cfg = given.toBuilder().seed(partitionSeed(given.seed(), shard.partition)).build();
        Network net = new Network(in.sizes, in.params.clone());
        long started = System.nanoTime();
        double loss = 0;
        double correct = 0;
        long samples = 0;
        try (Trainer t = new Trainer(net, cfg, k)) {
            t.setOptimizerState(in.steps, in.moments);
            int perEpoch = t.batchesPerEpoch(data);
            long position = in.steps;
            int left = in.batches;
            // Every partition takes the same number of steps per round; one with fewer batches per epoch
            // than the largest simply starts its next epoch sooner.
            while (left > 0) {
                int epoch = (int) (position / perEpoch) + 1;
                int from = (int) (position % perEpoch);
                int to = Math.min(perEpoch, from + left);
                EpochStats s = t.trainBatches(data, epoch, from, to, null);
                long n = Math.min(data.size(), (long) to * cfg.batchSize()) - (long) from * cfg.batchSize();
                loss += s.loss() * n;
                correct += s.trainAccuracy() * n;
                samples += n;
                left -= to - from;
                position += to - from;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Output(shard.partition, net.parameters(), t.optimizerState(), loss, correct, samples, seconds,
                    k.name(), note, null);
        } catch (DivergedException e) {
            return new Output(shard.partition, null, null, loss, correct, samples, 0, k.name(), note, e.getMessage());
        }
    }
}
