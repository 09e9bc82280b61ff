package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.InputException;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Network;
import dev.lanes.training.RunRecord;
import dev.lanes.training.TrainingState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes info}: what this JVM and machine give Lanes. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Show the Lanes version, the JDK, the kernels in use and the processors;",
            "with --model, what a model file holds: layers, parameters, epochs trained, the settings and whether it can be resumed."})
final class InfoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "Describe this model file instead of the machine.")
    Path model;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = spec.commandLine().getOut();
        if (model != null) {
            describe(out, model);
            return 0;
        }
        Kernels kernels = KernelsProvider.get();
        out.println("Lanes      " + Lanes.version());
        out.println("JDK        " + System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vendor") + ")");
        out.println("VM         " + System.getProperty("java.vm.name"));
        out.println("kernels    " + kernels.description());
        String reason = KernelsProvider.vectorUnavailableReason();
        if (reason != null) {
            out.println("           vector kernels unavailable: " + reason);
        }
        out.println("processors " + Runtime.getRuntime().availableProcessors());
        out.println("max heap   " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        out.flush();
        return 0;
    }

    private static void describe(PrintWriter out, Path file) throws InputException {
        ModelFile.Model m = ModelFile.read(file);
        Network net = m.network();
        StringBuilder layers = new StringBuilder();
        for (int s : net.sizes()) {
            layers.append(layers.length() == 0 ? "" : "-").append(s);
        }
        out.println("model      " + file);
        out.println("layers     " + layers + " (" + net.inputs() + " inputs, " + (net.layers() - 1) + " hidden ReLU "
                + (net.layers() == 2 ? "layer" : "layers") + ", " + net.classes() + " softmax outputs)");
        out.println("parameters " + String.format(Locale.ROOT, "%,d", net.parameterCount()));
        byte[] state = m.trainingState();
        if (state == null) {
            out.println("resumable  no: the file holds no training state");
        } else if (!RunRecord.isRecord(state)) {
            out.println("resumable  no: its training state has no record of the run (written by a program, not by lanes train)");
        } else {
            RunRecord r;
            try {
                r = RunRecord.decode(state);
            } catch (IllegalArgumentException e) {
                throw new InputException(file + ": " + e.getMessage());
            }
            String done = r.progress().getOrDefault("epochs_done", "?");
            String planned = r.settings().getOrDefault("--epochs", "?");
            out.println("trained    " + done + " of " + planned + " epochs"
                    + (r.progress().containsKey("best_epoch") ? ", best validation loss in epoch "
                    + r.progress().get("best_epoch") : ""));
            StringBuilder flags = new StringBuilder();
            r.settings().forEach((k, v) -> {
                if (k.startsWith("--")) {
                    flags.append(flags.length() == 0 ? "" : " ").append(v.equals("on") ? k : v.equals("off") ? "" : k + " " + v);
                }
            });
            out.println("settings   " + flags.toString().replaceAll(" +", " ").trim());
            out.println("data       " + r.settings().getOrDefault("training data", "?"));
            String unreadable = null;
            try {
                TrainingState.decode(r.trainerState());
            } catch (IllegalArgumentException e) {
                unreadable = e.getMessage();
            }
            out.println(unreadable != null ? "resumable  no: " + unreadable
                    : "resumable  yes: lanes train --resume --model " + file + " with the same settings"
                    + " (raise --epochs to train further)");
        }
        out.flush();
    }
}
