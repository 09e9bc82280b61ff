package dev.lanes.training;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.network.Network;
import dev.lanes.network.Workspace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mini-batch training of a {@link Network} with softmax cross-entropy.
 *
 * <p>Each batch is cut into chunks whose size depends on the batch size alone; every chunk's
 * gradient is computed independently (by whichever worker thread takes it) and the chunk gradients
 * are added in chunk order. The result is therefore bitwise the same for any number of threads.
 * All buffers are sized once, so a training step allocates nothing.
 *
 * <p>A trainer is used by one thread at a time and should be {@linkplain #close() closed} to stop its
 * worker threads.
 */
public final class Trainer implements AutoCloseable {

    /** The smallest chunk: below this the matrix kernels lose efficiency. */
    private static final int MIN_CHUNK_ROWS = 32;
    /** The most chunks per batch, bounding memory to that many gradient copies. */
    private static final int MAX_CHUNKS = 32;

    private final Network net;
    private final TrainingConfig config;
    private final Kernels k;
    private final WorkerPool pool;
    private final int chunkRows;
    private final Workspace[] workspaces;
    private final float[][] chunkGrads;
    private final double[] chunkLoss;
    private final int[] chunkCorrect;
    private final float[] slotA;
    private final float[] slotB;
    private final int[] sliceStart;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final WorkerPool.Task gradientTask = this::gradients;
    private final WorkerPool.Task updateTask = this::update;

    private int epochsDone;
    private long steps;
    private int[] order = new int[0];
    private Dataset data;
    private int batchStart;
    private int batchRows;
    private int chunkCount;
    private float stepRate;

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
        this.chunkRows = Math.max(Math.min(MIN_CHUNK_ROWS, config.batchSize()),
                ceilDiv(config.batchSize(), MAX_CHUNKS));
        int chunks = ceilDiv(config.batchSize(), chunkRows);
        int n = network.parameterCount();
        this.pool = new WorkerPool(config.threads());
        this.workspaces = new Workspace[pool.size()];
        for (int i = 0; i < workspaces.length; i++) {
            workspaces[i] = new Workspace(network, chunkRows);
        }
        this.chunkGrads = new float[chunks][n];
        this.chunkLoss = new double[chunks];
        this.chunkCorrect = new int[chunks];
        this.slotA = config.optimizer() == Optimizer.SGD ? new float[0] : new float[n];
        this.slotB = config.optimizer() == Optimizer.ADAM ? new float[n] : new float[0];
        this.sliceStart = slices(n, pool.size());
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Splits {@code n} parameters into {@code parts} ranges aligned to 64 floats (one cache line per 16). */
    private static int[] slices(int n, int parts) {
        int[] start = new int[parts + 1];
        int per = ceilDiv(ceilDiv(n, parts), 64) * 64;
        for (int p = 0; p <= parts; p++) {
            start[p] = Math.min(n, p * per);
        }
        return start;
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
     * evaluating after each one and telling the listener.
     *
     * @param train      the training set; its images must have {@code network.inputs()} pixels and
     *                   labels below {@code network.classes()}
     * @param validation a held-out set to evaluate after each epoch, or {@code null}
     * @param test       a test set to evaluate after each epoch, or {@code null}
     * @param listener   told about progress and each finished epoch, or {@code null}
     * @return the statistics of the epochs run by this call
     * @throws InputException if the listener fails (for example saving the model) or training diverges
     *                        ({@link DivergedException})
     */
    public List<EpochStats> fit(Dataset train, Dataset validation, Dataset test, TrainingListener listener)
            throws InputException {
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
                    stats.learningRate());
            all.add(stats);
            if (listener != null) {
                listener.onEpoch(stats, this);
            }
        }
        return all;
    }

    private void requireCompatible(Dataset d) {
        if (d.features() != net.inputs()) {
            throw new IllegalArgumentException(d.source() + ": images have " + d.features()
                    + " pixels but the network has " + net.inputs() + " inputs");
        }
        if (!d.hasLabels()) {
            throw new IllegalArgumentException(d.source() + ": training and evaluation need labels");
        }
        if (d.classCount() > net.classes()) {
            throw new IllegalArgumentException(d.source() + ": label " + (d.classCount() - 1)
                    + " is outside the network's " + net.classes() + " classes");
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
        float firstRate = config.schedule().rate(config, epoch, steps, totalSteps);
        double loss = 0;
        long correct = 0;
        int progressEvery = Math.max(1, batches / 100);
        long started = System.nanoTime();
        for (int b = fromBatch; b < toBatch; b++) {
            batchStart = b * config.batchSize();
            batchRows = Math.min(config.batchSize(), n - batchStart);
            chunkCount = ceilDiv(batchRows, chunkRows);
            stepRate = config.schedule().rate(config, epoch, steps, totalSteps);
            nextChunk.set(0);
            pool.run(gradientTask);
            double batchLoss = 0;
            for (int c = 0; c < chunkCount; c++) {
                batchLoss += chunkLoss[c];
                correct += chunkCorrect[c];
            }
            if (!Double.isFinite(batchLoss)) {
                throw new DivergedException(epoch, b + 1, batchLoss);
            }
            loss += batchLoss;
            steps++;
            pool.run(updateTask);
            if (listener != null && (b + 1) % progressEvery == 0) {
                listener.onProgress(epoch, b + 1, batches);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        data = null;
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

    /** Worker body of a step: forward and backward of every chunk this worker claims. */
    private void gradients(int worker) {
        Workspace ws = workspaces[worker];
        int features = net.inputs();
        byte[] pixels = data.pixels();
        int[] labels = data.labels();
        float scale = 1f / batchRows;
        for (int c = nextChunk.getAndIncrement(); c < chunkCount; c = nextChunk.getAndIncrement()) {
            int first = batchStart + c * chunkRows;
            int rows = Math.min(chunkRows, batchStart + batchRows - first);
            float[] x = ws.input();
            int[] y = ws.labels();
            for (int r = 0; r < rows; r++) {
                int sample = order[first + r];
                k.bytesToFloats(features, pixels, sample * features, x, r * features);
                y[r] = labels[sample];
            }
            net.forward(k, ws, rows);
            int hits = 0;
            int[] predicted = ws.predictions();
            for (int r = 0; r < rows; r++) {
                if (predicted[r] == y[r]) {
                    hits++;
                }
            }
            chunkCorrect[c] = hits;
            chunkLoss[c] = net.backward(k, ws, rows, scale, chunkGrads[c]);
        }
    }

    /** Worker body of a step: sums the chunk gradients of this worker's parameter slice, then updates it. */
    private void update(int worker) {
        int from = sliceStart[worker];
        int len = sliceStart[worker + 1] - from;
        if (len <= 0) {
            return;
        }
        float[] g = chunkGrads[0];
        for (int c = 1; c < chunkCount; c++) {
            k.add(len, chunkGrads[c], from, g, from);
        }
        float[] w = net.parameters();
        float lr = stepRate;
        float wd = config.weightDecay();
        switch (config.optimizer()) {
            case SGD:
                k.sgd(len, w, from, g, from, lr, wd);
                break;
            case MOMENTUM:
                k.momentum(len, w, from, g, from, slotA, from, lr, config.momentum(), wd, config.nesterov());
                break;
            default:
                float bc1 = (float) (1 - Math.pow(config.beta1(), steps));
                float bc2 = (float) (1 - Math.pow(config.beta2(), steps));
                k.adam(len, w, from, g, from, slotA, from, slotB, from, lr, config.beta1(), config.beta2(),
                        config.epsilon(), wd, bc1, bc2);
                break;
        }
    }

    /**
     * Evaluates the network on labelled data, using this trainer's threads.
     *
     * @param d the data set
     * @return accuracy, mean loss and confusion matrix
     */
    public Evaluation evaluate(Dataset d) {
        requireCompatible(d);
        return Evaluator.evaluate(net, d, k, pool, workspaces);
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
     * Copies of the optimizer's moment buffers, each laid out like {@link Network#parameters()}: none
     * for SGD, the velocity for momentum, the first and second moments for Adam.
     *
     * @return the buffers, in that order
     */
    public float[][] optimizerState() {
        switch (config.optimizer()) {
            case SGD:
                return new float[0][];
            case MOMENTUM:
                return new float[][] {slotA.clone()};
            default:
                return new float[][] {slotA.clone(), slotB.clone()};
        }
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
        float[][] slots = config.optimizer() == Optimizer.SGD ? new float[0][]
                : config.optimizer() == Optimizer.MOMENTUM ? new float[][] {slotA} : new float[][] {slotA, slotB};
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
        if (moments.length != slots.length) {
            throw new IllegalArgumentException(config.optimizer().name().toLowerCase(java.util.Locale.ROOT)
                    + " keeps " + slots.length + " moment buffers, got " + moments.length);
        }
        for (int i = 0; i < slots.length; i++) {
            if (moments[i].length != slots[i].length) {
                throw new IllegalArgumentException("moment buffer " + i + " has " + moments[i].length
                        + " values, the network has " + slots[i].length + " parameters");
            }
        }
        for (int i = 0; i < slots.length; i++) {
            System.arraycopy(moments[i], 0, slots[i], 0, slots[i].length);
        }
        this.steps = steps;
    }

    private static final int STATE_VERSION = 1;

    /**
     * The state an exact continuation needs: the settings that shape the result, the epochs and steps
     * done, and the optimizer's moment buffers. Stored in model files written during training.
     *
     * @return the encoded state
     */
    public byte[] state() {
        ByteBuffer b = ByteBuffer.allocate(128 + 4 * (slotA.length + slotB.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(STATE_VERSION);
        putConfig(b, config);
        b.putInt(epochsDone);
        b.putLong(steps);
        b.putInt(slotA.length);
        for (float f : slotA) {
            b.putFloat(f);
        }
        b.putInt(slotB.length);
        for (float f : slotB) {
            b.putFloat(f);
        }
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    /**
     * A trainer that continues an interrupted run exactly: same settings, the optimizer state and
     * position saved by {@link #state()}.
     *
     * @param network the network as saved with the state
     * @param config  the settings; all but {@code threads} and {@code epochs} must equal the saved ones
     * @param state   bytes from {@link #state()}
     * @param kernels the kernels to run on
     * @return the trainer, positioned after the last completed epoch
     * @throws IllegalArgumentException if the state is malformed or a setting differs (the message names it)
     */
    public static Trainer resume(Network network, TrainingConfig config, byte[] state, Kernels kernels) {
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (b.getInt() != STATE_VERSION) {
                throw new IllegalArgumentException("unsupported training state version");
            }
            TrainingConfig saved = getConfig(b);
            String diff = difference(saved, config);
            if (diff != null) {
                throw new IllegalArgumentException(diff);
            }
            Trainer t = new Trainer(network, config, kernels);
            t.epochsDone = b.getInt();
            t.steps = b.getLong();
            readSlot(b, t.slotA);
            readSlot(b, t.slotB);
            if (b.hasRemaining() || t.epochsDone < 0 || t.steps < 0) {
                throw new IllegalArgumentException("malformed training state");
            }
            return t;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated training state");
        }
    }

    private static void readSlot(ByteBuffer b, float[] slot) {
        int len = b.getInt();
        if (len != slot.length) {
            throw new IllegalArgumentException("training state has " + len + " optimizer values, expected "
                    + slot.length);
        }
        for (int i = 0; i < len; i++) {
            slot[i] = b.getFloat();
        }
    }

    private static void putConfig(ByteBuffer b, TrainingConfig c) {
        b.putInt(c.epochs()).putInt(c.batchSize()).putFloat(c.learningRate()).putInt(c.optimizer().ordinal())
                .putFloat(c.momentum()).put((byte) (c.nesterov() ? 1 : 0)).putFloat(c.weightDecay())
                .putInt(c.schedule().ordinal()).putInt(c.stepEpochs()).putFloat(c.stepGamma())
                .putFloat(c.beta1()).putFloat(c.beta2()).putFloat(c.epsilon()).putLong(c.seed())
                .put((byte) (c.shuffle() ? 1 : 0));
    }

    private static TrainingConfig getConfig(ByteBuffer b) {
        int epochs = b.getInt();
        int batch = b.getInt();
        float lr = b.getFloat();
        int opt = b.getInt();
        float mu = b.getFloat();
        boolean nesterov = b.get() != 0;
        float wd = b.getFloat();
        int schedule = b.getInt();
        int stepEpochs = b.getInt();
        float gamma = b.getFloat();
        float beta1 = b.getFloat();
        float beta2 = b.getFloat();
        float eps = b.getFloat();
        long seed = b.getLong();
        boolean shuffle = b.get() != 0;
        if (opt < 0 || opt >= Optimizer.values().length || schedule < 0 || schedule >= Schedule.values().length) {
            throw new IllegalArgumentException("malformed training state");
        }
        return new TrainingConfig(epochs, batch, lr, Optimizer.values()[opt], mu, nesterov, wd,
                Schedule.values()[schedule], stepEpochs, gamma, beta1, beta2, eps, seed, shuffle, 1);
    }

    /** Names the first setting that differs, in command-line terms; epochs may grow unless cosine needs them. */
    private static String difference(TrainingConfig saved, TrainingConfig now) {
        List<String> d = new ArrayList<>();
        check(d, "--batch", saved.batchSize(), now.batchSize());
        check(d, "--lr", saved.learningRate(), now.learningRate());
        check(d, "--optimizer", saved.optimizer(), now.optimizer());
        if (now.optimizer() == Optimizer.MOMENTUM) {
            check(d, "--momentum", saved.momentum(), now.momentum());
            check(d, "--nesterov", saved.nesterov(), now.nesterov());
        }
        check(d, "--weight-decay", saved.weightDecay(), now.weightDecay());
        check(d, "--schedule", saved.schedule(), now.schedule());
        if (now.schedule() == Schedule.STEP) {
            check(d, "--step-epochs", saved.stepEpochs(), now.stepEpochs());
            check(d, "--step-gamma", saved.stepGamma(), now.stepGamma());
        }
        if (now.schedule() == Schedule.COSINE) {
            check(d, "--epochs", saved.epochs(), now.epochs());
        }
        if (now.optimizer() == Optimizer.ADAM) {
            check(d, "--beta1", saved.beta1(), now.beta1());
            check(d, "--beta2", saved.beta2(), now.beta2());
            check(d, "--epsilon", saved.epsilon(), now.epsilon());
        }
        check(d, "--seed", saved.seed(), now.seed());
        check(d, "--no-shuffle", !saved.shuffle(), !now.shuffle());
        return d.isEmpty() ? null : d.get(0);
    }

    private static void check(List<String> out, String flag, Object saved, Object now) {
        if (!saved.equals(now)) {
            out.add(flag + " is " + now + " but the interrupted run used " + saved);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
