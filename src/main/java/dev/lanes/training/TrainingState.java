package dev.lanes.training;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What an exact continuation of a run needs: the settings that shape the result, the epochs and steps
 * done, and the optimizer's moment buffers. Model files written during training store it
 * {@linkplain #encode() encoded}.
 *
 * <p>Layout, little-endian: a u32 {@linkplain #VERSION version}, the {@linkplain #encodeConfig settings},
 * the epochs done (i32), the steps done (i64), the number of moment buffers (i32) and each buffer as its
 * length (i32) and its floats. The settings are the epochs, batch size (i32), learning rate, weight
 * decay (f32), seed (i64) and shuffle (u8); the optimizer as its code (i32: {@link #SGD},
 * {@link #MOMENTUM}, {@link #ADAM}) and coefficients (momentum: μ f32, Nesterov u8; Adam: β1, β2, ε
 * f32); the schedule as its code (i32: {@link #CONSTANT}, {@link #STEP}, {@link #COSINE}) and, for
 * step, the interval (i32) and γ (f32). The thread count is not stored: it does not change the result.
 */
public final class TrainingState {

    /** The format version this class writes and reads. Version 1 stored the kinds by declaration order. */
    public static final int VERSION = 2;

    /** The stored code of {@link Optimizer.Sgd}. Codes never change; new kinds get new ones. */
    public static final int SGD = 1;
    /** The stored code of {@link Optimizer.Momentum}. */
    public static final int MOMENTUM = 2;
    /** The stored code of {@link Optimizer.Adam}. */
    public static final int ADAM = 3;
    /** The stored code of {@link Schedule.Constant}. */
    public static final int CONSTANT = 1;
    /** The stored code of {@link Schedule.Step}. */
    public static final int STEP = 2;
    /** The stored code of {@link Schedule.Cosine}. */
    public static final int COSINE = 3;

    /** The most bytes the settings take: the fixed ones, Adam's coefficients and a step schedule's values. */
    private static final int CONFIG_BYTES = 4 + 4 + 4 + 4 + 8 + 1 + (4 + 12) + (4 + 8);

    private final TrainingConfig config;
    private final int epochsDone;
    private final long steps;
    private final float[][] moments;

    /**
     * @param config     the run's settings
     * @param epochsDone epochs completed, ≥ 0
     * @param steps      optimizer steps taken, ≥ 0
     * @param moments    the optimizer's moment buffers as {@link Optimizer.State#moments()} orders them,
     *                   all of one length; kept, not copied
     * @throws IllegalArgumentException if a count is negative, or the buffers do not fit the optimizer
     */
    public TrainingState(TrainingConfig config, int epochsDone, long steps, float[][] moments) {
        if (epochsDone < 0 || steps < 0) {
            throw new IllegalArgumentException("epochs and steps done must be ≥ 0, got " + epochsDone + " and " + steps);
        }
        if (moments.length != config.optimizer().momentBuffers()) {
            throw new IllegalArgumentException(config.optimizer().name() + " keeps "
                    + config.optimizer().momentBuffers() + " moment buffers, got " + moments.length);
        }
        for (float[] m : moments) {
            if (m.length != moments[0].length) {
                throw new IllegalArgumentException("moment buffers of " + moments[0].length + " and " + m.length
                        + " values");
            }
        }
        this.config = config;
        this.epochsDone = epochsDone;
        this.steps = steps;
        this.moments = moments;
    }

    /** @return the run's settings; the thread count is {@link TrainingConfig#AUTO_THREADS} when decoded */
    public TrainingConfig config() {
        return config;
    }

    /** @return epochs completed */
    public int epochsDone() {
        return epochsDone;
    }

    /** @return optimizer steps taken */
    public long steps() {
        return steps;
    }

    /** @return the optimizer's moment buffers (the arrays themselves) */
    public float[][] moments() {
        return moments;
    }

    /** @return the state as bytes, in the layout described above */
    public byte[] encode() {
        byte[] settings = encodeConfig(config);
        long size = 4 + settings.length + 4 + 8 + 4;
        for (float[] m : moments) {
            size += 4 + 4L * m.length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a training state of " + size + " bytes does not fit in an array");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VERSION).put(settings).putInt(epochsDone).putLong(steps).putInt(moments.length);
        for (float[] m : moments) {
            b.putInt(m.length);
            for (float f : m) {
                b.putFloat(f);
            }
        }
        return b.array();
    }

    /**
     * @param bytes what {@link #encode()} wrote
     * @return the state
     * @throws IllegalArgumentException if the bytes are malformed, truncated, or of another version (the
     *                                  message says so for a state written by an older version)
     */
    public static TrainingState decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int version = b.getInt();
            if (version >= 1 && version < VERSION) {
                throw new IllegalArgumentException("the training state was written by an older version of Lanes"
                        + " (format " + version + ") and cannot be resumed");
            }
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported training state version " + version);
            }
            TrainingConfig config = readConfig(b, TrainingConfig.AUTO_THREADS);
            int epochsDone = b.getInt();
            long steps = b.getLong();
            int count = b.getInt();
            if (count != config.optimizer().momentBuffers()) {
                throw new IllegalArgumentException("malformed training state");
            }
            float[][] moments = new float[count][];
            for (int i = 0; i < count; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining() / 4) {
                    throw new IllegalArgumentException("truncated training state");
                }
                moments[i] = new float[len];
                for (int j = 0; j < len; j++) {
                    moments[i][j] = b.getFloat();
                }
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("malformed training state");
            }
            return new TrainingState(config, epochsDone, steps, moments);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated training state");
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException("malformed training state: " + e.getMessage());
        }
    }

    /**
     * The settings alone, in the layout a state stores them, for other formats that embed them (and
     * for shipping a configuration as bytes: {@link TrainingConfig} is not serializable).
     *
     * @param config the settings
     * @return their bytes, without the thread count
     */
    public static byte[] encodeConfig(TrainingConfig config) {
        ByteBuffer b = ByteBuffer.allocate(CONFIG_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        putConfig(b, config);
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Reads what {@link #encodeConfig} wrote, from the buffer's position on.
     *
     * @param b       a little-endian buffer
     * @param threads the thread count to give the settings
     * @return the settings
     * @throws IllegalArgumentException if the bytes are malformed
     * @throws BufferUnderflowException if they are truncated
     */
    public static TrainingConfig readConfig(ByteBuffer b, int threads) {
        if (b.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("a training state is little-endian");
        }
        int epochs = b.getInt();
        int batch = b.getInt();
        float lr = b.getFloat();
        float weightDecay = b.getFloat();
        long seed = b.getLong();
        boolean shuffle = b.get() != 0;
        Optimizer optimizer;
        int code = b.getInt();
        switch (code) {
            case SGD:
                optimizer = new Optimizer.Sgd();
                break;
            case MOMENTUM:
                optimizer = new Optimizer.Momentum(b.getFloat(), b.get() != 0);
                break;
            case ADAM:
                optimizer = new Optimizer.Adam(b.getFloat(), b.getFloat(), b.getFloat());
                break;
            default:
                throw new IllegalArgumentException("malformed training state: unknown optimizer code " + code);
        }
        Schedule schedule;
        code = b.getInt();
        switch (code) {
            case CONSTANT:
                schedule = new Schedule.Constant();
                break;
            case STEP:
                schedule = new Schedule.Step(b.getInt(), b.getFloat());
                break;
            case COSINE:
                schedule = new Schedule.Cosine();
                break;
            default:
                throw new IllegalArgumentException("malformed training state: unknown schedule code " + code);
        }
        return new TrainingConfig(epochs, batch, lr, optimizer, weightDecay, schedule, seed, shuffle, threads);
    }

    private static void putConfig(ByteBuffer b, TrainingConfig c) {
        b.putInt(c.epochs()).putInt(c.batchSize()).putFloat(c.learningRate()).putFloat(c.weightDecay())
                .putLong(c.seed()).put(flag(c.shuffle()));
        Optimizer o = c.optimizer();
        if (o instanceof Optimizer.Momentum) {
            Optimizer.Momentum m = (Optimizer.Momentum) o;
            b.putInt(MOMENTUM).putFloat(m.mu()).put(flag(m.nesterov()));
        } else if (o instanceof Optimizer.Adam) {
            Optimizer.Adam a = (Optimizer.Adam) o;
            b.putInt(ADAM).putFloat(a.beta1()).putFloat(a.beta2()).putFloat(a.eps());
        } else {
            b.putInt(SGD);
        }
        Schedule s = c.schedule();
        if (s instanceof Schedule.Step) {
            Schedule.Step step = (Schedule.Step) s;
            b.putInt(STEP).putInt(step.every()).putFloat(step.gamma());
        } else {
            b.putInt(s instanceof Schedule.Cosine ? COSINE : CONSTANT);
        }
    }

    private static byte flag(boolean on) {
        return (byte) (on ? 1 : 0);
    }

    /**
     * A setting in which a new run differs from the saved one.
     *
     * @param setting the setting
     * @param saved   its saved value as text ({@code on}/{@code off} for switches, kinds by name)
     * @param now     its new value, likewise
     */
    public record Difference(Setting setting, String saved, String now) {
        /** @return e.g. {@code "learning rate is 0.2 but the interrupted run used 0.1"} */
        public String message() {
            return setting.label() + " is " + now + " but the interrupted run used " + saved;
        }
    }

    /**
     * @param now the settings of the run that would continue this one
     * @return the first setting that would change the result, or {@code null} if none does
     * @see #difference(TrainingConfig, TrainingConfig)
     */
    public Difference difference(TrainingConfig now) {
        return difference(config, now);
    }

    /**
     * Compares the settings that shape a result, in this order: batch size, learning rate, the
     * optimizer and its coefficients, weight decay, the schedule and its values, seed and shuffle. The
     * epochs may grow, unless the schedule spreads over all of them (cosine); the thread count may
     * change.
     *
     * @param saved the settings of an interrupted run
     * @param now   the settings of the run that would continue it
     * @return the first setting that differs, or {@code null} if none does
     */
    public static Difference difference(TrainingConfig saved, TrainingConfig now) {
        Difference d = first(null, Setting.BATCH_SIZE, saved.batchSize(), now.batchSize());
        d = first(d, Setting.LEARNING_RATE, saved.learningRate(), now.learningRate());
        d = first(d, Setting.OPTIMIZER, saved.optimizer().name(), now.optimizer().name());
        if (d == null && now.optimizer() instanceof Optimizer.Momentum) {
            Optimizer.Momentum s = (Optimizer.Momentum) saved.optimizer();
            Optimizer.Momentum n = (Optimizer.Momentum) now.optimizer();
            d = first(d, Setting.MOMENTUM, s.mu(), n.mu());
            d = first(d, Setting.NESTEROV, s.nesterov(), n.nesterov());
        }
        if (d == null && now.optimizer() instanceof Optimizer.Adam) {
            Optimizer.Adam s = (Optimizer.Adam) saved.optimizer();
            Optimizer.Adam n = (Optimizer.Adam) now.optimizer();
            d = first(d, Setting.BETA1, s.beta1(), n.beta1());
            d = first(d, Setting.BETA2, s.beta2(), n.beta2());
            d = first(d, Setting.EPSILON, s.eps(), n.eps());
        }
        d = first(d, Setting.WEIGHT_DECAY, saved.weightDecay(), now.weightDecay());
        d = first(d, Setting.SCHEDULE, saved.schedule().name(), now.schedule().name());
        if (d == null && now.schedule() instanceof Schedule.Step) {
            Schedule.Step s = (Schedule.Step) saved.schedule();
            Schedule.Step n = (Schedule.Step) now.schedule();
            d = first(d, Setting.STEP_EVERY, s.every(), n.every());
            d = first(d, Setting.STEP_GAMMA, s.gamma(), n.gamma());
        }
        if (d == null && now.schedule() instanceof Schedule.Cosine) {
            d = first(d, Setting.EPOCHS, saved.epochs(), now.epochs());
        }
        d = first(d, Setting.SEED, saved.seed(), now.seed());
        return first(d, Setting.SHUFFLE, saved.shuffle(), now.shuffle());
    }

    /** @return {@code found} if a difference was found already, else the difference in this setting, if any */
    private static Difference first(Difference found, Setting setting, Object saved, Object now) {
        if (found != null || saved.equals(now)) {
            return found;
        }
        return new Difference(setting, text(saved), text(now));
    }

    private static String text(Object value) {
        return value instanceof Boolean ? ((Boolean) value ? "on" : "off") : String.valueOf(value);
    }
}
