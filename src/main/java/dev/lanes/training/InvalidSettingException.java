package dev.lanes.training;

/**
 * A training setting out of its range. The message is the setting's {@linkplain Setting#label() name}
 * followed by the {@linkplain #problem() problem}, e.g. {@code "momentum must be in [0, 1), got 1.5"};
 * a front end can name the setting its own way instead.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final Setting setting;
    private final String problem;

    /**
     * @param setting the invalid setting
     * @param problem what is wrong with its value, e.g. {@code "must be ≥ 1, got 0"}
     */
    public InvalidSettingException(Setting setting, String problem) {
        super(setting.label() + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    /** @return the invalid setting */
    public Setting setting() {
        return setting;
    }

    /** @return what is wrong with its value, without the setting's name */
    public String problem() {
        return problem;
    }
}
