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

    @Test
    void fitsANetwork() {
        Dataset d = labelled(0, 3, 2);
        inputError(() -> Datasets.requireFits(d, 5, 4, "m.lanes"), "train.idx: images have 4 pixels but m.lanes takes 5");
        inputError(() -> Datasets.requireFits(d, 4, 3, "m.lanes"), "train.idx: label 3 is outside m.lanes's 3 classes");
        assertDoesNotThrow(() -> Datasets.requireFits(d, 4, 4, "m.lanes"));
        Dataset unlabelled = new Dataset("x.idx", new byte[4], null, 1, 2, 2);
        assertDoesNotThrow(() -> Datasets.requireFits(unlabelled, 4, 2, "m.lanes"));
        inputError(() -> Datasets.requireInputs(unlabelled, 3, "the network"), "x.idx: images have 4 pixels but the network takes 3");
    }
}
