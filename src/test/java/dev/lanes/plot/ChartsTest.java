package dev.lanes.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.training.EpochStats;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pictures are checked by their pixels: colours that only a given element can produce (series colours,
 * the pure black and white of digit tiles, the tile shades of a confusion matrix) must be present or
 * absent as the input demands.
 */
class ChartsTest {

    // The colours Charts promises for its elements, restated here as the specification.
    private static final int TRAIN = 0x1f77b4;
    private static final int VALIDATION = 0x2ca02c;
    private static final int TEST = 0xff7f0e;
    private static final int CORRECT_DARK = 0x08306b;
    private static final int ERROR_DARK = 0xb01a1a;
    private static final int WRONG = 0xd01010;
    private static final int BLACK = 0x000000;
    private static final int WHITE = 0xffffff;

    @TempDir
    Path dir;

    private static EpochStats epoch(int e, double loss, double train, double validation, double test,
                                    double testLoss) {
        return new EpochStats(e, loss, train, validation, test, testLoss, 1.0, 1000.0, 0.1);
    }

    private static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        byte[] bytes = Files.readAllBytes(file);
        // The PNG signature: the file is a PNG, not merely something ImageIO could guess at.
        assertEquals(0x89, bytes[0] & 0xff);
        assertEquals("PNG", new String(bytes, 1, 3, StandardCharsets.US_ASCII));
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " does not decode");
        return img;
    }

    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels darker than mid-grey: text, axes and lines. */
    private static int dark(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff) < 3 * 128) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int colours(BufferedImage img) {
        Set<Integer> set = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                set.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return set.size();
    }

    /** {minX, minY, maxX, maxY} of the pixels of exactly that colour, or null if there are none. */
    private static int[] box(BufferedImage img, int rgb) {
        int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    b[0] = Math.min(b[0], x);
                    b[1] = Math.min(b[1], y);
                    b[2] = Math.max(b[2], x);
                    b[3] = Math.max(b[3], y);
                }
            }
        }
        return b[2] < 0 ? null : b;
    }

    private List<String> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---- training curves

    /** A one-epoch loss chart labelled its only tick 2.345087444900336. */
    @Test
    void valueAxisLabelsHaveFourSignificantDigits() {
        assertEquals("2.345", Charts.tickLabel(2.345087444900336));
        assertEquals("0.05", Charts.tickLabel(0.05));
        assertEquals("100", Charts.tickLabel(100));
        assertEquals("97.5", Charts.tickLabel(97.5));
        assertEquals("0", Charts.tickLabel(0));
        assertEquals("1.2e23", Charts.tickLabel(1.2e23));
        assertEquals("2.5e-7", Charts.tickLabel(2.5e-7));
        assertEquals("-0.125", Charts.tickLabel(-0.125));
    }

    @Test
    void trainingCurvesDrawEverySeriesThatHasData() throws Exception {
        List<EpochStats> epochs = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            epochs.add(epoch(e, 1.0 / e, 1 - 0.3 / e, 1 - 0.35 / e, 1 - 0.32 / e, 1.1 / e));
        }
        Charts.writeTrainingCurves(dir, epochs);
        assertEquals(List.of("accuracy.png", "loss.png"), listing());

        BufferedImage loss = png(dir.resolve("loss.png"));
        assertEquals(800, loss.getWidth());
        assertEquals(500, loss.getHeight());
        // Markers and legend lines are filled in the exact series colour: dozens of pixels at least.
        assertTrue(count(loss, TRAIN) > 50, "training loss missing");
        assertTrue(count(loss, TEST) > 50, "test loss missing");
        assertEquals(0, count(loss, VALIDATION), "there is no validation loss");
        // Title, axis titles, tick labels and legend text make thousands of dark pixels.
        assertTrue(dark(loss) > 1000, "no text drawn");

        BufferedImage acc = png(dir.resolve("accuracy.png"));
        assertTrue(count(acc, TRAIN) > 50);
        assertTrue(count(acc, VALIDATION) > 50);
        assertTrue(count(acc, TEST) > 50);
        assertTrue(colours(acc) > 10);
    }

    @Test
    void seriesWithoutDataAreLeftOut() throws Exception {
        List<EpochStats> epochs = new ArrayList<>();
        for (int e = 1; e <= 4; e++) {
            // No validation and no test set; epoch 3 has a diverged training loss.
            epochs.add(epoch(e, e == 3 ? Double.POSITIVE_INFINITY : 1.0 / e, 0.5 + 0.1 * e,
                    Double.NaN, Double.NaN, Double.NaN));
        }
        Charts.writeTrainingCurves(dir, epochs);
        BufferedImage loss = png(dir.resolve("loss.png"));
        assertTrue(count(loss, TRAIN) > 50);
        assertEquals(0, count(loss, TEST), "test loss drawn although never measured");
        BufferedImage acc = png(dir.resolve("accuracy.png"));
        assertTrue(count(acc, TRAIN) > 50);
        assertEquals(0, count(acc, VALIDATION));
        assertEquals(0, count(acc, TEST));
    }

    @Test
    void aSingleEpochAndAnAllNaNRunStillDraw() throws Exception {
        Charts.writeTrainingCurves(dir, List.of(epoch(1, 0.7, 0.8, 0.79, Double.NaN, Double.NaN)));
        BufferedImage acc = png(dir.resolve("accuracy.png"));
        assertTrue(count(acc, TRAIN) > 10, "the single point's marker is missing");
        assertTrue(count(acc, VALIDATION) > 10);

        Charts.writeTrainingCurves(dir, List.of(epoch(1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
                epoch(2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
        BufferedImage loss = png(dir.resolve("loss.png"));
        assertEquals(0, count(loss, TRAIN));
        assertTrue(dark(loss) > 500, "the empty chart still has its title and axes");
        assertEquals(List.of("accuracy.png", "loss.png"), listing());
    }

    @Test
    void noEpochsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Charts.writeTrainingCurves(dir, List.of()));
    }

    // ---- confusion matrix

    @Test
    void confusionMatrixShadesCorrectAndWrongTiles() throws Exception {
        Path f = dir.resolve("confusion.png");
        Charts.writeConfusionMatrix(f, new int[][] {{5, 0}, {1, 3}});
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
        Charts.writeConfusionMatrix(f, new int[3][3]);
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
        Charts.writeConfusionMatrix(f, m);
        BufferedImage img = png(f);
        assertTrue(img.getWidth() < 2000 && img.getHeight() < 2000, img.getWidth() + "×" + img.getHeight());
        assertTrue(count(img, CORRECT_DARK) >= n * 4 * 4, "every diagonal tile is drawn");
    }

    @Test
    void malformedConfusionMatricesAreRejected() {
        Path f = dir.resolve("x.png");
        assertThrows(IllegalArgumentException.class, () -> Charts.writeConfusionMatrix(f, new int[0][0]));
        assertThrows(IllegalArgumentException.class, () -> Charts.writeConfusionMatrix(f, new int[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Charts.writeConfusionMatrix(f, new int[][] {{-1}}));
        assertFalse(Files.exists(f));
    }

    // ---- digit grids

    /** Image 0 all black, image 1 all white, image 2 white on top and black below. */
    private static Dataset patterns(int rows, int cols, boolean labelled) {
        int f = rows * cols;
        byte[] px = new byte[3 * f];
        Arrays.fill(px, f, 2 * f, (byte) 255);
        Arrays.fill(px, 2 * f, 2 * f + (rows / 2) * cols, (byte) 255);
        return new Dataset("patterns", px, labelled ? new int[] {0, 1, 2} : null, 3, rows, cols);
    }

    @Test
    void digitTilesShowTheirPixelsScaledUp() throws Exception {
        Path f = dir.resolve("grid.png");
        Charts.writeDigitGrid(f, patterns(28, 28, true), new int[] {0, 1}, new int[] {0, 1}, "two tiles");
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
        Charts.writeDigitGrid(f, patterns(10, 6, true), new int[] {2}, new int[] {2}, "half and half");
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
        Charts.writeDigitGrid(f, patterns(28, 28, true), new int[] {0, 1}, new int[] {0, 7}, "one wrong");
        BufferedImage img = png(f);
        int[] red = box(img, WRONG);
        assertNotNull(red, "the wrong prediction is not highlighted");
        int[] white = box(img, WHITE); // image 1, the wrongly predicted one, is the only all-white tile
        assertTrue(red[0] < white[0] && red[2] > white[2], "the red frame surrounds image 1");

        Path g = dir.resolve("unlabelled.png");
        Charts.writeDigitGrid(g, patterns(28, 28, false), new int[] {0, 1, 2}, new int[] {0, 7, 2}, "no labels");
        assertEquals(0, count(png(g), WRONG), "without labels nothing can be wrong");
        Path h = dir.resolve("labels-only.png");
        Charts.writeDigitGrid(h, patterns(28, 28, true), new int[] {2, 1}, null, "labels only");
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
        Charts.writeDigitGrid(f, new Dataset("d", px, labels, n, 28, 28), indices, predicted, "Misclassified");
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
        assertThrows(IllegalArgumentException.class, () -> Charts.writeDigitGrid(f, d, new int[] {3}, null, "t"));
        assertThrows(IllegalArgumentException.class, () -> Charts.writeDigitGrid(f, d, new int[] {-1}, null, "t"));
        assertThrows(IllegalArgumentException.class, () -> Charts.writeDigitGrid(f, d, new int[] {0, 1}, new int[] {1}, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> Charts.writeDigitGrid(f, d, new int[Charts.MAX_GRID_IMAGES + 1], null, "t"));
        assertFalse(Files.exists(f));
    }

    // ---- files

    @Test
    void unwritableTargetsFailWithOneLineNamingTheFile() throws Exception {
        Path missing = dir.resolve("absent");
        InputException e = assertThrows(InputException.class,
                () -> Charts.writeTrainingCurves(missing, List.of(epoch(1, 1, 1, 1, 1, 1))));
        assertTrue(e.getMessage().startsWith(missing.resolve("loss.png") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Path plain = Files.write(dir.resolve("plain"), new byte[] {1});
        Path under = plain.resolve("c.png");
        e = assertThrows(InputException.class, () -> Charts.writeConfusionMatrix(under, new int[][] {{1}}));
        assertTrue(e.getMessage().startsWith(under + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        e = assertThrows(InputException.class, () -> Charts.writeDigitGrid(folder, patterns(28, 28, true),
                new int[] {0}, null, "t"));
        assertTrue(e.getMessage().startsWith(folder + ": "), e.getMessage());
        assertEquals(List.of("folder.png", "plain"), listing(), "nothing else, in particular no temp file");
        try (var s = Files.list(folder)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void rewritingReplacesTheFileAndLeavesNoTempFiles() throws Exception {
        Path f = dir.resolve("c.png");
        Charts.writeConfusionMatrix(f, new int[][] {{1, 0}, {0, 1}});
        Charts.writeConfusionMatrix(f, new int[][] {{0, 4}, {4, 0}});
        BufferedImage img = png(f);
        assertTrue(count(img, ERROR_DARK) > 100);
        assertEquals(0, count(img, CORRECT_DARK), "the second matrix has no correct predictions");
        assertEquals(List.of("c.png"), listing());
    }

    /**
     * A JVM that finds no font must say so in one line rather than die with a stack trace. The child
     * JVM gets an empty fontconfig configuration and an empty home folder (the JDK caches what
     * fontconfig found under {@code ~/.java/fonts}). A JDK that bundles its own fonts would still draw:
     * that outcome is accepted too, anything else fails.
     */
    @Test
    void withoutFontsTheFailureIsOneClearLine() throws Exception {
        Path conf = Files.writeString(dir.resolve("fonts.conf"), "<?xml version=\"1.0\"?>\n"
                + "<fontconfig><dir>" + dir.resolve("no-fonts") + "</dir><cachedir>" + dir.resolve("cache")
                + "</cachedir></fontconfig>\n");
        Path out = dir.resolve("fontless.png");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + Files.createDirectory(dir.resolve("home")),
                "-cp", System.getProperty("java.class.path"), FontlessMain.class.getName(), out.toString());
        pb.environment().put("FONTCONFIG_FILE", conf.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        if (output.equals("written")) {
            assertEquals(0, p.exitValue());
            assertTrue(count(png(out), CORRECT_DARK) > 0);
        } else {
            assertEquals(2, p.exitValue(), output);
            assertTrue(output.startsWith(out + ": cannot draw text, Java finds no usable font ("), output);
            assertFalse(output.contains("Exception"), "the root cause's message, not a wrapper: " + output);
            assertFalse(output.contains("\n"), output);
            assertFalse(Files.exists(out));
        }
    }

    /** Draws one chart in a fresh JVM; prints "written" or the one-line error. */
    public static final class FontlessMain {
        private FontlessMain() {
        }

        public static void main(String[] args) {
            try {
                Charts.writeConfusionMatrix(Path.of(args[0]), new int[][] {{1}});
                System.out.println("written");
            } catch (InputException e) {
                System.out.println(e.getMessage());
                System.exit(2);
            }
        }
    }
}
