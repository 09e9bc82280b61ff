package dev.lanes.plot;

import dev.lanes.InputException;
import dev.lanes.training.EpochStats;
import java.awt.Color;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss and accuracy curves of a training run, one PNG file each, drawn with XChart. XChart is an
 * optional dependency of the engine's artifact: a library user who calls this class adds
 * {@code org.knowm.xchart:xchart} to their own project. See the {@linkplain dev.lanes.plot package} for
 * what every picture shares: headless drawing, the font check, atomic writes.
 */
public final class TrainingCurves {

    static {
        Drawing.headless();
    }

    /** File name of the loss curve written by {@link #write}. */
    public static final String LOSS_FILE = "loss.png";
    /** File name of the accuracy curve written by {@link #write}. */
    public static final String ACCURACY_FILE = "accuracy.png";

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    /** Beyond this many epochs per-point markers would merge into a thick line. */
    private static final int MARKER_LIMIT = 40;

    private static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
    private static final Color VALIDATION = new Color(0x2c, 0xa0, 0x2c);
    private static final Color TEST = new Color(0xff, 0x7f, 0x0e);

    private TrainingCurves() {
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
    public static void write(Path dir, List<EpochStats> epochs) throws InputException {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        Path lossFile = dir.resolve(LOSS_FILE);
        Path accuracyFile = dir.resolve(ACCURACY_FILE);
        Drawing.requireFonts(lossFile);

        XYChart loss = chart("Loss per epoch", "mean cross-entropy");
        addCurve(loss, "training loss", epochs, EpochStats::loss, TRAIN);
        addCurve(loss, "test loss", epochs, EpochStats::testLoss, TEST);
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        PngWriter.write(lossFile, BitmapEncoder.getBufferedImage(finish(loss, "loss")));

        XYChart accuracy = chart("Accuracy per epoch", "accuracy (%)");
        addCurve(accuracy, "training", epochs, e -> 100 * e.trainAccuracy(), TRAIN);
        addCurve(accuracy, "validation", epochs, e -> 100 * e.validationAccuracy(), VALIDATION);
        addCurve(accuracy, "test", epochs, e -> 100 * e.testAccuracy(), TEST);
        accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        PngWriter.write(accuracyFile, BitmapEncoder.getBufferedImage(finish(accuracy, "accuracy")));
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setLocale(Locale.ROOT); // the same decimal point on every machine
        s.setChartBackgroundColor(Drawing.BACKGROUND);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setMarkerSize(6);
        chart.getStyler().setXAxisTickLabelsFormattingFunction(
                x -> x == Math.rint(x) ? String.valueOf((long) Math.rint(x)) : "");
        chart.getStyler().setYAxisTickLabelsFormattingFunction(TrainingCurves::tickLabel);
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
        BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
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
            empty.setLineColor(Drawing.BACKGROUND);
            empty.setShowInLegend(false);
            chart.getStyler().setLegendVisible(false);
        }
        return chart;
    }
}
