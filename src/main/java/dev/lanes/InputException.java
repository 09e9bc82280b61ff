package dev.lanes;

/**
 * Bad input from the user: a file, a flag or a model that cannot be used. The message is a single
 * line that names the input (file with row or byte offset, or flag) and what is wrong with it; the
 * command line prints it without a stack trace and exits with status 2.
 */
public class InputException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the input and what is wrong */
    public InputException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the input and what is wrong
     * @param cause   the underlying error, kept for debugging
     */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
