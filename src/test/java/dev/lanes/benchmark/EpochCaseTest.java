package dev.lanes.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.data.Dataset;
import dev.lanes.kernels.KernelsProvider;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EpochCaseTest {

    @Test
    void syntheticDataHasMnistShapeAndAllTenLabels() {
        TrainingData d = TrainingData.synthetic(500, 3);
        assertEquals(500, d.train().size());
        assertEquals(784, d.train().features());
        assertEquals(10, d.classes());
        assertTrue(d.isSynthetic());
        assertTrue(d.description().contains("random"), d.description());
        assertArrayEquals(d.train().pixels(), TrainingData.synthetic(500, 3).train().pixels(), "seeded");
    }

    @Test
    void namesGiveTheWidthsFromTheDataAndTheBatch() {
        TrainingData d = TrainingData.synthetic(20, 1);
        assertEquals(Arrays.asList("epoch 784-10-10 batch 64", "epoch 784-256-128-10 batch 256"),
                EpochCase.all().stream().map(c -> c.name(d)).toList());
    }

    @Test
    void prefixKeepsTheFirstImagesAndLabels() {
        Dataset all = TrainingData.synthetic(50, 2).train();
        Dataset p = EpochCase.prefix(all, 7);
        assertEquals(7, p.size());
        assertArrayEquals(Arrays.copyOf(all.pixels(), 7 * 784), p.pixels());
        assertArrayEquals(Arrays.copyOf(all.labels(), 7), p.labels());
        assertSame(all, EpochCase.prefix(all, 50));
    }

    @Test
    void aSlowEpochIsTimedOnWholeBatchesOfAPrefixAndScaled() {
        // A 1 ns cap is below any batch, so the least that can be timed, one batch, is timed and scaled.
        Budget tight = new Budget(0, 0, 1, 1_000_000, 1, 0, 1_000_000, 3, 1);
        TrainingData d = TrainingData.synthetic(3000, 4);
        EpochCase seed = EpochCase.all().get(0);
        EpochCase.Result r = seed.measure(new Harness(tight), tight, KernelsProvider.get(), d, 2, true);
        assertEquals(64, r.timedSamples());
        assertEquals(3, r.seconds().repeats());
        assertTrue(r.seconds().min() > 0 && Double.isFinite(r.seconds().max()), r.toString());
    }

    @Test
    void aFastEpochIsTimedWhole() {
        Budget roomy = new Budget(0, 0, 1, 1_000_000, 1, 0, 1_000_000, 2, 60_000_000_000L);
        TrainingData d = TrainingData.synthetic(300, 5);
        EpochCase seed = EpochCase.all().get(0);
        EpochCase.Result r = seed.measure(new Harness(roomy), roomy, KernelsProvider.get(), d, 1, false);
        assertEquals(300, r.timedSamples());
        assertEquals(2, r.seconds().repeats());
    }
}
