package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.Idx;
import dev.lanes.data.KaggleCsv;
import dev.lanes.model.AtomicFile;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes predict}: classify images and write a Kaggle submission ({@code ImageId,Label}). */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = "Classify images from a CSV (pixel0,…) or an IDX image file; write ImageId,Label rows (1-based).")
final class PredictCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model to use.")
    Path model;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--csv", paramLabel = "FILE", required = true,
                description = "Kaggle test CSV (pixel0,…; a label column is allowed and ignored).")
        Path csv;

        @Option(names = "--images", paramLabel = "IDX", required = true, description = "IDX image file, gzip or raw.")
        Path images;
    }

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "submission.csv",
            description = "Where to write the predictions (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write predictions.png: the first digits with their predicted labels.")
    Path plots;

    @Override
    public Integer call() throws InputException {
        if (plots != null) {
            Reports.requireFolder(plots, "--plots");
        }
        Network net = ModelFile.read(model).network();
        Dataset images = input.csv != null ? KaggleCsv.read(input.csv) : Idx.readImages(input.images);
        if (images.features() != net.inputs()) {
            throw new InputException(images.source() + ": images have " + images.features() + " pixels but " + model
                    + " takes " + net.inputs());
        }
        int[] predicted = net.predict(images);
        StringBuilder sb = new StringBuilder(16 + predicted.length * 8).append("ImageId,Label\n");
        for (int i = 0; i < predicted.length; i++) {
            sb.append(i + 1).append(',').append(predicted[i]).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicFile.write(out, o -> o.write(bytes));
        if (plots != null) {
            Reports.writePredictionPlot(plots, images, predicted);
        }
        spec.commandLine().getOut().println(predicted.length + " predictions written to " + out);
        return 0;
    }
}
