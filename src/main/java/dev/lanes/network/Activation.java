package dev.lanes.network;

/** The activation after a dense layer. Codes are stored in model files and must never change. */
public enum Activation {
    /** {@code max(0, z)}, used by every hidden layer. */
    RELU(1),
    /** Row-wise softmax, used by the output layer (trained with cross-entropy). */
    SOFTMAX(2);

    private final int code;

    Activation(int code) {
        this.code = code;
    }

    /** @return the stable code stored in model files */
    public int code() {
        return code;
    }

    /**
     * @param code a stored code
     * @return the activation with that code, or {@code null} if none has it
     */
    public static Activation fromCode(int code) {
        for (Activation a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return null;
    }
}
