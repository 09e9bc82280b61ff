package dev.lanes.plot;

import static dev.lanes.plot.Drawing.BACKGROUND;
import static dev.lanes.plot.Drawing.INK;
import static dev.lanes.plot.Drawing.centre;

import dev.lanes.InputException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A confusion matrix as a PNG picture, drawn with AWT alone. See the {@linkplain dev.lanes.plot
 * package} for what every picture shares: headless drawing, the font check, atomic writes.
 */
public final class ConfusionMatrixChart {

    static {
        Drawing.headless();
    }

    private static final Color CORRECT_DARK = new Color(0x08, 0x30, 0x6b);
    private static final Color ERROR_DARK = new Color(0xb0, 0x1a, 0x1a);

    private ConfusionMatrixChart() {
    }

    /**
     * Draws a confusion matrix as a grid of tiles labelled with their counts: true class down the
     * left, predicted class along the bottom. Correct predictions (the diagonal) are shaded blue, in
     * proportion to the largest diagonal count; errors are shaded red, in proportion to the largest
     * off-diagonal count, so that the most frequent confusions stand out. A last column gives each true
     * class's recall (the fraction of its samples predicted correctly).
     *
     * @param file      the PNG file to write
     * @param confusion {@code confusion[t][p]} = samples of true class {@code t} predicted as {@code p};
     *                  square, at least 1×1, no negative counts
     * @throws InputException           one line naming {@code file} and why it could not be written
     * @throws IllegalArgumentException if the matrix is not square or has a negative count
     */
    public static void write(Path file, int[][] confusion) throws InputException {
        int n = confusion.length;
        if (n == 0) {
            throw new IllegalArgumentException("empty confusion matrix");
        }
        long maxDiagonal = 0;
        long maxOff = 0;
        long total = 0;
        for (int t = 0; t < n; t++) {
            if (confusion[t].length != n) {
                throw new IllegalArgumentException("confusion matrix row " + t + " has " + confusion[t].length
                        + " entries, expected " + n);
            }
            for (int p = 0; p < n; p++) {
                int c = confusion[t][p];
                if (c < 0) {
                    throw new IllegalArgumentException("negative count " + c + " at [" + t + "][" + p + "]");
                }
                total += c;
                if (t == p) {
                    maxDiagonal = Math.max(maxDiagonal, c);
                } else {
                    maxOff = Math.max(maxOff, c);
                }
            }
        }
        Drawing.requireFonts(file);

        int cell = Math.max(4, Math.min(80, 720 / n));
        Font countFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(7, Math.min(15, cell / 3)));
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(14, cell / 3)));
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        Font axisFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        int left = 80;
        int top = 60;
        int recallWidth = 70;
        int gridSize = n * cell;
        String title = "Confusion matrix (" + total + " samples)";
        int titleWidth = Drawing.metrics(titleFont).stringWidth(title);
        int width = Math.max(left + gridSize + recallWidth + 20, titleWidth + 40);
        int height = top + gridSize + 70;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Drawing.canvas(img, BACKGROUND);

        g.setColor(INK);
        g.setFont(titleFont);
        centre(g, title, width / 2, 28);

        int labelStep = step(g.getFontMetrics(labelFont).stringWidth(String.valueOf(n - 1)) + 4, cell);
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                int c = confusion[t][p];
                double shade = t == p ? fraction(c, maxDiagonal) : fraction(c, maxOff);
                Color tile = blend(BACKGROUND, t == p ? CORRECT_DARK : ERROR_DARK, shade);
                int x = left + p * cell;
                int y = top + t * cell;
                g.setColor(tile);
                g.fillRect(x, y, cell, cell);
                String text = String.valueOf(c);
                g.setFont(countFont);
                FontMetrics fm = g.getFontMetrics();
                if (fm.stringWidth(text) + 2 <= cell && fm.getAscent() <= cell) {
                    g.setColor(luminance(tile) < 0.5 ? Color.WHITE : INK);
                    centre(g, text, x + cell / 2, y + (cell + fm.getAscent() - fm.getDescent()) / 2);
                }
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left - 1, top - 1, gridSize + 1, gridSize + 1); // around the tiles, not over them

        g.setColor(INK);
        g.setFont(labelFont);
        FontMetrics lm = g.getFontMetrics();
        for (int k = 0; k < n; k += labelStep) {
            String label = String.valueOf(k);
            centre(g, label, left + k * cell + cell / 2, top + gridSize + lm.getAscent() + 4);
            g.drawString(label, left - 6 - lm.stringWidth(label), top + k * cell + (cell + lm.getAscent()) / 2 - 1);
        }
        // Recall per true class, where there is room to print it.
        if (lm.getAscent() <= cell) {
            centre(g, "recall", left + gridSize + recallWidth / 2, top - 6);
            for (int t = 0; t < n; t += labelStep) {
                long row = 0;
                for (int p = 0; p < n; p++) {
                    row += confusion[t][p];
                }
                String r = row == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * confusion[t][t] / row);
                g.drawString(r, left + gridSize + 8, top + t * cell + (cell + lm.getAscent()) / 2 - 1);
            }
        }
        g.setFont(axisFont);
        centre(g, "predicted class", left + gridSize / 2, top + gridSize + lm.getHeight() + 26);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        // After a quarter turn, (x, y) draws at (y, -x): centre the title on the grid's vertical middle.
        centre(rotated, "true class", -(top + gridSize / 2), 24);
        rotated.dispose();
        g.dispose();
        PngWriter.write(file, img);
    }

    /** Label every k-th class, so that labels never overlap. */
    private static int step(int labelSize, int cell) {
        int s = 1;
        while (s * cell < labelSize) {
            s++;
        }
        return s;
    }

    private static double fraction(long value, long max) {
        return max == 0 ? 0 : (double) value / max;
    }

    private static Color blend(Color from, Color to, double t) {
        return new Color(
                (int) Math.round(from.getRed() + (to.getRed() - from.getRed()) * t),
                (int) Math.round(from.getGreen() + (to.getGreen() - from.getGreen()) * t),
                (int) Math.round(from.getBlue() + (to.getBlue() - from.getBlue()) * t));
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255;
    }
}
