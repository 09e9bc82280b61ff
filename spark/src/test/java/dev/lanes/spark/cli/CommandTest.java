package dev.lanes.spark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.model.ModelFile;
import dev.lanes.spark.Csv;
import dev.lanes.spark.Data;
import dev.lanes.spark.SparkTrainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lanes-spark command in this JVM on local[2]: equal to the engine's train, resume, and bad input. */
class CommandTest {

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {
    }

    static Run spark(String... args) {
        List<String> all = new ArrayList<>(List.of("--master", "local[2]"));
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(all.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    static Run engine(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = dev.lanes.cli.Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    private static byte[] network(Path model) throws Exception {
        return ModelFile.encode(ModelFile.read(model).network(), null);
    }

    private static String[] with(String[] flags, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(flags));
        all.addAll(Arrays.asList(more));
        return all.toArray(new String[0]);
    }

    @Test
    void onePartitionEqualsTheEnginesTrainCommand() throws Exception {
        Path train = Csv.write(Data.blobs(1500, 6), tmp.resolve("train.csv"), true);
        Path test = Csv.write(Data.blobs(300, 7), tmp.resolve("test.csv"), true);
        String[] flags = {"--train-csv", train.toString(), "--test-csv", test.toString(), "--hidden", "32,16",
            "--epochs", "3", "--batch", "50", "--optimizer", "adam", "--lr", "0.002", "--schedule", "cosine", "--seed", "5"};
        Path single = tmp.resolve("single.lanes");
        Run engine = engine(with(new String[] {"train", "--threads", "2", "--model", single.toString()}, flags));
        assertEquals(0, engine.status(), engine.err());

        Path spark = tmp.resolve("spark.lanes");
        Run run = spark(with(new String[] {"--partitions", "1", "--model", spark.toString()}, flags));
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("round   3/3"), run.out());
        assertTrue(run.out().contains("model written to " + spark), run.out());
        assertArrayEquals(network(single), network(spark), "same weights, byte for byte");
        // Both report the test accuracy of the same weights from the same evaluator.
        String accuracy = engine.out().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertTrue(run.out().contains(accuracy), run.out() + " vs " + accuracy);
    }

    @Test
    void resumeAfterAnInterruptedRunEndsWithTheSameFile() throws Exception {
        Path csv = Csv.write(Data.blobs(600, 4), tmp.resolve("train.csv"), true);
        // 200 images and 7 batches per partition: the default round is one such epoch, so a finished
        // 2-epoch run is the first 2 rounds of a 3-epoch one and may be continued with more --epochs.
        String[] flags = {"--train-csv", csv.toString(), "--partitions", "3", "--hidden", "16",
            "--batch", "32", "--optimizer", "momentum", "--lr", "0.05"};
        Path straight = tmp.resolve("straight.lanes");
        Run full = spark(with(flags, "--epochs", "3", "--model", straight.toString()));
        assertEquals(0, full.status(), full.err());
        Path resumed = tmp.resolve("resumed.lanes");
        Run first = spark(with(flags, "--epochs", "2", "--model", resumed.toString()));
        assertEquals(0, first.status(), first.err());
        Run second = spark(with(flags, "--epochs", "3", "--model", resumed.toString(), "--resume"));
        assertEquals(0, second.status(), second.err());
        assertTrue(second.out().contains("resumed from " + resumed), second.out());
        assertFalse(second.out().contains("round   1/"), "the resumed run starts after the saved round: " + second.out());
        assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(resumed));

        Run changed = spark(with(flags, "--epochs", "4", "--model", resumed.toString(), "--resume", "--seed", "9"));
        assertEquals(2, changed.status());
        assertEquals("lanes-spark: resume " + resumed + ": --seed is 9 but the interrupted run used 1\n", changed.err());
    }

    /** Every engine setting a message may name has a lanes-spark flag. */
    @Test
    void everySettingMapsToAFlag() {
        picocli.CommandLine.Model.CommandSpec spec = new picocli.CommandLine(new Main()).getCommandSpec();
        for (dev.lanes.training.Setting s : dev.lanes.training.Setting.values()) {
            assertTrue(spec.findOption(SparkTrainer.FLAGS.of(s)) != null, s + " -> " + SparkTrainer.FLAGS.of(s));
        }
        refused("lanes-spark: --momentum must be in [0, 1), got 1.5 (see --help)", "--momentum", "1.5");
        refused("lanes-spark: --step-epochs must be ≥ 1, got 0 (see --help)", "--step-epochs", "0");
    }

    private void refused(String expected, String... args) {
        Run r = spark(args);
        assertEquals(2, r.status(), r.err());
        assertEquals(expected + "\n", r.err(), "exactly one line, no stack trace");
    }

    @Test
    void badInputGetsOneLineAndStatus2() throws Exception {
        Path model = tmp.resolve("m.lanes");
        Path nothing = tmp.resolve("nothing");
        refused("lanes-spark: " + nothing + ": no such directory", "--data", nothing.toString(), "--model", model.toString());
        refused("lanes-spark: " + nothing + ".csv: no such file", "--train-csv", nothing + ".csv", "--model", model.toString());
        Path csv = Csv.write(Data.blobs(5, 4), tmp.resolve("five.csv"), true);
        refused("lanes-spark: " + csv + ": 5 images cannot fill 8 partitions; every partition needs at least one image (use fewer partitions)",
                "--train-csv", csv.toString(), "--partitions", "8", "--model", model.toString());
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.set(3, lines.get(3) + ",7");
        Path wide = Files.write(tmp.resolve("wide.csv"), lines);
        refused("lanes-spark: " + wide + ": line 4: more than the 65 columns of line 1",
                "--train-csv", wide.toString(), "--partitions", "2", "--model", model.toString());
        refused("lanes-spark: --optimizer rmsprop: expected one of sgd, momentum, adam (see --help)", "--optimizer", "rmsprop");
        refused("lanes-spark: --lr must be a positive finite number, got -1.0 (see --help)", "--lr", "-1");
        refused("lanes-spark: --resume " + model + ": no such file", "--resume", "--model", model.toString());
        refused("lanes-spark: --partitions must be ≥ 1, got 0 (see --help)", "--partitions", "0");
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"--model", model.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertEquals(2, status);
        assertEquals("lanes-spark: no Spark master: pass --master (e.g. --master local[2]) or run under spark-submit\n",
                err.toString());
        assertFalse(Files.exists(model), "nothing written");
    }
}
