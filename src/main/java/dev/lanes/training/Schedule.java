package dev.lanes.training;

/** How the learning rate changes during training. */
public enum Schedule {
    /** The same rate throughout. */
    CONSTANT,
    /** Multiplied by {@code gamma} after every {@code stepEpochs} epochs. */
    STEP,
    /** Cosine decay from the base rate to zero over all steps of the run. */
    COSINE;

    /**
     * @param config    the run's settings
     * @param epoch     the current epoch, from 1
     * @param step      the optimizer step within the whole run, from 0
     * @param totalSteps the number of steps the whole run takes
     * @return the learning rate for that step
     */
    float rate(TrainingConfig config, int epoch, long step, long totalSteps) {
        switch (this) {
            case STEP:
                return (float) (config.learningRate()
                        * Math.pow(config.stepGamma(), (epoch - 1) / config.stepEpochs()));
            case COSINE:
                return (float) (config.learningRate() * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps)));
            default:
                return config.learningRate();
        }
    }
}
