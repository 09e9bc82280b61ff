package dev.lanes.cli;

import java.io.PrintWriter;

/**
 * Training progress: a redrawn bar on a terminal, nothing between epoch lines when output is piped
 * (logs then hold one plain line per epoch).
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private boolean drawn;

    Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void update(int epoch, int epochs, int done, int total) {
        if (!terminal) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        StringBuilder bar = new StringBuilder("\repoch ").append(epoch).append('/').append(epochs).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append("] ").append(100L * done / total).append('%');
        out.print(bar);
        out.flush();
        drawn = true;
    }

    /** Prints a line, first wiping the bar if one is showing. */
    void line(String text) {
        if (drawn) {
            out.print("\r" + " ".repeat(WIDTH + 24) + "\r");
            drawn = false;
        }
        out.println(text);
        out.flush();
    }
}
