package dev.lanes.cli;

import dev.lanes.training.InvalidSettingException;
import dev.lanes.training.Setting;
import dev.lanes.training.TrainingState;

/**
 * The command-line flags of the engine's training settings, so that a setting the library names
 * ({@link InvalidSettingException}, {@link TrainingState.Difference}) is reported in the terms the user
 * typed. {@code train} and {@code lanes-spark} share every flag but the thread count's.
 */
public final class SettingFlags {

    /** The flags of {@code lanes train}. */
    public static final SettingFlags TRAIN = new SettingFlags("--threads");

    private final String threadsFlag;

    private SettingFlags(String threadsFlag) {
        this.threadsFlag = threadsFlag;
    }

    /**
     * @param threadsFlag the flag of {@link Setting#THREADS} in that command line
     * @return the flags of a command line that takes {@code train}'s flags for every other setting
     */
    public static SettingFlags withThreadsFlag(String threadsFlag) {
        return new SettingFlags(threadsFlag);
    }

    /**
     * @param s a setting
     * @return the flag that sets it, e.g. {@code --lr} for {@link Setting#LEARNING_RATE}
     */
    public String of(Setting s) {
        return switch (s) {
            case EPOCHS -> "--epochs";
            case BATCH_SIZE -> "--batch";
            case LEARNING_RATE -> "--lr";
            case OPTIMIZER -> "--optimizer";
            case MOMENTUM -> "--momentum";
            case NESTEROV -> "--nesterov";
            case BETA1 -> "--beta1";
            case BETA2 -> "--beta2";
            case EPSILON -> "--epsilon";
            case WEIGHT_DECAY -> "--weight-decay";
            case SCHEDULE -> "--schedule";
            case STEP_EVERY -> "--step-epochs";
            case STEP_GAMMA -> "--step-gamma";
            case SEED -> "--seed";
            case SHUFFLE -> "--no-shuffle";
            case THREADS -> threadsFlag;
        };
    }

    /**
     * @param e an invalid setting
     * @return e.g. {@code --momentum must be in [0, 1), got 1.5}
     */
    public String message(InvalidSettingException e) {
        return of(e.setting()) + " " + e.problem();
    }

    /**
     * @param d a setting a resumed run changed
     * @return e.g. {@code --lr is 0.2 but the interrupted run used 0.1}
     */
    public String message(TrainingState.Difference d) {
        // --no-shuffle is on where shuffling is off.
        boolean inverse = d.setting() == Setting.SHUFFLE;
        return of(d.setting()) + " is " + (inverse ? flip(d.now()) : d.now()) + " but the interrupted run used "
                + (inverse ? flip(d.saved()) : d.saved());
    }

    private static String flip(String onOff) {
        return onOff.equals("on") ? "off" : "on";
    }
}
