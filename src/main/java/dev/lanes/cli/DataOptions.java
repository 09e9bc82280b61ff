package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.KaggleCsv;
import dev.lanes.data.TrainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the images come from: an IDX folder (default: the bundled MNIST) or Kaggle-style CSV files. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with MNIST-layout IDX files, gzip or raw: the four of them for train, the two t10k"
                + " files for eval (default: the bundled data/mnist).")
    Path dir;

    /** The training CSV: an option of {@code train} only, set by it before {@link #load}. */
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
     * Names the files {@link #load} will read, for {@link Outputs}.
     *
     * @param o         where to add them
     * @param needTrain whether the training files are read too
     */
    void addInputs(Outputs o, boolean needTrain) throws InputException {
        if (trainCsv != null || testCsv != null) {
            o.input("--train-csv", needTrain ? trainCsv : null).input("--test-csv", testCsv);
            return;
        }
        Path folder = dir != null ? dir : IdxDirectory.bundled();
        List<String> names = needTrain
                ? List.of(IdxDirectory.TRAIN_IMAGES, IdxDirectory.TRAIN_LABELS, IdxDirectory.TEST_IMAGES, IdxDirectory.TEST_LABELS)
                : List.of(IdxDirectory.TEST_IMAGES, IdxDirectory.TEST_LABELS);
        for (String name : names) {
            for (Path p : List.of(folder.resolve(name), folder.resolve(name + ".gz"))) {
                if (Files.exists(p)) {
                    o.input("--data", p);
                }
            }
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
        if (!needTrain) {
            return new Loaded(null, IdxDirectory.loadTest(folder), folder.toString());
        }
        TrainTest tt = IdxDirectory.load(folder);
        return new Loaded(tt.train(), tt.test(), folder.toString());
    }
}
