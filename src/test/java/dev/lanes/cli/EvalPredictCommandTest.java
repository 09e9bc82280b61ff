package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.data.Dataset;
import dev.lanes.json.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalPredictCommandTest {

    @TempDir
    static Path shared;
    static Path slice;
    static Path model;

    @BeforeAll
    static void trainOnce() {
        slice = Cli.mnistSlice(shared.resolve("mnist"), 5000, 800);
        model = shared.resolve("m.lanes");
        Cli.Result r = Cli.run("train", "--data", slice.toString(), "--epochs", "2", "--hidden", "32",
                "--model", model.toString());
        assertEquals(0, r.status(), r.toString());
    }

    @Test
    void evalJsonHasAccuracyLossAndAConsistentConfusionMatrix() {
        Cli.Result r = Cli.run("eval", "--model", model.toString(), "--data", slice.toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        String json = r.out().trim();
        JsonNode parsed = StrictJson.parse(json);
        assertEquals(800, parsed.get("samples").intValue(), json);
        assertEquals(10, parsed.get("precision").size(), json);
        assertEquals(10, parsed.get("recall").size(), json);
        assertTrue(parsed.get("macro_f1").isNumber(), json);
        Matcher acc = Pattern.compile("\"accuracy\":([0-9.eE-]+)").matcher(json);
        assertTrue(acc.find(), json);
        assertTrue(json.contains("\"loss\":"), json);
        Matcher conf = Pattern.compile("\"confusion\":\\[(.*?)\\]\\]").matcher(json);
        assertTrue(conf.find(), json);
        String[] rows = conf.group(1).split("\\],\\[");
        assertEquals(10, rows.length);
        long total = 0;
        long diagonal = 0;
        for (int i = 0; i < 10; i++) {
            String[] cells = rows[i].replace("[", "").split(",");
            assertEquals(10, cells.length);
            for (int j = 0; j < 10; j++) {
                long v = Long.parseLong(cells[j]);
                total += v;
                diagonal += i == j ? v : 0;
            }
        }
        assertEquals(800, total, "every test image counted once");
        assertEquals(Double.parseDouble(acc.group(1)), (double) diagonal / total, 1e-6);
    }

    @Test
    void evalTextShowsPrecisionRecallAndConfusion(@TempDir Path tmp) throws IOException {
        Cli.Result r = Cli.run("eval", "--model", model.toString(), "--data", slice.toString(), "--plots",
                tmp.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("precision") && r.out().contains("recall") && r.out().contains("confusion"));
        assertTrue(Files.size(tmp.resolve("confusion.png")) > 1000);
        assertTrue(Files.size(tmp.resolve("misclassified.png")) > 1000);
    }

    @Test
    void predictWritesAOneBasedKaggleSubmissionThatAgreesWithEval(@TempDir Path tmp) throws IOException {
        Dataset test = Cli.mnist().test();
        Path csv = Cli.csv(tmp.resolve("test.csv"), test, 300, false);
        Path out = tmp.resolve("submission.csv");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--csv", csv.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals("ImageId,Label", lines.get(0));
        assertEquals(301, lines.size());
        int correct = 0;
        for (int i = 1; i <= 300; i++) {
            String[] f = lines.get(i).split(",");
            assertEquals(i, Integer.parseInt(f[0]));
            int label = Integer.parseInt(f[1]);
            assertTrue(label >= 0 && label < 10);
            correct += label == test.label(i - 1) ? 1 : 0;
        }
        // The model scores ~90% on MNIST test images; 0.8 on these 300 means the rows line up with the images.
        assertTrue(correct > 240, "correct " + correct);

        Path fromIdx = tmp.resolve("idx.csv");
        Cli.Result idx = Cli.run("predict", "--model", model.toString(), "--images",
                slice.resolve("t10k-images-idx3-ubyte").toString(), "--out", fromIdx.toString(),
                "--plots", tmp.toString());
        assertEquals(0, idx.status(), idx.toString());
        List<String> idxLines = Files.readAllLines(fromIdx);
        assertEquals(801, idxLines.size());
        assertEquals(lines.subList(0, 301), idxLines.subList(0, 301), "same images, same predictions");
        assertTrue(Files.size(tmp.resolve("predictions.png")) > 1000);
        assertTrue(idx.out().contains("plot written to " + tmp.resolve("predictions.png")), idx.out());
        assertTrue(idx.out().contains("800 predictions written to " + fromIdx), idx.out());
    }

    @Test
    void infoDescribesAModelFile(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("info", "--model", model.toString());
        assertEquals(0, r.status(), r.toString());
        for (String s : List.of("layers     784-32-10", "parameters 25,450", "trained    2 of 2 epochs", "--hidden 32",
                "--lr 0.1", "--optimizer sgd", "resumable  yes", "5000 images of 28x28")) {
            assertTrue(r.out().contains(s), s + " in " + r.out());
        }
        Path bare = tmp.resolve("bare.lanes");
        dev.lanes.model.ModelFile.write(bare, dev.lanes.model.ModelFile.read(model).network(), null);
        Cli.Result b = Cli.run("info", "--model", bare.toString());
        assertEquals(0, b.status(), b.toString());
        assertTrue(b.out().contains("resumable  no"), b.out());
        assertEquals(2, Cli.run("info", "--model", tmp.resolve("missing.lanes").toString()).status());
    }

    @Test
    void predictWritesProbabilitiesAndTheTopClassesToStandardOutput() {
        Path csv = Cli.csv(shared.resolve("probs.csv"), Cli.mnist().test(), 30, false);
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--csv", csv.toString(), "--out", "-",
                "--probabilities", "--top", "3");
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(31, lines.size(), r.out());
        assertEquals("ImageId,Label,Probability,Label2,Probability2,Label3,Probability3,P0,P1,P2,P3,P4,P5,P6,P7,P8,P9",
                lines.get(0));
        for (int i = 1; i <= 30; i++) {
            String[] f = lines.get(i).split(",");
            assertEquals(17, f.length, lines.get(i));
            int label = Integer.parseInt(f[1]);
            double sum = 0;
            double max = -1;
            for (int c = 0; c < 10; c++) {
                double p = Double.parseDouble(f[7 + c]);
                sum += p;
                max = Math.max(max, p);
            }
            // Ten probabilities printed with 6 decimals: their sum is 1 within 10 × 5e-7 of rounding.
            assertEquals(1.0, sum, 1e-5, lines.get(i));
            assertEquals(max, Double.parseDouble(f[7 + label]), 0, "the label is the most likely class");
            assertEquals(Double.parseDouble(f[2]), Double.parseDouble(f[7 + label]), 0);
            assertTrue(Double.parseDouble(f[2]) >= Double.parseDouble(f[4]) && Double.parseDouble(f[4]) >= Double.parseDouble(f[6]));
            assertEquals(Double.parseDouble(f[4]), Double.parseDouble(f[7 + Integer.parseInt(f[3])]), 0);
        }
        assertTrue(r.err().contains("30 predictions written to standard output"), r.err());
        assertFalse(Files.exists(Path.of("-")), "no file named -");
    }

    @Test
    void badModelFileIsAOneLineErrorNamingIt(@TempDir Path tmp) throws IOException {
        Path junk = tmp.resolve("junk.lanes");
        Files.writeString(junk, "this is not a model");
        Cli.Result r = Cli.run("eval", "--model", junk.toString(), "--data", slice.toString());
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(junk.toString()), r.err());
        Path out = tmp.resolve("never.csv");
        Cli.Result p = Cli.run("predict", "--model", junk.toString(), "--csv", "whatever.csv", "--out", out.toString());
        assertEquals(2, p.status());
        assertFalse(Files.exists(out));
    }
}
