package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

class TrainerTest {

    /** A learnable synthetic task: 3 classes, each a bright blob in its own third of an 8×8 image. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] px = new byte[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            for (int p = 0; p < 64; p++) {
                int col = p % 8;
                boolean lit = col / 3 == y[i] || (y[i] == 2 && col == 7);
                int v = lit ? 150 + rng.nextInt(100) : rng.nextInt(120);
                px[i * 64 + p] = (byte) v;
            }
        }
        return new Dataset("blobs", px, y, n, 8, 8);
    }

    /** One rule of each kind, with the command line's default coefficients. */
    static Stream<Optimizer> optimizers() {
        return Stream.of(new Optimizer.Sgd(), new Optimizer.Momentum(0.9f, false), new Optimizer.Adam());
    }

    private static TrainingConfig.Builder base() {
        return TrainingConfig.builder().epochs(3).batchSize(50).learningRate(0.05f).seed(3).threads(1);
    }

    private static Network train(TrainingConfig cfg, Dataset data) throws InputException, DivergedException {
        Network net = Network.create(new int[] {64, 16, 8, 3}, Init.HE, 11);
        try (Trainer t = new Trainer(net, cfg)) {
            t.fit(data, null, null, null);
        }
        return net;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void sameSeedGivesBitwiseIdenticalWeightsForAnyThreadCount(Optimizer opt) throws Exception {
        Dataset data = blobs(1003, 5); // 1003: the last batch is partial
        TrainingConfig one = base().optimizer(opt).batchSize(256).threads(1).build();
        float[] w1 = train(one, data).parameters();
        float[] w2 = train(one.toBuilder().threads(2).build(), data).parameters();
        float[] w3 = train(one.toBuilder().threads(3).build(), data).parameters();
        float[] again = train(one, data).parameters();
        assertArrayEquals(w1, w2, "1 vs 2 threads");
        assertArrayEquals(w1, w3, "1 vs 3 threads");
        assertArrayEquals(w1, again, "run to run");
        float[] other = train(one.toBuilder().seed(4).build(), data).parameters();
        assertFalse(java.util.Arrays.equals(w1, other), "the seed must matter (shuffle order)");
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void resumingFromSavedStateEqualsAnUninterruptedRun(Optimizer opt) throws Exception {
        Dataset data = blobs(400, 6);
        TrainingConfig cfg = base().optimizer(opt).epochs(4).schedule(new Schedule.Cosine()).build();
        float[] straight = train(cfg, data).parameters();

        Network net = Network.create(new int[] {64, 16, 8, 3}, Init.HE, 11);
        byte[][] saved = new byte[1][];
        float[][] savedWeights = new float[1][];
        try (Trainer t = new Trainer(net, cfg)) {
            t.fit(data, null, null, (stats, tr) -> {
                if (stats.epoch() == 2) {
                    saved[0] = tr.state().encode();
                    savedWeights[0] = tr.network().parameters().clone();
                }
            });
        }
        Network restored = new Network(net.sizes(), savedWeights[0]);
        try (Trainer t = Trainer.resume(restored, cfg.toBuilder().threads(2).build(),
                TrainingState.decode(saved[0]), KernelsProvider.get())) {
            assertEquals(2, t.epochsDone());
            List<EpochStats> rest = t.fit(data, null, null, null);
            assertEquals(2, rest.size());
            assertEquals(3, rest.get(0).epoch());
        }
        assertArrayEquals(straight, restored.parameters());
    }

    @Test
    void resumeRefusesChangedSettingsAndNamesThem() throws Exception {
        Dataset data = blobs(100, 1);
        TrainingConfig cfg = base().epochs(1).optimizer(new Optimizer.Momentum(0.9f, false)).build();
        Network net = Network.create(new int[] {64, 16, 8, 3}, Init.HE, 11);
        TrainingState state;
        try (Trainer t = new Trainer(net, cfg)) {
            t.fit(data, null, null, null);
            state = t.state();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Trainer.resume(net, cfg.toBuilder().learningRate(0.2f).build(), state, KernelsProvider.get()));
        assertEquals("learning rate is 0.2 but the interrupted run used 0.05", e.getMessage());
        Network other = Network.create(new int[] {64, 8, 3}, Init.HE, 11);
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.resume(other, cfg, state, KernelsProvider.get()));
        assertTrue(e.getMessage().contains("the network has " + other.parameterCount() + " parameters"), e.getMessage());
        try (Trainer t = Trainer.resume(net, cfg.toBuilder().epochs(3).threads(2).build(), state, KernelsProvider.get())) {
            assertEquals(1, t.epochsDone(), "more epochs and other threads continue the run");
        }
    }

    @Test
    void learnsTheSyntheticTask() throws Exception {
        Dataset train = blobs(2000, 7);
        Dataset test = blobs(500, 8);
        Network net = Network.create(new int[] {64, 16, 8, 3}, Init.HE, 11);
        try (Trainer t = new Trainer(net, base().epochs(5).build())) {
            List<EpochStats> stats = t.fit(train, null, test, null);
            // The blobs are separable by brightness per column third; a working trainer gets ~100%,
            // a broken gradient stays near chance (33%).
            assertTrue(stats.get(4).testAccuracy() > 0.95, "test accuracy " + stats.get(4).testAccuracy());
            assertTrue(stats.get(4).loss() < stats.get(0).loss(), "loss must fall");
        }
    }

    @Test
    void divergenceIsReported() {
        Dataset data = blobs(500, 9);
        Network net = Network.create(new int[] {64, 16, 8, 3}, Init.HE, 11);
        try (Trainer t = new Trainer(net, base().learningRate(1e30f).build())) {
            DivergedException e = assertThrows(DivergedException.class, () -> t.fit(data, null, null, null));
            assertEquals(1, e.epoch());
            assertTrue(e.getMessage().matches("training diverged in epoch 1 at batch \\d+ \\(.*\\)"), e.getMessage());
            assertFalse(e.getMessage().contains("--lr"), "the library knows no flags: " + e.getMessage());
        }
    }

    /**
     * The training loop against an independent reference: plain double-precision SGD with the same
     * batches (no shuffle), written here from the textbook equations. Float and double drift apart
     * only by rounding: after 8 steps the weights agree to ~1e-5; 1e-3 catches any wrong term,
     * batch scaling or ordering.
     */
    @Test
    void sgdStepsMatchAnIndependentReference() throws Exception {
        int[] sizes = {64, 5, 3};
        Dataset data = blobs(40, 12);
        Network net = Network.create(sizes, Init.HE, 2);
        double[] ref = new double[net.parameterCount()];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = net.parameters()[i];
        }
        TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(10).learningRate(0.5f)
                .shuffle(false).threads(2).build();
        try (Trainer t = new Trainer(net, cfg)) {
            t.fit(data, null, null, null);
        }
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int start = 0; start < 40; start += 10) {
                double[] g = ReferenceMlp.gradient(sizes, ref, data, start, 10);
                for (int i = 0; i < ref.length; i++) {
                    ref[i] -= 0.5 * g[i];
                }
            }
        }
        double maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - net.parameters()[i]));
        }
        assertTrue(maxDiff < 1e-3, "max |Lanes − reference| = " + maxDiff);
        assertTrue(maxDiff > 0 || ref.length == 0);
    }

    @Test
    void automaticThreadsFollowTheWorkPerStep() {
        // 6·64·(784·10 + 10·10) ≈ 3 MFLOP a step: below one worker's share, one thread.
        assertEquals(1, Trainer.autoThreads(Network.create(new int[] {784, 10, 10}, Init.HE, 1), 64, 8));
        // 6·256·(784·256 + 256·128 + 128·10) ≈ 360 MFLOP: every processor, and never more.
        Network wide = Network.create(new int[] {784, 256, 128, 10}, Init.HE, 1);
        assertEquals(2, Trainer.autoThreads(wide, 256, 2));
        assertEquals(1, Trainer.autoThreads(wide, 256, 1));
        // 6·1·(784·256 + …) ≈ 1.4 MFLOP at batch 1: one thread even on many processors.
        assertEquals(1, Trainer.autoThreads(wide, 1, 64));
    }

    @Test
    void explicitThreadsAreKept() {
        Network net = Network.create(new int[] {784, 10, 10}, Init.HE, 1);
        try (Trainer t = new Trainer(net, TrainingConfig.builder().threads(3).build())) {
            assertEquals(3, t.threads());
        }
    }
}
