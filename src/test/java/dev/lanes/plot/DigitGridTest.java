package dev.lanes.plot;

import static dev.lanes.plot.Pictures.box;
import static dev.lanes.plot.Pictures.count;
import static dev.lanes.plot.Pictures.dark;
import static dev.lanes.plot.Pictures.patterns;
import static dev.lanes.plot.Pictures.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.data.Dataset;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid is checked by its tiles' pure black and white pixels and its red frames (see {@link Pictures}). */
class DigitGridTest {

    // The frame colour DigitGrid promises for wrong predictions, restated as the specification; pure
    // black and white appear only in the tiles.
    private static final int WRONG = 0xd01010;
    private static final int BLACK = 0x000000;
    private static final int WHITE = 0xffffff;

    @TempDir
    Path dir;

    @Test
    void digitTilesShowTheirPixelsScaledUp() throws Exception {
        Path f = dir.resolve("grid.png");
        DigitGrid.write(f, patterns(28, 28, true), new int[] {0, 1}, new int[] {0, 1}, "two tiles");
        BufferedImage img = png(f);
        // A 28×28 image is drawn 3× larger; pure black and pure white appear nowhere else (the
        // background is grey and the text is dark grey), so each tile is exactly one box.
        int[] black = box(img, BLACK);
        int[] white = box(img, WHITE);
        assertArrayEquals84(black);
        assertArrayEquals84(white);
        assertEquals(84 * 84, count(img, BLACK));
        assertEquals(84 * 84, count(img, WHITE));
        assertTrue(black[2] < white[0], "image 0 comes before image 1");
        assertEquals(0, count(img, WRONG), "both predictions are right");
        assertTrue(dark(img) > 84 * 84 + 100, "captions and title missing");
    }

    private static void assertArrayEquals84(int[] box) {
        assertNotNull(box);
        assertEquals(84, box[2] - box[0] + 1, "tile width");
        assertEquals(84, box[3] - box[1] + 1, "tile height");
    }

    @Test
    void otherImageShapesKeepTheirOrientation() throws Exception {
        // 10 rows × 6 columns, scaled by 84 / 10 = 8: tiles of 48 × 80 pixels.
        Path f = dir.resolve("shape.png");
        DigitGrid.write(f, patterns(10, 6, true), new int[] {2}, new int[] {2}, "half and half");
        BufferedImage img = png(f);
        int[] white = box(img, WHITE);
        int[] black = box(img, BLACK);
        assertEquals(48, white[2] - white[0] + 1);
        assertEquals(40, white[3] - white[1] + 1);
        assertEquals(48, black[2] - black[0] + 1);
        assertEquals(40, black[3] - black[1] + 1);
        assertEquals(white[3] + 1, black[1], "the top rows (white) sit directly above the bottom rows (black)");
    }

    @Test
    void wrongPredictionsAreMarkedInRed() throws Exception {
        Path f = dir.resolve("wrong.png");
        DigitGrid.write(f, patterns(28, 28, true), new int[] {0, 1}, new int[] {0, 7}, "one wrong");
        BufferedImage img = png(f);
        int[] red = box(img, WRONG);
        assertNotNull(red, "the wrong prediction is not highlighted");
        int[] white = box(img, WHITE); // image 1, the wrongly predicted one, is the only all-white tile
        assertTrue(red[0] < white[0] && red[2] > white[2], "the red frame surrounds image 1");

        Path g = dir.resolve("unlabelled.png");
        DigitGrid.write(g, patterns(28, 28, false), new int[] {0, 1, 2}, new int[] {0, 7, 2}, "no labels");
        assertEquals(0, count(png(g), WRONG), "without labels nothing can be wrong");
        Path h = dir.resolve("labels-only.png");
        DigitGrid.write(h, patterns(28, 28, true), new int[] {2, 1}, null, "labels only");
        assertEquals(0, count(png(h), WRONG));
    }

    @Test
    void thirtySixMnistSizedTilesMakeASixBySixGrid() throws Exception {
        int n = 36;
        byte[] px = new byte[n * 784];
        int[] labels = new int[n];
        int[] indices = new int[n];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            indices[i] = n - 1 - i;
            predicted[i] = (labels[indices[i]] + 1) % 10;
            px[i * 784 + 14 * 28 + 14] = (byte) 255;
        }
        Path f = dir.resolve("grid36.png");
        DigitGrid.write(f, new Dataset("d", px, labels, n, 28, 28), indices, predicted, "Misclassified");
        BufferedImage img = png(f);
        assertTrue(img.getWidth() >= 6 * 84 && img.getWidth() < 6 * 84 * 2, "width " + img.getWidth());
        assertTrue(img.getHeight() >= 6 * 84 && img.getHeight() < 6 * 84 * 2, "height " + img.getHeight());
        assertEquals(n * 9, count(img, WHITE), "one 3×3 white dot per tile");
        assertEquals(n * (84 * 84 - 9), count(img, BLACK));
    }

    @Test
    void badGridArgumentsAreRejected() {
        Path f = dir.resolve("x.png");
        Dataset d = patterns(28, 28, true);
        assertThrows(IllegalArgumentException.class, () -> DigitGrid.write(f, d, new int[] {3}, null, "t"));
        assertThrows(IllegalArgumentException.class, () -> DigitGrid.write(f, d, new int[] {-1}, null, "t"));
        assertThrows(IllegalArgumentException.class, () -> DigitGrid.write(f, d, new int[] {0, 1}, new int[] {1}, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> DigitGrid.write(f, d, new int[DigitGrid.MAX_IMAGES + 1], null, "t"));
        assertFalse(Files.exists(f));
    }
}
