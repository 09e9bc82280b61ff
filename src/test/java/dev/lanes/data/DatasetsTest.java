package dev.lanes.data;

import static dev.lanes.data.Fixtures.inputError;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class DatasetsTest {

    private static Dataset labelled(int... labels) {
        return new Dataset("train.idx", new byte[labels.length * 4], labels, labels.length, 2, 2);
    }

    @Test
    void labelsBelowTheClassCount() {
        Dataset d = labelled(0, 9, 3, 10, 2);
        inputError(() -> Datasets.requireLabelsBelow(d, 10), "train.idx", "image 3", "label 10", "below 10");
        assertDoesNotThrow(() -> Datasets.requireLabelsBelow(d, 11));
    }

    @Test
    void labelsRequired() {
        Dataset d = new Dataset("test.csv", new byte[4], null, 1, 2, 2);
        inputError(() -> Datasets.requireLabels(d), "test.csv", "no labels");
        inputError(() -> Datasets.requireLabelsBelow(d, 10), "test.csv", "no labels");
        assertDoesNotThrow(() -> Datasets.requireLabels(labelled(1)));
    }

    @Test
    void sameImageSize() {
        Dataset a = new Dataset("a", new byte[6], null, 1, 2, 3);
        Dataset b = new Dataset("b", new byte[6], null, 1, 3, 2);
        inputError(() -> Datasets.requireSameImageSize(a, b), "b: images are 3x2 but those of a are 2x3");
        assertDoesNotThrow(() -> Datasets.requireSameImageSize(a, new Dataset("c", new byte[12], null, 2, 2, 3)));
    }
}
