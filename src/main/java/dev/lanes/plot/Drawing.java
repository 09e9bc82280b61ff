package dev.lanes.plot;

import dev.lanes.InputException;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** What the pictures share: headless mode, the font check, the canvas and centred text. */
final class Drawing {

    static {
        headless();
    }

    static final Color BACKGROUND = Color.WHITE;
    static final Color INK = new Color(0x20, 0x20, 0x20);

    /** Why text cannot be drawn in this JVM, or {@code null} once a font has been found to work. */
    private static volatile String fontProblem = "unchecked";

    private Drawing() {
    }

    /**
     * Draws off-screen unless the user chose otherwise. It must run before any AWT toolkit or graphics
     * environment is created, or it has no effect; even loading {@link Color} reads the setting, so
     * every public class of this package calls it before its own colour constants.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static Graphics2D canvas(BufferedImage img, Color background) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(background);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    static void centre(Graphics2D g, String text, int x, int baseline) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    /**
     * Fails clearly when Java cannot render text: with no font installed, some JDKs throw from deep
     * inside AWT on the first string drawn.
     */
    static void requireFonts(Path file) throws InputException {
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
}
