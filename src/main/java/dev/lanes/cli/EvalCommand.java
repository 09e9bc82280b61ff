package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.Datasets;
import dev.lanes.json.Json;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Network;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Evaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes eval}: accuracy, loss, per-class precision and recall, confusion matrix. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = "Evaluate a model on labelled test data (default: the bundled MNIST test set).")
final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model to evaluate.")
    Path model;

    @CommandLine.Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--json", description = "Print one JSON object (accuracy, loss, confusion, precision, recall).")
    boolean json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write confusion.png and misclassified.png.")
    Path plots;

    @Option(names = "--threads", description = "Worker threads (default: all ${DEFAULT-VALUE} processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws InputException {
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be ≥ 1, got " + threads);
        }
        int processors = Runtime.getRuntime().availableProcessors();
        if (threads > processors) {
            spec.commandLine().getErr().println("eval: warning: --threads " + threads + " is more than the " + processors
                    + " processors; the extra threads only wait for each other");
        }
        Outputs files = new Outputs().input("--model", model);
        data.addInputs(files, false);
        if (plots != null) {
            Reports.requireFolder(plots, "--plots");
            for (String png : Reports.EVALUATION_PLOTS) {
                files.output("--plots", plots.resolve(png));
            }
        }
        files.check();
        Network net = ModelFile.read(model).network();
        Dataset test = data.load(spec.commandLine(), false).test();
        String source = test.source();
        if (!test.hasLabels()) {
            throw new InputException(source + ": has no labels to evaluate against (header must start with label)");
        }
        Datasets.requireFits(test, net.inputs(), net.classes(), model.toString());
        Evaluation e = Evaluator.evaluate(net, test, threads);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(e) + "\n" : text(e, source));
        out.flush();
        if (plots != null) {
            Reports.writeEvaluationPlots(plots, e, test, net);
            if (!json) {
                out.println("plots written to " + plots);
            }
        }
        return 0;
    }

    static String json(Evaluation e) {
        StringBuilder confusion = new StringBuilder("[");
        double[] precision = new double[e.classes()];
        double[] recall = new double[e.classes()];
        double[] f1 = new double[e.classes()];
        for (int c = 0; c < e.classes(); c++) {
            confusion.append(c == 0 ? "" : ",").append(Json.array(e.confusion()[c]));
            precision[c] = e.precision(c);
            recall[c] = e.recall(c);
            f1[c] = e.f1(c);
        }
        confusion.append(']');
        return new Json().put("samples", e.samples()).put("accuracy", e.accuracy()).put("loss", e.loss())
                .putRaw("confusion", confusion.toString()).putRaw("precision", Json.array(precision))
                .putRaw("recall", Json.array(recall)).putRaw("f1", Json.array(f1)).put("macro_f1", e.macroF1())
                .toString();
    }

    /** A percentage, or "-" where it is undefined (no image of the class, or none predicted as it). */
    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    static String text(Evaluation e, String source) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %,d images%n", source, e.samples()));
        b.append(String.format(Locale.ROOT, "accuracy %.2f%%  loss %.4f  macro F1 %.4f%n%n", 100 * e.accuracy(),
                e.loss(), e.macroF1()));
        b.append("class  precision   recall      F1\n");
        for (int c = 0; c < e.classes(); c++) {
            b.append(String.format(Locale.ROOT, "%5d  %9s  %7s  %6s%n", c, percent(e.precision(c)),
                    percent(e.recall(c)), Double.isNaN(e.f1(c)) ? "-" : String.format(Locale.ROOT, "%.4f", e.f1(c))));
        }
        b.append("\nconfusion (rows: true class, columns: predicted)\n      ");
        for (int c = 0; c < e.classes(); c++) {
            b.append(String.format(Locale.ROOT, "%6d", c));
        }
        b.append('\n');
        for (int t = 0; t < e.classes(); t++) {
            b.append(String.format(Locale.ROOT, "%6d", t));
            for (int p = 0; p < e.classes(); p++) {
                b.append(String.format(Locale.ROOT, "%6d", e.confusion()[t][p]));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
