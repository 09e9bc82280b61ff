package dev.lanes.plot;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.io.AtomicFile;
import dev.lanes.training.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG pictures of a training run: loss and accuracy curves, the confusion matrix, and grids of digit
 * images with their predictions.
 *
 * <p>Everything is drawn off-screen: loading this class sets {@code java.awt.headless=true} unless the
 * property was set explicitly, so no display is needed. Text needs at least one font that Java can find;
 * where none is found the methods fail with an {@link InputException} saying so rather than a stack
 * trace. Every file is written atomically (a temporary file in the same folder, then a rename), so an
 * existing picture is either replaced whole or left untouched.
 *
 * <p>Loading this class loads AWT and XChart, which takes the better part of a second; callers that
 * draw nothing should not touch it.
 */
public final class Charts {

    static {
        // Must run before any AWT toolkit or graphics environment is created, or it has no effect.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** File name of the loss curve written by {@link #writeTrainingCurves}. */
    public static final String LOSS_FILE = "loss.png";
    /** File name of the accuracy curve written by {@link #writeTrainingCurves}. */
    public static final String ACCURACY_FILE = "accuracy.png";
    /** The most images {@link #writeDigitGrid} draws in one picture. */
    public static final int MAX_GRID_IMAGES = 1024;

    private static final int CURVE_WIDTH = 800;
    private static final int CURVE_HEIGHT = 500;
    /** Beyond this many epochs per-point markers would merge into a thick line. */
    private static final int MARKER_LIMIT = 40;
    /** Digit tiles are scaled so that their larger side is about this many pixels (3× for MNIST). */
    private static final int TILE_TARGET = 84;
    /** A picture larger than this many pixels would need hundreds of megabytes of memory. */
    private static final long MAX_PIXELS = 40_000_000L;

    private static final Color BACKGROUND = Color.WHITE;
    /** Light grey, so that white (255) digit tiles keep visible edges. */
    private static final Color GRID_BACKGROUND = new Color(0xe8, 0xe8, 0xe8);
    private static final Color INK = new Color(0x20, 0x20, 0x20);
    private static final Color WRONG = new Color(0xd0, 0x10, 0x10);
    private static final Color CORRECT_DARK = new Color(0x08, 0x30, 0x6b);
    private static final Color ERROR_DARK = new Color(0xb0, 0x1a, 0x1a);
    private static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
    private static final Color VALIDATION = new Color(0x2c, 0xa0, 0x2c);
    private static final Color TEST = new Color(0xff, 0x7f, 0x0e);

    /** Why text cannot be drawn in this JVM, or {@code null} once a font has been found to work. */
    private static volatile String fontProblem = "unchecked";

    private Charts() {
    }

    /**
     * Draws the training curves of a run: {@value #LOSS_FILE} with the training loss per epoch and the
     * test loss where it was measured, and {@value #ACCURACY_FILE} with training, validation and test
     * accuracy (in percent) wherever each exists. Non-finite values (NaN for "not measured", or a
     * diverged loss) are left out of their series; a series with no value at all is not drawn.
     *
     * @param dir    the folder to write into; it must exist
     * @param epochs the statistics of each epoch, in order; at least one
     * @throws InputException           one line naming the file that could not be written and why
     * @throws IllegalArgumentException if {@code epochs} is empty
     */
    public static void writeTrainingCurves(Path dir, List<EpochStats> epochs) throws InputException {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        Path lossFile = dir.resolve(LOSS_FILE);
        Path accuracyFile = dir.resolve(ACCURACY_FILE);
        requireFonts(lossFile);

        XYChart loss = curveChart("Loss per epoch", "mean cross-entropy");
        addCurve(loss, "training loss", epochs, EpochStats::loss, TRAIN);
        addCurve(loss, "test loss", epochs, EpochStats::testLoss, TEST);
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        writePng(lossFile, BitmapEncoder.getBufferedImage(finish(loss, "loss")));

        XYChart accuracy = curveChart("Accuracy per epoch", "accuracy (%)");
        addCurve(accuracy, "training", epochs, e -> 100 * e.trainAccuracy(), TRAIN);
        addCurve(accuracy, "validation", epochs, e -> 100 * e.validationAccuracy(), VALIDATION);
        addCurve(accuracy, "test", epochs, e -> 100 * e.testAccuracy(), TEST);
        accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        writePng(accuracyFile, BitmapEncoder.getBufferedImage(finish(accuracy, "accuracy")));
    }

    private static XYChart curveChart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(CURVE_WIDTH).height(CURVE_HEIGHT)
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setLocale(Locale.ROOT); // the same decimal point on every machine
        s.setChartBackgroundColor(BACKGROUND);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setMarkerSize(6);
        chart.getStyler().setXAxisTickLabelsFormattingFunction(
                x -> x == Math.rint(x) ? String.valueOf((long) Math.rint(x)) : "");
        chart.getStyler().setYAxisTickLabelsFormattingFunction(Charts::tickLabel);
        return chart;
    }

    /**
     * A value axis label: four significant digits, plain for everyday magnitudes and with an exponent
     * beyond them ({@code 2.345}, {@code 0.05}, {@code 1.2e23}); a one-epoch chart otherwise labels its
     * single tick with all seventeen digits of a double.
     *
     * @param v the tick's value
     * @return its label
     */
    static String tickLabel(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        if (v == 0) {
            return "0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -3 && exponent < 6) {
            return d.toPlainString();
        }
        return d.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }

    private static void addCurve(XYChart chart, String name, List<EpochStats> epochs,
                                 ToDoubleFunction<EpochStats> value, Color color) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (EpochStats e : epochs) {
            double y = value.applyAsDouble(e);
            if (Double.isFinite(y)) {
                xs.add((double) e.epoch());
                ys.add(y);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(xs.size() <= MARKER_LIMIT ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    /** A chart with no finite value at all still gets drawn, with a note instead of curves. */
    private static XYChart finish(XYChart chart, String what) {
        if (chart.getSeriesCollection().isEmpty()) {
            chart.setTitle(chart.getTitle() + " (no finite " + what + " values)");
            XYSeries empty = chart.addSeries(" ", new double[] {1}, new double[] {0});
            empty.setMarker(SeriesMarkers.NONE);
            empty.setLineColor(BACKGROUND);
            empty.setShowInLegend(false);
            chart.getStyler().setLegendVisible(false);
        }
        return chart;
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
    public static void writeConfusionMatrix(Path file, int[][] confusion) throws InputException {
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
        requireFonts(file);

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
        int titleWidth = metrics(titleFont).stringWidth(title);
        int width = Math.max(left + gridSize + recallWidth + 20, titleWidth + 40);
        int height = top + gridSize + 70;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, BACKGROUND);

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
        writePng(file, img);
    }

    /**
     * Draws a grid of images, each captioned with its label and prediction: {@code true 7 / pred 3}
     * ({@code pred 3} alone when the data has no labels). Wrong predictions get a red caption and a red
     * frame. Pixels are drawn as grey levels, 0 black and 255 white, scaled up by a whole factor (3× for
     * 28×28 images); any image shape is accepted.
     *
     * @param file      the PNG file to write
     * @param images    the images (and their labels, if any)
     * @param indices   which images to draw, in order; at most {@value #MAX_GRID_IMAGES}
     * @param predicted the predicted class of each drawn image ({@code predicted[k]} for
     *                  {@code indices[k]}; negative for none), or {@code null} to caption labels only
     * @param title     the title printed above the grid
     * @throws InputException           one line naming {@code file} and why it could not be written
     * @throws IllegalArgumentException if an index is out of range, {@code predicted} has the wrong
     *                                  length, or the picture would be unreasonably large
     */
    public static void writeDigitGrid(Path file, Dataset images, int[] indices, int[] predicted, String title)
            throws InputException {
        int count = indices.length;
        if (count > MAX_GRID_IMAGES) {
            throw new IllegalArgumentException(count + " images requested, at most " + MAX_GRID_IMAGES + " fit a grid");
        }
        if (predicted != null && predicted.length != count) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + count + " images");
        }
        for (int index : indices) {
            if (index < 0 || index >= images.size()) {
                throw new IllegalArgumentException("image index " + index + " outside [0, " + images.size() + ")");
            }
        }
        requireFonts(file);

        int rows = images.imageRows();
        int cols = images.imageCols();
        int scale = Math.max(1, TILE_TARGET / Math.max(rows, cols));
        int tileW = cols * scale;
        int tileH = rows * scale;
        Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        FontMetrics cm = metrics(captionFont);
        int captionW = 0;
        String[] captions = new String[count];
        for (int k = 0; k < count; k++) {
            captions[k] = caption(images, indices[k], predicted == null ? -1 : predicted[k]);
            captionW = Math.max(captionW, cm.stringWidth(captions[k]));
        }
        int titleW = metrics(titleFont).stringWidth(title);

        int gap = 10;
        int cellW = Math.max(tileW, captionW) + gap;
        int cellH = tileH + cm.getHeight() + 4 + gap;
        int gridCols = Math.max(1, (int) Math.ceil(Math.sqrt(count)));
        int gridRows = Math.max(1, (count + gridCols - 1) / gridCols);
        long width = Math.max((long) gridCols * cellW + gap, titleW + 2L * gap);
        long height = 40L + (long) gridRows * cellH + gap;
        if (width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("a grid of " + count + " images of " + rows + "×" + cols
                    + " pixels would be " + width + "×" + height + " pixels, too large");
        }
        BufferedImage img = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, GRID_BACKGROUND);
        g.setColor(INK);
        g.setFont(titleFont);
        centre(g, title, (int) width / 2, 26);

        int[] row = new int[tileW];
        byte[] pixels = images.pixels();
        int features = images.features();
        for (int k = 0; k < count; k++) {
            int cx = gap + (k % gridCols) * cellW;
            int cy = 40 + (k / gridCols) * cellH;
            int x0 = cx + (cellW - gap - tileW) / 2;
            int base = indices[k] * features;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int v = pixels[base + r * cols + c] & 0xff;
                    int rgb = (v << 16) | (v << 8) | v;
                    for (int s = 0; s < scale; s++) {
                        row[c * scale + s] = rgb;
                    }
                }
                for (int s = 0; s < scale; s++) {
                    img.setRGB(x0, cy + r * scale + s, tileW, 1, row, 0, tileW);
                }
            }
            boolean wrong = predicted != null && predicted[k] >= 0 && images.hasLabels()
                    && predicted[k] != images.label(indices[k]);
            if (wrong) {
                g.setColor(WRONG);
                g.setStroke(new BasicStroke(2f));
                g.drawRect(x0 - 2, cy - 2, tileW + 3, tileH + 3);
            }
            g.setColor(wrong ? WRONG : INK);
            g.setFont(captionFont);
            centre(g, captions[k], cx + (cellW - gap) / 2, cy + tileH + 4 + cm.getAscent());
        }
        g.dispose();
        writePng(file, img);
    }

    private static String caption(Dataset images, int index, int predicted) {
        String truth = images.hasLabels() ? "true " + images.label(index) : null;
        String pred = predicted >= 0 ? "pred " + predicted : null;
        if (truth != null && pred != null) {
            return truth + " / " + pred;
        }
        if (truth != null) {
            return truth;
        }
        return pred != null ? pred : "#" + index;
    }

    private static Graphics2D canvas(BufferedImage img, Color background) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(background);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private static void centre(Graphics2D g, String text, int x, int baseline) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
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

    /**
     * Fails clearly when Java cannot render text: with no font installed, some JDKs throw from deep
     * inside AWT on the first string drawn.
     */
    private static void requireFonts(Path file) throws InputException {
        String problem = fontProblem;
        if ("unchecked".equals(problem)) {
            problem = probeFonts();
            fontProblem = problem;
        }
        if (problem != null) {
            throw new InputException(file + ": cannot draw text, Java finds no usable font (" + problem
                    + "); install fontconfig and a font package such as fonts-dejavu-core");
        }
    }

    private static String probeFonts() {
        try {
            BufferedImage probe = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = probe.createGraphics();
            try {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                if (g.getFontMetrics().stringWidth("0123456789") <= 0) {
                    return "text has no width";
                }
                g.drawString("0", 0, 8);
            } finally {
                g.dispose();
            }
            return null;
        } catch (RuntimeException | LinkageError | InternalError e) {
            // The font manager is created reflectively: the useful message sits at the root cause.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String m = root.getMessage();
            return (m == null ? root.getClass().getName() : m).replaceAll("\\s+", " ").trim();
        }
    }

    /**
     * Encodes to PNG in memory: {@link ImageIO#write} with a plain stream would otherwise buffer through
     * a temporary file in the system temporary folder.
     */
    private static void writePng(Path file, BufferedImage img) throws InputException {
        AtomicFile.write(file, out -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
            if (!writers.hasNext()) {
                throw new IOException("this Java has no PNG encoder");
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(new IIOImage(img, null, null));
            } finally {
                writer.dispose();
            }
        });
    }
}
