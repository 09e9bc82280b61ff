package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.Lanes;
import dev.lanes.data.Dataset;
import dev.lanes.data.Datasets;
import dev.lanes.io.AtomicFile;
import dev.lanes.json.Json;
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
import dev.lanes.training.RunRecord;
import dev.lanes.training.InvalidSettingException;
import dev.lanes.training.Schedule;
import dev.lanes.training.Setting;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import dev.lanes.training.TrainingListener;
import dev.lanes.training.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
            defaultValue = "10")
    int epochs;

    @Option(names = "--batch", description = "Samples per step (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int batch;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
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
            defaultValue = "1")
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

        Network net;
        Trainer trainer;
        Map<String, String> recorded;
        if (resume) {
            ModelFile.Model saved = ModelFile.read(model);
            byte[] state = saved.trainingState();
            if (state == null) {
                throw new InputException(model + ": holds no training state to resume (it was not written by an interrupted train)");
            }
            if (!RunRecord.isRecord(state)) {
                throw new InputException(model + ": its training state has no record of the run's settings and data"
                        + " (it was written by a program, not by lanes train), so --resume cannot check that it continues the same run");
            }
            RunRecord record;
            try {
                record = RunRecord.decode(state);
            } catch (IllegalArgumentException e) {
                throw new InputException(model + ": " + e.getMessage());
            }
            TrainingState trainerState;
            try {
                trainerState = TrainingState.decode(record.trainerState());
            } catch (IllegalArgumentException e) {
                throw new InputException("--resume " + model + ": " + e.getMessage());
            }
            net = saved.network();
            Map<String, String> now = settings(fullTrain, net, record.settings());
            String diff = record.difference(now, RESUME_MAY_DIFFER);
            if (diff != null) {
                throw new InputException("--resume " + model + ": " + diff);
            }
            TrainingState.Difference changed = trainerState.difference(config);
            if (changed != null) {
                throw new InputException("--resume " + model + ": " + describe(changed));
            }
            recorded = now;
            requireFits(net, train, model.toString());
            requireMemory(net.sizes(), config);
            try {
                trainer = Trainer.resume(net, config, trainerState, KernelsProvider.get());
            } catch (IllegalArgumentException e) {
                throw new InputException("--resume " + model + ": " + e.getMessage());
            }
            if (trainer.epochsDone() >= epochs) {
                trainer.close();
                throw new InputException("--resume " + model + ": the run already finished " + Text.count(trainer.epochsDone(), "epoch")
                        + "; raise --epochs to train further");
            }
        } else {
            if (from != null) {
                net = ModelFile.read(from).network();
                requireFits(net, train, from.toString());
                if (classes != null && classes != net.classes()) {
                    throw new InputException("--classes " + classes + " differs from " + from + "'s " + net.classes() + " classes");
                }
                if (spec.commandLine().getParseResult().hasMatchedOption("--hidden")
                        && !Arrays.equals(hidden(net), hidden)) {
                    throw new InputException("--hidden " + join(hidden) + " differs from " + from + "'s hidden layers "
                            + join(hidden(net)));
                }
            } else {
                int[] sizes = new int[hidden.length + 2];
                sizes[0] = train.features();
                System.arraycopy(hidden, 0, sizes, 1, hidden.length);
                sizes[sizes.length - 1] = classCount(fullTrain, test);
                requireMemory(sizes, config);
                net = Network.create(sizes, init, seed);
            }
            requireMemory(net.sizes(), config);
            trainer = new Trainer(net, config);
            recorded = settings(fullTrain, net, null);
        }
        if (test != null && test.classCount() > net.classes()) {
            throw new InputException(test.source() + ": label " + (test.classCount() - 1) + " is outside the "
                    + net.classes() + " classes of the training data");
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

        Run run = new Run(trainer, recorded, progress, valid, test);
        if (resume) {
            run.restore(RunRecord.decode(ModelFile.read(model).trainingState()).progress(), trainer.epochsDone());
        }
        Thread onInterrupt = new Thread(run::interrupted, "lanes-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Evaluation finalTest = null;
        Network finalNet = net;
        try (Trainer t = trainer) {
            try {
                t.fit(train, valid, test, run);
            } catch (DivergedException e) {
                run.finish();
                throw new InputException(e.getMessage() + "; " + run.saved() + run.plotsAfterStop()
                        + "; try a smaller --lr", e);
            }
            run.finish();
            if (keepBest && run.best != null) {
                finalNet = run.best;
            }
            if (test != null) {
                finalTest = keepBest ? Evaluator.evaluate(finalNet, test, t.threads()) : t.evaluate(test);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it reports the interruption.
            }
        }
        if (run.stopping.stopped()) {
            return 130;
        }
        if (run.early != null && run.early.shouldStop()) {
            progress.line("stopped early after epoch " + run.lastEpoch + ": the validation loss has not improved for "
                    + Text.count(earlyStop, "epoch") + " since epoch " + run.early.bestEpoch() + " ("
                    + loss(run.early.bestLoss()) + ")");
        }
        if (finalTest != null) {
            progress.line(String.format(Locale.ROOT, "test accuracy %.2f%% (%d/%d)", 100 * finalTest.accuracy(),
                    Math.round(finalTest.accuracy() * finalTest.samples()), finalTest.samples())
                    + (keepBest && run.early != null ? " (epoch " + run.early.bestEpoch() + ")" : ""));
        }
        if (plots != null) {
            Reports.writeTrainingPlots(plots, run.history, finalTest, test, finalNet);
        }
        progress.line("model " + (keepBest && run.early != null ? "of epoch " + run.early.bestEpoch()
                + " (lowest validation loss) " : "") + "written to " + model);
        if (metrics != null) {
            progress.line("metrics written to " + metrics);
        }
        if (plots != null) {
            progress.line("plots written to " + plots);
        }
        return 0;
    }

    /** Whether the run is being stopped by a signal; once set, nothing more is written. */
    private static final class Stopping {
        private boolean stopped;

        synchronized boolean stopped() {
            return stopped;
        }

        synchronized void stop() {
            stopped = true;
        }
    }

    /**
     * One training run as the command sees it: it saves each epoch (or, with --keep-best, each new
     * best epoch), keeps the metrics, decides early stopping, and on an interruption reports what is
     * on disk. Saving and reporting are serialised, so that the report names what is really there.
     */
    private final class Run implements TrainingListener {
        final Map<String, String> recorded;
        final Progress progress;
        final Dataset valid;
        final Dataset test;
        final List<EpochStats> history = new ArrayList<>();
        final EarlyStopping early;
        final Stopping stopping = new Stopping();
        final int startEpoch;
        /** A copy of the best epoch's network, for --keep-best's final evaluation and plots. */
        Network best;
        volatile int currentEpoch;
        int lastEpoch;
        int savedEpoch;

        Run(Trainer trainer, Map<String, String> recorded, Progress progress, Dataset valid, Dataset test) {
            this.recorded = recorded;
            this.progress = progress;
            this.valid = valid;
            this.test = test;
            this.early = valid == null ? null : new EarlyStopping(earlyStop);
            this.startEpoch = trainer.epochsDone();
            this.lastEpoch = startEpoch;
            this.savedEpoch = startEpoch;
            this.currentEpoch = startEpoch + 1;
            history.addAll(Metrics.previous(metrics, startEpoch));
        }

        /** On resume: the interrupted run's best epoch, so that early stopping goes on where it was. */
        void restore(Map<String, String> p, int epochsDone) throws InputException {
            if (early == null || !p.containsKey("best_epoch")) {
                return;
            }
            try {
                early.restore(Integer.parseInt(p.get("best_epoch")), Double.parseDouble(p.get("best_validation_loss")),
                        epochsDone);
            } catch (RuntimeException e) {
                throw new InputException(model + ": malformed best epoch in its run record");
            }
            if (early.shouldStop()) {
                throw new InputException("--resume " + model + ": the run stopped early after epoch " + epochsDone
                        + " (no improvement since epoch " + early.bestEpoch() + "); there is nothing to continue");
            }
        }

        @Override
        public void onProgress(int epoch, int batches, int total, double meanLoss) {
            currentEpoch = epoch;
            progress.update(epoch, batches, total, meanLoss);
        }

        @Override
        public void onEpoch(EpochStats s, Trainer t) throws InputException {
            synchronized (stopping) {
                if (stopping.stopped()) {
                    return;
                }
                boolean isBest = early != null && early.record(s);
                if (isBest && keepBest) {
                    best = t.network().copy();
                }
                Map<String, String> done = new LinkedHashMap<>();
                done.put("epochs_done", Integer.toString(t.epochsDone()));
                if (early != null && early.bestEpoch() > 0) {
                    done.put("best_epoch", Integer.toString(early.bestEpoch()));
                    done.put("best_validation_loss", Double.toString(early.bestLoss()));
                }
                if (!keepBest || isBest) {
                    ModelFile.write(model, t.network(), new RunRecord(recorded, done, t.state().encode()).encode());
                    savedEpoch = s.epoch();
                }
                history.add(s);
                lastEpoch = s.epoch();
                currentEpoch = s.epoch() + 1;
                if (metrics != null) {
                    Metrics.write(metrics, history, early == null ? null : bestEpochs());
                }
                progress.epochLine(epochLine(s, valid != null, test != null) + (isBest && keepBest ? "  best" : ""),
                        s.seconds());
            }
        }

        /** The best epoch so far after each epoch of the history, for the metrics. */
        private int[] bestEpochs() {
            int[] bestAt = new int[history.size()];
            double lowest = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            for (int i = 0; i < bestAt.length; i++) {
                EpochStats s = history.get(i);
                if (s.validationLoss() < lowest) {
                    lowest = s.validationLoss();
                    bestEpoch = s.epoch();
                }
                bestAt[i] = bestEpoch;
            }
            return bestAt;
        }

        @Override
        public boolean stopRequested() {
            return early != null && early.shouldStop();
        }

        /** After training ended (normally or not): the bar's line is closed. */
        void finish() {
            progress.finishLine();
        }

        /** @return what is on disk, e.g. "the model of epoch 3 is in m.lanes" */
        String saved() {
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
            synchronized (stopping) {
                if (stopping.stopped()) {
                    return;
                }
                stopping.stop();
                progress.finishLine();
                PrintWriter err = spec.commandLine().getErr();
                err.println("train: interrupted in epoch " + currentEpoch + "; " + saved()
                        + (savedEpoch > 0 ? "; continue with --resume" : "") + plotsAfterStop());
                err.flush();
            }
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
            throw new CommandLine.ParameterException(spec.commandLine(), flag(e.setting()) + " " + e.problem());
        }
    }

    /** @return the flag that sets {@code s} */
    static String flag(Setting s) {
        return switch (s) {
            case EPOCHS -> "--epochs";
            case BATCH_SIZE -> "--batch";
            case LEARNING_RATE -> "--lr";
            case OPTIMIZER -> "--optimizer";
            case MOMENTUM -> "--momentum";
            case NESTEROV -> "--nesterov";
            case BETA1 -> "--beta1";
            case BETA2 -> "--beta2";
            case EPSILON -> "--epsilon";
            case WEIGHT_DECAY -> "--weight-decay";
            case SCHEDULE -> "--schedule";
            case STEP_EVERY -> "--step-epochs";
            case STEP_GAMMA -> "--step-gamma";
            case SEED -> "--seed";
            case SHUFFLE -> "--no-shuffle";
            case THREADS -> "--threads";
        };
    }

    /** A resume's changed setting in flag terms, e.g. {@code --lr is 0.2 but the interrupted run used 0.1}. */
    static String describe(TrainingState.Difference d) {
        // --no-shuffle is on where shuffling is off.
        boolean inverse = d.setting() == Setting.SHUFFLE;
        return flag(d.setting()) + " is " + (inverse ? flip(d.now()) : d.now()) + " but the interrupted run used "
                + (inverse ? flip(d.saved()) : d.saved());
    }

    private static String flip(String onOff) {
        return onOff.equals("on") ? "off" : "on";
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

    private static void requireFits(Network net, Dataset train, String name) throws InputException {
        if (net.inputs() != train.features()) {
            throw new InputException(name + ": the model takes " + net.inputs() + " pixels but " + train.source()
                    + " has " + train.features());
        }
        if (train.classCount() > net.classes()) {
            throw new InputException(name + ": the model has " + net.classes() + " classes but " + train.source()
                    + " has label " + (train.classCount() - 1));
        }
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

    /** Writes the metrics file: one JSON object per epoch, replaced atomically after each epoch. */
    static final class Metrics {
        private Metrics() {
        }

        /**
         * @param bestEpoch with a validation set, the best epoch so far after each epoch of {@code history}
         *                  (its lowest validation loss), else null
         */
        static void write(Path file, List<EpochStats> history, int[] bestEpoch) throws InputException {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < history.size(); i++) {
                EpochStats s = history.get(i);
                Json j = new Json().put("epoch", s.epoch()).put("loss", s.loss())
                        .put("train_accuracy", s.trainAccuracy());
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

        /** On resume, the metrics of the epochs already done, read back from the earlier file. */
        static List<EpochStats> previous(Path file, int epochsDone) {
            List<EpochStats> list = new ArrayList<>();
            if (file == null || epochsDone == 0 || !Files.isRegularFile(file)) {
                return list;
            }
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    EpochStats s = parse(line);
                    if (s != null && s.epoch() <= epochsDone) {
                        list.add(s);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return new ArrayList<>();
            }
            return list;
        }

        private static EpochStats parse(String line) {
            if (line.isBlank()) {
                return null;
            }
            return new EpochStats((int) field(line, "epoch"), field(line, "loss"), field(line, "train_accuracy"),
                    field(line, "validation_accuracy"), field(line, "test_accuracy"), field(line, "test_loss"),
                    field(line, "seconds"), field(line, "samples_per_second"), field(line, "learning_rate"),
                    field(line, "validation_loss"));
        }

        private static double field(String line, String key) {
            String k = "\"" + key + "\":";
            int i = line.indexOf(k);
            if (i < 0) {
                return Double.NaN;
            }
            int start = i + k.length();
            int end = start;
            while (end < line.length() && ",}".indexOf(line.charAt(end)) < 0) {
                end++;
            }
            String v = line.substring(start, end);
            return v.equals("null") ? Double.NaN : Double.parseDouble(v);
        }
    }
}
