package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.kernels.KernelsProvider;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The optimizers and schedules as values: their checks, their rates, and the optimizers' state. */
class OptimizerScheduleTest {

    private static void refused(Setting setting, String message, Supplier<?> make) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, make::get);
        assertSame(setting, e.setting());
        assertEquals(message, e.getMessage());
        assertEquals(message, setting.label() + " " + e.problem());
    }

    @Test
    void momentumChecksItsCoefficient() {
        refused(Setting.MOMENTUM, "momentum must be in [0, 1), got 1.0", () -> new Optimizer.Momentum(1, false));
        refused(Setting.MOMENTUM, "momentum must be in [0, 1), got -0.1", () -> new Optimizer.Momentum(-0.1f, true));
        refused(Setting.MOMENTUM, "momentum must be in [0, 1), got NaN", () -> new Optimizer.Momentum(Float.NaN, false));
        assertEquals(0, new Optimizer.Momentum(0, false).mu());
        assertEquals(0.99f, new Optimizer.Momentum(0.99f, true).mu());
    }

    @Test
    void adamChecksItsCoefficients() {
        refused(Setting.BETA1, "beta1 must be in [0, 1), got 1.0", () -> new Optimizer.Adam(1, 0.999f, 1e-8f));
        refused(Setting.BETA2, "beta2 must be in [0, 1), got -0.5", () -> new Optimizer.Adam(0.9f, -0.5f, 1e-8f));
        refused(Setting.EPSILON, "epsilon must be a positive finite number, got 0.0", () -> new Optimizer.Adam(0.9f, 0.999f, 0));
        refused(Setting.EPSILON, "epsilon must be a positive finite number, got Infinity",
                () -> new Optimizer.Adam(0.9f, 0.999f, Float.POSITIVE_INFINITY));
        assertEquals(new Optimizer.Adam(0.9f, 0.999f, 1e-8f), new Optimizer.Adam());
    }

    @Test
    void stepChecksItsValues() {
        refused(Setting.STEP_EVERY, "step interval must be ≥ 1, got 0", () -> new Schedule.Step(0, 0.5f));
        refused(Setting.STEP_GAMMA, "step gamma must be in (0, 1], got 0.0", () -> new Schedule.Step(2, 0));
        refused(Setting.STEP_GAMMA, "step gamma must be in (0, 1], got 1.5", () -> new Schedule.Step(2, 1.5f));
        assertEquals(1, new Schedule.Step(1, 1).gamma());
    }

    @Test
    void theConfigChecksItsOwnSettings() {
        refused(Setting.EPOCHS, "epochs must be ≥ 1, got 0", () -> TrainingConfig.builder().epochs(0).build());
        refused(Setting.BATCH_SIZE, "batch size must be ≥ 1, got 0", () -> TrainingConfig.builder().batchSize(0).build());
        refused(Setting.LEARNING_RATE, "learning rate must be a positive finite number, got NaN",
                () -> TrainingConfig.builder().learningRate(Float.NaN).build());
        refused(Setting.WEIGHT_DECAY, "weight decay must be a finite number ≥ 0, got -1.0",
                () -> TrainingConfig.builder().weightDecay(-1).build());
        refused(Setting.THREADS, "threads must be ≥ 1 (or 0 for automatic), got -1",
                () -> TrainingConfig.builder().threads(-1).build());
        assertThrows(NullPointerException.class, () -> TrainingConfig.builder().optimizer(null).build());
        TrainingConfig defaults = TrainingConfig.builder().build();
        assertEquals(new Optimizer.Sgd(), defaults.optimizer());
        assertEquals(new Schedule.Constant(), defaults.schedule());
        assertEquals(defaults, defaults.toBuilder().build());
    }

    @Test
    void schedulesComputeTheirRates() {
        assertEquals(0.1f, new Schedule.Constant().rate(0.1f, 7, 123, 1000));
        Schedule step = new Schedule.Step(2, 0.5f);
        assertEquals(0.4f, step.rate(0.4f, 1, 0, 100));
        assertEquals(0.4f, step.rate(0.4f, 2, 0, 100));
        assertEquals(0.2f, step.rate(0.4f, 3, 0, 100));
        assertEquals(0.1f, step.rate(0.4f, 5, 0, 100));
        Schedule cosine = new Schedule.Cosine();
        assertEquals(0.4f, cosine.rate(0.4f, 1, 0, 100));
        assertEquals(0.2f, cosine.rate(0.4f, 1, 50, 100), 1e-7f);
        assertEquals(0, cosine.rate(0.4f, 1, 100, 100), 1e-7f);
    }

    static java.util.stream.Stream<Optimizer> optimizers() {
        return TrainerTest.optimizers();
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aStateHasTheRulesBuffersAndUpdatesOnlyItsRange(Optimizer rule) {
        Optimizer.State state = rule.newState(12);
        assertEquals(rule.momentBuffers(), state.moments().length);
        for (float[] m : state.moments()) {
            assertEquals(12, m.length);
        }
        float[] w = new float[12];
        float[] g = new float[12];
        java.util.Arrays.fill(w, 1);
        java.util.Arrays.fill(g, 0.5f);
        state.update(KernelsProvider.get(), w, g, 3, 5, 0.1f, 0, 1);
        for (int i = 0; i < 12; i++) {
            boolean inside = i >= 3 && i < 8;
            if (inside) {
                assertNotEquals(1, w[i], "parameter " + i);
            } else {
                assertEquals(1, w[i], "parameter " + i);
            }
            for (float[] m : state.moments()) {
                assertEquals(inside, m[i] != 0, "moment of parameter " + i);
            }
        }
    }

    @Test
    void theNamedBuffersAreTheMoments() {
        Optimizer.MomentumState momentum = new Optimizer.Momentum(0.9f, false).newState(4);
        assertSame(momentum.velocity(), momentum.moments()[0]);
        Optimizer.AdamState adam = new Optimizer.Adam().newState(4);
        assertSame(adam.firstMoment(), adam.moments()[0]);
        assertSame(adam.secondMoment(), adam.moments()[1]);
        assertArrayEquals(new float[0][], new Optimizer.Sgd().newState(4).moments());
    }
}
