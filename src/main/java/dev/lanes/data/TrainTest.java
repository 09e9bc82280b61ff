package dev.lanes.data;

import java.util.Objects;

/**
 * A training set and a test set of images of the same size.
 *
 * @param train the training images, labelled
 * @param test  the test images, labelled
 */
public record TrainTest(Dataset train, Dataset test) {

    /** Checks that both parts are present. */
    public TrainTest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }
}
