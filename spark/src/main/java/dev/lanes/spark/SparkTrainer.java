package dev.lanes.spark;

import dev.lanes.InputException;
import dev.lanes.cli.SettingFlags;
import dev.lanes.data.Dataset;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Network;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Evaluator;
import dev.lanes.training.TrainingConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel training of a Lanes {@link Network} on Spark: synchronous rounds of local SGD with
 * parameter averaging.
 *
 * <p>Each round the driver broadcasts the weights, the optimizer's moments and the step count; every
 * partition of the {@link TrainingData} starts from them and trains {@code K} local mini-batches with the
 * engine's {@link dev.lanes.training.Trainer} (the same Vector API kernels as on one machine); the driver
 * collects the partitions' weights and moments and averages them in partition-index order. Partition
 * {@code p} shuffles each of its epochs with a seed drawn from (seed, epoch, p) alone.
 *
 * <p>Consequences: the result never depends on which executor ran a task, in which order the tasks
 * finished or how often one was re-run, so a run gives the same bytes on {@code local[1]},
 * {@code local[N]} or any cluster (with the same JDK and kernels); and with one partition and
 * {@code K} = its batches per epoch, it equals the engine's single-machine training with the same
 * settings, byte for byte.
 *
 * <p>A run lasts {@code epochs · B} local steps per partition, where {@code B} is the largest number of
 * batches per epoch of any partition (partitions differ by at most one image), in
 * {@code ceil(epochs · B / K)} rounds.
 */
public final class SparkTrainer {

    /**
     * The {@code lanes-spark} flags, in which this trainer's messages name a setting (a resume refused
     * because one changed): {@code train}'s, with {@code --task-threads} for the thread count.
     */
    public static final SettingFlags FLAGS = SettingFlags.withThreadsFlag("--task-threads");

    /** How the rounds are run; every setter returns the options. */
    public static final class Options {
        private int localBatches;
        private int taskThreads = 1;
        private Path checkpoint;
        private boolean resume;
        private RoundListener listener;
        private Consumer<String> warnings = System.err::println;

        /** @return the defaults: one per-partition epoch per round, one thread per task, no checkpoint */
        public static Options defaults() {
            return new Options();
        }

        /**
         * @param k local mini-batches per partition per round, ≥ 1; 0 (the default) means one epoch of the
         *          largest partition
         * @return this
         */
        public Options localBatches(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("local-batches must be ≥ 0, got " + k);
            }
            localBatches = k;
            return this;
        }

        /**
         * @param threads the engine's worker threads in each task, ≥ 1 (default 1: Spark runs one task
         *                per core); does not change the result
         * @return this
         */
        public Options taskThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("task-threads must be ≥ 1, got " + threads);
            }
            taskThreads = threads;
            return this;
        }

        /**
         * @param model a model file on the driver, written atomically after every round with the state a
         *              resumed run needs; {@code null} for none
         * @return this
         */
        public Options checkpoint(Path model) {
            checkpoint = model;
            return this;
        }

        /**
         * @param on continue the run saved in the {@linkplain #checkpoint checkpoint}, which must exist
         * @return this
         */
        public Options resume(boolean on) {
            resume = on;
            return this;
        }

        /** @param l told about every round, or {@code null} @return this */
        public Options listener(RoundListener l) {
            listener = l;
            return this;
        }

        /** @param w receives one-line warnings (default: standard error) @return this */
        public Options warnings(Consumer<String> w) {
            warnings = Objects.requireNonNull(w);
            return this;
        }
    }

    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final Options options;

    /**
     * @param sc      the Spark context
     * @param config  the engine's settings: epochs, batch, optimizer, schedule, seed…; its
     *                {@code threads} is ignored (see {@link Options#taskThreads})
     * @param options how the rounds run
     */
    public SparkTrainer(JavaSparkContext sc, TrainingConfig config, Options options) {
        this.sc = Objects.requireNonNull(sc);
        this.config = Objects.requireNonNull(config);
        this.options = Objects.requireNonNull(options);
    }

    /** The run's shape, from the data and the options. */
    private record Plan(int batchesPerEpoch, int localBatches, long totalSteps, int rounds) {
    }

    private Plan plan(TrainingData data) {
        int most = 0;
        for (int n : data.partitionSizes()) {
            most = Math.max(most, (n + config.batchSize() - 1) / config.batchSize());
        }
        int k = options.localBatches > 0 ? options.localBatches : most;
        long total = (long) config.epochs() * most;
        return new Plan(most, k, total, (int) ((total + k - 1) / k));
    }

    /**
     * @param data the training set
     * @return the number of rounds a run over it takes
     */
    public int rounds(TrainingData data) {
        return plan(data).rounds();
    }

    /**
     * Trains a copy of {@code initial} (or, when resuming, of the checkpoint's network).
     *
     * @param initial the starting network; its input count and classes must fit the data
     * @param data    the training set
     * @param test    a labelled test set to evaluate on the driver after every round, or {@code null}
     * @return the trained network
     * @throws InputException one line: the data does not fit the network, a checkpoint cannot be written
     *                        or resumed, or training diverged (the last good checkpoint stays on disk)
     */
    public Network fit(Network initial, TrainingData data, Dataset test) throws InputException {
        requireFits(initial, data.features(), data.classCount(), data.source());
        if (test != null) {
            if (!test.hasLabels()) {
                throw new InputException(test.source() + ": the test set has no labels");
            }
            requireFits(initial, test.features(), test.classCount(), test.source());
        }
        Plan plan = plan(data);
        int n = initial.parameterCount();
        float[] params = initial.parameters().clone();
        float[][] moments = new float[config.optimizer().momentBuffers()][n];
        long steps = 0;
        int round = 0;
        int[] sizes = initial.sizes();
        if (options.resume) {
            if (options.checkpoint == null) {
                throw new IllegalArgumentException("resume needs a checkpoint");
            }
            ModelFile.Model saved = ModelFile.read(options.checkpoint);
            if (saved.trainingState() == null) {
                throw new InputException(options.checkpoint + ": holds no training state to resume");
            }
            if (!Arrays.equals(saved.network().sizes(), sizes)) {
                throw new InputException(options.checkpoint + ": its network " + shape(saved.network().sizes())
                        + " differs from " + shape(sizes));
            }
            SparkState state;
            try {
                state = SparkState.decode(saved.trainingState());
            } catch (IllegalArgumentException e) {
                throw new InputException(options.checkpoint + ": " + e.getMessage());
            }
            String diff = state.difference(config, data.partitions(), plan.localBatches(), data.size());
            if (diff != null) {
                throw new InputException("resume " + options.checkpoint + ": " + diff);
            }
            if (state.moments.length != moments.length) {
                throw new InputException(options.checkpoint + ": malformed Spark training state");
            }
            for (float[] m : state.moments) {
                if (m.length != n) {
                    throw new InputException(options.checkpoint + ": malformed Spark training state");
                }
            }
            params = saved.network().parameters();
            moments = state.moments;
            steps = state.steps;
            round = state.roundsDone;
            if (steps >= plan.totalSteps()) {
                throw new InputException("resume " + options.checkpoint + ": the run already finished "
                        + config.epochs() + " epochs; raise the epochs to train further");
            }
        } else if (options.checkpoint != null) {
            dev.lanes.io.AtomicFile.checkTarget(options.checkpoint);
        }
        Network net = new Network(sizes, params);
        boolean warned = false;
        int driverThreads = Runtime.getRuntime().availableProcessors();
        while (steps < plan.totalSteps()) {
            round++;
            int k = (int) Math.min(plan.localBatches(), plan.totalSteps() - steps);
            long started = System.nanoTime();
            Broadcast<PartitionTask.Input> in = sc.broadcast(new PartitionTask.Input(sizes, params, moments, steps, k,
                    config, options.taskThreads));
            List<PartitionTask.Output> out;
            sc.setJobDescription("Lanes round " + round + "/" + plan.rounds());
            try {
                out = data.shards().map(s -> PartitionTask.run(s, in.value())).collect();
            } finally {
                sc.setJobDescription(null);
                in.destroy();
            }
            double loss = 0;
            double correct = 0;
            long samples = 0;
            double compute = 0;
            String kernels = "vector";
            String note = null;
            for (PartitionTask.Output o : out) {
                if (o.diverged != null) {
                    throw new InputException("round " + round + ", partition " + o.partition + ": " + o.diverged
                            + (options.checkpoint == null ? "" : "; " + options.checkpoint + " holds the last good round")
                            + "; lower the learning rate");
                }
                loss += o.lossSum;
                correct += o.correct;
                samples += o.samples;
                compute = Math.max(compute, o.seconds);
                if (!"vector".equals(o.kernels)) {
                    kernels = o.kernels;
                    note = o.kernelsNote;
                }
            }
            params = average(out, o -> o.params);
            float[][] avg = new float[moments.length][];
            for (int m = 0; m < moments.length; m++) {
                int slot = m;
                avg[m] = average(out, o -> o.moments[slot]);
            }
            moments = avg;
            steps += k;
            net = new Network(sizes, params);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (!net.isFinite()) {
                throw new InputException("round " + round + ": the averaged weights are not finite (lower the learning rate)"
                        + (options.checkpoint == null ? "" : "; " + options.checkpoint + " holds the last good round"));
            }
            if (!warned && note != null) {
                options.warnings.accept("warning: executors ran the " + kernels + " kernels (" + note
                        + "); add --add-modules=jdk.incubator.vector to spark.executor.extraJavaOptions for the SIMD kernels");
                warned = true;
            }
            if (options.checkpoint != null) {
                ModelFile.write(options.checkpoint, net, new SparkState(config, data.partitions(), plan.localBatches(),
                        data.size(), round, steps, moments).encode());
            }
            double testAccuracy = Double.NaN;
            if (test != null) {
                Evaluation e = Evaluator.evaluate(net, test, driverThreads);
                testAccuracy = e.accuracy();
            }
            if (options.listener != null) {
                options.listener.onRound(new RoundStats(round, plan.rounds(), (double) steps / plan.batchesPerEpoch(), k,
                        loss / samples, correct / samples, testAccuracy, seconds, compute, kernels), net);
            }
        }
        return net;
    }

    /** The element-wise mean of one array of every output, summed in partition order: the same bits every time. */
    private static float[] average(List<PartitionTask.Output> out, java.util.function.Function<PartitionTask.Output, float[]> f) {
        int n = f.apply(out.get(0)).length;
        double[] sum = new double[n];
        for (PartitionTask.Output o : out) {
            float[] a = f.apply(o);
            for (int i = 0; i < n; i++) {
                sum[i] += a[i];
            }
        }
        float[] mean = new float[n];
        int p = out.size();
        for (int i = 0; i < n; i++) {
            mean[i] = (float) (sum[i] / p);
        }
        return mean;
    }

    private static void requireFits(Network net, int features, int classes, String source) throws InputException {
        if (features != net.inputs()) {
            throw new InputException(source + ": images have " + features + " pixels but the network has "
                    + net.inputs() + " inputs");
        }
        if (classes > net.classes()) {
            throw new InputException(source + ": label " + (classes - 1) + " is outside the network's "
                    + net.classes() + " classes");
        }
    }

    private static String shape(int[] sizes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            s.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        return s.toString();
    }

    static String describe(RoundStats s) {
        return String.format(Locale.ROOT, "round %3d/%d  epoch %.2f  loss %.4f  train %6.2f%%%s  %.2f s (overhead %.2f s)",
                s.round(), s.rounds(), s.epochs(), s.loss(), 100 * s.trainAccuracy(),
                Double.isNaN(s.testAccuracy()) ? "" : String.format(Locale.ROOT, "  test %6.2f%%", 100 * s.testAccuracy()),
                s.seconds(), s.overheadSeconds());
    }
}
