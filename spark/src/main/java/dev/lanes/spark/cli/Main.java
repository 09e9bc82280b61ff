package dev.lanes.spark.cli;

import dev.lanes.InputException;
import dev.lanes.Lanes;
import dev.lanes.data.Dataset;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.TrainTest;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.spark.HadoopFiles;
import dev.lanes.spark.RoundStats;
import dev.lanes.spark.SparkTrainer;
import dev.lanes.spark.TrainingData;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Evaluator;
import dev.lanes.training.InvalidSettingException;
import dev.lanes.training.Optimizer;
import dev.lanes.training.Schedule;
import dev.lanes.training.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes-spark}: train a Lanes classifier on a Spark cluster by synchronous local SGD with
 * parameter averaging. Runs under {@code spark-submit --class dev.lanes.spark.cli.Main}, or from a
 * plain {@code java} launch with {@code --master local[N]} (or {@code local-cluster[…]}).
 */
@Command(name = "lanes-spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = {"Train an MLP classifier on Spark: every round each partition trains K local mini-batches",
            "from the same weights and the driver averages them in partition order. The same flags give the same",
            "model bytes on any master. The model is written after every round, atomically; --resume continues."})
public final class Main implements Callable<Integer> {

    /** Exit status for bad usage or bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for an internal or cluster error. */
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2], local-cluster[2,1,1024], spark://host:7077 (default: the one spark-submit sets).")
    String master;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder (any Hadoop path) with the four MNIST-layout IDX files, read by the driver (default: the bundled data/mnist).")
    String dataDir;

    @Option(names = "--train-csv", paramLabel = "PATH",
            description = "Labelled Kaggle-layout CSV (label,pixel0,…) on any Hadoop path, read by the executors, instead of --data.")
    String trainCsv;

    @Option(names = "--test-csv", paramLabel = "PATH", description = "Labelled test CSV, read by the driver, evaluated after every round.")
    String testCsv;

    @Option(names = "--partitions", paramLabel = "P", description = "Data partitions, one model replica each (default: Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--local-batches", paramLabel = "K",
            description = "Mini-batches each partition trains per round (default: 0 = one epoch of a partition).", defaultValue = "0")
    int localBatches;

    @Option(names = "--task-threads", description = "Lanes threads inside each task (default: ${DEFAULT-VALUE}); the result is the same for any count.",
            defaultValue = "1")
    int taskThreads;

    @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",", description = "Hidden layer widths (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int[] hidden;

    @Option(names = "--epochs", description = "Passes over each partition (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int epochs;

    @Option(names = "--batch", description = "Samples per step (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int batch;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
    float lr;

    @Option(names = "--optimizer", paramLabel = "sgd|momentum|adam", description = "Update rule (default: ${DEFAULT-VALUE}).",
            defaultValue = "sgd")
    String optimizer;

    @Option(names = "--momentum", description = "Momentum coefficient (default: ${DEFAULT-VALUE}).", defaultValue = "0.9")
    float momentum;

    @Option(names = "--nesterov", description = "Use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", description = "L2 penalty on all parameters (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    float weightDecay;

    @Option(names = "--schedule", paramLabel = "constant|step|cosine", description = "Learning-rate schedule (default: ${DEFAULT-VALUE}).",
            defaultValue = "constant")
    String schedule;

    @Option(names = "--step-epochs", description = "For --schedule step: epochs between decays (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int stepEpochs;

    @Option(names = "--step-gamma", description = "For --schedule step: decay factor (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
    float stepGamma;

    @Option(names = "--beta1", description = "Adam β1 (default: ${DEFAULT-VALUE}).", defaultValue = "0.9")
    float beta1;

    @Option(names = "--beta2", description = "Adam β2 (default: ${DEFAULT-VALUE}).", defaultValue = "0.999")
    float beta2;

    @Option(names = "--epsilon", description = "Adam ε (default: ${DEFAULT-VALUE}).", defaultValue = "1e-8")
    float epsilon;

    @Option(names = "--seed", description = "Seed for the weights and the per-partition shuffles (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--init", paramLabel = "he|seed", description = "Weight initialisation (default: ${DEFAULT-VALUE}).", defaultValue = "he")
    String init;

    @Option(names = "--no-shuffle", description = "Keep each partition in input order.")
    boolean noShuffle;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file on the driver, written after every round (default: ${DEFAULT-VALUE}).",
            defaultValue = "model.lanes")
    Path model;

    @Option(names = "--from", paramLabel = "MODEL", description = "Start from this model's weights (fresh optimizer).")
    Path from;

    @Option(names = "--resume", description = "Continue the interrupted run saved in --model, with the same flags.")
    boolean resume;

    /**
     * Runs the command and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        quietSparkLogs();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command with the given streams, for tests and embedding.
     *
     * @param args the arguments
     * @param out  standard output
     * @param err  standard error
     * @return the exit status: 0, {@link #EXIT_BAD_INPUT} or {@link #EXIT_INTERNAL}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("lanes-spark: " + ex.getMessage() + " (see --help)");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof InputException) {
                cmd.getErr().println("lanes-spark: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println("lanes-spark: " + (ex instanceof org.apache.spark.SparkException ? "Spark failed: "
                    + HadoopFilesReason.of(ex) : "internal error: " + ex));
            if (Boolean.getBoolean("lanes.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    /** Spark logs at INFO unless told otherwise; a command line wants its warnings only. */
    private static void quietSparkLogs() {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:dev/lanes/spark/cli/log4j2.properties");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig config = config();
        for (int h : hidden) {
            if (h < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hidden: layer widths must be ≥ 1");
            }
        }
        if (resume && from != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume and --from cannot be combined");
        }
        if (dataDir != null && trainCsv != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data cannot be combined with --train-csv");
        }
        if (testCsv != null && trainCsv == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--test-csv needs --train-csv (--data has its own test files)");
        }
        if (partitions != null && partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--partitions must be ≥ 1, got " + partitions);
        }
        if (localBatches < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--local-batches must be ≥ 0, got " + localBatches);
        }
        if (taskThreads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--task-threads must be ≥ 1, got " + taskThreads);
        }
        Init initKind = parse(Init.class, init, "--init");
        if (resume) {
            if (!Files.exists(model)) {
                throw new InputException("--resume " + model + ": no such file");
            }
        } else {
            dev.lanes.io.AtomicFile.checkTarget(model);
        }
        Network start = from == null ? null : ModelFile.read(from).network();

        SparkSession session = session();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            int p = partitions != null ? partitions : sc.defaultParallelism();
            Dataset test;
            TrainingData train;
            String origin;
            if (trainCsv != null) {
                test = testCsv == null ? null : HadoopFiles.loadCsv(sc.hadoopConfiguration(), testCsv);
                if (test != null && !test.hasLabels()) {
                    throw new InputException(testCsv + ": a test CSV needs a label column (header label,pixel0,…)");
                }
                train = TrainingData.readCsv(sc, trainCsv, p);
                origin = trainCsv;
            } else {
                String dir = dataDir != null ? dataDir : IdxDirectory.bundled().toString();
                TrainTest tt = HadoopFiles.loadIdx(sc.hadoopConfiguration(), dir);
                test = tt.test();
                train = TrainingData.of(sc, tt.train(), p);
                origin = dir;
            }
            try (TrainingData data = train) {
                if (test != null && test.features() != data.features()) {
                    throw new InputException(test.source() + ": images have " + test.features() + " pixels but "
                            + origin + " has " + data.features());
                }
                Network net = start != null ? start : initial(data, test, initKind);
                if (start != null && !Arrays.equals(hidden(start), hidden)
                        && spec.commandLine().getParseResult().hasMatchedOption("--hidden")) {
                    throw new InputException("--hidden " + join(hidden, ",") + " differs from " + from + "'s hidden layers "
                            + join(hidden(start), ","));
                }
                if (resume) {
                    net = ModelFile.read(model).network();
                }
                SparkTrainer trainer = new SparkTrainer(sc, config, SparkTrainer.Options.defaults()
                        .localBatches(localBatches).taskThreads(taskThreads).checkpoint(model).resume(resume)
                        .warnings(w -> {
                            err.println("lanes-spark: " + w);
                            err.flush();
                        })
                        .listener((s, n) -> {
                            out.println(line(s));
                            out.flush();
                        }));
                out.println("Lanes " + Lanes.version() + " on Spark " + sc.version() + " · master " + sc.master()
                        + " · driver kernels " + KernelsProvider.get().name());
                out.println(String.format(Locale.ROOT, "data     %s: %,d training images in %d partitions (%s)%s", origin,
                        data.size(), data.partitions(), Arrays.stream(data.partitionSizes()).mapToObj(Integer::toString)
                                .collect(Collectors.joining(", ")),
                        test == null ? "" : String.format(Locale.ROOT, ", %,d test", test.size())));
                out.println("network  " + join(net.sizes(), "-") + String.format(Locale.ROOT, " (%,d parameters)", net.parameterCount())
                        + (from != null ? ", from " + from : resume ? ", resumed from " + model : ", " + init + " init"));
                out.println("training " + epochs + " epochs, batch " + batch + ", " + optimizer + " lr " + lr + ", "
                        + trainer.rounds(data) + " rounds of "
                        + (localBatches == 0 ? "one partition epoch" : localBatches + " local batches")
                        + String.format(Locale.ROOT, " (%,d bytes moved per round)", 2L * data.partitions() * 4
                                * net.parameterCount() * (1 + config.optimizer().momentBuffers())));
                out.flush();
                Network trained = trainer.fit(net, data, test);
                if (test != null) {
                    Evaluation e = Evaluator.evaluate(trained, test, Runtime.getRuntime().availableProcessors());
                    out.printf(Locale.ROOT, "test accuracy %.2f%% (%d/%d)%n", 100 * e.accuracy(),
                            Math.round(e.accuracy() * e.samples()), e.samples());
                }
                out.println("model written to " + model);
            }
            return 0;
        } finally {
            session.stop();
        }
    }

    private SparkSession session() throws InputException {
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new InputException("no Spark master: pass --master (e.g. --master local[2]) or run under spark-submit");
        }
        conf.setIfMissing("spark.app.name", "lanes-spark");
        String m = conf.get("spark.master");
        if (m.startsWith("local")) {
            // One machine: keep every socket on the loopback interface and no web UI port.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        if (m.startsWith("local-cluster")) {
            String home = System.getenv("SPARK_HOME");
            if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
                throw new InputException("--master " + m + ": set SPARK_HOME to a folder holding jars/ and "
                        + "launcher/target/scala-2.13/ (empty folders will do); the executors get this JVM's class path");
            }
            // Absolute, because executors run in their own working folders under SPARK_HOME/work.
            conf.setIfMissing("spark.executor.extraClassPath", Arrays.stream(System.getProperty("java.class.path")
                    .split(java.io.File.pathSeparator)).map(e -> Path.of(e).toAbsolutePath().toString())
                    .collect(Collectors.joining(java.io.File.pathSeparator)));
        }
        conf.setIfMissing("spark.driver.maxResultSize", "2g");
        try {
            return SparkSession.builder().config(conf).getOrCreate();
        } catch (RuntimeException e) {
            throw new InputException("--master " + m + ": cannot start Spark: " + HadoopFilesReason.of(e), e);
        }
    }

    private Network initial(TrainingData data, Dataset test, Init initKind) {
        int classes = Math.max(2, Math.max(data.classCount(), test == null ? 0 : test.classCount()));
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = data.features();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        return Network.create(sizes, initKind, seed);
    }

    private TrainingConfig config() {
        OptimizerKind optimizerKind = parse(OptimizerKind.class, optimizer, "--optimizer");
        ScheduleKind scheduleKind = parse(ScheduleKind.class, schedule, "--schedule");
        try {
            // Every rule and schedule is made, chosen or not, so that a bad value is refused even where
            // it would go unused: it is likely a mistake in a command meant to use it.
            Optimizer.Momentum withMomentum = new Optimizer.Momentum(momentum, nesterov);
            Optimizer.Adam adam = new Optimizer.Adam(beta1, beta2, epsilon);
            Schedule.Step step = new Schedule.Step(stepEpochs, stepGamma);
            Optimizer rule = switch (optimizerKind) {
                case SGD -> new Optimizer.Sgd();
                case MOMENTUM -> withMomentum;
                case ADAM -> adam;
            };
            Schedule rates = switch (scheduleKind) {
                case CONSTANT -> new Schedule.Constant();
                case STEP -> step;
                case COSINE -> new Schedule.Cosine();
            };
            return TrainingConfig.builder().epochs(epochs).batchSize(batch).learningRate(lr).optimizer(rule)
                    .weightDecay(weightDecay).schedule(rates).seed(seed).shuffle(!noShuffle).threads(taskThreads)
                    .build();
        } catch (InvalidSettingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), SparkTrainer.FLAGS.message(e));
        }
    }

    /** The words of {@code --optimizer}. */
    private enum OptimizerKind { SGD, MOMENTUM, ADAM }

    /** The words of {@code --schedule}. */
    private enum ScheduleKind { CONSTANT, STEP, COSINE }

    private <E extends Enum<E>> E parse(Class<E> type, String value, String flag) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new CommandLine.ParameterException(spec.commandLine(), flag + " " + value + ": expected one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
    }

    static String line(RoundStats s) {
        return String.format(Locale.ROOT, "round %3d/%d  epoch %5.2f  loss %.4f  train %6.2f%%%s  %.2f s  overhead %.2f s",
                s.round(), s.rounds(), s.epochs(), s.loss(), 100 * s.trainAccuracy(),
                Double.isNaN(s.testAccuracy()) ? "" : String.format(Locale.ROOT, "  test %6.2f%%", 100 * s.testAccuracy()),
                s.seconds(), s.overheadSeconds());
    }

    private static int[] hidden(Network net) {
        int[] s = net.sizes();
        return Arrays.copyOfRange(s, 1, s.length - 1);
    }

    private static String join(int[] v, String sep) {
        return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(sep));
    }

    /** The innermost cause's message on one line. */
    static final class HadoopFilesReason {
        private HadoopFilesReason() {
        }

        static String of(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            return m.replaceAll("[\\r\\n]+", " ");
        }
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Lanes " + Lanes.version() + " (lanes-spark)"};
        }
    }
}
