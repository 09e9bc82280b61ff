package dev.lanes.training;

/**
 * Early stopping on the validation loss, as Keras's {@code EarlyStopping(patience=N)}: training stops
 * once the validation loss has not improved (strictly decreased) for {@code patience} epochs in a row,
 * and the epoch with the lowest validation loss is the best one, which {@code --keep-best} keeps.
 */
public final class EarlyStopping {

    private final int patience;
    private int bestEpoch;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int lastEpoch;

    /** @param patience epochs without improvement before stopping, ≥ 1; 0 tracks the best epoch but never stops */
    public EarlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be ≥ 0, got " + patience);
        }
        this.patience = patience;
    }

    /**
     * Continues an interrupted run's tracking.
     *
     * @param bestEpoch the best epoch so far (0 for none)
     * @param bestLoss  its validation loss
     * @param lastEpoch the last epoch completed
     */
    public void restore(int bestEpoch, double bestLoss, int lastEpoch) {
        this.bestEpoch = bestEpoch;
        this.bestLoss = bestEpoch == 0 ? Double.POSITIVE_INFINITY : bestLoss;
        this.lastEpoch = lastEpoch;
    }

    /**
     * @param s an epoch's figures, with a validation loss
     * @return whether it is the new best epoch
     */
    public boolean record(EpochStats s) {
        lastEpoch = s.epoch();
        if (s.validationLoss() < bestLoss) {
            bestLoss = s.validationLoss();
            bestEpoch = s.epoch();
            return true;
        }
        return false;
    }

    /** @return whether the loss has not improved for {@code patience} epochs */
    public boolean shouldStop() {
        return patience > 0 && bestEpoch > 0 && lastEpoch - bestEpoch >= patience;
    }

    /** @return the epoch with the lowest validation loss so far, 0 before the first */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return the lowest validation loss so far */
    public double bestLoss() {
        return bestLoss;
    }

    /** @return the patience */
    public int patience() {
        return patience;
    }
}
