package dev.lanes.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.training.Optimizer;
import dev.lanes.training.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Separate executor JVMs ({@code local-cluster[2,1,1024]}: a standalone master and worker inside the
 * test JVM, two executor processes): the same bytes as {@code local[2]}, and still the same bytes when
 * an executor is killed with SIGKILL in the middle of a round.
 */
class ClusterTest {

    private static final int[] SIZES = {784, 256, 128, 10};
    private static final String CLUSTER = "local-cluster[2,1,1024]";

    private static Dataset data;
    private static TrainingConfig config;
    private static byte[] local2;

    @BeforeAll
    static void referenceOnLocal2() throws Exception {
        // Executors are started from SPARK_HOME (set by the build): a folder with jars/ and the launcher's
        // build folder will do when the executors get the test class path instead.
        Path home = Path.of(System.getenv("SPARK_HOME"));
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
        // 24 000 MNIST images in two partitions: each round is long enough (about a second per task on
        // two busy cores) for a kill 0.4 s into it to land inside it.
        data = Data.mnist().train().select(IntStream.range(0, 24000).toArray());
        config = TrainingConfig.builder().epochs(2).batchSize(64).learningRate(0.05f).optimizer(new Optimizer.Momentum(0.9f, false))
                .seed(9).build();
        Spark.local2();
        local2 = ModelFile.encode(train(Spark.context(), null), null);
    }

    @AfterAll
    static void backToLocal2() {
        Spark.local2();
    }

    private static Network train(JavaSparkContext sc, RoundListener listener) throws InputException {
        List<RoundStats> rounds = new ArrayList<>();
        Network net;
        try (TrainingData d = TrainingData.of(sc, data, 2)) {
            net = new SparkTrainer(sc, config, SparkTrainer.Options.defaults().listener((s, n) -> {
                rounds.add(s);
                System.out.println(SparkTrainer.describe(s));
                if (listener != null) {
                    listener.onRound(s, n);
                }
            })).fit(Network.create(SIZES, Init.HE, 9), d, null);
        }
        assertEquals(2, rounds.size());
        rounds.forEach(r -> assertEquals("vector", r.kernels(), "executors must run the SIMD kernels"));
        return net;
    }

    private static JavaSparkContext cluster() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Spark.on(CLUSTER, new SparkConf().set("spark.executor.extraClassPath", classPath)
                // Re-run a task whose executor died at once rather than after the default 1 s wait.
                .set("spark.locality.wait", "0s"));
        return Spark.context();
    }

    /** @return the executor processes (children of this JVM's worker) by executor id */
    private static Optional<ProcessHandle> executor(String id) {
        return ProcessHandle.current().descendants().filter(p -> {
            List<String> args = arguments(p);
            int at = args.indexOf("--executor-id");
            return args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend") && at >= 0
                    && at + 1 < args.size() && args.get(at + 1).equals(id);
        }).findFirst();
    }

    /** The full argument list from /proc: ProcessHandle.Info cuts long command lines short. */
    private static List<String> arguments(ProcessHandle p) {
        try {
            String all = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8);
            return List.of(all.split("\u0000"));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    void executorJvmsGiveTheBytesOfLocal2AndSurviveAKilledExecutor() throws Exception {
        JavaSparkContext sc = cluster();
        assertTrue(executor("0").isPresent() || executor("1").isPresent() || waitForExecutors(),
                "local-cluster must start executor processes");
        byte[] undisturbed = ModelFile.encode(train(sc, null), null);
        assertArrayEquals(local2, undisturbed, "separate executor JVMs vs local[2]");

        AtomicBoolean armed = new AtomicBoolean();
        AtomicReference<ProcessHandle> killed = new AtomicReference<>();
        AtomicInteger lost = new AtomicInteger();
        // How long a warm task runs (the round-1 tasks of this run, after the undisturbed run warmed the
        // executors): the kill lands a third of the way in, so it finds the task training on a fast
        // machine as on a slow one (a fixed delay outlasted the whole task once).
        AtomicLong taskMillis = new AtomicLong(400);
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                if (armed.compareAndSet(true, false)) {
                    String id = start.taskInfo().executorId();
                    Thread killer = new Thread(() -> {
                        try {
                            Thread.sleep(Math.max(1, taskMillis.get() / 3)); // into the task, not after it
                        } catch (InterruptedException e) {
                            return;
                        }
                        executor(id).ifPresent(p -> {
                            killed.set(p);
                            p.destroyForcibly(); // SIGKILL
                        });
                    });
                    killer.setDaemon(true);
                    killer.start();
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof ExecutorLostFailure) {
                    lost.incrementAndGet();
                } else if (killed.get() == null) {
                    taskMillis.set(end.taskInfo().duration());
                }
            }
        });
        byte[] disturbed = ModelFile.encode(train(sc, (s, n) -> {
            if (s.round() == 1) {
                armed.set(true); // the next task to start belongs to round 2
            }
        }), null);
        assertTrue(killed.get() != null, "an executor process was found and killed");
        assertFalse(killed.get().isAlive(), "the executor is dead");
        assertTrue(lost.get() >= 1, "the kill interrupted a running task (" + lost.get() + " lost)");
        assertArrayEquals(local2, disturbed, "a run with a killed executor vs local[2]");
    }

    private static boolean waitForExecutors() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (executor("0").isPresent() && executor("1").isPresent()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
