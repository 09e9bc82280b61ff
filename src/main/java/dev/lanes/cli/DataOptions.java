package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.KaggleCsv;
import dev.lanes.data.TrainTest;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the images come from: an IDX folder (default: the bundled MNIST) or Kaggle-style CSV files. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four MNIST-layout IDX files, gzip or raw (default: the bundled data/mnist).")
    Path dir;

    @Option(names = "--train-csv", paramLabel = "FILE",
            description = "Kaggle digit-recognizer training CSV (label,pixel0,…) instead of --data.")
    Path trainCsv;

    @Option(names = "--test-csv", paramLabel = "FILE",
            description = "Test CSV (pixel0,… or label,pixel0,…); accuracy needs the label column.")
    Path testCsv;

    /** What was loaded; {@code test} may be null (CSV training without a test file) or unlabelled. */
    record Loaded(Dataset train, Dataset test, String origin) {
        String describe() {
            String shape = train != null ? train.imageRows() + "×" + train.imageCols() : test.imageRows() + "×" + test.imageCols();
            StringBuilder b = new StringBuilder(origin).append(": ");
            if (train != null) {
                b.append(String.format(Locale.ROOT, "%,d training", train.size()));
            }
            if (test != null) {
                b.append(train != null ? ", " : "").append(String.format(Locale.ROOT, "%,d test", test.size()))
                        .append(test.hasLabels() ? "" : " (unlabelled)");
            }
            return b.append(" images of ").append(shape).toString();
        }
    }

    /**
     * @param cl        the command, for usage errors
     * @param needTrain whether a training set is required (train) or only a test set (eval)
     */
    Loaded load(CommandLine cl, boolean needTrain) throws InputException {
        if (dir != null && (trainCsv != null || testCsv != null)) {
            throw new CommandLine.ParameterException(cl, "--data cannot be combined with --train-csv or --test-csv");
        }
        if (trainCsv != null || testCsv != null) {
            if (needTrain && trainCsv == null) {
                throw new CommandLine.ParameterException(cl, "--test-csv needs --train-csv (or use --data)");
            }
            Dataset train = needTrain ? KaggleCsv.read(trainCsv) : null;
            if (train != null && !train.hasLabels()) {
                throw new InputException(trainCsv + ": a training CSV needs a label column (header label,pixel0,…)");
            }
            Dataset test = testCsv == null ? null : KaggleCsv.read(testCsv);
            if (train != null && test != null && test.features() != train.features()) {
                throw new InputException(testCsv + ": images have " + test.features() + " pixels but "
                        + trainCsv + " has " + train.features());
            }
            return new Loaded(train, test, trainCsv != null ? trainCsv.toString() : testCsv.toString());
        }
        Path folder = dir != null ? dir : IdxDirectory.bundled();
        TrainTest tt = IdxDirectory.load(folder);
        return new Loaded(needTrain ? tt.train() : null, tt.test(), folder.toString());
    }
}
