package dev.lanes.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way in (driver data, RDD, DataFrame, CSV on a Hadoop path) gives the same partitions, and bad input one line. */
class TrainingDataTest {

    @TempDir
    Path tmp;

    private static final int[] SIZES = {64, 16, 3};

    private static JavaSparkContext sc() {
        Spark.local2();
        return Spark.context();
    }

    private static byte[] train(TrainingData d) throws InputException {
        TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(32).learningRate(0.05f)
                .optimizer(new Optimizer.Momentum(0.9f, false)).seed(2).build();
        try (d) {
            return ModelFile.encode(new SparkTrainer(sc(), cfg, SparkTrainer.Options.defaults().localBatches(5))
                    .fit(Network.create(SIZES, Init.HE, 4), d, null), null);
        }
    }

    private static List<LabeledImage> images(Dataset d) {
        List<LabeledImage> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            out.add(new LabeledImage(d.label(i), java.util.Arrays.copyOfRange(d.pixels(), i * 64, (i + 1) * 64)));
        }
        return out;
    }

    @Test
    void everyInputFormGivesTheSameModel() throws Exception {
        Dataset data = Data.blobs(403, 8);
        JavaSparkContext sc = sc();
        byte[] driver = train(TrainingData.of(sc, data, 3));

        // An RDD spread over 5 input partitions: repartitioning to 3 by index must not depend on them.
        JavaRDD<LabeledImage> rdd = sc.parallelize(images(data), 5);
        assertArrayEquals(driver, train(TrainingData.of(rdd, 8, 8, 3, "rdd")), "RDD");

        SparkSession spark = Spark.local2();
        StructType binary = new StructType().add("label", DataTypes.IntegerType).add("pixels", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        List<Row> arrays = new ArrayList<>();
        for (LabeledImage im : images(data)) {
            rows.add(RowFactory.create(im.label(), im.pixels()));
            List<Integer> px = new ArrayList<>();
            for (byte b : im.pixels()) {
                px.add(b & 0xFF);
            }
            arrays.add(RowFactory.create((long) im.label(), px));
        }
        assertArrayEquals(driver, train(TrainingData.of(spark.createDataFrame(rows, binary).coalesce(2), "label",
                "pixels", 8, 8, 3)), "DataFrame with binary pixels");
        StructType array = new StructType().add("y", DataTypes.LongType)
                .add("px", DataTypes.createArrayType(DataTypes.IntegerType));
        assertArrayEquals(driver, train(TrainingData.of(spark.createDataFrame(arrays, array), "y", "px", 8, 8, 3)),
                "DataFrame with integer-array pixels");

        Path withHeader = Csv.write(data, tmp.resolve("train.csv"), true);
        assertArrayEquals(driver, train(TrainingData.readCsv(sc, withHeader.toUri().toString(), 3)), "CSV, file: URI");
        assertArrayEquals(driver, train(TrainingData.readCsv(sc, Csv.write(data, tmp.resolve("bare.csv"), false).toString(), 3)),
                "CSV without a header, plain path");
    }

    @Test
    void partitionsTakeEveryPthImageInOrder() throws InputException {
        Dataset data = Data.blobs(10, 9);
        try (TrainingData d = TrainingData.of(sc().parallelize(images(data), 3), 8, 8, 4, "rdd")) {
            assertArrayEquals(new int[] {3, 3, 2, 2}, d.partitionSizes());
            List<Shard> shards = d.shards().collect();
            for (Shard s : shards) {
                for (int i = 0; i < s.size; i++) {
                    int original = s.partition + 4 * i;
                    assertEquals(data.label(original), s.labels[i]);
                    assertArrayEquals(java.util.Arrays.copyOfRange(data.pixels(), original * 64, original * 64 + 64),
                            java.util.Arrays.copyOfRange(s.pixels, i * 64, i * 64 + 64));
                }
            }
            assertEquals(3, d.classCount());
            assertEquals(10, d.size());
        }
    }

    private static String refused(ThrowingSupplier s) {
        InputException e = assertThrows(InputException.class, s::get);
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private interface ThrowingSupplier {
        Object get() throws Exception;
    }

    @Test
    void badCsvIsNamedByFileAndLine() throws Exception {
        JavaSparkContext sc = sc();
        Path good = Csv.write(Data.blobs(30, 1), tmp.resolve("good.csv"), true);
        List<String> lines = new ArrayList<>(Files.readAllLines(good));
        lines.set(7, lines.get(7).substring(0, lines.get(7).lastIndexOf(','))); // line 8 loses a pixel
        lines.set(20, lines.get(20).replaceFirst(",", ",300,").replaceFirst(",[0-9]+$", ""));
        Path short_ = tmp.resolve("short.csv");
        Files.write(short_, lines);
        String m = refused(() -> TrainingData.readCsv(sc, short_.toString(), 2));
        assertEquals(short_ + ": line 8: 64 columns, line 1 has 65", m, "the first bad line, whichever partition holds it");

        List<String> bad = new ArrayList<>(Files.readAllLines(good));
        bad.set(3, bad.get(3).replaceFirst(",[0-9]+,", ",x1,"));
        Path letters = tmp.resolve("letters.csv");
        Files.write(letters, bad);
        assertEquals(letters + ": line 4: column 2 is \"x1\", expected an integer from 0 to 255",
                refused(() -> TrainingData.readCsv(sc, letters.toString(), 2)));

        Path header = tmp.resolve("header.csv");
        Files.writeString(header, "pixel0,pixel1\n1,2\n");
        assertTrue(refused(() -> TrainingData.readCsv(sc, header.toString(), 1)).startsWith(header
                + ": line 1: the header must start with the label column"));

        Path missing = tmp.resolve("nothing-here.csv");
        assertEquals(missing + ": no such file", refused(() -> TrainingData.readCsv(sc, missing.toString(), 2)));
        Path empty = tmp.resolve("empty.csv");
        Files.writeString(empty, "");
        assertEquals(empty + ": empty, no images", refused(() -> TrainingData.readCsv(sc, empty.toString(), 2)));
        assertTrue(refused(() -> TrainingData.readCsv(sc, "nosuchfs://x/y.csv", 2)).startsWith("nosuchfs://x/y.csv: cannot read: "));
    }

    @Test
    void tooFewImagesForThePartitionsIsRefused() {
        JavaSparkContext sc = sc();
        assertEquals("blobs: 3 images cannot fill 4 partitions; every partition needs at least one image (use fewer partitions)",
                refused(() -> TrainingData.of(sc, Data.blobs(3, 2), 4)));
        assertEquals("rdd: 3 images cannot fill 4 partitions; every partition needs at least one image (use fewer partitions)",
                refused(() -> TrainingData.of(sc.parallelize(images(Data.blobs(3, 2)), 2), 8, 8, 4, "rdd")));
        assertEquals("rdd: no images", refused(() -> TrainingData.of(sc.parallelize(new ArrayList<LabeledImage>(), 2), 8, 8, 1, "rdd")));
        Dataset unlabelled = new Dataset("unlabelled", new byte[64], null, 1, 8, 8);
        assertEquals("unlabelled: has no labels", refused(() -> TrainingData.of(sc, unlabelled, 1)));
    }

    @Test
    void badRecordsAreNamedByIndex() {
        JavaSparkContext sc = sc();
        List<LabeledImage> ims = images(Data.blobs(20, 3));
        ims.set(13, new LabeledImage(1, new byte[63]));
        ims.set(17, new LabeledImage(-1, new byte[64]));
        assertEquals("rdd: image 13 has 63 pixels, expected 64 (8x8)",
                refused(() -> TrainingData.of(sc.parallelize(ims, 3), 8, 8, 2, "rdd")));

        SparkSession spark = Spark.local2();
        StructType schema = new StructType().add("label", DataTypes.IntegerType)
                .add("px", DataTypes.createArrayType(DataTypes.IntegerType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Integer> px = new ArrayList<>();
            for (int p = 0; p < 64; p++) {
                px.add(i == 6 && p == 5 ? 256 : p);
            }
            rows.add(RowFactory.create(i % 3, px));
        }
        org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, schema);
        assertEquals("DataFrame: row 6: pixel 5 is 256, outside 0 to 255",
                refused(() -> TrainingData.of(df, "label", "px", 8, 8, 2)));
        assertEquals("DataFrame: row 0 has 64 pixels, expected 49 (7x7)",
                refused(() -> TrainingData.of(df, "label", "px", 7, 7, 2)));
        assertEquals("column pixels not found; the columns are label, px",
                refused(() -> TrainingData.of(df, "label", "pixels", 8, 8, 2)));
        assertEquals("column px: labels must be integers, the column is array<int>",
                refused(() -> TrainingData.of(df, "px", "label", 8, 8, 2)));
        assertEquals("column label: pixels must be binary or an array of integers, the column is int",
                refused(() -> TrainingData.of(df, "label", "label", 8, 8, 2)));
    }
}
