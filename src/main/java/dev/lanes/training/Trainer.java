package dev.lanes.training;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.Datasets;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.network.Network;
import dev.lanes.network.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch training of a {@link Network} with softmax cross-entropy.
 *
 * <p>A step runs each layer's matrix multiplies over the whole batch, in two phases split among the
 * worker threads by their <em>outputs</em>, never by the batch:
 * <ol>
 *   <li>rows (samples): gather and convert the batch, the forward pass through every layer, the loss
 *       and its gradient, and the backward pass down to every layer's pre-activation gradient — each
 *       row depends only on itself and the weights;</li>
 *   <li>parameters: each worker computes a block of rows of every layer's weight gradient (a sum over
 *       the whole batch), and the bias gradients it owns, then applies the optimizer to exactly those
 *       parameters.</li>
 * </ol>
 * Every gradient element is one fused multiply-add chain over the batch in increasing sample order
 * whatever the split, so the result is bitwise the same for any number of threads, and there are no
 * per-thread gradient copies to add up. All buffers are sized once, so a step allocates nothing.
 *
 * <p>A trainer is used by one thread at a time and should be {@linkplain #close() closed} to stop its
 * worker threads.
 */
public final class Trainer implements AutoCloseable {

    /**
     * Samples per loss sum: the batch loss adds these groups' sums in order, so the reported loss does
     * not depend on how the rows are split among threads either. Row blocks are whole groups.
     */
    private static final int LOSS_GROUP = 16;
    /** Rows of a weight gradient per block are a multiple of this (a whole vector of most widths). */
    private static final int GRADIENT_ALIGN = 8;
    /**
     * The least work per worker and step, in floating-point operations, for a hand-over between threads
     * to pay: an earlier engine's break-even on two cores, between 784-64-10 and 784-128-10 at batch 64
     * (20 and 39 MFLOP a step as {@link #autoThreads} counts). On this engine steady epochs alone would
     * take less: two threads are faster from 784-10-10 at batch 64 (3 MFLOP: 0.72–0.81× one thread's
     * epoch) and slower at batch 32 (1.5 MFLOP: 1.15×). But while the JIT compiles the kernels, a second
     * worker takes the compiler's core: the ten-epoch 784-10-10 job's first epoch took 2.05–2.88 s on two
     * threads against 1.73–2.15 s on one, and the whole job was slower on two (JDK 17, Zen 3), so the
     * bound stays until whole runs say where it should be.
     */
    private static final double MIN_FLOPS_PER_WORKER = 16e6;
    /** Bytes per cache line, the stride of {@link #touchRows}. */
    private static final int CACHE_LINE = 64;
    /** Samples per block when evaluating. */
    private static final int EVAL_ROWS = 256;
    /**
     * Steps after which this trainer's kernels count as compiled for {@link KernelsProvider#forWork}: the
     * 784-10-10 job's steps reach their steady time after about 300 (JDK 17, Zen 3).
     */
    private static final long WARM_STEPS = 500;

    private final Network net;
    private final TrainingConfig config;
    private final Kernels k;
    private final WorkerPool pool;
    private final Workspace batch;
    private final float[] grads;
    private final double[] groupLoss;
    private final int[] workerCorrect;
    private final Optimizer.State optimizer;
    private final WorkerPool.Task rowsTask = this::rows;
    private final WorkerPool.Task parametersTask = this::parameters;
    private Workspace[] evalWorkspaces;

    private int epochsDone;
    private long steps;
    /** Steps this trainer has run in this JVM (steps also counts those of a run it resumes). */
    private long stepsRun;
    private int[] order = new int[0];
    private Dataset data;
    private int batchStart;
    private int batchRows;
    private float stepRate;
    private int touched;

    /**
     * A trainer that starts from the network's current weights with fresh optimizer state.
     *
     * @param network the network to train, updated in place
     * @param config  the settings
     */
    public Trainer(Network network, TrainingConfig config) {
        this(network, config, KernelsProvider.get());
    }

    /**
     * As {@link #Trainer(Network, TrainingConfig)}, on the given kernels.
     *
     * @param network the network to train, updated in place
     * @param config  the settings
     * @param kernels the kernels to run on
     */
    public Trainer(Network network, TrainingConfig config, Kernels kernels) {
        this.net = network;
        this.config = config;
        this.k = kernels;
        int n = network.parameterCount();
        this.pool = new WorkerPool(config.threads() != TrainingConfig.AUTO_THREADS ? config.threads()
                : autoThreads(network, config.batchSize(), Runtime.getRuntime().availableProcessors()));
        this.batch = new Workspace(network, config.batchSize());
        this.grads = new float[n];
        this.groupLoss = new double[ceilDiv(config.batchSize(), LOSS_GROUP)];
        this.workerCorrect = new int[pool.size()];
        this.optimizer = config.optimizer().newState(n);
    }

    /**
     * The worker count for {@link TrainingConfig#AUTO_THREADS}: one per {@link #MIN_FLOPS_PER_WORKER} of a
     * step's work (forward, weight and input gradients: {@code 6·batch·Σ in·out}), at most {@code processors}.
     *
     * @param network    the network
     * @param batch      the batch size
     * @param processors the most workers
     * @return the number of workers, ≥ 1
     */
    static int autoThreads(Network network, int batch, int processors) {
        double flops = 0;
        for (int l = 0; l < network.layers(); l++) {
            flops += 6.0 * batch * network.layerInputs(l) * network.layerOutputs(l);
        }
        return (int) Math.max(1, Math.min(processors, Math.floor(flops / MIN_FLOPS_PER_WORKER)));
    }

    /** @return the number of worker threads a step runs on (the calling thread included) */
    public int threads() {
        return pool.size();
    }

    /**
     * Estimates the heap a trainer for such a network needs: the parameters and their gradient, the
     * optimizer's moment buffers, the batch's activations and gradients, each worker's evaluation block
     * and matrix-multiply scratch, and the copies of the moment buffers made when the state is saved.
     * Callers compare it with the heap available before creating the network, so that a network too
     * large for the heap is refused with a clear message instead of failing part-way.
     *
     * @param sizes  layer widths: inputs, hidden layers, classes
     * @param config the settings (batch size, optimizer and threads matter)
     * @return bytes needed, saturating at {@link Long#MAX_VALUE}
     */
    public static long bytesNeeded(int[] sizes, TrainingConfig config) {
        long n = Network.parameters(sizes);
        long slots = config.optimizer().momentBuffers();
        double activations = 0;
        double widestInput = 1;
        for (int l = 0; l < sizes.length; l++) {
            // One activation row per layer, and a gradient row per layer after the input.
            activations += l == 0 ? sizes[l] : 2.0 * sizes[l];
            if (l + 1 < sizes.length) {
                widestInput = Math.max(widestInput, sizes[l]);
            }
        }
        int workers = config.threads() != TrainingConfig.AUTO_THREADS ? config.threads()
                : Runtime.getRuntime().availableProcessors();
        // Per worker: packed A and B blocks of the matrix multiply (at most 256 x 256 and 256 x 100
        // floats), the 16-wide panel of a narrow layer's weights and the transposed copy of a narrow
        // layer's weight gradient (16 floats per input, plus a tile of padding).
        double scratch = 256.0 * 256 + 256.0 * 100 + 16 * widestInput + 16 * (widestInput + 5);
        double floats = n * (2.0 + slots + 3.0 * slots)
                + (double) config.batchSize() * (activations + 2)
                + (double) workers * (EVAL_ROWS * (activations + 2) + scratch);
        return floats * 4 >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) (floats * 4);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** @return the first index of part {@code part} of {@code n} split in {@code parts}, blocks a multiple of {@code align} */
    private static int split(int n, int parts, int part, int align) {
        int per = ceilDiv(ceilDiv(n, parts), align) * align;
        return Math.min(n, part * per);
    }

    /** @return the network being trained */
    public Network network() {
        return net;
    }

    /** @return the settings */
    public TrainingConfig config() {
        return config;
    }

    /** @return epochs completed so far (including those before a resume) */
    public int epochsDone() {
        return epochsDone;
    }

    /**
     * Trains for the remaining epochs ({@link TrainingConfig#epochs()} minus {@link #epochsDone()}),
     * evaluating after each one and telling the listener, or until the listener asks to stop
     * ({@link TrainingListener#stopRequested()}).
     *
     * @param train      the training set; its images must have {@code network.inputs()} pixels and
     *                   labels below {@code network.classes()}
     * @param validation a held-out set to evaluate after each epoch, or {@code null}
     * @param test       a test set to evaluate after each epoch, or {@code null}
     * @param listener   told about progress and each finished epoch, or {@code null}
     * @return the statistics of the epochs run by this call
     * @throws InputException    if the listener fails (for example saving the model)
     * @throws DivergedException if the loss or the weights stop being finite; the network then holds
     *                           the diverged weights, so callers keep their own last good copy
     */
    public List<EpochStats> fit(Dataset train, Dataset validation, Dataset test, TrainingListener listener)
            throws InputException, DivergedException {
        requireCompatible(train);
        if (validation != null) {
            requireCompatible(validation);
        }
        if (test != null) {
            requireCompatible(test);
        }
        List<EpochStats> all = new ArrayList<>();
        while (epochsDone < config.epochs()) {
            EpochStats stats = trainEpoch(train, listener);
            Evaluation v = validation == null ? null : evaluate(validation);
            Evaluation t = test == null ? null : evaluate(test);
            stats = new EpochStats(stats.epoch(), stats.loss(), stats.trainAccuracy(),
                    v == null ? Double.NaN : v.accuracy(), t == null ? Double.NaN : t.accuracy(),
                    t == null ? Double.NaN : t.loss(), stats.seconds(), stats.samplesPerSecond(),
                    stats.learningRate(), v == null ? Double.NaN : v.loss());
            all.add(stats);
            if (listener != null) {
                listener.onEpoch(stats, this);
                if (listener.stopRequested()) {
                    break;
                }
            }
        }
        return all;
    }

    private void requireCompatible(Dataset d) {
        if (!d.hasLabels()) {
            throw new IllegalArgumentException(d.source() + ": training and evaluation need labels");
        }
        try {
            Datasets.requireFits(d, net.inputs(), net.classes(), "the network");
        } catch (InputException e) {
            // A caller that passes data it has not checked has a bug, not bad input.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Runs one epoch over {@code train}.
     *
     * @param train    the training set
     * @param listener told about progress, or {@code null}
     * @return the epoch's training statistics (no validation or test figures)
     * @throws DivergedException if the loss or the weights stop being finite; the network then holds
     *                           the diverged weights, so callers keep their own last good copy
     */
    public EpochStats trainEpoch(Dataset train, TrainingListener listener) throws DivergedException {
        return trainBatches(train, epochsDone + 1, 0, batchesPerEpoch(train), listener);
    }

    /**
     * @param train a training set
     * @return the optimizer steps one epoch over it takes (the last batch may be partial)
     */
    public int batchesPerEpoch(Dataset train) {
        return ceilDiv(train.size(), config.batchSize());
    }

    /**
     * Runs batches {@code fromBatch} (inclusive) to {@code toBatch} (exclusive) of epoch {@code epoch}
     * over {@code train}, in the order {@link #trainEpoch} uses for that epoch, continuing from the
     * current step count and optimizer state. Running an epoch's batches in several calls gives
     * bitwise the network that one {@link #trainEpoch} call gives. When {@code toBatch} is the epoch's
     * last batch, {@link #epochsDone()} becomes {@code epoch}.
     *
     * <p>This is what data-parallel training needs: each worker trains a given number of local batches
     * from a given position, then hands its weights and {@linkplain #optimizerState() optimizer state}
     * back for averaging.
     *
     * @param train     the training set
     * @param epoch     the epoch, from 1; with shuffling on, it seeds the order together with the seed
     * @param fromBatch the first batch, {@code 0 ≤ fromBatch < toBatch}
     * @param toBatch   one past the last batch, at most {@link #batchesPerEpoch(Dataset)}
     * @param listener  told about progress, or {@code null}
     * @return statistics of the batches run (loss and accuracy over their samples; no validation or
     *         test figures)
     * @throws DivergedException if the loss or the weights stop being finite; the network then holds
     *                           the diverged weights, so callers keep their own last good copy
     * @throws IllegalArgumentException if the epoch or batch range is out of range, or the data does
     *                                  not fit the network
     */
    public EpochStats trainBatches(Dataset train, int epoch, int fromBatch, int toBatch, TrainingListener listener)
            throws DivergedException {
        requireCompatible(train);
        int n = train.size();
        int batches = ceilDiv(n, config.batchSize());
        if (epoch < 1 || fromBatch < 0 || fromBatch >= toBatch || toBatch > batches) {
            throw new IllegalArgumentException("batches " + fromBatch + " to " + toBatch + " of epoch " + epoch
                    + " are out of range: an epoch of " + train.source() + " has " + batches + " batches");
        }
        if (order.length != n) {
            order = new int[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (config.shuffle()) {
            shuffle(order, new SplittableRandom(mix(config.seed(), epoch)));
        }
        data = train;
        long totalSteps = (long) batches * config.epochs();
        float firstRate = config.schedule().rate(config.learningRate(), epoch, steps, totalSteps);
        double loss = 0;
        long correct = 0;
        int progressEvery = Math.max(1, batches / 100);
        long started = System.nanoTime();
        for (int b = fromBatch; b < toBatch; b++) {
            batchStart = b * config.batchSize();
            batchRows = Math.min(config.batchSize(), n - batchStart);
            stepRate = config.schedule().rate(config.learningRate(), epoch, steps, totalSteps);
            pool.run(rowsTask);
            double batchLoss = 0;
            for (int g = 0, groups = ceilDiv(batchRows, LOSS_GROUP); g < groups; g++) {
                batchLoss += groupLoss[g];
            }
            for (int w = 0; w < workerCorrect.length; w++) {
                correct += workerCorrect[w];
            }
            if (!Double.isFinite(batchLoss)) {
                throw new DivergedException(epoch, b + 1, batchLoss);
            }
            loss += batchLoss;
            steps++;
            stepsRun++;
            pool.run(parametersTask);
            if (listener != null && (b + 1) % progressEvery == 0) {
                listener.onProgress(epoch, b + 1, batches, loss / Math.min(n, (long) (b + 1) * config.batchSize()));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        data = null;
        if (stepsRun >= WARM_STEPS) {
            KernelsProvider.warmedUp(k);
        }
        if (!net.isFinite()) {
            throw new DivergedException(epoch, toBatch, Double.NaN);
        }
        if (toBatch == batches) {
            epochsDone = epoch;
        }
        int samples = Math.min(n, toBatch * config.batchSize()) - fromBatch * config.batchSize();
        return new EpochStats(epoch, loss / samples, (double) correct / samples, Double.NaN, Double.NaN, Double.NaN,
                seconds, samples / seconds, firstRate);
    }

    /**
     * Step phase 1, one worker's block of samples: gather and convert them, forward, loss, and the
     * backward pass down to every layer's pre-activation gradient.
     */
    private void rows(int worker) {
        int workers = pool.size();
        int r0 = split(batchRows, workers, worker, LOSS_GROUP);
        int r1 = split(batchRows, workers, worker + 1, LOSS_GROUP);
        workerCorrect[worker] = 0;
        if (r0 >= r1) {
            return;
        }
        int features = net.inputs();
        byte[] pixels = data.pixels();
        int[] labels = data.labels();
        float[] x = batch.input();
        int[] y = batch.labels();
        touchRows(pixels, features, r0, r1);
        for (int r = r0; r < r1; r++) {
            int sample = order[batchStart + r];
            k.bytesToFloats(features, pixels, sample * features, x, r * features);
            y[r] = labels[sample];
        }
        net.forward(k, batch, r0, r1 - r0);
        int hits = 0;
        int[] predicted = batch.predictions();
        for (int r = r0; r < r1; r++) {
            if (predicted[r] == y[r]) {
                hits++;
            }
        }
        workerCorrect[worker] = hits;
        float scale = 1f / batchRows;
        for (int g = r0; g < r1; g += LOSS_GROUP) {
            groupLoss[g / LOSS_GROUP] = net.outputGradient(k, batch, g, Math.min(LOSS_GROUP, r1 - g), scale);
        }
        net.backpropagate(k, batch, r0, r1 - r0);
    }

    /**
     * Reads one byte per cache line of the rows {@code r0 … r1−1} of this batch before they are
     * converted. The rows are random lines of a large array, so each costs a cache (and often a TLB)
     * miss; this loop has nothing else to do, so the core keeps many of those misses in flight at once,
     * where the conversion loop reaches them one row at a time (64 MNIST rows: 17–19 µs with it, 26–28
     * without, on Zen 3).
     */
    private void touchRows(byte[] pixels, int features, int r0, int r1) {
        int seen = 0;
        for (int r = r0; r < r1; r++) {
            int from = order[batchStart + r] * features;
            for (int i = from, end = from + features; i < end; i += CACHE_LINE) {
                seen += pixels[i];
            }
        }
        // Kept in a field so that the JIT cannot drop the loads as dead.
        touched = seen;
    }

    /**
     * Step phase 2, one worker's block of parameters: its rows of every layer's weight gradient and the
     * bias gradients it owns, each followed at once by the optimizer update of those parameters.
     */
    private void parameters(int worker) {
        int workers = pool.size();
        for (int l = 0; l < net.layers(); l++) {
            int in = net.layerInputs(l);
            int out = net.layerOutputs(l);
            int i0 = split(in, workers, worker, GRADIENT_ALIGN);
            int i1 = split(in, workers, worker + 1, GRADIENT_ALIGN);
            if (i0 < i1) {
                net.weightGradient(k, batch, batchRows, l, i0, i1, grads);
                update(net.weightOffset(l) + i0 * out, (i1 - i0) * out);
            }
            if (l % workers == worker) {
                net.biasGradient(k, batch, batchRows, l, grads);
                update(net.biasOffset(l), out);
            }
        }
    }

    /** Applies the optimizer to parameters {@code from … from+len−1}, whose gradient is in {@code grads}. */
    private void update(int from, int len) {
        optimizer.update(k, net.parameters(), grads, from, len, stepRate, config.weightDecay(), steps);
    }

    /**
     * Evaluates the network on labelled data, using this trainer's threads.
     *
     * @param d the data set
     * @return accuracy, mean loss and confusion matrix
     */
    public Evaluation evaluate(Dataset d) {
        requireCompatible(d);
        if (evalWorkspaces == null) {
            evalWorkspaces = new Workspace[pool.size()];
            for (int i = 0; i < evalWorkspaces.length; i++) {
                evalWorkspaces[i] = new Workspace(net, EVAL_ROWS);
            }
        }
        return Evaluator.evaluate(net, d, k, pool, evalWorkspaces);
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A per-epoch seed that differs for every (seed, epoch) pair. */
    private static long mix(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------- resumable state

    /** @return optimizer steps taken so far (including those before a resume) */
    public long steps() {
        return steps;
    }

    /**
     * Copies of the optimizer's moment buffers, each laid out like {@link Network#parameters()}, in the
     * order {@link Optimizer.State#moments()} gives them: none for SGD, the velocity for momentum, the
     * first and second moments for Adam.
     *
     * @return the buffers, in that order
     */
    public float[][] optimizerState() {
        float[][] live = optimizer.moments();
        float[][] copies = new float[live.length][];
        for (int i = 0; i < live.length; i++) {
            copies[i] = live[i].clone();
        }
        return copies;
    }

    /**
     * Replaces the step count and the optimizer's moment buffers, for example with the average of
     * several workers' {@link #optimizerState()}; the values are copied. The step count drives the
     * learning-rate schedule and Adam's bias correction.
     *
     * @param steps   optimizer steps taken so far, ≥ 0
     * @param moments as {@link #optimizerState()} returns them for this trainer's optimizer
     * @throws IllegalArgumentException if the step count is negative, or the number or length of the
     *                                  buffers does not fit the optimizer and the network
     */
    public void setOptimizerState(long steps, float[][] moments) {
        float[][] live = optimizer.moments();
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
        if (moments.length != live.length) {
            throw new IllegalArgumentException(config.optimizer().name() + " keeps " + live.length
                    + " moment buffers, got " + moments.length);
        }
        for (int i = 0; i < live.length; i++) {
            if (moments[i].length != live[i].length) {
                throw new IllegalArgumentException("moment buffer " + i + " has " + moments[i].length
                        + " values, the network has " + live[i].length + " parameters");
            }
        }
        for (int i = 0; i < live.length; i++) {
            System.arraycopy(moments[i], 0, live[i], 0, live[i].length);
        }
        this.steps = steps;
    }

    /**
     * The state an exact continuation needs ({@link #resume}): the settings, the epochs and steps
     * done, and copies of the optimizer's moment buffers. Model files written during training store it
     * {@linkplain TrainingState#encode() encoded}.
     *
     * @return the state
     */
    public TrainingState state() {
        return new TrainingState(config, epochsDone, steps, optimizerState());
    }

    /**
     * A trainer that continues an interrupted run exactly: same settings, the optimizer state and
     * position saved by {@link #state()}.
     *
     * @param network the network as saved with the state
     * @param config  the settings; all but {@code threads} and {@code epochs} must equal the saved ones
     *                ({@link TrainingState#difference(TrainingConfig)})
     * @param state   the saved state
     * @param kernels the kernels to run on
     * @return the trainer, positioned after the last completed epoch
     * @throws IllegalArgumentException if a setting differs (the message names it) or the moment
     *                                  buffers do not fit the network
     */
    public static Trainer resume(Network network, TrainingConfig config, TrainingState state, Kernels kernels) {
        TrainingState.Difference diff = state.difference(config);
        if (diff != null) {
            throw new IllegalArgumentException(diff.message());
        }
        for (float[] m : state.moments()) {
            if (m.length != network.parameterCount()) {
                throw new IllegalArgumentException("training state has " + m.length + " optimizer values per buffer,"
                        + " the network has " + network.parameterCount() + " parameters");
            }
        }
        Trainer t = new Trainer(network, config, kernels);
        t.setOptimizerState(state.steps(), state.moments());
        t.epochsDone = state.epochsDone();
        return t;
    }

    @Override
    public void close() {
        pool.close();
    }
}
