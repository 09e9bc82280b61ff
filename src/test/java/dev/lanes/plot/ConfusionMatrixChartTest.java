package dev.lanes.plot;

import static dev.lanes.plot.Pictures.box;
import static dev.lanes.plot.Pictures.count;
import static dev.lanes.plot.Pictures.dark;
import static dev.lanes.plot.Pictures.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The matrix is checked by the pixels of its fully shaded tiles (see {@link Pictures}). */
class ConfusionMatrixChartTest {

    // The colours ConfusionMatrixChart promises for its darkest tiles, restated as the specification.
    private static final int CORRECT_DARK = 0x08306b;
    private static final int ERROR_DARK = 0xb01a1a;

    @TempDir
    Path dir;

    @Test
    void confusionMatrixShadesCorrectAndWrongTiles() throws Exception {
        Path f = dir.resolve("confusion.png");
        ConfusionMatrixChart.write(f, new int[][] {{5, 0}, {1, 3}});
        BufferedImage img = png(f);
        // The largest diagonal count (5) gets the full blue, the largest error (1) the full red; both
        // are whole tiles, far more than 100 pixels even after the count printed on them.
        assertTrue(count(img, CORRECT_DARK) > 100, "no fully shaded correct tile");
        assertTrue(count(img, ERROR_DARK) > 100, "no fully shaded error tile");
        int[] blue = box(img, CORRECT_DARK);
        int[] red = box(img, ERROR_DARK);
        // True class runs down, predicted across: [0][0] is top-left, the error [1][0] is below it.
        assertTrue(red[1] > blue[3], "the error tile [1][0] should lie below the tile [0][0]");
        assertTrue(Math.abs(red[0] - blue[0]) <= 1, "both tiles are in the first predicted column");
        assertTrue(dark(img) > 300, "no labels drawn");
        assertTrue(img.getWidth() >= 200 && img.getHeight() >= 200, img.getWidth() + "×" + img.getHeight());
    }

    @Test
    void allZeroConfusionMatrixDrawsWithoutShading() throws Exception {
        Path f = dir.resolve("zero.png");
        ConfusionMatrixChart.write(f, new int[3][3]);
        BufferedImage img = png(f);
        assertEquals(0, count(img, CORRECT_DARK));
        assertEquals(0, count(img, ERROR_DARK));
        assertTrue(dark(img) > 300, "the zero counts and labels are still printed");
    }

    @Test
    void manyClassesStillFit() throws Exception {
        int n = 150;
        int[][] m = new int[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 10;
            m[i][(i + 1) % n] = 2;
        }
        Path f = dir.resolve("big.png");
        ConfusionMatrixChart.write(f, m);
        BufferedImage img = png(f);
        assertTrue(img.getWidth() < 2000 && img.getHeight() < 2000, img.getWidth() + "×" + img.getHeight());
        assertTrue(count(img, CORRECT_DARK) >= n * 4 * 4, "every diagonal tile is drawn");
    }

    @Test
    void malformedConfusionMatricesAreRejected() {
        Path f = dir.resolve("x.png");
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixChart.write(f, new int[0][0]));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixChart.write(f, new int[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixChart.write(f, new int[][] {{-1}}));
        assertFalse(Files.exists(f));
    }
}
