package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.cli.Cli;
import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training at the numeric edges: a learning rate that blows up, and data sets that are degenerate
 * (blank or saturated images, one class, batches of one or larger than the data). Each run either
 * trains or stops with one line; a model on disk is always complete and finite.
 */
class NumericsTest {

    @TempDir
    static Path shared;
    static Path mnist;

    @BeforeAll
    static void data() {
        mnist = Lab.mnistSlice(shared.resolve("mnist"), 600, 100);
    }

    private static String[] train(Path data, Path model, String... more) {
        return Lab.concat(new String[] {"train", "--data", data.toString(), "--hidden", "16", "--model",
            model.toString()}, more);
    }

    /**
     * {@code --lr 1e30} overflows the weights within a few steps: the run stops in epoch 1 with one
     * line and exit 2, and the model already at {@code --model} keeps every byte.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "adam"})
    void divergenceStopsInTheFirstEpochAndKeepsThePreviousModel(String optimizer, @TempDir Path tmp)
            throws IOException {
        Path model = tmp.resolve("m.lanes");
        assertEquals(0, Cli.run(train(mnist, model, "--epochs", "1")).status());
        byte[] good = Files.readAllBytes(model);

        Cli.Result r = Cli.run(train(mnist, model, "--epochs", "3", "--lr", "1e30", "--optimizer", optimizer));
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains("diverged in epoch 1 "), r.toString());
        assertTrue(r.err().contains("--lr"), "the message points at the cause: " + r.err());
        assertFalse(r.out().contains("epoch   1"), "no epoch was reported as done: " + r.out());
        assertArrayEquals(good, Files.readAllBytes(model), "the previous model is untouched");
        assertEquals(Lab.othersIn(tmp, "m.lanes"), java.util.List.of(), "nothing half-written");
    }

    /** Images all 0 (no input signal: only the biases can learn) or all 255 (the largest inputs). */
    @ParameterizedTest
    @ValueSource(ints = {0, 255})
    void constantImagesTrain(int pixel, @TempDir Path tmp) throws IOException, InputException {
        Dataset train = constant(300, pixel, 10);
        Path data = Lab.idxFolder(tmp.resolve("data"), train, constant(50, pixel, 10));
        Path model = tmp.resolve("m.lanes");
        Cli.Result r = Cli.run(train(data, model, "--epochs", "2"));
        assertCleanOutcome(r, model);
        assertEquals(0, r.status(), "constant images are dull, not dangerous: " + r);
        Network net = ModelFile.read(model).network();
        // Every image is the same, so every prediction is the same class.
        assertEquals(1, Arrays.stream(net.predict(train)).distinct().count());
    }

    /**
     * One class only: label 0 everywhere (the network still gets two outputs) and label 7 everywhere
     * (refused until --classes 8 says that the seven empty classes are meant).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 7})
    void aSingleClassTrains(int label, @TempDir Path tmp) throws IOException, InputException {
        Dataset all = Cli.mnist().train().select(Lab.range(300));
        int[] labels = new int[all.size()];
        Arrays.fill(labels, label);
        Dataset one = new Dataset("one class", all.pixels(), labels, all.size(), 28, 28);
        Path data = Lab.idxFolder(tmp.resolve("data"), one, one.select(Lab.range(40)));
        Path model = tmp.resolve("m.lanes");
        if (label > 0) {
            // Classes 0..label-1 have no image: that needs saying with --classes.
            Cli.Result refused = Cli.run(train(data, model, "--epochs", "2"));
            assertEquals(2, refused.status(), refused.toString());
            assertTrue(refused.err().contains("--classes " + (label + 1)), refused.err());
        }
        Cli.Result r = Cli.run(label > 0 ? train(data, model, "--epochs", "2", "--classes", String.valueOf(label + 1))
                : train(data, model, "--epochs", "2"));
        assertCleanOutcome(r, model);
        assertEquals(0, r.status(), r.toString());
        Network net = ModelFile.read(model).network();
        assertEquals(Math.max(2, label + 1), net.classes());
        // With one class to learn, every training image ends up predicted as that class.
        assertTrue(Arrays.stream(net.predict(one)).allMatch(p -> p == label), r.toString());
        assertTrue(r.out().contains("test accuracy 100.00%"), r.out());
    }

    @Test
    void batchOfOne(@TempDir Path tmp) throws IOException, InputException {
        Path model = tmp.resolve("m.lanes");
        Cli.Result r = Cli.run(train(mnist, model, "--epochs", "1", "--batch", "1", "--lr", "0.01"));
        assertCleanOutcome(r, model);
        assertEquals(0, r.status(), r.toString());
        // 600 single-image steps learn digits (~75% on this slice): 0.5 separates learning from not.
        assertTrue(accuracy(r) > 0.5, r.toString());
    }

    @Test
    void batchLargerThanTheDataSet(@TempDir Path tmp) throws IOException, InputException {
        Path model = tmp.resolve("m.lanes");
        Cli.Result r = Cli.run(train(mnist, model, "--epochs", "3", "--batch", "5000", "--seed", "4"));
        assertCleanOutcome(r, model);
        assertEquals(0, r.status(), r.toString());
        // One step per epoch: the weights moved away from their initial draw, and stay finite.
        Network initial = Network.create(new int[] {784, 16, 10}, Init.HE, 4);
        assertFalse(Arrays.equals(initial.parameters(), ModelFile.read(model).network().parameters()));
    }

    @Test
    void aSingleTrainingImage(@TempDir Path tmp) throws IOException, InputException {
        Dataset one = Cli.mnist().train().select(new int[] {0});
        Path data = Lab.idxFolder(tmp.resolve("data"), one, one);
        Path model = tmp.resolve("m.lanes");
        // One image leaves the classes below its label empty: --classes says they are meant.
        Cli.Result r = Cli.run(train(data, model, "--epochs", "3", "--classes", "10"));
        assertCleanOutcome(r, model);
        assertEquals(0, r.status(), r.toString());
        assertEquals(one.label(0), ModelFile.read(model).network().predict(one.pixels(), 0), r.toString());
    }

    /** Exit 0 or one line with exit 2; any model file loads (which checks every parameter is finite). */
    private static void assertCleanOutcome(Cli.Result r, Path model) throws InputException, IOException {
        assertTrue(r.status() == 0 || r.status() == 2, r.toString());
        if (r.status() == 2) {
            assertEquals(1, r.err().lines().count(), r.toString());
        } else {
            assertTrue(Files.exists(model), r.toString());
        }
        if (Files.exists(model)) {
            Network net = ModelFile.read(model).network();
            assertTrue(net.isFinite());
        }
    }

    private static double accuracy(Cli.Result r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("test accuracy (\\d+\\.\\d+)%").matcher(r.out());
        assertTrue(m.find(), r.toString());
        return Double.parseDouble(m.group(1)) / 100;
    }

    /** {@code n} images of one constant value, labels cycling through {@code classes}. */
    private static Dataset constant(int n, int pixel, int classes) {
        byte[] px = new byte[n * 784];
        Arrays.fill(px, (byte) pixel);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return new Dataset("constant " + pixel, px, labels, n, 28, 28);
    }
}
