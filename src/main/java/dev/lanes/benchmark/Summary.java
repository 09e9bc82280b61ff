package dev.lanes.benchmark;

import java.util.Arrays;

/**
 * The median, minimum and maximum of repeated measurements of one figure.
 *
 * @param median  the median (the mean of the two middle values for an even count)
 * @param min     the smallest value
 * @param max     the largest value
 * @param repeats how many values there were
 */
public record Summary(double median, double min, double max, int repeats) {

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException unless {@code 0 < min ≤ median ≤ max} are finite and {@code repeats ≥ 1}
     */
    public Summary {
        if (repeats < 1 || !(min > 0) || !(min <= median) || !(median <= max) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("not a valid summary: median " + median + ", range " + min
                    + "–" + max + ", " + repeats + " repeats");
        }
    }

    /**
     * @param values one or more positive finite measurements
     * @return their median, minimum and maximum
     */
    public static Summary of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Summary(median, v[0], v[n - 1], n);
    }

    /**
     * The summary of {@code work / x} for each measurement {@code x}: turns times into rates. The
     * median maps to the median because the map is monotonic; the minimum and maximum swap.
     *
     * @param work the amount of work each measurement timed (flops, elements, samples)
     * @return the rates' summary
     */
    public Summary reciprocal(double work) {
        return new Summary(work / median, work / max, work / min, repeats);
    }
}
