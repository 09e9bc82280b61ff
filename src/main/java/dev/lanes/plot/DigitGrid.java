package dev.lanes.plot;

import static dev.lanes.plot.Drawing.INK;
import static dev.lanes.plot.Drawing.centre;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * A grid of digit images captioned with their labels and predictions (the misclassified test digits,
 * the first predictions) as a PNG picture, drawn with AWT alone. See the {@linkplain dev.lanes.plot
 * package} for what every picture shares: headless drawing, the font check, atomic writes.
 */
public final class DigitGrid {

    static {
        Drawing.headless();
    }

    /** The most images {@link #write} draws in one picture. */
    public static final int MAX_IMAGES = 1024;

    /** Digit tiles are scaled so that their larger side is about this many pixels (3× for MNIST). */
    private static final int TILE_TARGET = 84;
    /** A picture larger than this many pixels would need hundreds of megabytes of memory. */
    private static final long MAX_PIXELS = 40_000_000L;

    /** Light grey, so that white (255) digit tiles keep visible edges. */
    private static final Color BACKGROUND = new Color(0xe8, 0xe8, 0xe8);
    private static final Color WRONG = new Color(0xd0, 0x10, 0x10);

    private DigitGrid() {
    }

    /**
     * Draws a grid of images, each captioned with its label and prediction: {@code true 7 / pred 3}
     * ({@code pred 3} alone when the data has no labels). Wrong predictions get a red caption and a red
     * frame. Pixels are drawn as grey levels, 0 black and 255 white, scaled up by a whole factor (3× for
     * 28×28 images); any image shape is accepted.
     *
     * @param file      the PNG file to write
     * @param images    the images (and their labels, if any)
     * @param indices   which images to draw, in order; at most {@value #MAX_IMAGES}
     * @param predicted the predicted class of each drawn image ({@code predicted[k]} for
     *                  {@code indices[k]}; negative for none), or {@code null} to caption labels only
     * @param title     the title printed above the grid
     * @throws InputException           one line naming {@code file} and why it could not be written
     * @throws IllegalArgumentException if an index is out of range, {@code predicted} has the wrong
     *                                  length, or the picture would be unreasonably large
     */
    public static void write(Path file, Dataset images, int[] indices, int[] predicted, String title)
            throws InputException {
        int count = indices.length;
        if (count > MAX_IMAGES) {
            throw new IllegalArgumentException(count + " images requested, at most " + MAX_IMAGES + " fit a grid");
        }
        if (predicted != null && predicted.length != count) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + count + " images");
        }
        for (int index : indices) {
            if (index < 0 || index >= images.size()) {
                throw new IllegalArgumentException("image index " + index + " outside [0, " + images.size() + ")");
            }
        }
        Drawing.requireFonts(file);

        int rows = images.imageRows();
        int cols = images.imageCols();
        int scale = Math.max(1, TILE_TARGET / Math.max(rows, cols));
        int tileW = cols * scale;
        int tileH = rows * scale;
        Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        FontMetrics cm = Drawing.metrics(captionFont);
        int captionW = 0;
        String[] captions = new String[count];
        for (int k = 0; k < count; k++) {
            captions[k] = caption(images, indices[k], predicted == null ? -1 : predicted[k]);
            captionW = Math.max(captionW, cm.stringWidth(captions[k]));
        }
        int titleW = Drawing.metrics(titleFont).stringWidth(title);

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
        Graphics2D g = Drawing.canvas(img, BACKGROUND);
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
        PngWriter.write(file, img);
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
}
