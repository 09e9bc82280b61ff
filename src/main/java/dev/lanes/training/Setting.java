package dev.lanes.training;

/**
 * A setting of a training run, by the name the library's messages use for it. Front ends map these
 * to their own vocabulary, for example a command line to its flags.
 */
public enum Setting {
    /** {@link TrainingConfig#epochs()}. */
    EPOCHS("epochs"),
    /** {@link TrainingConfig#batchSize()}. */
    BATCH_SIZE("batch size"),
    /** {@link TrainingConfig#learningRate()}. */
    LEARNING_RATE("learning rate"),
    /** The kind of {@link TrainingConfig#optimizer()}. */
    OPTIMIZER("optimizer"),
    /** {@link Optimizer.Momentum#mu()}. */
    MOMENTUM("momentum"),
    /** {@link Optimizer.Momentum#nesterov()}. */
    NESTEROV("nesterov"),
    /** {@link Optimizer.Adam#beta1()}. */
    BETA1("beta1"),
    /** {@link Optimizer.Adam#beta2()}. */
    BETA2("beta2"),
    /** {@link Optimizer.Adam#eps()}. */
    EPSILON("epsilon"),
    /** {@link TrainingConfig#weightDecay()}. */
    WEIGHT_DECAY("weight decay"),
    /** The kind of {@link TrainingConfig#schedule()}. */
    SCHEDULE("schedule"),
    /** {@link Schedule.Step#every()}. */
    STEP_EVERY("step interval"),
    /** {@link Schedule.Step#gamma()}. */
    STEP_GAMMA("step gamma"),
    /** {@link TrainingConfig#seed()}. */
    SEED("seed"),
    /** {@link TrainingConfig#shuffle()}. */
    SHUFFLE("shuffle"),
    /** {@link TrainingConfig#threads()}. */
    THREADS("threads");

    private final String label;

    Setting(String label) {
        this.label = label;
    }

    /** @return the name messages use, e.g. {@code "learning rate"} */
    public String label() {
        return label;
    }

    /**
     * @param ok      whether the value is valid
     * @param problem what is wrong, to follow the setting's name, e.g. {@code "must be ≥ 1, got 0"}
     * @throws InvalidSettingException naming this setting if not {@code ok}
     */
    void require(boolean ok, String problem) {
        if (!ok) {
            throw new InvalidSettingException(this, problem);
        }
    }
}
