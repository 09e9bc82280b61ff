package dev.lanes.training;

import dev.lanes.InputException;

/** Hears about a training run as it goes. */
public interface TrainingListener {

    /**
     * Called about a hundred times an epoch, between optimizer steps.
     *
     * @param epoch   the epoch, from 1
     * @param batches batches done in this epoch
     * @param total   batches in this epoch
     */
    default void onProgress(int epoch, int batches, int total) {
    }

    /**
     * As {@link #onProgress(int, int, int)}, with the mean training loss of the epoch so far; by
     * default it calls that method.
     *
     * @param epoch    the epoch, from 1
     * @param batches  batches done in this epoch
     * @param total    batches in this epoch
     * @param meanLoss mean cross-entropy of the samples trained on so far in this epoch
     */
    default void onProgress(int epoch, int batches, int total, double meanLoss) {
        onProgress(epoch, batches, total);
    }

    /**
     * Asked after each {@link #onEpoch}: whether training should stop now, for example because the
     * validation loss has stopped improving ({@link EarlyStopping}).
     *
     * @return true to end {@link Trainer#fit} after the epoch just reported
     */
    default boolean stopRequested() {
        return false;
    }

    /**
     * Called after each epoch and its evaluation; a good place to save the model.
     *
     * @param stats   the epoch's figures
     * @param trainer the trainer, for {@link Trainer#network()} and {@link Trainer#state()}
     * @throws InputException to stop training, for example when the model cannot be written
     */
    void onEpoch(EpochStats stats, Trainer trainer) throws InputException;
}
