package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.json.StrictJson;
import dev.lanes.model.ModelFile;
import dev.lanes.training.RunRecord;
import dev.lanes.training.Setting;
import dev.lanes.training.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainCommandTest {

    @TempDir
    static Path shared;
    static Path slice;

    @BeforeAll
    static void data() {
        slice = Cli.mnistSlice(shared.resolve("mnist"), 6000, 1000);
    }

    private static double accuracy(String out) {
        Matcher m = Pattern.compile("test accuracy (\\d+\\.\\d+)%").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1)) / 100;
    }

    @Test
    void trainsOnASliceOfMnistAndWritesEverything(@TempDir Path tmp) throws IOException {
        Path model = tmp.resolve("m.lanes");
        Path metrics = tmp.resolve("metrics.jsonl");
        Path plots = tmp.resolve("plots");
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "3", "--hidden", "32",
                "--model", model.toString(), "--metrics", metrics.toString(), "--plots", plots.toString(),
                "--validation", "500");
        assertEquals(0, r.status(), r.toString());
        // 6 000 images, 3 epochs of a 784-32-10 net: ~90% here; 0.85 fails a broken trainer, not noise.
        assertTrue(accuracy(r.out()) > 0.85, r.toString());
        assertTrue(r.out().contains("model written to " + model), r.out());
        assertTrue(Files.size(model) > 784 * 32 * 4);
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) {
            String line = lines.get(i);
            JsonNode row = StrictJson.parse(line);
            assertEquals(i + 1, row.get("epoch").intValue(), line);
            for (String key : List.of("loss", "train_accuracy", "validation_accuracy", "validation_loss",
                    "test_accuracy", "test_loss", "seconds", "samples_per_second", "learning_rate")) {
                assertTrue(row.hasNonNull(key) && row.get(key).isNumber(), key + " in " + line);
            }
            assertEquals(0.1, row.get("learning_rate").doubleValue(), 0, "the float's own digits: " + line);
        }
        for (String png : List.of("loss.png", "accuracy.png", "confusion.png", "misclassified.png")) {
            assertTrue(Files.size(plots.resolve(png)) > 1000, png);
        }
    }

    @Test
    void sameSeedGivesIdenticalModelBytesForOneAndTwoThreads(@TempDir Path tmp) throws IOException {
        Path one = tmp.resolve("one.lanes");
        Path two = tmp.resolve("two.lanes");
        String[] common = {"train", "--data", slice.toString(), "--epochs", "2", "--hidden", "16,8",
            "--optimizer", "momentum"};
        assertEquals(0, Cli.run(concat(common, "--threads", "1", "--model", one.toString())).status());
        assertEquals(0, Cli.run(concat(common, "--threads", "2", "--model", two.toString())).status());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    }

    @Test
    void resumeEndsWithTheBytesOfAnUninterruptedRun(@TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight.lanes");
        Path resumed = tmp.resolve("resumed.lanes");
        String[] common = {"train", "--data", slice.toString(), "--hidden", "16", "--optimizer", "adam",
            "--lr", "0.002", "--schedule", "step", "--step-epochs", "1", "--step-gamma", "0.5"};
        assertEquals(0, Cli.run(concat(common, "--epochs", "3", "--model", straight.toString())).status());
        assertEquals(0, Cli.run(concat(common, "--epochs", "1", "--model", resumed.toString())).status());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(straight), Files.readAllBytes(resumed)));
        Cli.Result r = Cli.run(concat(common, "--epochs", "3", "--model", resumed.toString(), "--resume"));
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("continuing after epoch 1"), r.out());
        assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(resumed));

        Cli.Result changed = Cli.run(concat(common, "--epochs", "4", "--lr", "0.01", "--model", resumed.toString(),
                "--resume"));
        assertEquals(2, changed.status(), changed.toString());
        assertTrue(changed.err().contains("--lr"), changed.err());
    }

    /** A model saved in the first training-state format: one line naming it, the model left as it was. */
    @Test
    void resumingAStateOfAnOlderFormatIsRefusedByName(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("old.lanes");
        String[] common = {"train", "--data", slice.toString(), "--hidden", "16", "--model", model.toString()};
        assertEquals(0, Cli.run(concat(common, "--epochs", "1")).status());
        ModelFile.Model m = ModelFile.read(model);
        RunRecord record = RunRecord.decode(m.trainingState());
        byte[] older = record.trainerState().clone();
        java.nio.ByteBuffer.wrap(older).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 1);
        ModelFile.write(model, m.network(), new RunRecord(record.settings(), record.progress(), older).encode());
        byte[] before = Files.readAllBytes(model);
        Cli.Result r = Cli.run(concat(common, "--epochs", "2", "--resume"));
        assertEquals(2, r.status(), r.toString());
        assertEquals("lanes train: --resume " + model + ": the training state was written by an older version of Lanes"
                + " (format 1) and cannot be resumed\n", r.err());
        assertArrayEquals(before, Files.readAllBytes(model));
        Cli.Result info = Cli.run("info", "--model", model.toString());
        assertTrue(info.out().contains("resumable  no: the training state was written by an older version"), info.out());
    }

    /** Every setting the library names has a flag of the train command, which the messages use. */
    @Test
    void everySettingMapsToATrainFlag() {
        picocli.CommandLine.Model.CommandSpec train = new picocli.CommandLine(new TrainCommand()).getCommandSpec();
        for (Setting s : Setting.values()) {
            assertTrue(train.findOption(SettingFlags.TRAIN.of(s)) != null, s + " -> " + SettingFlags.TRAIN.of(s));
        }
        assertEquals("--lr is 0.2 but the interrupted run used 0.1",
                SettingFlags.TRAIN.message(new TrainingState.Difference(Setting.LEARNING_RATE, "0.1", "0.2")));
        assertEquals("--no-shuffle is on but the interrupted run used off",
                SettingFlags.TRAIN.message(new TrainingState.Difference(Setting.SHUFFLE, "on", "off")));
    }

    /** Every setting that changes the result is refused by name on resume, and so is other training data. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--hidden|256,128|--hidden",
        "--validation|500|--validation",
        "--init|seed|--init",
        "--optimizer|adam|--optimizer",
        "--seed|2|--seed",
        "--no-shuffle||--no-shuffle",
        "--data|OTHER|training data",
    })
    void resumeRefusesEverySettingThatChangesTheResult(String flag, String value, String named, @TempDir Path tmp)
            throws IOException {
        Path model = tmp.resolve("r.lanes");
        assertEquals(0, Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--model", model.toString())
                .status());
        byte[] before = Files.readAllBytes(model);
        List<String> args = new java.util.ArrayList<>(List.of("train", "--epochs", "2", "--resume", "--model",
                model.toString()));
        if (flag.equals("--data")) {
            Path other = tmp.resolve("other");
            Files.createDirectories(other);
            for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                    "t10k-labels-idx1-ubyte")) {
                Files.copy(slice.resolve(f), other.resolve(f));
            }
            byte[] images = Files.readAllBytes(other.resolve("train-images-idx3-ubyte"));
            images[images.length - 1] ^= 1; // one pixel of the last image: same size, other data
            Files.write(other.resolve("train-images-idx3-ubyte"), images);
            args.addAll(List.of("--data", other.toString()));
        } else {
            args.addAll(List.of("--data", slice.toString(), flag));
            if (value != null) {
                args.add(value);
            }
        }
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(named), r.err());
        assertArrayEquals(before, Files.readAllBytes(model), "the model is untouched");
    }

    @Test
    void resumeWithoutRepeatingTheNetworkFlagsContinuesTheSavedNetwork(@TempDir Path tmp) {
        Path model = tmp.resolve("r.lanes");
        assertEquals(0, Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--hidden", "12", "--init",
                "seed", "--model", model.toString()).status());
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "2", "--resume", "--model",
                model.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("784-12-10"), r.out());
        // The resumed run records the network it continued, not the flags' defaults.
        Cli.Result info = Cli.run("info", "--model", model.toString());
        assertTrue(info.out().contains("--hidden 12") && info.out().contains("--init seed"), info.out());
        assertTrue(info.out().contains("trained    2 of 2 epochs"), info.out());
    }

    @Test
    void fromStartsWithTheSavedWeights(@TempDir Path tmp) throws IOException {
        Path first = tmp.resolve("first.lanes");
        Path second = tmp.resolve("second.lanes");
        assertEquals(0, Cli.run("train", "--data", slice.toString(), "--epochs", "2", "--hidden", "24",
                "--model", first.toString()).status());
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--from", first.toString(),
                "--model", second.toString(), "--lr", "0.01");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("784-24-10"), r.out());
        Cli.Result bad = Cli.run("train", "--data", slice.toString(), "--from", first.toString(), "--hidden", "12",
                "--model", tmp.resolve("x.lanes").toString());
        assertEquals(2, bad.status(), bad.toString());
        assertTrue(bad.err().contains("--hidden"), bad.err());
    }

    @Test
    void trainsFromKaggleCsv(@TempDir Path tmp) throws IOException {
        Path train = Cli.csv(tmp.resolve("train.csv"), Cli.mnist().train(), 3000, true);
        Path test = Cli.csv(tmp.resolve("test.csv"), Cli.mnist().test(), 500, true);
        Path model = tmp.resolve("csv.lanes");
        Cli.Result r = Cli.run("train", "--train-csv", train.toString(), "--test-csv", test.toString(),
                "--epochs", "3", "--model", model.toString(), "--hidden", "32");
        assertEquals(0, r.status(), r.toString());
        // 3 000 images: ~88%; 0.8 separates learning from not learning.
        assertTrue(accuracy(r.out()) > 0.8, r.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--epochs|0|--epochs",
        "--batch|0|--batch",
        "--hidden|0|--hidden",
        "--hidden|10,-3|--hidden",
        "--lr|NaN|--lr",
        "--lr|-0.1|--lr",
        "--lr|abc|--lr",
        "--optimizer|rmsprop|--optimizer",
        "--schedule|linear|--schedule",
        "--momentum|1.5|--momentum",
        "--weight-decay|-1|--weight-decay",
        "--threads|0|--threads",
        "--init|xavier|--init",
        "--validation|6000|--validation",
        "--data|/nonexistent/folder|/nonexistent/folder",
    })
    void badFlagsGiveOneLineExitTwoAndNoModel(String flag, String value, String named, @TempDir Path tmp) {
        Path model = tmp.resolve("never.lanes");
        List<String> args = new java.util.ArrayList<>(List.of("train", flag, value, "--model", model.toString()));
        if (!flag.equals("--data")) {
            args.addAll(List.of("--data", slice.toString()));
        }
        if (!flag.equals("--epochs")) {
            args.addAll(List.of("--epochs", "1"));
        }
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(named), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(model));
    }

    /**
     * A network beyond the heap is refused before it is allocated, with the size and the -Xmx to use;
     * one beyond what an array holds is refused as such. The test JVM has a 2 GiB heap (pom.xml).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2000000|-Xmx",
        "100000000|holds at most",
    })
    void aNetworkTooLargeForTheHeapIsABadInputNotACrash(String width, String says, @TempDir Path tmp) {
        Path model = tmp.resolve("never.lanes");
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--hidden", width,
                "--model", model.toString());
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--hidden " + width) && r.err().contains(says), r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("Error"), r.err());
        assertFalse(Files.exists(model));
    }

    @Test
    void aNetworkThatFitsTheHeapIsNotRefused() {
        // 784-2000-10 with Adam: ~1.6 M parameters, ~60 MB with gradients and state; far below 2 GiB.
        int[] sizes = {784, 2000, 10};
        long needed = dev.lanes.training.Trainer.bytesNeeded(sizes, dev.lanes.training.TrainingConfig.builder()
                .optimizer(new dev.lanes.training.Optimizer.Adam()).threads(2).build());
        long parameters = dev.lanes.network.Network.parameters(sizes);
        // At least the parameters, their gradient, two Adam moments and a copy of the moments for the
        // saved state (5 floats a parameter); under 12 with the batch and per-thread buffers.
        assertTrue(needed >= 4 * parameters * 5 && needed < 4 * parameters * 12, "estimate " + needed);
    }

    /** One stray label must not silently make a 256-class network; --classes says it is meant. */
    @Test
    void aStrayLabelIsRefusedUnlessClassesSaysSo(@TempDir Path tmp) throws IOException {
        Path dir = Cli.mnistSlice(tmp.resolve("stray"), 1000, 100);
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        byte[] b = Files.readAllBytes(labels);
        b[8 + 7] = (byte) 255; // image 7's label
        Files.write(labels, b);
        Path model = tmp.resolve("m.lanes");
        Cli.Result r = Cli.run("train", "--data", dir.toString(), "--epochs", "1", "--model", model.toString());
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        for (String s : List.of("label 255", "image 7", "classes 10-254", "classes seen: 0-9, 255", "--classes 256")) {
            assertTrue(r.err().contains(s), s + " in " + r.err());
        }
        assertFalse(Files.exists(model));

        Cli.Result meant = Cli.run("train", "--data", dir.toString(), "--epochs", "1", "--classes", "256", "--model",
                model.toString());
        assertEquals(0, meant.status(), meant.toString());
        assertTrue(meant.out().contains("784-10-256"), meant.out());
        Cli.Result tooFew = Cli.run("train", "--data", dir.toString(), "--epochs", "1", "--classes", "100", "--model",
                model.toString());
        assertEquals(2, tooFew.status(), tooFew.toString());
        assertTrue(tooFew.err().contains("255"), tooFew.err());
    }

    /**
     * A weight decay far beyond lr·wd = 2 makes the weights grow geometrically, so that the run
     * diverges after its first epoch: the message names the model of the last good epoch, and the
     * plots show the finished epochs.
     */
    @Test
    void aDivergedRunSaysWhatIsOnDiskAndPlotsTheFinishedEpochs(@TempDir Path tmp) throws IOException {
        Path model = tmp.resolve("m.lanes");
        Path plots = tmp.resolve("plots");
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "5", "--batch", "200", "--hidden", "32",
                "--weight-decay", "25", "--model", model.toString(), "--plots", plots.toString());
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        Matcher m = Pattern.compile("diverged in epoch (\\d+) .*the model of epoch (\\d+) is in " + Pattern.quote(model.toString())
                + "; plots of (\\d+) finished epochs? are in").matcher(r.err());
        assertTrue(m.find(), r.err());
        assertTrue(r.err().endsWith("; try a smaller --lr\n"), r.err());
        assertEquals(1, r.err().split("--lr", -1).length - 1, "the advice once: " + r.err());
        int diverged = Integer.parseInt(m.group(1));
        assertTrue(diverged >= 2, "the setting diverges after epoch 1: " + r.err());
        assertEquals(diverged - 1, Integer.parseInt(m.group(2)));
        assertEquals(diverged - 1, Integer.parseInt(m.group(3)));
        assertTrue(Files.size(plots.resolve("loss.png")) > 1000);
        assertTrue(r.out().contains("e"), "a huge loss is printed with an exponent: " + r.out());
        assertFalse(r.out().matches("(?s).*loss \\d{7,}.*"), "no 20-digit losses: " + r.out());
    }

    /**
     * Early stopping with --keep-best on a network that overfits 300 images: the run stops before its
     * 60 epochs, the metrics say which epoch was best, and the model file holds that epoch — exactly
     * the model of a run of that many epochs, as training is deterministic.
     */
    @Test
    void earlyStoppingKeepsTheBestEpoch(@TempDir Path tmp) throws Exception {
        Path small = Cli.mnistSlice(tmp.resolve("small"), 800, 100);
        Path model = tmp.resolve("best.lanes");
        Path metrics = tmp.resolve("m.jsonl");
        String[] common = {"train", "--data", small.toString(), "--hidden", "64", "--optimizer", "adam", "--lr", "0.01",
            "--validation", "500", "--quiet"};
        Cli.Result r = Cli.run(concat(common, "--epochs", "60", "--early-stop", "3", "--keep-best", "--model",
                model.toString(), "--metrics", metrics.toString()));
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.out(), "--quiet prints nothing");
        List<String> lines = Files.readAllLines(metrics);
        assertTrue(lines.size() < 60, "stopped early after " + lines.size() + " epochs");
        JsonNode last = StrictJson.parse(lines.get(lines.size() - 1));
        int best = last.get("best_epoch").intValue();
        assertEquals(lines.size() - 3, best, "three epochs without improvement after the best");
        double bestLoss = StrictJson.parse(lines.get(best - 1)).get("validation_loss").doubleValue();
        for (String line : lines) {
            assertTrue(StrictJson.parse(line).get("validation_loss").doubleValue() >= bestLoss, line);
        }
        Path exact = tmp.resolve("exact.lanes");
        assertEquals(0, Cli.run(concat(common, "--epochs", String.valueOf(best), "--model", exact.toString())).status());
        assertArrayEquals(dev.lanes.model.ModelFile.read(exact).network().parameters(),
                dev.lanes.model.ModelFile.read(model).network().parameters(), "the model of the best epoch");

        Cli.Result noValidation = Cli.run("train", "--data", small.toString(), "--early-stop", "2", "--model",
                tmp.resolve("x.lanes").toString());
        assertEquals(2, noValidation.status(), noValidation.toString());
        assertTrue(noValidation.err().contains("--validation"), noValidation.err());
    }

    @Test
    void moreThreadsThanProcessorsGetAWarning(@TempDir Path tmp) {
        int threads = Runtime.getRuntime().availableProcessors() + 1;
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "1", "--threads", String.valueOf(threads),
                "--model", tmp.resolve("m.lanes").toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("warning: --threads " + threads + " is more than the"), r.err());
        assertTrue(r.out().contains("training 1 epoch, batch 64"), "singular: " + r.out());
    }

    @Test
    void unknownOptionAndMissingCommandAreUsageErrors() {
        Cli.Result r = Cli.run("train", "--frobnicate");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals(2, Cli.run().status());
        assertEquals(0, Cli.run("train", "--help").status());
        assertTrue(Cli.run("--version").out().startsWith("Lanes "));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
