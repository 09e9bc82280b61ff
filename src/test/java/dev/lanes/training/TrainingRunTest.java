package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @TempDir
    Path dir;

    private static final Dataset TRAIN = TrainerTest.blobs(600, 5);
    private static final Dataset VALID = TrainerTest.blobs(200, 6);
    private static final Map<String, String> SETTINGS = Map.of("task", "blobs");

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.builder().epochs(epochs).batchSize(50).learningRate(0.01f)
                .optimizer(new Optimizer.Adam()).seed(3).threads(1).build();
    }

    private TrainingRun.Options options(String model, String metrics) {
        return new TrainingRun.Options(dir.resolve(model), metrics == null ? null : dir.resolve(metrics), 0, false);
    }

    private static TrainingRun fresh(TrainingConfig config, TrainingRun.Options options) {
        return TrainingRun.fresh(TrainingRun.layerSizes(64, new int[] {16}, 3), Init.HE, 11, config, options,
                KernelsProvider.get());
    }

    @Test
    void layerSizesAreInputsHiddenClasses() {
        assertArrayEquals(new int[] {784, 256, 128, 10}, TrainingRun.layerSizes(784, new int[] {256, 128}, 10));
        assertArrayEquals(new int[] {64, 3}, TrainingRun.layerSizes(64, new int[0], 3));
    }

    @Test
    void freshRunSavesEveryEpochWithItsState() throws Exception {
        List<Integer> reported = new ArrayList<>();
        try (TrainingRun run = fresh(config(2), options("m.lanes", "m.jsonl"))) {
            run.train(TRAIN, VALID, null, SETTINGS, new TrainingRun.Listener() {
                @Override
                public void onEpoch(EpochStats stats, boolean best) {
                    reported.add(stats.epoch());
                }
            });
            assertEquals(2, run.savedEpoch());
            assertEquals(2, run.history().size());
            TrainingRun.Checkpoint cp = TrainingRun.Checkpoint.read(dir.resolve("m.lanes"));
            assertEquals(2, cp.state().epochsDone());
            assertEquals(SETTINGS, cp.record().settings());
            assertArrayEquals(run.trainer().network().parameters(), cp.network().parameters());
        }
        assertEquals(List.of(1, 2), reported);
        assertEquals(2, MetricsLog.read(dir.resolve("m.jsonl"), Integer.MAX_VALUE).size());
    }

    @Test
    void fromStartsOnTheSavedWeightsWithAFreshOptimizer() throws Exception {
        try (TrainingRun first = fresh(config(1), options("a.lanes", null))) {
            first.train(TRAIN, null, null, SETTINGS, null);
        }
        Network saved = ModelFile.read(dir.resolve("a.lanes")).network();
        float[] start = saved.parameters().clone();
        try (TrainingRun run = TrainingRun.from(saved, config(1), options("b.lanes", null), KernelsProvider.get())) {
            assertEquals(0, run.trainer().epochsDone());
            assertEquals(0, run.trainer().steps());
            assertArrayEquals(start, run.trainer().network().parameters());
            run.train(TRAIN, null, null, SETTINGS, null);
        }
        assertFalse(java.util.Arrays.equals(start, ModelFile.read(dir.resolve("b.lanes")).network().parameters()));
        assertEquals(1, TrainingRun.Checkpoint.read(dir.resolve("b.lanes")).state().epochsDone());
    }

    @Test
    void resumeEndsWithTheBytesOfAnUninterruptedRun() throws Exception {
        try (TrainingRun whole = fresh(config(3), options("whole.lanes", "whole.jsonl"))) {
            whole.train(TRAIN, VALID, null, SETTINGS, null);
        }
        // An "interrupted" run: the same settings stopped after its first epoch.
        try (TrainingRun part = fresh(config(3), options("part.lanes", "part.jsonl"))) {
            part.train(TRAIN, VALID, null, SETTINGS, new TrainingRun.Listener() {
                @Override
                public void onEpoch(EpochStats stats, boolean best) {
                    part.stop();
                }
            });
            assertTrue(part.stopped());
            assertEquals(1, part.savedEpoch());
        }
        TrainingRun.Checkpoint cp = TrainingRun.Checkpoint.read(dir.resolve("part.lanes"));
        cp.requireSameRun(SETTINGS, Set.of(), config(3));
        try (TrainingRun rest = TrainingRun.resume(cp, config(3), options("part.lanes", "part.jsonl"),
                KernelsProvider.get())) {
            assertEquals(1, rest.history().size());
            rest.train(TRAIN, VALID, null, SETTINGS, null);
            assertEquals(3, rest.history().size());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole.lanes")), Files.readAllBytes(dir.resolve("part.lanes")));
        assertEquals(withoutTimes(dir.resolve("whole.jsonl")), withoutTimes(dir.resolve("part.jsonl")));
    }

    private static String withoutTimes(Path metrics) throws Exception {
        return Files.readString(metrics).replaceAll("\"seconds\":[^,]*,\"samples_per_second\":[^,]*,", "");
    }

    @Test
    void resumeRefusesChangesAndFinishedRuns() throws Exception {
        try (TrainingRun run = fresh(config(2), options("m.lanes", null))) {
            run.train(TRAIN, null, null, SETTINGS, null);
        }
        TrainingRun.Checkpoint cp = TrainingRun.Checkpoint.read(dir.resolve("m.lanes"));
        TrainingRun.RefusedException data = assertThrows(TrainingRun.RefusedException.class,
                () -> cp.requireSameRun(Map.of("task", "other"), Set.of(), config(2)));
        assertEquals("task is other but the interrupted run used blobs", data.problem());
        TrainingConfig faster = config(2).toBuilder().learningRate(0.02f).build();
        TrainingRun.RefusedException lr = assertThrows(TrainingRun.RefusedException.class,
                () -> cp.requireSameRun(SETTINGS, Set.of(), faster));
        assertNotNull(lr.difference());
        assertEquals(Setting.LEARNING_RATE, lr.difference().setting());
        TrainingRun.RefusedException done = assertThrows(TrainingRun.RefusedException.class,
                () -> TrainingRun.resume(cp, config(2), options("m.lanes", null), KernelsProvider.get()));
        assertEquals(dir.resolve("m.lanes") + ": the run already finished 2 epochs; raise --epochs to train further",
                done.getMessage());
    }

    @Test
    void checkpointOfAModelWithoutStateIsRefused() throws Exception {
        Path bare = dir.resolve("bare.lanes");
        ModelFile.write(bare, Network.create(new int[] {64, 3}, Init.HE, 1), null);
        InputException e = assertThrows(InputException.class, () -> TrainingRun.Checkpoint.read(bare));
        assertTrue(e.getMessage().startsWith(bare + ": holds no training state"), e.getMessage());
    }

    @Test
    void keepBestLeavesTheLowestValidationLossInTheModelFile() throws Exception {
        // A learning rate this large makes the validation loss rise again within a few epochs.
        TrainingConfig wild = config(6).toBuilder().learningRate(0.2f).build();
        TrainingRun.Options keep = new TrainingRun.Options(dir.resolve("best.lanes"), null, 0, true);
        try (TrainingRun run = fresh(wild, keep)) {
            run.train(TRAIN, VALID, null, SETTINGS, null);
            EarlyStopping early = run.earlyStopping();
            assertEquals(early.bestEpoch(), run.savedEpoch());
            double lowest = run.history().stream().mapToDouble(EpochStats::validationLoss).min().orElseThrow();
            assertEquals(lowest, early.bestLoss());
            assertArrayEquals(run.result().parameters(),
                    ModelFile.read(dir.resolve("best.lanes")).network().parameters());
        }
    }

    @Test
    void metricsLogRoundTrips() throws Exception {
        Path file = dir.resolve("m.jsonl");
        List<EpochStats> history = List.of(
                new EpochStats(1, 0.5, 0.8, 0.75, Double.NaN, Double.NaN, 1.25, 480.0, 0.125f, 0.625),
                new EpochStats(2, Double.POSITIVE_INFINITY, 0.9, 0.5, 0.875, 0.3, 2.0, 300.0, 0.0625f, 0.75));
        MetricsLog.write(file, history, new int[] {1, 1});
        List<EpochStats> back = MetricsLog.read(file, Integer.MAX_VALUE);
        assertEquals(2, back.size());
        assertEquals(history.get(0), back.get(0));
        // Infinity is written as null, which reads back as NaN.
        assertTrue(Double.isNaN(back.get(1).loss()));
        assertEquals(0.875, back.get(1).testAccuracy());
        assertEquals(0.0625, back.get(1).learningRate());
        assertEquals(1, MetricsLog.read(file, 1).size());
        assertTrue(MetricsLog.read(dir.resolve("none.jsonl"), 5).isEmpty());
    }

    @Test
    void badMetricsLogIsAOneLineErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"epoch\":1,\"loss\":0.5,\"train_accuracy\":0.8,\"seconds\":1,"
                + "\"samples_per_second\":2,\"learning_rate\":0.1}\n{\"epoch\":2,\"loss\":0.4,\n", StandardCharsets.UTF_8);
        InputException e = assertThrows(InputException.class, () -> MetricsLog.read(file, 5));
        assertTrue(e.getMessage().startsWith(file + ": line 2 is not a metrics line: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Files.writeString(file, "{\"epoch\":1}\n", StandardCharsets.UTF_8);
        InputException missing = assertThrows(InputException.class, () -> MetricsLog.read(file, 5));
        assertEquals(file + ": line 1 is not a metrics line: no \"loss\"", missing.getMessage());
    }

    @Test
    void resumeReportsABadMetricsFile() throws Exception {
        try (TrainingRun run = fresh(config(3), options("m.lanes", "m.jsonl"))) {
            run.train(TRAIN, null, null, SETTINGS, new TrainingRun.Listener() {
                @Override
                public void onEpoch(EpochStats stats, boolean best) {
                    run.stop();
                }
            });
        }
        Files.writeString(dir.resolve("m.jsonl"), "not json\n", StandardCharsets.UTF_8);
        TrainingRun.Checkpoint cp = TrainingRun.Checkpoint.read(dir.resolve("m.lanes"));
        InputException e = assertThrows(InputException.class,
                () -> TrainingRun.resume(cp, config(3), options("m.lanes", "m.jsonl"), KernelsProvider.get()));
        assertTrue(e.getMessage().startsWith(dir.resolve("m.jsonl") + ": line 1 is not a metrics line"), e.getMessage());
    }
}
