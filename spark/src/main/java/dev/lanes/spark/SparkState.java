package dev.lanes.spark;

import dev.lanes.training.TrainingConfig;
import dev.lanes.training.TrainingState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The training state a Spark checkpoint stores in the model file's training-state section: the
 * settings that shape the result, the round and step reached, and the averaged optimizer moments.
 * It starts with a magic number of its own, so the engine's {@code train --resume} refuses it; the
 * settings are stored as the engine's {@link TrainingState#encodeConfig} writes them.
 */
final class SparkState {

    static final int MAGIC = 0x4B50534C; // "LSPK" little-endian
    /** Version 1 stored the engine's settings in their first format. */
    static final int VERSION = 2;

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
        byte[] settings = TrainingState.encodeConfig(config);
        ByteBuffer b = ByteBuffer.allocate((int) (8 + settings.length + 32 + 4 * moments.length + 4 * floats))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).put(settings);
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
            if (version >= 1 && version < VERSION) {
                throw new IllegalArgumentException("its Spark training state was written by an older version of Lanes"
                        + " (format " + version + ") and cannot be resumed");
            }
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported Spark training state version " + version);
            }
            TrainingConfig config;
            try {
                config = TrainingState.readConfig(b, 1);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed Spark training state (" + e.getMessage() + ")");
            }
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

    /** Names the first setting a resumed run changed, in command-line terms, or returns {@code null}. */
    String difference(TrainingConfig now, int partitionsNow, int localBatchesNow, long samplesNow) {
        List<String> d = new ArrayList<>();
        check(d, "--partitions", partitions, partitionsNow);
        check(d, "--local-batches", localBatches, localBatchesNow);
        check(d, "the number of training images", samples, samplesNow);
        TrainingState.Difference engine = TrainingState.difference(config, now);
        if (engine != null) {
            d.add(SparkTrainer.FLAGS.message(engine));
        }
        return d.isEmpty() ? null : d.get(0);
    }

    private static void check(List<String> out, String what, Object saved, Object now) {
        if (!saved.equals(now)) {
            out.add(what + " is " + now + " but the interrupted run used " + saved);
        }
    }
}
