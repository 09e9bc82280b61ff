package dev.lanes.benchmark;

/**
 * How long each part of the benchmark may take. {@link #standard()} keeps a whole run to about a minute
 * on two cores; {@link #quick()} to about half a minute, at the price of noisier figures.
 *
 * @param warmupNanos       the most time spent warming one kernel case up before timing it
 * @param firstWarmupNanos  the same for the first case of each kernel and implementation, and for the
 *                          first epoch case, which wait for the JIT to compile the code in the first
 *                          place (seconds on a busy machine)
 * @param minWarmupRounds   warm-up rounds always run, however quiet the compiler is
 * @param roundNanos        the length one timed round of kernel calls aims for
 * @param repeats           timed rounds per kernel case
 * @param epochWarmupNanos  the most time spent warming one epoch case up
 * @param epochRoundNanos   the length a warm-up round of training aims for
 * @param epochRepeats      timed epochs per epoch case
 * @param epochCapNanos     the longest one timed epoch may take; beyond it a prefix of the data is
 *                          timed and the time scaled to the full epoch
 */
public record Budget(long warmupNanos, long firstWarmupNanos, int minWarmupRounds, long roundNanos, int repeats,
                     long epochWarmupNanos, long epochRoundNanos, int epochRepeats, long epochCapNanos) {

    private static final long MS = 1_000_000L;

    /** Checks the settings. */
    public Budget {
        if (warmupNanos < 0 || firstWarmupNanos < 0 || minWarmupRounds < 1 || roundNanos <= 0 || repeats < 1 || epochWarmupNanos < 0
                || epochRoundNanos <= 0 || epochRepeats < 1 || epochCapNanos <= 0) {
            throw new IllegalArgumentException("invalid benchmark budget " + this);
        }
    }

    /** @return the default: 5 kernel rounds of 20 ms, 3 epochs of at most 1.5 s, warm-ups of 1 to 6 s */
    public static Budget standard() {
        return new Budget(1000 * MS, 6000 * MS, 2, 20 * MS, 5, 1500 * MS, 300 * MS, 3, 1500 * MS);
    }

    /** @return {@code --quick}: 3 kernel rounds of 5 ms, 3 epochs of at most 0.25 s, short warm-ups */
    public static Budget quick() {
        return new Budget(400 * MS, 3000 * MS, 2, 5 * MS, 3, 600 * MS, 80 * MS, 3, 250 * MS);
    }
}
