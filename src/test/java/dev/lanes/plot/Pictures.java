package dev.lanes.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.data.Dataset;
import dev.lanes.training.EpochStats;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * What the picture tests share: inputs to draw, and checks by pixels. Colours that only a given element
 * can produce (series colours, the pure black and white of digit tiles, the tile shades of a confusion
 * matrix) must be present or absent as the input demands.
 */
final class Pictures {

    private Pictures() {
    }

    static EpochStats epoch(int e, double loss, double train, double validation, double test,
                          double testLoss) {
        return new EpochStats(e, loss, train, validation, test, testLoss, 1.0, 1000.0, 0.1);
    }

    static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        byte[] bytes = Files.readAllBytes(file);
        // The PNG signature: the file is a PNG, not merely something ImageIO could guess at.
        assertEquals(0x89, bytes[0] & 0xff);
        assertEquals("PNG", new String(bytes, 1, 3, StandardCharsets.US_ASCII));
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " does not decode");
        return img;
    }

    static int count(BufferedImage img, int rgb) {
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
    static int dark(BufferedImage img) {
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

    static int colours(BufferedImage img) {
        Set<Integer> set = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                set.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return set.size();
    }

    /** {minX, minY, maxX, maxY} of the pixels of exactly that colour, or null if there are none. */
    static int[] box(BufferedImage img, int rgb) {
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

    static List<String> listing(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Image 0 all black, image 1 all white, image 2 white on top and black below. */
    static Dataset patterns(int rows, int cols, boolean labelled) {
        int f = rows * cols;
        byte[] px = new byte[3 * f];
        Arrays.fill(px, f, 2 * f, (byte) 255);
        Arrays.fill(px, 2 * f, 2 * f + (rows / 2) * cols, (byte) 255);
        return new Dataset("patterns", px, labelled ? new int[] {0, 1, 2} : null, 3, rows, cols);
    }
}
