package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.KaggleCsv;
import dev.lanes.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes csv}: images of an MNIST-layout folder as a Kaggle-style CSV, e.g. a test file for predict. */
@Command(name = "csv", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = "Write the images of an MNIST-layout folder (default: the bundled MNIST) as a Kaggle"
            + " digit-recognizer CSV: pixel0,… for predict --csv, or label,pixel0,… with --labels for train --train-csv"
            + " and eval --test-csv.")
final class CsvCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST-layout folder (default: the bundled data/mnist).")
    Path dir;

    @Option(names = "--train", description = "Write the training images instead of the test images.")
    boolean train;

    @Option(names = "--labels", description = "Add the label column (header label,pixel0,…).")
    boolean labels;

    @Option(names = "--limit", paramLabel = "N", description = "Write only the first N images.")
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "test.csv",
            description = "Where to write, - for standard output (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws InputException {
        if (limit != null && limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be ≥ 0, got " + limit);
        }
        boolean toStdout = out.toString().equals(PredictCommand.STDIO);
        Path folder = dir != null ? dir : IdxDirectory.bundled();
        Outputs files = new Outputs();
        DataOptions inputs = new DataOptions();
        inputs.dir = folder;
        inputs.addInputs(files, train);
        files.output("--out", toStdout ? null : out).check();
        Dataset d = train ? IdxDirectory.load(folder).train() : IdxDirectory.loadTest(folder);
        int n = limit == null ? d.size() : Math.min(limit, d.size());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            KaggleCsv.write(d, n, labels, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        PrintWriter console = spec.commandLine().getOut();
        if (toStdout) {
            console.print(bytes.toString(StandardCharsets.US_ASCII));
            console.flush();
            console = spec.commandLine().getErr();
        } else {
            AtomicFile.write(out, o -> bytes.writeTo(o));
        }
        console.println(Text.count(n, "image") + " of " + d.source() + " written to "
                + (toStdout ? "standard output" : out.toString()));
        console.flush();
        return 0;
    }
}
