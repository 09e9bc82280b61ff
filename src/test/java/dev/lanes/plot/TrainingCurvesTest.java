package dev.lanes.plot;

import static dev.lanes.plot.Pictures.colours;
import static dev.lanes.plot.Pictures.count;
import static dev.lanes.plot.Pictures.dark;
import static dev.lanes.plot.Pictures.epoch;
import static dev.lanes.plot.Pictures.listing;
import static dev.lanes.plot.Pictures.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.EpochStats;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curves are checked by the pixels in each series' exact colour (see {@link Pictures}). */
class TrainingCurvesTest {

    // The colours TrainingCurves promises for its series, restated here as the specification.
    private static final int TRAIN = 0x1f77b4;
    private static final int VALIDATION = 0x2ca02c;
    private static final int TEST = 0xff7f0e;

    @TempDir
    Path dir;

    /** A one-epoch loss chart labelled its only tick 2.345087444900336. */
    @Test
    void valueAxisLabelsHaveFourSignificantDigits() {
        assertEquals("2.345", TrainingCurves.tickLabel(2.345087444900336));
        assertEquals("0.05", TrainingCurves.tickLabel(0.05));
        assertEquals("100", TrainingCurves.tickLabel(100));
        assertEquals("97.5", TrainingCurves.tickLabel(97.5));
        assertEquals("0", TrainingCurves.tickLabel(0));
        assertEquals("1.2e23", TrainingCurves.tickLabel(1.2e23));
        assertEquals("2.5e-7", TrainingCurves.tickLabel(2.5e-7));
        assertEquals("-0.125", TrainingCurves.tickLabel(-0.125));
    }

    @Test
    void trainingCurvesDrawEverySeriesThatHasData() throws Exception {
        List<EpochStats> epochs = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            epochs.add(epoch(e, 1.0 / e, 1 - 0.3 / e, 1 - 0.35 / e, 1 - 0.32 / e, 1.1 / e));
        }
        TrainingCurves.write(dir, epochs);
        assertEquals(List.of("accuracy.png", "loss.png"), listing(dir));

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
        TrainingCurves.write(dir, epochs);
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
        TrainingCurves.write(dir, List.of(epoch(1, 0.7, 0.8, 0.79, Double.NaN, Double.NaN)));
        BufferedImage acc = png(dir.resolve("accuracy.png"));
        assertTrue(count(acc, TRAIN) > 10, "the single point's marker is missing");
        assertTrue(count(acc, VALIDATION) > 10);

        TrainingCurves.write(dir, List.of(epoch(1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
                epoch(2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
        BufferedImage loss = png(dir.resolve("loss.png"));
        assertEquals(0, count(loss, TRAIN));
        assertTrue(dark(loss) > 500, "the empty chart still has its title and axes");
        assertEquals(List.of("accuracy.png", "loss.png"), listing(dir));
    }

    @Test
    void noEpochsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> TrainingCurves.write(dir, List.of()));
    }
}
