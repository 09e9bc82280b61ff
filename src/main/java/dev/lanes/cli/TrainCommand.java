package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.Lanes;
import dev.lanes.data.Dataset;
import dev.lanes.data.Datasets;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.training.DivergedException;
import dev.lanes.training.EarlyStopping;
import dev.lanes.training.EpochStats;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Evaluator;
import dev.lanes.training.Optimizer;
import dev.lanes.training.InvalidSettingException;
import dev.lanes.training.Schedule;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import dev.lanes.training.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes train}: train a digit classifier and save it after every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = {"Train an MLP classifier (default: the 784-10-10 seed network on the bundled MNIST).",
            "The model is written after every epoch, atomically; --resume continues an interrupted run."})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--train-csv", paramLabel = "FILE",
            description = "Kaggle digit-recognizer training CSV (label,pixel0,…) instead of --data.")
    Path trainCsv;

    @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",",
            description = "Hidden layer widths (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int[] hidden;

    @Option(names = "--epochs", description = "Passes over the training set (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + TrainingConfig.DEFAULT_EPOCHS)
    int epochs;

    @Option(names = "--batch", description = "Samples per step (default: ${DEFAULT-VALUE}).", defaultValue = "" + TrainingConfig.DEFAULT_BATCH_SIZE)
    int batch;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "" + TrainingConfig.DEFAULT_LEARNING_RATE)
    float lr;

    @Option(names = "--optimizer", paramLabel = "sgd|momentum|adam",
            description = "Update rule (default: ${DEFAULT-VALUE}).", defaultValue = "sgd",
            converter = OptimizerConverter.class)
    OptimizerKind optimizer;

    @Option(names = "--momentum", description = "Momentum coefficient for --optimizer momentum (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.9")
    float momentum;

    @Option(names = "--nesterov", description = "Use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", description = "L2 penalty on all parameters (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    float weightDecay;

    @Option(names = "--schedule", paramLabel = "constant|step|cosine",
            description = "Learning-rate schedule (default: ${DEFAULT-VALUE}).", defaultValue = "constant",
            converter = ScheduleConverter.class)
    ScheduleKind schedule;

    @Option(names = "--step-epochs", description = "For --schedule step: epochs between decays (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int stepEpochs;

    @Option(names = "--step-gamma", description = "For --schedule step: decay factor (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.1")
    float stepGamma;

    @Option(names = "--beta1", description = "Adam β1 (default: ${DEFAULT-VALUE}).", defaultValue = "0.9")
    float beta1;

    @Option(names = "--beta2", description = "Adam β2 (default: ${DEFAULT-VALUE}).", defaultValue = "0.999")
    float beta2;

    @Option(names = "--epsilon", description = "Adam ε (default: ${DEFAULT-VALUE}).", defaultValue = "1e-8")
    float epsilon;

    @Option(names = "--seed", description = "Seed for weights, shuffling and the validation split (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + TrainingConfig.DEFAULT_SEED)
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: as many as the work per step uses well, "
            + "at most all processors).")
    Integer threads;

    @Option(names = "--validation", paramLabel = "N",
            description = "Hold out N training images for validation (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int validation;

    @Option(names = "--classes", paramLabel = "N",
            description = "Number of classes (default: the largest training label + 1, which requires every class below it to occur).")
    Integer classes;

    @Option(names = "--init", paramLabel = "he|seed",
            description = "Weight initialisation: he, or seed for the original uniform(-0.5, 0.5) (default: ${DEFAULT-VALUE}).",
            defaultValue = "he", converter = InitConverter.class)
    Init init;

    @Option(names = "--model", paramLabel = "FILE", description = "Where to write the model (default: ${DEFAULT-VALUE}).",
            defaultValue = "model.lanes")
    Path model;

    @Option(names = "--from", paramLabel = "MODEL", description = "Start from this model's weights (fresh optimizer).")
    Path from;

    @Option(names = "--resume", description = "Continue the interrupted run saved in --model, with the same flags.")
    boolean resume;

    @Option(names = "--no-shuffle", description = "Keep the training set in file order.")
    boolean noShuffle;

    @Option(names = "--early-stop", paramLabel = "N",
            description = "Stop when the validation loss has not improved for N epochs (needs --validation).")
    int earlyStop;

    @Option(names = "--keep-best", description = "Keep the epoch with the lowest validation loss in --model, not the last (needs --validation).")
    boolean keepBest;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Write per-epoch metrics as JSON Lines.")
    Path metrics;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write PNG charts: loss, accuracy, confusion matrix, misclassified digits.")
    Path plots;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrainingConfig config = config();
        for (int h : hidden) {
            if (h < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--hidden " + join(hidden) + ": layer widths must be ≥ 1");
            }
        }
        if (earlyStop < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--early-stop must be ≥ 1, got " + earlyStop);
        }
        if ((earlyStop > 0 || keepBest) && validation <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), (earlyStop > 0 ? "--early-stop" : "--keep-best")
                    + " needs a validation set: add --validation N");
        }
        if (resume && from != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume and --from cannot be combined");
        }
        // Every output is checked before any work: a path that cannot be written would otherwise fail
        // only after the first epoch, and one that names an input would destroy it.
        data.trainCsv = trainCsv;
        Outputs files = new Outputs().input("--from", from);
        data.addInputs(files, true);
        files.output("--model", model).output("--metrics", metrics);
        if (plots != null) {
            Reports.requireFolder(plots, "--plots");
            for (String png : Reports.TRAINING_PLOTS) {
                files.output("--plots", plots.resolve(png));
            }
        }
        files.check();
        DataOptions.Loaded loaded = data.load(spec.commandLine(), true);
        Dataset fullTrain = loaded.train();
        Dataset train = fullTrain;
        Dataset valid = null;
        if (validation > 0) {
            if (validation >= train.size()) {
                throw new InputException("--validation " + validation + ": must be smaller than the "
                        + train.size() + " training images");
            }
            Dataset.Split split = train.split(validation, seed);
            train = split.train();
            valid = split.validation();
        }
        Dataset test = loaded.test() != null && loaded.test().hasLabels() ? loaded.test() : null;

        TrainingRun.Options saving = new TrainingRun.Options(model, metrics, earlyStop, keepBest);
        TrainingRun run;
        Map<String, String> recorded;
        if (resume) {
            TrainingRun.Checkpoint checkpoint;
            try {
                checkpoint = TrainingRun.Checkpoint.read(model);
                recorded = settings(fullTrain, checkpoint.network(), checkpoint.record().settings());
                checkpoint.requireSameRun(recorded, RESUME_MAY_DIFFER, config);
                Datasets.requireFits(train, checkpoint.network().inputs(), checkpoint.network().classes(),
                        model.toString());
                requireMemory(checkpoint.network().sizes(), config);
                run = TrainingRun.resume(checkpoint, config, saving, KernelsProvider.get());
            } catch (TrainingRun.RefusedException e) {
                throw new InputException("--resume " + model + ": "
                        + (e.difference() != null ? SettingFlags.TRAIN.message(e.difference()) : e.problem()), e);
            }
        } else {
            if (from != null) {
                Network start = ModelFile.read(from).network();
                Datasets.requireFits(train, start.inputs(), start.classes(), from.toString());
                if (classes != null && classes != start.classes()) {
                    throw new InputException("--classes " + classes + " differs from " + from + "'s " + start.classes() + " classes");
                }
                if (spec.commandLine().getParseResult().hasMatchedOption("--hidden")
                        && !Arrays.equals(hidden(start), hidden)) {
                    throw new InputException("--hidden " + join(hidden) + " differs from " + from + "'s hidden layers "
                            + join(hidden(start)));
                }
                requireMemory(start.sizes(), config);
                run = TrainingRun.from(start, config, saving, KernelsProvider.get());
            } else {
                int[] sizes = TrainingRun.layerSizes(train.features(), hidden, classCount(fullTrain, test));
                requireMemory(sizes, config);
                run = TrainingRun.fresh(sizes, init, seed, config, saving, KernelsProvider.get());
            }
            recorded = settings(fullTrain, run.trainer().network(), null);
        }
        Trainer trainer = run.trainer();
        Network net = trainer.network();
        if (test != null) {
            Datasets.requireFits(test, net.inputs(), net.classes(), "the network");
        }

        PrintWriter err = spec.commandLine().getErr();
        int processors = Runtime.getRuntime().availableProcessors();
        if (threads != null && threads > processors && !quiet) {
            err.println("train: warning: --threads " + threads + " is more than the " + processors + " processors;"
                    + " the extra threads only wait for each other and can make an epoch many times slower");
            err.flush();
        }
        Progress progress = new Progress(out, Terminal.interactive(), quiet, batch, epochs);
        progress.line("Lanes " + Lanes.version() + " · " + KernelsProvider.get().description() + " · "
                + Text.count(trainer.threads(), "thread"));
        progress.line("data     " + loaded.describe() + (valid == null ? "" : ", " + String.format(Locale.ROOT, "%,d", valid.size())
                + " held out for validation"));
        progress.line("network  " + join(net.sizes(), "-") + " (" + String.format(Locale.ROOT, "%,d", net.parameterCount())
                + " parameters)" + (from != null ? ", from " + from : resume ? ", resumed from " + model : ", " + Enums.name(init) + " init"));
        progress.line("training " + Text.count(epochs, "epoch") + ", batch " + batch + ", " + optimizerText()
                + (earlyStop > 0 ? ", early stop after " + Text.count(earlyStop, "epoch") + " without improvement" : "")
                + (keepBest ? ", keeping the best epoch" : "")
                + (resume ? ", continuing after epoch " + trainer.epochsDone() : ""));

        Report report = new Report(run, progress, valid != null, test != null);
        Thread onInterrupt = new Thread(report::interrupted, "lanes-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Evaluation finalTest = null;
        Network finalNet;
        try (TrainingRun r = run) {
            try {
                r.train(train, valid, test, recorded, report);
            } catch (DivergedException e) {
                progress.finishLine();
                throw new InputException(e.getMessage() + "; " + report.saved() + report.plotsAfterStop()
                        + "; try a smaller --lr", e);
            }
            progress.finishLine();
            finalNet = r.result();
            if (test != null) {
                finalTest = keepBest ? Evaluator.evaluate(finalNet, test, trainer.threads(), KernelsProvider.get())
                        : trainer.evaluate(test);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it reports the interruption.
            }
        }
        EarlyStopping early = run.earlyStopping();
        if (run.stopped()) {
            return 130;
        }
        if (run.stoppedEarly()) {
            progress.line("stopped early after epoch " + run.lastEpoch() + ": the validation loss has not improved for "
                    + Text.count(earlyStop, "epoch") + " since epoch " + early.bestEpoch() + " ("
                    + loss(early.bestLoss()) + ")");
        }
        if (finalTest != null) {
            progress.line(String.format(Locale.ROOT, "test accuracy %.2f%% (%d/%d)", 100 * finalTest.accuracy(),
                    Math.round(finalTest.accuracy() * finalTest.samples()), finalTest.samples())
                    + (keepBest && early != null ? " (epoch " + early.bestEpoch() + ")" : ""));
        }
        if (plots != null) {
            Reports.writeTrainingPlots(plots, run.history(), finalTest, test, finalNet);
        }
        progress.line("model " + (keepBest && early != null ? "of epoch " + early.bestEpoch()
                + " (lowest validation loss) " : "") + "written to " + model);
        if (metrics != null) {
            progress.line("metrics written to " + metrics);
        }
        if (plots != null) {
            progress.line("plots written to " + plots);
        }
        return 0;
    }

    /**
     * What the command prints about a run: each epoch's line and, on an interruption, what is on disk.
     * The run serialises saving with {@link TrainingRun#stop()}, so that the report names what is really there.
     */
    private final class Report implements TrainingRun.Listener {
        final TrainingRun run;
        final Progress progress;
        final boolean validation;
        final boolean test;
        volatile int currentEpoch;

        Report(TrainingRun run, Progress progress, boolean validation, boolean test) {
            this.run = run;
            this.progress = progress;
            this.validation = validation;
            this.test = test;
            this.currentEpoch = run.lastEpoch() + 1;
        }

        @Override
        public void onProgress(int epoch, int batches, int total, double meanLoss) {
            currentEpoch = epoch;
            progress.update(epoch, batches, total, meanLoss);
        }

        @Override
        public void onEpoch(EpochStats s, boolean best) {
            currentEpoch = s.epoch() + 1;
            progress.epochLine(epochLine(s, validation, test) + (best && keepBest ? "  best" : ""), s.seconds());
        }

        /** @return what is on disk, e.g. "the model of epoch 3 is in m.lanes" */
        String saved() {
            int savedEpoch = run.savedEpoch();
            if (savedEpoch == 0) {
                return "no epoch finished, so no model was saved";
            }
            return "the model of epoch " + savedEpoch + (keepBest ? " (lowest validation loss)" : "") + " is in " + model;
        }

        /** Draws the plots of the finished epochs after a stop; returns what to add to the message. */
        String plotsAfterStop() {
            if (plots == null) {
                return "";
            }
            List<EpochStats> history = run.history();
            if (history.isEmpty()) {
                return "; no plots, as no epoch finished";
            }
            try {
                Reports.writeTrainingPlots(plots, history, null, null, null);
                return "; plots of " + Text.count(history.size(), "finished epoch") + " are in " + plots;
            } catch (InputException | RuntimeException e) {
                return "; the plots could not be drawn (" + e.getMessage() + ")";
            }
        }

        /** The shutdown hook: Ctrl-C (or SIGTERM) during training. */
        void interrupted() {
            if (!run.stop()) {
                return;
            }
            progress.finishLine();
            PrintWriter err = spec.commandLine().getErr();
            err.println("train: interrupted in epoch " + currentEpoch + "; " + saved()
                    + (run.savedEpoch() > 0 ? "; continue with --resume" : "") + plotsAfterStop());
            err.flush();
        }
    }

    /** Flags a resume may change: more epochs (the trainer refuses them where the schedule depends on them). */
    private static final Set<String> RESUME_MAY_DIFFER = Set.of("--epochs", "--from");

    /**
     * Everything about this command line that shapes the trained model, by flag, as the run records it
     * and as a resume compares it.
     *
     * @param train the whole training set, before a validation split
     * @param net   the network trained
     * @param saved on resume the interrupted run's settings, whose network shape stands where the
     *              command line does not repeat it (the model file holds that network); otherwise null
     */
    private Map<String, String> settings(Dataset train, Network net, Map<String, String> saved) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("training data", train.fingerprint());
        m.put("--hidden", saved != null && !given.hasMatchedOption("--hidden") && saved.containsKey("--hidden")
                ? saved.get("--hidden") : resume ? join(hidden) : join(hidden(net)));
        m.put("--init", saved != null && !given.hasMatchedOption("--init") && saved.containsKey("--init")
                ? saved.get("--init") : Enums.name(init));
        m.put("--classes", saved != null && classes == null && saved.containsKey("--classes")
                ? saved.get("--classes") : Integer.toString(classes != null ? classes : net.classes()));
        m.put("--epochs", Integer.toString(epochs));
        m.put("--batch", Integer.toString(batch));
        m.put("--optimizer", Enums.name(optimizer));
        m.put("--lr", Text.number(lr));
        if (optimizer == OptimizerKind.MOMENTUM) {
            m.put("--momentum", Text.number(momentum));
            m.put("--nesterov", onOff(nesterov));
        }
        if (optimizer == OptimizerKind.ADAM) {
            m.put("--beta1", Text.number(beta1));
            m.put("--beta2", Text.number(beta2));
            m.put("--epsilon", Text.number(epsilon));
        }
        m.put("--weight-decay", Text.number(weightDecay));
        m.put("--schedule", Enums.name(schedule));
        if (schedule == ScheduleKind.STEP) {
            m.put("--step-epochs", Integer.toString(stepEpochs));
            m.put("--step-gamma", Text.number(stepGamma));
        }
        m.put("--seed", Long.toString(seed));
        m.put("--no-shuffle", onOff(noShuffle));
        m.put("--validation", Integer.toString(validation));
        m.put("--early-stop", Integer.toString(earlyStop));
        m.put("--keep-best", onOff(keepBest));
        if (from != null) {
            m.put("--from", from.toString());
        }
        return m;
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    private TrainingConfig config() {
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be ≥ 1, got " + threads);
        }
        try {
            // Every rule and schedule is made, chosen or not, so that a bad value is refused even where
            // it would go unused: it is likely a mistake in a command meant to use it.
            Optimizer.Momentum withMomentum = new Optimizer.Momentum(momentum, nesterov);
            Optimizer.Adam adam = new Optimizer.Adam(beta1, beta2, epsilon);
            Schedule.Step step = new Schedule.Step(stepEpochs, stepGamma);
            Optimizer rule = switch (optimizer) {
                case SGD -> new Optimizer.Sgd();
                case MOMENTUM -> withMomentum;
                case ADAM -> adam;
            };
            Schedule rates = switch (schedule) {
                case CONSTANT -> new Schedule.Constant();
                case STEP -> step;
                case COSINE -> new Schedule.Cosine();
            };
            return TrainingConfig.builder().epochs(epochs).batchSize(batch).learningRate(lr).optimizer(rule)
                    .weightDecay(weightDecay).schedule(rates).seed(seed).shuffle(!noShuffle)
                    .threads(threads == null ? TrainingConfig.AUTO_THREADS : threads).build();
        } catch (InvalidSettingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), SettingFlags.TRAIN.message(e));
        }
    }

    private String optimizerText() {
        String s = Enums.name(optimizer) + " lr " + Text.number(lr);
        if (optimizer == OptimizerKind.MOMENTUM) {
            s += " momentum " + Text.number(momentum) + (nesterov ? " (Nesterov)" : "");
        }
        if (weightDecay > 0) {
            s += ", weight decay " + Text.number(weightDecay);
        }
        if (schedule != ScheduleKind.CONSTANT) {
            s += ", " + Enums.name(schedule) + " schedule";
        }
        return s;
    }

    /** A loss for people: four decimals, and six significant digits where it has grown huge. */
    static String loss(double v) {
        return Double.isFinite(v) && Math.abs(v) < 1e5 ? String.format(Locale.ROOT, "%.4f", v) : Text.number(v);
    }

    static String epochLine(EpochStats s, boolean validation, boolean test) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %3d  loss %s  train %6.2f%%",
                s.epoch(), loss(s.loss()), 100 * s.trainAccuracy()));
        if (validation) {
            b.append(String.format(Locale.ROOT, "  validation %6.2f%% (loss %s)", 100 * s.validationAccuracy(),
                    loss(s.validationLoss())));
        }
        if (test) {
            b.append(String.format(Locale.ROOT, "  test %6.2f%%", 100 * s.testAccuracy()));
        }
        b.append(String.format(Locale.ROOT, "  %.2f s  %,.0f samples/s", s.seconds(), s.samplesPerSecond()));
        return b.toString();
    }

    /**
     * Refuses a network that cannot be held, or trained in this JVM's heap, before anything is
     * allocated for it: a one-line error with the size needed and the -Xmx that would give it.
     */
    private void requireMemory(int[] sizes, TrainingConfig config) throws InputException {
        String what = "--hidden " + join(hidden) + ": the network " + join(sizes, "-");
        long parameters = Network.parameters(sizes);
        if (parameters > Network.MAX_PARAMETERS) {
            throw new InputException(what + " would have " + String.format(Locale.ROOT, "%,d", parameters)
                    + " parameters; a Lanes network holds at most " + String.format(Locale.ROOT, "%,d", Network.MAX_PARAMETERS));
        }
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long needed = Trainer.bytesNeeded(sizes, config);
        if (needed > rt.maxMemory() - used) {
            long xmxGiB = (long) Math.ceil((needed + used) * 1.25 / (1L << 30));
            throw new InputException(what + " (" + String.format(Locale.ROOT, "%,d", parameters) + " parameters) needs about "
                    + Text.size(needed) + " for training (parameters, gradients, optimizer state and workspaces) but Java"
                    + " may use only " + Text.size(rt.maxMemory()) + ", of which " + Text.size(used)
                    + " is taken; start java with -Xmx" + xmxGiB + "g, or use smaller layers, a smaller --batch or fewer --threads");
        }
    }

    /** The class count: --classes, or the largest training label + 1 where the labels are dense. */
    private int classCount(Dataset train, Dataset test) throws InputException {
        if (classes == null) {
            Datasets.requireDenseLabels(train, "--classes");
            return Math.max(2, Math.max(train.classCount(), test == null ? 0 : test.classCount()));
        }
        if (classes < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--classes must be ≥ 2, got " + classes);
        }
        Datasets.requireLabelsBelow(train, classes);
        if (test != null) {
            Datasets.requireLabelsBelow(test, classes);
        }
        return classes;
    }

    private static int[] hidden(Network net) {
        int[] s = net.sizes();
        return Arrays.copyOfRange(s, 1, s.length - 1);
    }

    private static String join(int[] v) {
        return join(v, ",");
    }

    private static String join(int[] v, String sep) {
        return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(sep));
    }

    /** The words of {@code --optimizer}; {@link #config()} makes the rule with its coefficients' flags. */
    enum OptimizerKind { SGD, MOMENTUM, ADAM }

    /** The words of {@code --schedule}; {@link #config()} makes the schedule with its values' flags. */
    enum ScheduleKind { CONSTANT, STEP, COSINE }

    /** Parses {@code sgd|momentum|adam}, case-insensitively. */
    static final class OptimizerConverter implements CommandLine.ITypeConverter<OptimizerKind> {
        @Override
        public OptimizerKind convert(String value) {
            return Enums.parse(OptimizerKind.class, value);
        }
    }

    /** Parses {@code constant|step|cosine}, case-insensitively. */
    static final class ScheduleConverter implements CommandLine.ITypeConverter<ScheduleKind> {
        @Override
        public ScheduleKind convert(String value) {
            return Enums.parse(ScheduleKind.class, value);
        }
    }

    /** Parses {@code he|seed}, case-insensitively. */
    static final class InitConverter implements CommandLine.ITypeConverter<Init> {
        @Override
        public Init convert(String value) {
            return Enums.parse(Init.class, value);
        }
    }
}
