package dev.lanes.spark;

/**
 * What one synchronous round did.
 *
 * @param round          the round, from 1
 * @param rounds         the rounds the whole run takes
 * @param epochs         per-partition epochs completed after this round (fractional when a round is
 *                       not a whole epoch)
 * @param localBatches   mini-batches each partition trained this round
 * @param loss           mean training loss over the samples of the round, all partitions
 * @param trainAccuracy  training accuracy over those samples, before each step's update
 * @param testAccuracy   accuracy of the averaged network on the test set, or NaN without one
 * @param seconds        wall time of the round on the driver: broadcast, tasks, collect, averaging
 * @param computeSeconds the longest partition's training time within the round
 * @param kernels        the kernels the partitions ran on, e.g. {@code "vector"} ({@code "scalar"} if any
 *                       partition had to fall back)
 */
public record RoundStats(int round, int rounds, double epochs, int localBatches, double loss, double trainAccuracy,
                         double testAccuracy, double seconds, double computeSeconds, String kernels) {

    /** @return the time the round spent outside the partitions' training: scheduling, transfer, averaging */
    public double overheadSeconds() {
        return Math.max(0, seconds - computeSeconds);
    }
}
