package dev.lanes.training;

/** How the learning rate changes during training. */
public sealed interface Schedule permits Schedule.Constant, Schedule.Step, Schedule.Cosine {

    /** @return the schedule's name as a user types it: {@code constant}, {@code step} or {@code cosine} */
    String name();

    /**
     * @param base       the base learning rate
     * @param epoch      the current epoch, from 1
     * @param step       the optimizer step within the whole run, from 0
     * @param totalSteps the number of steps the whole run takes
     * @return the learning rate for that step
     */
    float rate(float base, int epoch, long step, long totalSteps);

    /** The same rate throughout. */
    record Constant() implements Schedule {
        @Override
        public String name() {
            return "constant";
        }

        @Override
        public float rate(float base, int epoch, long step, long totalSteps) {
            return base;
        }
    }

    /**
     * The base rate multiplied by {@code gamma} after every {@code every} epochs.
     *
     * @param every epochs between decays, ≥ 1
     * @param gamma the decay factor, in (0, 1]
     */
    record Step(int every, float gamma) implements Schedule {
        /** @throws InvalidSettingException naming the first value out of range */
        public Step {
            Setting.STEP_EVERY.require(every >= 1, "must be ≥ 1, got " + every);
            Setting.STEP_GAMMA.require(gamma > 0 && gamma <= 1, "must be in (0, 1], got " + gamma);
        }

        @Override
        public String name() {
            return "step";
        }

        @Override
        public float rate(float base, int epoch, long step, long totalSteps) {
            return (float) (base * Math.pow(gamma, (epoch - 1) / every));
        }
    }

    /** Cosine decay from the base rate to zero over all steps of the run, so it depends on the epochs. */
    record Cosine() implements Schedule {
        @Override
        public String name() {
            return "cosine";
        }

        @Override
        public float rate(float base, int epoch, long step, long totalSteps) {
            return (float) (base * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps)));
        }
    }
}
