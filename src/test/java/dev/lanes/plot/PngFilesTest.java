package dev.lanes.plot;

import static dev.lanes.plot.Pictures.count;
import static dev.lanes.plot.Pictures.epoch;
import static dev.lanes.plot.Pictures.listing;
import static dev.lanes.plot.Pictures.patterns;
import static dev.lanes.plot.Pictures.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every picture shares: one-line errors naming the file, atomic replacement without temporary
 * files left behind, and a clear error where Java finds no font.
 */
class PngFilesTest {

    private static final int CORRECT_DARK = 0x08306b;
    private static final int ERROR_DARK = 0xb01a1a;

    @TempDir
    Path dir;

    @Test
    void unwritableTargetsFailWithOneLineNamingTheFile() throws Exception {
        Path missing = dir.resolve("absent");
        InputException e = assertThrows(InputException.class,
                () -> TrainingCurves.write(missing, List.of(epoch(1, 1, 1, 1, 1, 1))));
        assertTrue(e.getMessage().startsWith(missing.resolve("loss.png") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Path plain = Files.write(dir.resolve("plain"), new byte[] {1});
        Path under = plain.resolve("c.png");
        e = assertThrows(InputException.class, () -> ConfusionMatrixChart.write(under, new int[][] {{1}}));
        assertTrue(e.getMessage().startsWith(under + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        e = assertThrows(InputException.class, () -> DigitGrid.write(folder, patterns(28, 28, true),
                new int[] {0}, null, "t"));
        assertTrue(e.getMessage().startsWith(folder + ": "), e.getMessage());
        assertEquals(List.of("folder.png", "plain"), listing(dir), "nothing else, in particular no temp file");
        try (var s = Files.list(folder)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void rewritingReplacesTheFileAndLeavesNoTempFiles() throws Exception {
        Path f = dir.resolve("c.png");
        ConfusionMatrixChart.write(f, new int[][] {{1, 0}, {0, 1}});
        ConfusionMatrixChart.write(f, new int[][] {{0, 4}, {4, 0}});
        BufferedImage img = png(f);
        assertTrue(count(img, ERROR_DARK) > 100);
        assertEquals(0, count(img, CORRECT_DARK), "the second matrix has no correct predictions");
        assertEquals(List.of("c.png"), listing(dir));
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
                ConfusionMatrixChart.write(Path.of(args[0]), new int[][] {{1}});
                System.out.println("written");
            } catch (InputException e) {
                System.out.println(e.getMessage());
                System.exit(2);
            }
        }
    }
}
