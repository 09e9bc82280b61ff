package dev.lanes.training;

import java.util.Objects;

/**
 * Everything that decides how a network is trained. Two runs with equal settings on the same data
 * produce bitwise identical networks, whatever {@link #threads()} is.
 *
 * @param epochs       passes over the training set, ≥ 1
 * @param batchSize    samples per optimizer step, ≥ 1 (the last batch of an epoch may be smaller)
 * @param learningRate the base learning rate, positive and finite
 * @param optimizer    the update rule
 * @param momentum     momentum coefficient μ in [0, 1) for {@link Optimizer#MOMENTUM}
 * @param nesterov     Nesterov momentum instead of classical
 * @param weightDecay  L2 penalty coefficient ≥ 0, applied to every parameter
 * @param schedule     how the learning rate changes
 * @param stepEpochs   for {@link Schedule#STEP}: epochs between decays, ≥ 1
 * @param stepGamma    for {@link Schedule#STEP}: decay factor in (0, 1]
 * @param beta1        Adam's first-moment decay in [0, 1)
 * @param beta2        Adam's second-moment decay in [0, 1)
 * @param epsilon      Adam's denominator guard, positive
 * @param seed         seeds the initial weights' draw elsewhere and the per-epoch shuffle here
 * @param shuffle      shuffle the training set every epoch (otherwise file order)
 * @param threads      worker threads, ≥ 1, or 0 to let the trainer choose by the work per step
 *                     ({@link Trainer#threads()}); does not change the result
 */
public record TrainingConfig(int epochs, int batchSize, float learningRate, Optimizer optimizer, float momentum,
                             boolean nesterov, float weightDecay, Schedule schedule, int stepEpochs,
                             float stepGamma, float beta1, float beta2, float epsilon, long seed,
                             boolean shuffle, int threads) {

    /**
     * Checks every setting.
     *
     * @throws IllegalArgumentException naming the first invalid setting by its command-line flag
     *                                  without the dashes, e.g. {@code "lr must be a positive finite number"}
     */
    public TrainingConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        require(epochs >= 1, "epochs must be ≥ 1, got " + epochs);
        require(batchSize >= 1, "batch must be ≥ 1, got " + batchSize);
        require(Float.isFinite(learningRate) && learningRate > 0,
                "lr must be a positive finite number, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(Float.isFinite(weightDecay) && weightDecay >= 0,
                "weight-decay must be a finite number ≥ 0, got " + weightDecay);
        require(stepEpochs >= 1, "step-epochs must be ≥ 1, got " + stepEpochs);
        require(stepGamma > 0 && stepGamma <= 1, "step-gamma must be in (0, 1], got " + stepGamma);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        require(Float.isFinite(epsilon) && epsilon > 0, "epsilon must be a positive finite number, got " + epsilon);
        require(threads >= 0, "threads must be ≥ 1 (or 0 for automatic), got " + threads);
    }

    /** The {@link #threads()} value that lets the trainer choose: the default. */
    public static final int AUTO_THREADS = 0;

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

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
        b.momentum = momentum;
        b.nesterov = nesterov;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.stepEpochs = stepEpochs;
        b.stepGamma = stepGamma;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.epsilon = epsilon;
        b.seed = seed;
        b.shuffle = shuffle;
        b.threads = threads;
        return b;
    }

    /** Builds a {@link TrainingConfig}; every setter returns the builder. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 64;
        private float learningRate = 0.1f;
        private Optimizer optimizer = Optimizer.SGD;
        private float momentum = 0.9f;
        private boolean nesterov;
        private float weightDecay;
        private Schedule schedule = Schedule.CONSTANT;
        private int stepEpochs = 5;
        private float stepGamma = 0.1f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private long seed = 1;
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

        /** @param v update rule @return this */
        public Builder optimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        /** @param v momentum coefficient @return this */
        public Builder momentum(float v) {
            momentum = v;
            return this;
        }

        /** @param v Nesterov momentum @return this */
        public Builder nesterov(boolean v) {
            nesterov = v;
            return this;
        }

        /** @param v L2 coefficient @return this */
        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        /** @param v learning-rate schedule @return this */
        public Builder schedule(Schedule v) {
            schedule = v;
            return this;
        }

        /** @param v epochs between step decays @return this */
        public Builder stepEpochs(int v) {
            stepEpochs = v;
            return this;
        }

        /** @param v step decay factor @return this */
        public Builder stepGamma(float v) {
            stepGamma = v;
            return this;
        }

        /** @param v Adam β1 @return this */
        public Builder beta1(float v) {
            beta1 = v;
            return this;
        }

        /** @param v Adam β2 @return this */
        public Builder beta2(float v) {
            beta2 = v;
            return this;
        }

        /** @param v Adam ε @return this */
        public Builder epsilon(float v) {
            epsilon = v;
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

        /** @return the settings @throws IllegalArgumentException if one is invalid */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, optimizer, momentum, nesterov, weightDecay,
                    schedule, stepEpochs, stepGamma, beta1, beta2, epsilon, seed, shuffle, threads);
        }
    }
}
