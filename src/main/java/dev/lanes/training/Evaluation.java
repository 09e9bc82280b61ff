package dev.lanes.training;

/**
 * How well a network classifies a labelled data set.
 *
 * @param samples   how many images were evaluated
 * @param accuracy  fraction classified correctly
 * @param loss      mean cross-entropy
 * @param confusion {@code confusion[true][predicted]} counts
 */
public record Evaluation(int samples, double accuracy, double loss, long[][] confusion) {

    /** @return the number of classes */
    public int classes() {
        return confusion.length;
    }

    /**
     * @param c a class
     * @return of the images predicted as {@code c}, the fraction that are {@code c} (NaN if none was)
     */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
    }

    /**
     * @param c a class
     * @return of the images of class {@code c}, the fraction predicted as {@code c} (NaN if there were none)
     */
    public double recall(int c) {
        long actual = 0;
        for (long n : confusion[c]) {
            actual += n;
        }
        return actual == 0 ? Double.NaN : (double) confusion[c][c] / actual;
    }

    /**
     * @param c a class
     * @return the F1 score of {@code c}, 2·TP / (2·TP + FP + FN): the harmonic mean of precision and
     *         recall, 0 when the class was never predicted correctly, NaN when it neither occurs nor
     *         was predicted
     */
    public double f1(int c) {
        long tp = confusion[c][c];
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < confusion.length; i++) {
            if (i != c) {
                fp += confusion[i][c];
                fn += confusion[c][i];
            }
        }
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? Double.NaN : 2.0 * tp / denominator;
    }

    /**
     * @return the mean F1 score over the classes that occur in the data or were predicted (scikit-learn's
     *         macro F1 with zero for undefined scores), NaN without any image
     */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < confusion.length; c++) {
            double f = f1(c);
            if (!Double.isNaN(f)) {
                sum += f;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
