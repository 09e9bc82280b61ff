package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.network.Network;
import dev.lanes.plot.ConfusionMatrixChart;
import dev.lanes.plot.DigitGrid;
import dev.lanes.plot.TrainingCurves;
import dev.lanes.training.EpochStats;
import dev.lanes.training.Evaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The PNG pictures behind {@code --plots}; chart classes load only when this runs. */
final class Reports {

    /** The files {@link #writeTrainingPlots} may write. */
    static final List<String> TRAINING_PLOTS = List.of("loss.png", "accuracy.png", "confusion.png", "misclassified.png");
    /** The files {@link #writeEvaluationPlots} writes. */
    static final List<String> EVALUATION_PLOTS = List.of("confusion.png", "misclassified.png");
    /** The file {@link #writePredictionPlot} writes. */
    static final String PREDICTION_PLOT = "predictions.png";

    /** How many digits a picture grid shows. */
    static final int GRID = 36;

    private Reports() {
    }

    /** Creates the folder if needed; fails with a one-line error when that is impossible. */
    static void requireFolder(Path dir, String flag) throws InputException {
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) {
                throw new InputException(flag + " " + dir + ": folder is not writable");
            }
            return;
        }
        if (Files.exists(dir)) {
            throw new InputException(flag + " " + dir + ": exists and is not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(flag + " " + dir + ": cannot create folder (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** Curves of the run, and where there is a labelled test set its confusion matrix and misclassified digits. */
    static void writeTrainingPlots(Path dir, List<EpochStats> history, Evaluation test, Dataset testData,
                                   Network net) throws InputException {
        TrainingCurves.write(dir, history);
        if (test != null) {
            writeEvaluationPlots(dir, test, testData, net);
        }
    }

    /** Confusion matrix and the first misclassified digits. */
    static void writeEvaluationPlots(Path dir, Evaluation e, Dataset data, Network net) throws InputException {
        ConfusionMatrixChart.write(dir.resolve("confusion.png"), toInt(e.confusion()));
        int[] predicted = net.predict(data);
        int[] wrong = new int[GRID];
        int n = 0;
        for (int i = 0; i < data.size() && n < GRID; i++) {
            if (predicted[i] != data.label(i)) {
                wrong[n++] = i;
            }
        }
        int[] shown = Arrays.copyOf(wrong, n);
        int[] shownPredicted = new int[n];
        for (int i = 0; i < n; i++) {
            shownPredicted[i] = predicted[shown[i]];
        }
        DigitGrid.write(dir.resolve("misclassified.png"), data, shown, shownPredicted,
                "Misclassified test digits (first " + n + ")");
    }

    /** The first images with their predictions, the notebook's closing picture. */
    static void writePredictionPlot(Path dir, Dataset data, int[] predicted) throws InputException {
        int n = Math.min(GRID, data.size());
        int[] shown = new int[n];
        for (int i = 0; i < n; i++) {
            shown[i] = i;
        }
        DigitGrid.write(dir.resolve(PREDICTION_PLOT), data, shown, Arrays.copyOf(predicted, n),
                "Predictions (first " + n + " images)");
    }

    private static int[][] toInt(long[][] m) {
        int[][] out = new int[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new int[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = (int) Math.min(Integer.MAX_VALUE, m[i][j]);
            }
        }
        return out;
    }
}
