package dev.lanes.training;

/**
 * What one training epoch achieved.
 *
 * @param epoch              the epoch number, from 1
 * @param loss               mean cross-entropy over the epoch's training samples
 * @param trainAccuracy      fraction of training samples classified correctly during the epoch
 * @param validationAccuracy accuracy on the validation set after the epoch, or NaN without one
 * @param testAccuracy       accuracy on the test set after the epoch, or NaN without one
 * @param testLoss           mean cross-entropy on the test set after the epoch, or NaN without one
 * @param seconds            wall-clock time of this epoch's training alone (no evaluation)
 * @param samplesPerSecond   training samples processed per second in this epoch
 * @param learningRate       the learning rate used at the epoch's first step
 * @param validationLoss     mean cross-entropy on the validation set after the epoch, or NaN without one
 */
public record EpochStats(int epoch, double loss, double trainAccuracy, double validationAccuracy,
                         double testAccuracy, double testLoss, double seconds, double samplesPerSecond,
                         double learningRate, double validationLoss) {

    /**
     * The figures of an epoch without a validation loss (NaN).
     *
     * @param epoch              the epoch number, from 1
     * @param loss               mean training cross-entropy
     * @param trainAccuracy      training accuracy during the epoch
     * @param validationAccuracy validation accuracy, or NaN
     * @param testAccuracy       test accuracy, or NaN
     * @param testLoss           test loss, or NaN
     * @param seconds            training time of the epoch
     * @param samplesPerSecond   training throughput
     * @param learningRate       the learning rate at the epoch's first step
     */
    public EpochStats(int epoch, double loss, double trainAccuracy, double validationAccuracy, double testAccuracy,
                      double testLoss, double seconds, double samplesPerSecond, double learningRate) {
        this(epoch, loss, trainAccuracy, validationAccuracy, testAccuracy, testLoss, seconds, samplesPerSecond,
                learningRate, Double.NaN);
    }
}
