package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.cli.Cli;
import dev.lanes.InputException;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.TrainTest;
import dev.lanes.io.AtomicFile;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import dev.lanes.training.DivergedException;
import dev.lanes.training.Evaluator;
import dev.lanes.training.Optimizer;
import dev.lanes.training.RunRecord;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real Lanes processes with SIGKILL ({@link Process#destroyForcibly()} on Linux) and checks what
 * they leave behind: a model that is complete and loadable, never a torn one, and a run that resumes
 * to exactly the bytes of an uninterrupted one.
 */
class CrashSafetyTest {

    private static final int EPOCHS = 4;
    private static final Pattern EPOCH_LINE = Pattern.compile("^epoch +(\\d+) .*  (\\d+\\.\\d+) s ");
    /** Longest a step of a child process may take before the test gives up (a loaded 2-core machine). */
    private static final long PATIENCE_SECONDS = 180;

    @TempDir
    static Path shared;
    static Path data;
    static String[] flags;
    /** {@code snapshots[k]}: the model file of an uninterrupted run after epoch {@code k} (1-based). */
    static byte[][] snapshots;

    /**
     * 1 500 images through a 784-64-10 network with momentum: a few hundred milliseconds an epoch,
     * long enough to be killed inside one, and a resume state (the momentum buffer) that matters for
     * the result.
     */
    @BeforeAll
    static void uninterruptedRun() throws InputException, DivergedException {
        data = Lab.mnistSlice(shared.resolve("mnist"), 1500, 200);
        flags = new String[] {"train", "--data", data.toString(), "--hidden", "64", "--epochs", String.valueOf(EPOCHS),
            "--optimizer", "momentum", "--lr", "0.05", "--seed", "11", "--threads", "2"};
        TrainTest tt = IdxDirectory.load(data);
        Network net = Network.create(new int[] {784, 64, 10}, Init.HE, 11);
        TrainingConfig config = TrainingConfig.builder().epochs(EPOCHS).optimizer(new Optimizer.Momentum(0.9f, false))
                .learningRate(0.05f).seed(11).threads(2).build();
        snapshots = new byte[EPOCHS + 1][];
        try (Trainer t = new Trainer(net, config)) {
            t.fit(tt.train(), null, tt.test(), (s, tr) -> snapshots[s.epoch()] = ModelFile.encode(tr.network(), tr.state().encode()));
        }
    }

    @Test
    void sigkillDuringAnEpochLeavesTheLastCompleteEpochAndResumeFinishesIdentically(@TempDir Path tmp)
            throws Exception {
        Path model = tmp.resolve("m.lanes");
        Path stderr = tmp.resolve("stderr.txt");
        Process p = Lab.java("dev.lanes.cli.Main", Lab.concat(flags, "--model", model.toString()))
                .redirectError(stderr.toFile()).start();
        BlockingQueue<String> lines = ChildProcesses.lines(p);
        int epochsSeen = 0;
        try {
            // A model is written before its epoch line is printed. Epoch 1 includes the JIT's warm-up,
            // so the kill is timed from epoch 2: a third of its duration after its line lands inside
            // epoch 3, and the rest of it and epoch 4 leave a wide margin before the run would end.
            double seconds = -1;
            while (epochsSeen < 2) {
                String line = lines.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
                assertNotNull(line, () -> "no epoch line from the training process; stderr: " + read(stderr));
                Matcher m = EPOCH_LINE.matcher(line);
                if (m.find()) {
                    epochsSeen = Integer.parseInt(m.group(1));
                    seconds = Double.parseDouble(m.group(2));
                }
            }
            assertTrue(Files.exists(model), "the model of epoch 2 is on disk when its line is printed");
            Thread.sleep((long) Math.max(10, seconds * 1000 / 3));
            assertTrue(p.isAlive(), "the run ended before it could be killed");
            p.destroyForcibly();
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.exitValue() != 0, "killed, not finished");

        byte[] onDisk = Files.readAllBytes(model);
        int epoch = snapshotIndex(onDisk);
        assertTrue(epoch >= epochsSeen && epoch < EPOCHS,
                "the model on disk is epoch " + epoch + "; " + epochsSeen + " were reported, " + EPOCHS + " would finish");
        ModelFile.Model loaded = ModelFile.read(model);
        assertNotNull(loaded.trainingState(), "a model written during training can be resumed");
        // After two epochs on 1 500 images the net is far better than the 10% of guessing.
        double accuracy = Evaluator.evaluate(loaded.network(), Cli.mnist().test().select(Lab.range(500)), 1).accuracy();
        assertTrue(accuracy > 0.6, "accuracy " + accuracy);
        for (String other : Lab.othersIn(tmp, "m.lanes", "stderr.txt")) {
            assertTrue(other.startsWith(".m.lanes.tmp-"), "only hidden temporary files may remain: " + other);
        }

        Cli.Result r = Cli.run(Lab.concat(flags, "--model", model.toString(), "--resume"));
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("continuing after epoch " + epoch), r.out());
        assertArrayEquals(snapshots[EPOCHS], bare(Files.readAllBytes(model)), "resumed run ends with the uninterrupted bytes");
    }

    /**
     * SIGKILL in the middle of writing a model, with half the new bytes in the temporary file: the
     * old model stays in place, complete, and the next write goes through despite the leftover.
     */
    @Test
    void sigkillWhileWritingKeepsThePreviousModel(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("m.lanes");
        Files.write(model, snapshots[1]);
        Process p = Lab.java(HalfWriter.class.getName(), model.toString()).redirectErrorStream(true).start();
        try {
            BlockingQueue<String> lines = ChildProcesses.lines(p);
            String line;
            do {
                line = lines.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
                assertNotNull(line, "the writer never got halfway");
            } while (!line.equals(HalfWriter.HALFWAY));
            p.destroyForcibly();
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertArrayEquals(snapshots[1], Files.readAllBytes(model), "the previous model is untouched");
        ModelFile.read(model);
        List<String> others = Lab.othersIn(tmp, "m.lanes");
        assertEquals(1, others.size(), others.toString());
        Path temp = tmp.resolve(others.get(0));
        assertTrue(others.get(0).startsWith(".m.lanes.tmp-"), others.toString());
        assertEquals(HalfWriter.content().length / 2, Files.size(temp), "the kill hit the middle of the write");
        assertThrows(InputException.class, () -> ModelFile.read(temp), "half a model is not a model");
        // The leftover does not stand in the way of the next save.
        Network next = Network.create(new int[] {784, 128, 10}, Init.HE, 99);
        ModelFile.write(model, next, new byte[HalfWriter.STATE_BYTES]);
        assertArrayEquals(HalfWriter.content(), Files.readAllBytes(model));
    }

    /** Writes half of a model through {@link AtomicFile}, says so, and waits to be killed. */
    static final class HalfWriter {
        static final String HALFWAY = "halfway";
        static final int STATE_BYTES = 4096;

        static byte[] content() {
            return ModelFile.encode(Network.create(new int[] {784, 128, 10}, Init.HE, 99), new byte[STATE_BYTES]);
        }

        public static void main(String[] args) throws Exception {
            byte[] next = content();
            AtomicFile.write(Path.of(args[0]), out -> {
                out.write(next, 0, next.length / 2);
                out.flush();
                System.out.println(HALFWAY);
                System.out.flush();
                while (true) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
            });
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * The model as the library would have saved it: its network and the trainer's own state, without
     * the record of the command line that {@code lanes train} wraps around that state.
     */
    private static byte[] bare(byte[] modelFile) throws InputException {
        ModelFile.Model m = ModelFile.decode(modelFile, "model");
        return ModelFile.encode(m.network(), RunRecord.decode(m.trainingState()).trainerState());
    }

    private static int snapshotIndex(byte[] file) throws InputException {
        byte[] bytes = bare(file);
        for (int k = 1; k <= EPOCHS; k++) {
            if (Arrays.equals(snapshots[k], bytes)) {
                return k;
            }
        }
        fail("the model on disk (" + bytes.length + " bytes) is none of the epochs of the uninterrupted run");
        return -1;
    }
}
