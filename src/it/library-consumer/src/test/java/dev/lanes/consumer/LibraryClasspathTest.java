package dev.lanes.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.plot.ConfusionMatrixChart;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a project that depends on {@code dev.lanes:lanes-engine} gets: the engine, and not the libraries
 * of its command line (picocli) and of its training curves (XChart). The test class path holds the
 * runtime class path plus JUnit, so a class found here came with the engine.
 */
class LibraryClasspathTest {

    @TempDir
    Path dir;

    @Test
    void picocliDoesNotComeWithTheEngine() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("picocli.CommandLine"),
                "picocli is on a library user's class path: is it still <optional> in the engine's POM?");
    }

    @Test
    void xchartDoesNotComeWithTheEngine() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.knowm.xchart.XYChart"),
                "XChart is on a library user's class path: is it still <optional> in the engine's POM?");
    }

    /** The absent classes must not be absent because the engine itself is missing. */
    @Test
    void theLibraryWorksWithoutThem() throws Exception {
        Network net = Network.create(new int[] {4, 3, 2}, Init.HE, 7);
        Path model = dir.resolve("tiny.lanes");
        ModelFile.write(model, net, null);
        assertArrayEquals(net.parameters(), ModelFile.read(model).network().parameters());

        // The confusion matrix and the digit grids are drawn with the JDK alone.
        Path png = dir.resolve("confusion.png");
        ConfusionMatrixChart.write(png, new int[][] {{3, 1}, {0, 4}});
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 8);
        assertEquals(0x89, bytes[0] & 0xff, "not a PNG file");
    }
}
