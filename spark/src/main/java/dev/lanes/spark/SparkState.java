package dev.lanes.spark;

import dev.lanes.training.Optimizer;
import dev.lanes.training.Schedule;
import dev.lanes.training.TrainingConfig;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The training state a Spark checkpoint stores in the model file's training-state section: the
 * settings that shape the result, the round and step reached, and the averaged optimizer moments.
 * It starts with a magic number of its own, so the engine's {@code train --resume} refuses it.
 */
final class SparkState {

    static final int MAGIC = 0x4B50534C; // "LSPK" little-endian
    static final int VERSION = 1;

    final TrainingConfig config;
    final int partitions;
    final int localBatches;
    final long samples;
    final int roundsDone;
    final long steps;
    final float[][] moments;

    SparkState(TrainingConfig config, int partitions, int localBatches, long samples, int roundsDone, long steps,
               float[][] moments) {
        this.config = config;
        this.partitions = partitions;
        this.localBatches = localBatches;
        this.samples = samples;
        this.roundsDone = roundsDone;
        this.steps = steps;
        this.moments = moments;
    }

    byte[] encode() {
        long floats = 0;
        for (float[] m : moments) {
            floats += m.length;
        }
        ByteBuffer b = ByteBuffer.allocate((int) (160 + 4 * moments.length + 4 * floats)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION);
        putConfig(b, config);
        b.putInt(partitions).putInt(localBatches).putLong(samples).putInt(roundsDone).putLong(steps);
        b.putInt(moments.length);
        for (float[] m : moments) {
            b.putInt(m.length);
            for (float f : m) {
                b.putFloat(f);
            }
        }
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    /** @throws IllegalArgumentException if the bytes are not a Spark training state of this version */
    static SparkState decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (b.getInt() != MAGIC) {
                throw new IllegalArgumentException("its training state is not from a Spark run (the engine's train --resume continues those)");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported Spark training state version " + version);
            }
            TrainingConfig config = getConfig(b, 1);
            int partitions = b.getInt();
            int k = b.getInt();
            long samples = b.getLong();
            int rounds = b.getInt();
            long steps = b.getLong();
            int count = b.getInt();
            if (partitions < 1 || k < 1 || samples < 1 || rounds < 0 || steps < 0 || count < 0 || count > 2) {
                throw new IllegalArgumentException("malformed Spark training state");
            }
            float[][] moments = new float[count][];
            for (int i = 0; i < count; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining() / 4) {
                    throw new IllegalArgumentException("malformed Spark training state");
                }
                moments[i] = new float[len];
                for (int j = 0; j < len; j++) {
                    moments[i][j] = b.getFloat();
                }
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("malformed Spark training state");
            }
            return new SparkState(config, partitions, k, samples, rounds, steps, moments);
        } catch (BufferUnderflowException | IllegalStateException e) {
            throw new IllegalArgumentException("truncated Spark training state");
        }
    }

    /** Writes the settings that shape a result (not the thread count). */
    static void putConfig(ByteBuffer b, TrainingConfig c) {
        b.putInt(c.epochs()).putInt(c.batchSize()).putFloat(c.learningRate()).putInt(c.optimizer().ordinal())
                .putFloat(c.momentum()).put((byte) (c.nesterov() ? 1 : 0)).putFloat(c.weightDecay())
                .putInt(c.schedule().ordinal()).putInt(c.stepEpochs()).putFloat(c.stepGamma())
                .putFloat(c.beta1()).putFloat(c.beta2()).putFloat(c.epsilon()).putLong(c.seed())
                .put((byte) (c.shuffle() ? 1 : 0));
    }

    /** Reads what {@link #putConfig} wrote, with the given thread count. */
    static TrainingConfig getConfig(ByteBuffer b, int threads) {
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
            throw new IllegalArgumentException("malformed Spark training state");
        }
        return new TrainingConfig(epochs, batch, lr, Optimizer.values()[opt], mu, nesterov, wd,
                Schedule.values()[schedule], stepEpochs, gamma, beta1, beta2, eps, seed, shuffle, threads);
    }

    /** The settings as bytes, for shipping to executors ({@link TrainingConfig} is not serializable). */
    static byte[] configBytes(TrainingConfig c) {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        putConfig(b, c);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** @return the settings {@link #configBytes} encoded, with the given thread count */
    static TrainingConfig config(byte[] bytes, int threads) {
        return getConfig(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), threads);
    }

    /** Names the first setting a resumed run changed, in command-line terms, or returns {@code null}. */
    String difference(TrainingConfig now, int partitionsNow, int localBatchesNow, long samplesNow) {
        List<String> d = new ArrayList<>();
        TrainingConfig saved = config;
        check(d, "--partitions", partitions, partitionsNow);
        check(d, "--local-batches", localBatches, localBatchesNow);
        check(d, "the number of training images", samples, samplesNow);
        check(d, "--batch", saved.batchSize(), now.batchSize());
        check(d, "--lr", saved.learningRate(), now.learningRate());
        check(d, "--optimizer", saved.optimizer(), now.optimizer());
        check(d, "--momentum", saved.momentum(), now.momentum());
        check(d, "--nesterov", saved.nesterov(), now.nesterov());
        check(d, "--weight-decay", saved.weightDecay(), now.weightDecay());
        check(d, "--schedule", saved.schedule(), now.schedule());
        check(d, "--step-epochs", saved.stepEpochs(), now.stepEpochs());
        check(d, "--step-gamma", saved.stepGamma(), now.stepGamma());
        check(d, "--beta1", saved.beta1(), now.beta1());
        check(d, "--beta2", saved.beta2(), now.beta2());
        check(d, "--epsilon", saved.epsilon(), now.epsilon());
        check(d, "--seed", saved.seed(), now.seed());
        check(d, "--no-shuffle", !saved.shuffle(), !now.shuffle());
        if (now.schedule() == Schedule.COSINE) {
            check(d, "--epochs", saved.epochs(), now.epochs());
        }
        return d.isEmpty() ? null : d.get(0);
    }

    private static void check(List<String> out, String what, Object saved, Object now) {
        if (!saved.equals(now)) {
            out.add(what + " is " + now + " but the interrupted run used " + saved);
        }
    }
}
