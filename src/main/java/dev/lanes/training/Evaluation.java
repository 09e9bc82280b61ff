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
}
