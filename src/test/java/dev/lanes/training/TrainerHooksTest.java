package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.data.Dataset;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hooks data-parallel training is built on: training a range of an epoch's batches, and moving
 * the optimizer state from one trainer to another. Both must be exact, or averaged runs could not
 * reproduce single-machine ones.
 */
class TrainerHooksTest {

    private static final int[] SIZES = {64, 16, 8, 3};

    private static TrainingConfig config(Optimizer opt) {
        // Cosine makes the rate depend on the step count, so a lost or doubled step shows.
        return TrainingConfig.builder().epochs(3).batchSize(50).learningRate(0.05f).optimizer(opt)
                .schedule(new Schedule.Cosine()).seed(3).threads(2).build();
    }

    private static Network fresh() {
        return Network.create(SIZES, Init.HE, 11);
    }

    @ParameterizedTest
    @MethodSource("dev.lanes.training.TrainerTest#optimizers")
    void batchRangesReproduceWholeEpochs(Optimizer opt) throws DivergedException {
        Dataset data = TrainerTest.blobs(437, 5); // 9 batches of 50, the last one partial
        TrainingConfig cfg = config(opt);
        Network whole = fresh();
        try (Trainer t = new Trainer(whole, cfg)) {
            assertEquals(9, t.batchesPerEpoch(data));
            t.trainEpoch(data, null);
            t.trainEpoch(data, null);
        }
        Network pieces = fresh();
        try (Trainer t = new Trainer(pieces, cfg)) {
            EpochStats first = t.trainBatches(data, 1, 0, 4, null);
            assertEquals(0, t.epochsDone(), "an epoch is done only when its last batch is");
            assertEquals(4, t.steps());
            assertEquals(1, first.epoch());
            assertTrue(first.trainAccuracy() >= 0 && first.trainAccuracy() <= 1);
            t.trainBatches(data, 1, 4, 9, null);
            assertEquals(1, t.epochsDone());
            t.trainBatches(data, 2, 0, 1, null);
            t.trainBatches(data, 2, 1, 9, null);
            assertEquals(2, t.epochsDone());
            assertEquals(18, t.steps());
        }
        assertArrayEquals(whole.parameters(), pieces.parameters());
    }

    @ParameterizedTest
    @MethodSource("dev.lanes.training.TrainerTest#optimizers")
    void optimizerStateMovesExactlyToAnotherTrainer(Optimizer opt) throws DivergedException {
        Dataset data = TrainerTest.blobs(300, 6);
        TrainingConfig cfg = config(opt);
        Network straight = fresh();
        float[][] afterOne;
        long stepsAfterOne;
        float[] weightsAfterOne;
        try (Trainer t = new Trainer(straight, cfg)) {
            t.trainEpoch(data, null);
            afterOne = t.optimizerState();
            stepsAfterOne = t.steps();
            weightsAfterOne = straight.parameters().clone();
            t.trainEpoch(data, null);
        }
        assertEquals(opt.momentBuffers(), afterOne.length);
        Network moved = new Network(SIZES, weightsAfterOne);
        try (Trainer t = new Trainer(moved, cfg.toBuilder().threads(1).build())) {
            t.setOptimizerState(stepsAfterOne, afterOne);
            t.trainBatches(data, 2, 0, t.batchesPerEpoch(data), null);
        }
        assertArrayEquals(straight.parameters(), moved.parameters());
        if (opt.momentBuffers() > 0) {
            // Without the moments the continuation differs: the check above is not vacuous.
            Network cold = new Network(SIZES, weightsAfterOne.clone());
            try (Trainer t = new Trainer(cold, cfg)) {
                t.setOptimizerState(stepsAfterOne, new Trainer(fresh(), cfg).optimizerState());
                t.trainBatches(data, 2, 0, t.batchesPerEpoch(data), null);
            }
            assertFalse(Arrays.equals(straight.parameters(), cold.parameters()));
        }
    }

    @Test
    void optimizerStateIsACopy() {
        try (Trainer t = new Trainer(fresh(), config(new Optimizer.Adam()))) {
            float[][] state = t.optimizerState();
            state[0][0] = 42;
            assertEquals(0, t.optimizerState()[0][0]);
            float[][] given = {new float[state[0].length], new float[state[1].length]};
            given[1][3] = 7;
            t.setOptimizerState(5, given);
            given[1][3] = 8;
            assertEquals(7, t.optimizerState()[1][3]);
            assertEquals(5, t.steps());
        }
    }

    @Test
    void badRangesAndStatesAreRefusedWithTheReason() {
        Dataset data = TrainerTest.blobs(120, 7); // 3 batches
        try (Trainer t = new Trainer(fresh(), config(new Optimizer.Momentum(0.9f, false)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.trainBatches(data, 1, 0, 4, null));
            assertTrue(e.getMessage().contains("has 3 batches"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.trainBatches(data, 1, 2, 2, null));
            assertThrows(IllegalArgumentException.class, () -> t.trainBatches(data, 0, 0, 1, null));
            assertThrows(IllegalArgumentException.class, () -> t.trainBatches(data, 1, -1, 1, null));
            int n = t.network().parameterCount();
            e = assertThrows(IllegalArgumentException.class,
                    () -> t.setOptimizerState(0, new float[][] {new float[n], new float[n]}));
            assertTrue(e.getMessage().contains("momentum keeps 1 moment buffers"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> t.setOptimizerState(0, new float[][] {new float[n - 1]}));
            assertTrue(e.getMessage().contains("has " + (n - 1) + " values"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.setOptimizerState(-1, new float[][] {new float[n]}));
            assertEquals(0, t.steps(), "a refused state changes nothing");
        }
    }
}
