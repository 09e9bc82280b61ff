package dev.lanes.training;

/**
 * Training stopped because the loss or the weights stopped being finite. The input was valid: the
 * settings, usually the learning rate, made the run blow up.
 */
public final class DivergedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int epoch;

    /**
     * @param epoch the epoch in which it happened, from 1
     * @param batch the batch within that epoch, from 1
     * @param loss  the batch loss seen (NaN or infinite), or NaN when the weights were found non-finite
     */
    public DivergedException(int epoch, int batch, double loss) {
        super("training diverged in epoch " + epoch + " at batch " + batch + " ("
                + (Double.isNaN(loss) ? "the loss or a weight became NaN" : "the loss became infinite") + ")");
        this.epoch = epoch;
    }

    /** @return the epoch in which training diverged, from 1 */
    public int epoch() {
        return epoch;
    }
}
