package dev.lanes.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.TrainTest;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.training.Evaluator;
import dev.lanes.training.Optimizer;
import dev.lanes.training.Schedule;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/** SparkTrainer in local mode: equality with single-machine training, independence of the master, resume. */
class SparkTrainerTest {

    private static final int[] SIZES = {64, 32, 16, 3};

    @TempDir
    Path tmp;

    @AfterAll
    static void backToLocal2() {
        Spark.local2();
    }

    private static JavaSparkContext sc() {
        Spark.local2();
        return Spark.context();
    }

    static Stream<Optimizer> optimizers() {
        return Stream.of(new Optimizer.Sgd(), new Optimizer.Momentum(0.9f, false), new Optimizer.Adam());
    }

    private static TrainingConfig.Builder base(Optimizer opt) {
        // Cosine makes every step's rate depend on the global step count, so a miscounted step shows.
        return TrainingConfig.builder().epochs(3).batchSize(50).learningRate(opt instanceof Optimizer.Adam ? 0.005f : 0.05f)
                .optimizer(opt).schedule(new Schedule.Cosine()).seed(7).threads(2);
    }

    private static byte[] bytes(Network net) {
        return ModelFile.encode(net, null);
    }

    private static Network train(JavaSparkContext sc, Dataset data, int partitions, TrainingConfig cfg,
                                 SparkTrainer.Options options) throws InputException {
        try (TrainingData d = TrainingData.of(sc, data, partitions)) {
            return new SparkTrainer(sc, cfg, options).fit(Network.create(SIZES, Init.HE, 5), d, null);
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void onePartitionWithAWholeEpochPerRoundEqualsSingleMachineTraining(Optimizer opt) throws Exception {
        Dataset data = Data.blobs(1003, 1); // the last batch of every epoch is partial
        TrainingConfig cfg = base(opt).build();
        Network single = Network.create(SIZES, Init.HE, 5);
        try (Trainer t = new Trainer(single, cfg)) {
            t.fit(data, null, null, null);
        }
        List<RoundStats> rounds = new ArrayList<>();
        Network spark = train(sc(), data, 1, cfg, SparkTrainer.Options.defaults().listener((s, n) -> rounds.add(s)));
        assertArrayEquals(bytes(single), bytes(spark));
        assertEquals(3, rounds.size(), "one round per epoch by default");
        assertEquals(21, rounds.get(0).localBatches());
        assertEquals(3.0, rounds.get(2).epochs());
        assertEquals("vector", rounds.get(0).kernels());
    }

    @Test
    void onePartitionEqualsSingleMachineTrainingOnMnist() throws Exception {
        TrainTest mnist = Data.mnist();
        Dataset train = mnist.train().select(java.util.stream.IntStream.range(0, 6000).toArray());
        int[] sizes = {784, 32, 10};
        TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(64).learningRate(0.05f)
                .optimizer(new Optimizer.Momentum(0.9f, false)).seed(3).threads(2).build();
        Network single = Network.create(sizes, Init.HE, 3);
        try (Trainer t = new Trainer(single, cfg)) {
            t.fit(train, null, null, null);
        }
        JavaSparkContext sc = sc();
        Network spark;
        try (TrainingData d = TrainingData.of(sc, train, 1)) {
            spark = new SparkTrainer(sc, cfg, SparkTrainer.Options.defaults()).fit(Network.create(sizes, Init.HE, 3), d, null);
        }
        assertArrayEquals(bytes(single), bytes(spark));
    }

    /**
     * The algorithm, written out here with the engine alone: partition p holds images p, p+P, …; it
     * trains one epoch from the common weights with shuffle seed (seed + p·φ); weights and moments are
     * averaged in double, in partition order.
     */
    @Test
    void roundsAreLocalEpochsAveragedInPartitionOrder() throws Exception {
        Dataset data = Data.blobs(800, 2);
        TrainingConfig cfg = base(new Optimizer.Momentum(0.9f, false)).epochs(2).build();
        int p = 2;
        Network reference = Network.create(SIZES, Init.HE, 5);
        float[][] moments = {new float[reference.parameterCount()]};
        long steps = 0;
        for (int epoch = 1; epoch <= 2; epoch++) {
            double[] w = new double[reference.parameterCount()];
            double[] m = new double[reference.parameterCount()];
            long after = 0;
            for (int part = 0; part < p; part++) {
                int[] idx = java.util.stream.IntStream.range(0, data.size()).filter(i -> i % p == 0).map(i -> i + 0).toArray();
                int offset = part;
                idx = java.util.stream.IntStream.range(0, data.size()).filter(i -> i % p == offset).toArray();
                Dataset shard = data.select(idx);
                Network local = reference.copy();
                TrainingConfig pc = cfg.toBuilder().seed(cfg.seed() + part * 0x9E3779B97F4A7C15L).build();
                try (Trainer t = new Trainer(local, pc)) {
                    t.setOptimizerState(steps, moments);
                    t.trainBatches(shard, epoch, 0, t.batchesPerEpoch(shard), null);
                    after = t.steps();
                    float[] lm = t.optimizerState()[0];
                    for (int i = 0; i < w.length; i++) {
                        w[i] += local.parameters()[i];
                        m[i] += lm[i];
                    }
                }
            }
            for (int i = 0; i < w.length; i++) {
                reference.parameters()[i] = (float) (w[i] / p);
                moments[0][i] = (float) (m[i] / p);
            }
            steps = after;
        }
        Network spark = train(sc(), data, p, cfg, SparkTrainer.Options.defaults());
        assertArrayEquals(bytes(reference), bytes(spark));
    }

    @Test
    void fourPartitionsGiveTheSameBytesOnLocal1AndLocal2() throws InputException {
        // 1001 images: partitions of 251, 250, 250, 250 have 6, 5, 5, 5 batches of 50, and K = 7 is not
        // an epoch of any, so rounds cross epoch boundaries at different places in different partitions.
        Dataset data = Data.blobs(1001, 3);
        TrainingConfig cfg = base(new Optimizer.Adam()).build();
        SparkTrainer.Options k7 = SparkTrainer.Options.defaults().localBatches(7);
        byte[] local2 = bytes(train(sc(), data, 4, cfg, k7));
        Spark.on("local[1]", new SparkConf());
        byte[] local1 = bytes(train(Spark.context(), data, 4, cfg, k7));
        byte[] again = bytes(train(sc(), data, 4, cfg, k7));
        assertArrayEquals(local2, local1, "local[2] vs local[1]");
        assertArrayEquals(local2, again, "run to run");
        byte[] twoPartitions = bytes(train(sc(), data, 2, cfg, k7));
        assertFalse(Arrays.equals(local2, twoPartitions), "the partition count must matter");
    }

    @Test
    void mnistWithFourPartitionsReachesTheTargetAccuracy() throws InputException {
        TrainTest mnist = Data.mnist();
        JavaSparkContext sc = sc();
        TrainingConfig cfg = TrainingConfig.builder().epochs(8).batchSize(64).learningRate(0.05f)
                .optimizer(new Optimizer.Momentum(0.9f, false)).seed(1).build();
        List<RoundStats> rounds = new ArrayList<>();
        Network net;
        try (TrainingData d = TrainingData.of(sc, mnist.train(), 4)) {
            net = new SparkTrainer(sc, cfg, SparkTrainer.Options.defaults().listener((s, n) -> {
                rounds.add(s);
                System.out.println(SparkTrainer.describe(s));
            }))
                    .fit(Network.create(new int[] {784, 256, 128, 10}, Init.HE, 1), d, mnist.test());
        }
        double accuracy = Evaluator.evaluate(net, mnist.test(), 2).accuracy();
        // The target for 784-256-128-10 with P = 4.
        assertTrue(accuracy >= 0.975, "test accuracy " + accuracy + ", rounds " + rounds);
        assertEquals(accuracy, rounds.get(rounds.size() - 1).testAccuracy(), "the driver evaluates the averaged network");
    }

    @Test
    void checkpointAfterEveryRoundAndResumeEndsWithTheSameBytes() throws Exception {
        Dataset data = Data.blobs(900, 4);
        TrainingConfig cfg = base(new Optimizer.Adam()).epochs(4).build();
        Path straight = tmp.resolve("straight.lanes");
        List<Integer> seen = new ArrayList<>();
        train(sc(), data, 3, cfg, SparkTrainer.Options.defaults().localBatches(5).checkpoint(straight).listener((s, n) -> {
            // The checkpoint is on disk, complete, when the listener hears of the round.
            SparkState st = SparkState.decode(ModelFile.read(straight).trainingState());
            seen.add(st.roundsDone);
            assertArrayEquals(bytes(n), bytes(ModelFile.read(straight).network()));
        }));
        // 300 images per partition, 6 batches of 50: 4 epochs are 24 local steps, 5 rounds of K = 5
        // (the last one 4 steps), each but the first starting inside an epoch.
        assertEquals(List.of(1, 2, 3, 4, 5), seen);

        Path interrupted = tmp.resolve("interrupted.lanes");
        InputException stop = assertThrows(InputException.class, () -> train(sc(), data, 3, cfg,
                SparkTrainer.Options.defaults().localBatches(5).checkpoint(interrupted).listener((s, n) -> {
                    if (s.round() == 2) {
                        throw new InputException("stopped after round 2");
                    }
                })));
        assertEquals("stopped after round 2", stop.getMessage());
        List<Integer> resumed = new ArrayList<>();
        train(sc(), data, 3, cfg, SparkTrainer.Options.defaults().localBatches(5).checkpoint(interrupted).resume(true)
                .listener((s, n) -> resumed.add(s.round())));
        assertEquals(List.of(3, 4, 5), resumed);
        assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(interrupted));

        InputException changed = assertThrows(InputException.class, () -> train(sc(), data, 2, cfg,
                SparkTrainer.Options.defaults().localBatches(5).checkpoint(interrupted).resume(true)));
        assertTrue(changed.getMessage().contains("--partitions is 2 but the interrupted run used 3"), changed.getMessage());
        InputException done = assertThrows(InputException.class, () -> train(sc(), data, 3, cfg,
                SparkTrainer.Options.defaults().localBatches(5).checkpoint(interrupted).resume(true)));
        assertTrue(done.getMessage().contains("already finished"), done.getMessage());
    }

    @Test
    void aChangedEngineSettingOrAnOlderCheckpointIsRefused() throws Exception {
        Dataset data = Data.blobs(300, 4);
        TrainingConfig cfg = base(new Optimizer.Momentum(0.9f, false)).epochs(1).build();
        Path model = tmp.resolve("settings.lanes");
        train(sc(), data, 2, cfg, SparkTrainer.Options.defaults().checkpoint(model));
        InputException changed = assertThrows(InputException.class, () -> train(sc(), data, 2,
                cfg.toBuilder().epochs(2).optimizer(new Optimizer.Momentum(0.8f, false)).build(),
                SparkTrainer.Options.defaults().checkpoint(model).resume(true)));
        assertEquals("resume " + model + ": --momentum is 0.8 but the interrupted run used 0.9", changed.getMessage());

        ModelFile.Model saved = ModelFile.read(model);
        byte[] older = saved.trainingState().clone();
        java.nio.ByteBuffer.wrap(older).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
        ModelFile.write(model, saved.network(), older);
        InputException old = assertThrows(InputException.class,
                () -> train(sc(), data, 2, cfg, SparkTrainer.Options.defaults().checkpoint(model).resume(true)));
        assertEquals(model + ": its Spark training state was written by an older version of Lanes (format 1)"
                + " and cannot be resumed", old.getMessage());
    }

    @Test
    void divergenceStopsWithOneLineNamingTheRound() {
        Dataset data = Data.blobs(300, 5);
        TrainingConfig cfg = base(new Optimizer.Sgd()).learningRate(1e30f).build();
        InputException e = assertThrows(InputException.class,
                () -> train(sc(), data, 2, cfg, SparkTrainer.Options.defaults()));
        assertTrue(e.getMessage().startsWith("round 1, partition 0: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void dataThatDoesNotFitTheNetworkIsRefused() throws InputException {
        JavaSparkContext sc = sc();
        try (TrainingData d = TrainingData.of(sc, Data.blobs(100, 6), 2)) {
            SparkTrainer t = new SparkTrainer(sc, base(new Optimizer.Sgd()).build(), SparkTrainer.Options.defaults());
            InputException e = assertThrows(InputException.class,
                    () -> t.fit(Network.create(new int[] {49, 8, 3}, Init.HE, 1), d, null));
            assertEquals("blobs: images have 64 pixels but the network has 49 inputs", e.getMessage());
            e = assertThrows(InputException.class, () -> t.fit(Network.create(new int[] {64, 8, 2}, Init.HE, 1), d, null));
            assertEquals("blobs: label 2 is outside the network's 2 classes", e.getMessage());
        }
    }
}
