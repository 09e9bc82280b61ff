package dev.lanes.training;

import java.util.Objects;

/**
 * Everything that decides how a network is trained. Two runs with equal settings on the same data
 * produce bitwise identical networks, whatever {@link #threads()} is.
 *
 * @param epochs       passes over the training set, ≥ 1
 * @param batchSize    samples per optimizer step, ≥ 1 (the last batch of an epoch may be smaller)
 * @param learningRate the base learning rate, positive and finite
 * @param optimizer    the update rule and its coefficients
 * @param weightDecay  L2 penalty coefficient ≥ 0, applied to every parameter whatever the rule
 * @param schedule     how the learning rate changes
 * @param seed         seeds the initial weights' draw elsewhere and the per-epoch shuffle here
 * @param shuffle      shuffle the training set every epoch (otherwise file order)
 * @param threads      worker threads, ≥ 1, or 0 to let the trainer choose by the work per step
 *                     ({@link Trainer#threads()}); does not change the result
 */
public record TrainingConfig(int epochs, int batchSize, float learningRate, Optimizer optimizer, float weightDecay,
                             Schedule schedule, long seed, boolean shuffle, int threads) {

    /**
     * Checks every setting; the optimizer's and the schedule's coefficients were checked when they
     * were made.
     *
     * @throws InvalidSettingException naming the first invalid setting
     */
    public TrainingConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Setting.EPOCHS.require(epochs >= 1, "must be ≥ 1, got " + epochs);
        Setting.BATCH_SIZE.require(batchSize >= 1, "must be ≥ 1, got " + batchSize);
        Setting.LEARNING_RATE.require(Float.isFinite(learningRate) && learningRate > 0,
                "must be a positive finite number, got " + learningRate);
        Setting.WEIGHT_DECAY.require(Float.isFinite(weightDecay) && weightDecay >= 0,
                "must be a finite number ≥ 0, got " + weightDecay);
        Setting.THREADS.require(threads >= 0, "must be ≥ 1 (or 0 for automatic), got " + threads);
    }

    /** The {@link #threads()} value that lets the trainer choose: the default. */
    public static final int AUTO_THREADS = 0;

    /** The default {@link #epochs()}; a constant, so that the command line's help can show it. */
    public static final int DEFAULT_EPOCHS = 10;

    /** The default {@link #batchSize()}. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** The default {@link #learningRate()}. */
    public static final float DEFAULT_LEARNING_RATE = 0.1f;

    /** The default {@link #seed()}. */
    public static final long DEFAULT_SEED = 1;

    /** @return a builder holding the defaults (the seed network's recipe: 10 epochs, batch 64, SGD 0.1) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.optimizer = optimizer;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.seed = seed;
        b.shuffle = shuffle;
        b.threads = threads;
        return b;
    }

    /** Builds a {@link TrainingConfig}; every setter returns the builder. */
    public static final class Builder {
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private Optimizer optimizer = new Optimizer.Sgd();
        private float weightDecay;
        private Schedule schedule = new Schedule.Constant();
        private long seed = DEFAULT_SEED;
        private boolean shuffle = true;
        private int threads = AUTO_THREADS;

        private Builder() {
        }

        /** @param v epochs @return this */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        /** @param v batch size @return this */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** @param v base learning rate @return this */
        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        /** @param v update rule (default {@link Optimizer.Sgd}) @return this */
        public Builder optimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        /** @param v L2 coefficient @return this */
        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        /** @param v learning-rate schedule (default {@link Schedule.Constant}) @return this */
        public Builder schedule(Schedule v) {
            schedule = v;
            return this;
        }

        /** @param v shuffle seed @return this */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @param v shuffle every epoch @return this */
        public Builder shuffle(boolean v) {
            shuffle = v;
            return this;
        }

        /** @param v worker threads, or {@link #AUTO_THREADS} to let the trainer choose @return this */
        public Builder threads(int v) {
            threads = v;
            return this;
        }

        /** @return the settings @throws InvalidSettingException if one is invalid */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, optimizer, weightDecay, schedule, seed,
                    shuffle, threads);
        }
    }
}
