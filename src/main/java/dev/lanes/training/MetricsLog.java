package dev.lanes.training;

import dev.lanes.InputException;
import dev.lanes.io.AtomicFile;
import dev.lanes.json.Json;
import dev.lanes.json.JsonObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's per-epoch metrics as JSON Lines: one object per epoch with {@code epoch}, {@code loss},
 * {@code train_accuracy}, the validation and test figures where there are such sets, {@code seconds},
 * {@code samples_per_second}, {@code learning_rate} and, with a validation set, {@code best_epoch}.
 * The whole file is replaced atomically after each epoch, so it always holds complete lines, and a
 * resumed run reads it back to continue it.
 */
public final class MetricsLog {

    private MetricsLog() {
    }

    /**
     * Replaces {@code file} with the metrics of {@code history}.
     *
     * @param file      the file
     * @param history   the epochs so far, in order
     * @param bestEpoch with a validation set, the best epoch so far after each epoch of {@code history}
     *                  (its lowest validation loss), else null
     * @throws InputException if the file cannot be written
     */
    public static void write(Path file, List<EpochStats> history, int[] bestEpoch) throws InputException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < history.size(); i++) {
            EpochStats s = history.get(i);
            Json j = new Json().put("epoch", s.epoch()).put("loss", s.loss()).put("train_accuracy", s.trainAccuracy());
            if (!Double.isNaN(s.validationAccuracy())) {
                j.put("validation_accuracy", s.validationAccuracy()).put("validation_loss", s.validationLoss());
            }
            if (!Double.isNaN(s.testAccuracy())) {
                j.put("test_accuracy", s.testAccuracy()).put("test_loss", s.testLoss());
            }
            j.put("seconds", s.seconds()).put("samples_per_second", s.samplesPerSecond())
                    .put("learning_rate", (float) s.learningRate());
            if (bestEpoch != null && bestEpoch[i] > 0) {
                j.put("best_epoch", bestEpoch[i]);
            }
            sb.append(j).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, o -> o.write(bytes));
    }

    /**
     * Reads back the epochs a file holds up to {@code lastEpoch}; later ones belong to no saved model
     * (with {@code --keep-best} the model may be older than the metrics) and are dropped.
     *
     * @param file      a file written by {@link #write}
     * @param lastEpoch the last epoch to keep
     * @return the epochs, in file order; empty if the file does not exist
     * @throws InputException naming the file and the line if it cannot be read or is not a metrics log
     */
    public static List<EpochStats> read(Path file, int lastEpoch) throws InputException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the metrics: " + e.getMessage(), e);
        }
        List<EpochStats> list = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            EpochStats s;
            try {
                s = parse(JsonObjects.parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new InputException(file + ": line " + (i + 1) + " is not a metrics line: " + e.getMessage(), e);
            }
            if (s.epoch() <= lastEpoch) {
                list.add(s);
            }
        }
        return list;
    }

    private static EpochStats parse(Map<String, Object> m) {
        double epoch = required(m, "epoch");
        if (epoch != Math.rint(epoch) || epoch < 1 || epoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("\"epoch\" must be a whole number ≥ 1, got " + Json.number(epoch));
        }
        return new EpochStats((int) epoch, required(m, "loss"), required(m, "train_accuracy"),
                optional(m, "validation_accuracy"), optional(m, "test_accuracy"), optional(m, "test_loss"),
                required(m, "seconds"), required(m, "samples_per_second"), required(m, "learning_rate"),
                optional(m, "validation_loss"));
    }

    private static double required(Map<String, Object> m, String key) {
        if (!m.containsKey(key)) {
            throw new IllegalArgumentException("no \"" + key + "\"");
        }
        return optional(m, key);
    }

    /** @return the number, or NaN where it is missing or null (which is how NaN was written) */
    private static double optional(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v instanceof Double)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a number");
        }
        return (Double) v;
    }
}
