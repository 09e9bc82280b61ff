package dev.lanes.spark;

import dev.lanes.InputException;
import dev.lanes.network.Network;

/** Told about every finished round, on the driver, after the checkpoint (if any) is written. */
@FunctionalInterface
public interface RoundListener {

    /**
     * @param stats   the round's figures
     * @param network the averaged network after the round (do not modify)
     * @throws InputException to stop training with that message (the checkpoint stays on disk)
     */
    void onRound(RoundStats stats, Network network) throws InputException;
}
