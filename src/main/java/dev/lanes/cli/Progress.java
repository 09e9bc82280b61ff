package dev.lanes.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress: on a terminal a redrawn bar with the running loss, the samples per second and
 * the time left; when output is piped, nothing between epoch lines (logs then hold one plain line per
 * epoch). Quiet prints nothing at all.
 */
final class Progress {

    private static final int WIDTH = 30;
    /** Redraw at most this often: a terminal is slower than a small network's batches. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private final int batchSize;
    private final int totalEpochs;
    private int epoch;
    private long epochStart;
    private long lastDraw;
    private int drawnLength;
    /** Seconds the last finished epoch took, for the time left in later ones; 0 before one finished. */
    private double lastEpochSeconds;

    Progress(PrintWriter out, boolean terminal, boolean quiet, int batchSize, int totalEpochs) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
        this.batchSize = batchSize;
        this.totalEpochs = totalEpochs;
    }

    /** Whether anything is shown as it goes. */
    boolean verbose() {
        return !quiet;
    }

    synchronized void update(int epoch, int done, int total, double meanLoss) {
        long now = System.nanoTime();
        if (epoch != this.epoch) {
            this.epoch = epoch;
            epochStart = now - 1;
        }
        if (!terminal || quiet || (now - lastDraw < REDRAW_NANOS && done < total)) {
            return;
        }
        lastDraw = now;
        String text = bar(epoch, totalEpochs, done, total, meanLoss, (now - epochStart) / 1e9, batchSize,
                lastEpochSeconds);
        out.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
        out.flush();
        drawnLength = Math.max(drawnLength, text.length());
    }

    /** The bar's text, without the carriage return. */
    static String bar(int epoch, int epochs, int done, int total, double meanLoss, double seconds, int batchSize,
                      double lastEpochSeconds) {
        int filled = (int) ((long) WIDTH * done / total);
        StringBuilder bar = new StringBuilder("epoch ").append(epoch).append('/').append(epochs).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append("] ").append(String.format(Locale.ROOT, "%3d%%", 100L * done / total));
        bar.append("  loss ").append(TrainCommand.loss(meanLoss));
        double perSecond = seconds > 0 ? (double) done * batchSize / seconds : 0;
        bar.append(String.format(Locale.ROOT, "  %,.0f samples/s", perSecond));
        double thisEpochLeft = done > 0 ? seconds * (total - done) / done : Double.NaN;
        double epochSeconds = done > 0 ? seconds * total / done : lastEpochSeconds;
        double left = thisEpochLeft + (epochs - epoch) * (lastEpochSeconds > 0 ? Math.min(lastEpochSeconds, epochSeconds) : epochSeconds);
        bar.append("  ETA ").append(Double.isFinite(left) ? clock(left) : "?");
        return bar.toString();
    }

    /** @return e.g. {@code 0:07}, {@code 12:30}, {@code 1:02:03} */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Prints an epoch's line, first wiping the bar if one is showing. */
    synchronized void epochLine(String text, double seconds) {
        lastEpochSeconds = seconds;
        line(text);
    }

    /** Prints a line unless quiet, first wiping the bar if one is showing. */
    synchronized void line(String text) {
        wipe();
        if (!quiet) {
            out.println(text);
            out.flush();
        }
    }

    /** Ends the bar's line so that what follows (an interruption message, say) starts on a line of its own. */
    synchronized void finishLine() {
        if (drawnLength > 0) {
            out.println();
            out.flush();
            drawnLength = 0;
        }
    }

    private void wipe() {
        if (drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            drawnLength = 0;
        }
    }
}
