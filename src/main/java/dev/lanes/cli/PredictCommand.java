package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.Datasets;
import dev.lanes.data.Idx;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.KaggleCsv;
import dev.lanes.io.AtomicFile;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Network;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes predict}: classify images and write a Kaggle submission ({@code ImageId,Label}). */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Classify images from a CSV (pixel0,…), an IDX image file or the test images of an MNIST folder;"
            + " write ImageId,Label rows (1-based), optionally with probabilities.",
            "'-' reads the CSV from standard input (--csv -) or writes the predictions to standard output (--out -)."})
final class PredictCommand implements Callable<Integer> {

    /** The name that stands for standard input or output. */
    static final String STDIO = "-";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model to use.")
    Path model;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--csv", paramLabel = "FILE", required = true,
                description = "Kaggle test CSV (pixel0,…; a label column is allowed and ignored); - for standard input.")
        Path csv;

        @Option(names = "--images", paramLabel = "IDX", required = true, description = "IDX image file, gzip or raw.")
        Path images;

        @Option(names = "--data", paramLabel = "DIR", required = true,
                description = "MNIST-layout folder: classify its test images (t10k-images-idx3-ubyte, optionally .gz).")
        Path data;
    }

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "submission.csv",
            description = "Where to write the predictions, - for standard output (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--probabilities", description = "Add one column per class: P0, P1, … (each row sums to 1).")
    boolean probabilities;

    @Option(names = "--top", paramLabel = "K",
            description = "Add the K most likely classes with their probabilities: Probability, Label2, Probability2, …")
    int top;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write predictions.png: the first digits with their predicted labels.")
    Path plots;

    @Override
    public Integer call() throws InputException {
        boolean toStdout = out.toString().equals(STDIO);
        boolean fromStdin = input.csv != null && input.csv.toString().equals(STDIO);
        if (top < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top must be ≥ 1, got " + top);
        }
        Path imageFile = input.csv != null ? input.csv : input.images != null ? input.images
                : testImages(input.data);
        Outputs files = new Outputs().input("--model", model)
                .input(input.csv != null ? "--csv" : input.images != null ? "--images" : "--data", fromStdin ? null : imageFile)
                .output("--out", toStdout ? null : out);
        if (plots != null) {
            Reports.requireFolder(plots, "--plots");
            files.output("--plots", plots.resolve(Reports.PREDICTION_PLOT));
        }
        files.check();
        Network net = ModelFile.read(model).network();
        if (top > net.classes()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top " + top + ": " + model + " has only "
                    + net.classes() + " classes");
        }
        Dataset images = input.csv != null ? KaggleCsv.read(fromStdin ? standardInput() : input.csv)
                : Idx.readImages(imageFile);
        Datasets.requireInputs(images, net.inputs(), model.toString());
        int[] predicted = net.predict(images);
        float[] p = probabilities || top > 0 ? net.probabilities(images) : null;
        String table = table(predicted, p, net.classes());
        PrintWriter console = spec.commandLine().getOut();
        if (toStdout) {
            console.print(table);
            console.flush();
            if (console.checkError()) {
                throw new InputException("--out -: cannot write to standard output");
            }
            // The predictions are the output; what else is said goes to standard error.
            console = spec.commandLine().getErr();
        } else {
            byte[] bytes = table.getBytes(StandardCharsets.US_ASCII);
            AtomicFile.write(out, o -> o.write(bytes));
        }
        console.println(Text.count(predicted.length, "prediction") + " written to "
                + (toStdout ? "standard output" : out.toString()));
        if (plots != null) {
            Reports.writePredictionPlot(plots, images, predicted);
            console.println("plot written to " + plots.resolve(Reports.PREDICTION_PLOT));
        }
        console.flush();
        return 0;
    }

    /** The rows: ImageId, Label, then the top-K columns, then one probability column per class. */
    private String table(int[] predicted, float[] p, int classes) {
        StringBuilder sb = new StringBuilder(16 + predicted.length * (8 + (p == null ? 0 : 9 * (classes + 2 * top))));
        sb.append("ImageId,Label");
        for (int k = 1; k <= top; k++) {
            sb.append(k == 1 ? "" : ",Label" + k).append(",Probability").append(k == 1 ? "" : Integer.toString(k));
        }
        if (probabilities) {
            for (int c = 0; c < classes; c++) {
                sb.append(",P").append(c);
            }
        }
        sb.append('\n');
        Integer[] order = new Integer[classes];
        for (int i = 0; i < predicted.length; i++) {
            sb.append(i + 1).append(',').append(predicted[i]);
            if (top > 0) {
                int row = i * classes;
                for (int c = 0; c < classes; c++) {
                    order[c] = c;
                }
                // Most likely first; the predicted class leads even where rounding ties it with another.
                int lead = predicted[i];
                java.util.Arrays.sort(order, (a, b) -> a == lead ? -1 : b == lead ? 1
                        : p[row + b] != p[row + a] ? Float.compare(p[row + b], p[row + a]) : Integer.compare(a, b));
                for (int k = 0; k < top; k++) {
                    if (k > 0) {
                        sb.append(',').append(order[k]);
                    }
                    sb.append(',').append(probability(p[row + order[k]]));
                }
            }
            if (probabilities) {
                for (int c = 0; c < classes; c++) {
                    sb.append(',').append(probability(p[i * classes + c]));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String probability(float v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static Path testImages(Path dir) throws InputException {
        for (String name : new String[] {IdxDirectory.TEST_IMAGES, IdxDirectory.TEST_IMAGES + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new InputException("--data " + dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
        }
        throw new InputException("--data " + dir + ": missing " + IdxDirectory.TEST_IMAGES + " (or " + IdxDirectory.TEST_IMAGES + ".gz)");
    }

    /** Standard input as a file the readers can open. */
    private static Path standardInput() throws InputException {
        Path stdin = Path.of("/dev/stdin");
        if (!Files.exists(stdin)) {
            throw new InputException("--csv -: this system has no /dev/stdin to read standard input from; give a file");
        }
        return stdin;
    }
}
