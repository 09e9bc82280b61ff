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
     * Called after each epoch and its evaluation; a good place to save the model.
     *
     * @param stats   the epoch's figures
     * @param trainer the trainer, for {@link Trainer#network()} and {@link Trainer#state()}
     * @throws InputException to stop training, for example when the model cannot be written
     */
    void onEpoch(EpochStats stats, Trainer trainer) throws InputException;
}
