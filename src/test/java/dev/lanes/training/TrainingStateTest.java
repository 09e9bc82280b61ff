package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The training-state codec: its layout, its stable codes, its refusals and the comparison of settings. */
class TrainingStateTest {

    private static final TrainingConfig BASE = TrainingConfig.builder().epochs(3).batchSize(50).learningRate(0.1f)
            .seed(7).build();

    static Stream<TrainingConfig> configs() {
        List<Optimizer> rules = List.of(new Optimizer.Sgd(), new Optimizer.Momentum(0.8f, true), new Optimizer.Adam());
        List<Schedule> schedules = List.of(new Schedule.Constant(), new Schedule.Step(2, 0.25f), new Schedule.Cosine());
        return rules.stream().flatMap(o -> schedules.stream().map(s -> BASE.toBuilder().optimizer(o).schedule(s)
                .weightDecay(1e-4f).shuffle(false).build()));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void roundTripsExactly(TrainingConfig config) {
        float[][] moments = new float[config.optimizer().momentBuffers()][5];
        for (int m = 0; m < moments.length; m++) {
            moments[m][m] = Float.intBitsToFloat(0x7fc00001 + m); // a NaN payload survives, bit for bit
            moments[m][4] = -0f;
        }
        byte[] bytes = new TrainingState(config, 2, 41, moments).encode();
        TrainingState back = TrainingState.decode(bytes);
        assertEquals(config.toBuilder().threads(TrainingConfig.AUTO_THREADS).build(), back.config());
        assertEquals(2, back.epochsDone());
        assertEquals(41, back.steps());
        assertEquals(moments.length, back.moments().length);
        for (int m = 0; m < moments.length; m++) {
            for (int i = 0; i < 5; i++) {
                assertEquals(Float.floatToRawIntBits(moments[m][i]), Float.floatToRawIntBits(back.moments()[m][i]));
            }
        }
        assertArrayEquals(bytes, back.encode());
    }

    /** The codes are part of the file format: renumbering or reordering kinds must fail here. */
    @Test
    void theKindCodesArePinned() {
        assertEquals(2, TrainingState.VERSION);
        assertEquals(List.of(1, 2, 3), List.of(TrainingState.SGD, TrainingState.MOMENTUM, TrainingState.ADAM));
        assertEquals(List.of(1, 2, 3), List.of(TrainingState.CONSTANT, TrainingState.STEP, TrainingState.COSINE));
    }

    /** The settings' bytes, written out field by field as the class documents them. */
    @Test
    void theSettingsLayoutIsPinned() {
        TrainingConfig.Builder b = BASE.toBuilder().weightDecay(0.5f);
        assertArrayEquals(fixed(9 + 12).putInt(2).putFloat(0.75f).put((byte) 1).putInt(2).putInt(4).putFloat(0.5f).array(),
                TrainingState.encodeConfig(b.optimizer(new Optimizer.Momentum(0.75f, true))
                        .schedule(new Schedule.Step(4, 0.5f)).build()));
        assertArrayEquals(fixed(16 + 4).putInt(3).putFloat(0.5f).putFloat(0.25f).putFloat(2f).putInt(3).array(),
                TrainingState.encodeConfig(b.optimizer(new Optimizer.Adam(0.5f, 0.25f, 2f))
                        .schedule(new Schedule.Cosine()).build()));
        assertArrayEquals(fixed(4 + 4).putInt(1).putInt(1).array(),
                TrainingState.encodeConfig(b.optimizer(new Optimizer.Sgd()).schedule(new Schedule.Constant()).build()));
    }

    /** Epochs 3, batch 50, lr 0.1, weight decay 0.5, seed 7, shuffle on, then room for the kinds. */
    private static ByteBuffer fixed(int kinds) {
        return ByteBuffer.allocate(25 + kinds).order(ByteOrder.LITTLE_ENDIAN).putInt(3).putInt(50).putFloat(0.1f)
                .putFloat(0.5f).putLong(7).put((byte) 1);
    }

    @Test
    void aStateOfTheFirstFormatIsRefusedAsOlder() {
        byte[] v1 = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN).putInt(1).array();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingState.decode(v1));
        assertEquals("the training state was written by an older version of Lanes (format 1) and cannot be resumed",
                e.getMessage());
    }

    @Test
    void malformedStatesAreRefusedWithTheReason() {
        byte[] good = new TrainingState(BASE.toBuilder().optimizer(new Optimizer.Adam()).build(), 1, 9,
                new float[][] {new float[3], new float[3]}).encode();
        assertEquals("truncated training state", message(Arrays.copyOf(good, good.length - 1)));
        assertEquals("malformed training state", message(Arrays.copyOf(good, good.length + 1)));
        assertEquals("unsupported training state version 99", message(patch(good, 0, 99)));
        // The optimizer's code follows version (4) and the fixed settings (25).
        assertEquals("malformed training state: unknown optimizer code 9", message(patch(good, 29, 9)));
        byte[] badBeta = good.clone();
        ByteBuffer.wrap(badBeta).order(ByteOrder.LITTLE_ENDIAN).putFloat(33, 1.5f);
        assertEquals("malformed training state: beta1 must be in [0, 1), got 1.5", message(badBeta));
        assertTrue(message(new byte[2]).startsWith("truncated"));
    }

    private static String message(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> TrainingState.decode(bytes)).getMessage();
    }

    private static byte[] patch(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }

    @Test
    void buffersMustFitTheOptimizer() {
        TrainingConfig momentum = BASE.toBuilder().optimizer(new Optimizer.Momentum(0.9f, false)).build();
        assertThrows(IllegalArgumentException.class, () -> new TrainingState(momentum, 0, 0, new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> new TrainingState(BASE, -1, 0, new float[0][]));
        TrainingConfig adam = BASE.toBuilder().optimizer(new Optimizer.Adam()).build();
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingState(adam, 0, 0, new float[][] {new float[2], new float[3]}));
    }

    private static void differs(Setting setting, String message, TrainingConfig saved, UnaryOperator<TrainingConfig.Builder> change) {
        TrainingState.Difference d = new TrainingState(saved, 1, 1, new float[saved.optimizer().momentBuffers()][0])
                .difference(change.apply(saved.toBuilder()).build());
        assertSame(setting, d.setting(), message);
        assertEquals(message, d.message());
    }

    @Test
    void theFirstDifferenceIsReportedByName() {
        TrainingConfig momentum = BASE.toBuilder().optimizer(new Optimizer.Momentum(0.9f, false))
                .schedule(new Schedule.Step(2, 0.5f)).build();
        TrainingConfig adam = BASE.toBuilder().optimizer(new Optimizer.Adam()).schedule(new Schedule.Cosine()).build();
        differs(Setting.BATCH_SIZE, "batch size is 64 but the interrupted run used 50", BASE, b -> b.batchSize(64));
        differs(Setting.LEARNING_RATE, "learning rate is 0.2 but the interrupted run used 0.1", BASE, b -> b.learningRate(0.2f));
        differs(Setting.OPTIMIZER, "optimizer is adam but the interrupted run used sgd", BASE, b -> b.optimizer(new Optimizer.Adam()));
        differs(Setting.MOMENTUM, "momentum is 0.8 but the interrupted run used 0.9", momentum,
                b -> b.optimizer(new Optimizer.Momentum(0.8f, false)));
        differs(Setting.NESTEROV, "nesterov is on but the interrupted run used off", momentum,
                b -> b.optimizer(new Optimizer.Momentum(0.9f, true)));
        differs(Setting.BETA1, "beta1 is 0.8 but the interrupted run used 0.9", adam,
                b -> b.optimizer(new Optimizer.Adam(0.8f, 0.999f, 1e-8f)));
        differs(Setting.BETA2, "beta2 is 0.99 but the interrupted run used 0.999", adam,
                b -> b.optimizer(new Optimizer.Adam(0.9f, 0.99f, 1e-8f)));
        differs(Setting.EPSILON, "epsilon is 1.0E-7 but the interrupted run used 1.0E-8", adam,
                b -> b.optimizer(new Optimizer.Adam(0.9f, 0.999f, 1e-7f)));
        differs(Setting.WEIGHT_DECAY, "weight decay is 0.01 but the interrupted run used 0.0", BASE, b -> b.weightDecay(0.01f));
        differs(Setting.SCHEDULE, "schedule is cosine but the interrupted run used constant", BASE,
                b -> b.schedule(new Schedule.Cosine()));
        differs(Setting.STEP_EVERY, "step interval is 3 but the interrupted run used 2", momentum,
                b -> b.schedule(new Schedule.Step(3, 0.5f)));
        differs(Setting.STEP_GAMMA, "step gamma is 0.25 but the interrupted run used 0.5", momentum,
                b -> b.schedule(new Schedule.Step(2, 0.25f)));
        differs(Setting.EPOCHS, "epochs is 4 but the interrupted run used 3", adam, b -> b.epochs(4));
        differs(Setting.SEED, "seed is 8 but the interrupted run used 7", BASE, b -> b.seed(8));
        differs(Setting.SHUFFLE, "shuffle is off but the interrupted run used on", BASE, b -> b.shuffle(false));
        differs(Setting.LEARNING_RATE, "learning rate is 0.2 but the interrupted run used 0.1", BASE,
                b -> b.seed(8).learningRate(0.2f).batchSize(50));
    }

    @Test
    void epochsAndThreadsMayChangeWhereTheyDoNotShapeTheResult() {
        for (Schedule s : List.of(new Schedule.Constant(), new Schedule.Step(1, 0.5f))) {
            TrainingConfig saved = BASE.toBuilder().schedule(s).threads(1).build();
            assertNull(TrainingState.difference(saved, saved.toBuilder().epochs(9).threads(2).build()));
        }
        TrainingConfig cosine = BASE.toBuilder().schedule(new Schedule.Cosine()).build();
        assertNull(TrainingState.difference(cosine, cosine.toBuilder().threads(3).build()));
    }
}
