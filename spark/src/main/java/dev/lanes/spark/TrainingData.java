package dev.lanes.spark;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A labelled training set spread over a fixed number of Spark partitions, deterministically: image
 * {@code i} (counting in the input's order) goes to partition {@code i mod P}, and each partition holds
 * its images in ascending order of {@code i}. The partitions are cached on the executors; one lost with
 * its executor is rebuilt from the input with the same bytes. So every round of training sees the
 * same data in every partition whatever runs it, which is what makes the result reproducible.
 *
 * <p>Every factory checks the whole input before returning and reports the first defect (in input
 * order) as one line: a record with the wrong number of pixels, a pixel outside 0–255, a negative or
 * missing label, fewer images than partitions.
 */
public final class TrainingData implements AutoCloseable {

    private final JavaRDD<Shard> shards;
    private final String source;
    private final int partitions;
    private final long size;
    private final int imageRows;
    private final int imageCols;
    private final int classCount;
    private final int[] partitionSizes;
    private Runnable release = () -> { };

    private TrainingData(JavaRDD<Shard> shards, String source, int partitions, int[] partitionSizes, int imageRows,
                         int imageCols, int classCount) {
        this.shards = shards;
        this.source = source;
        this.partitions = partitions;
        this.partitionSizes = partitionSizes;
        this.size = Arrays.stream(partitionSizes).asLongStream().sum();
        this.imageRows = imageRows;
        this.imageCols = imageCols;
        this.classCount = classCount;
    }

    /** @return where the data came from, for messages */
    public String source() {
        return source;
    }

    /** @return the number of partitions, P */
    public int partitions() {
        return partitions;
    }

    /** @return the number of images */
    public long size() {
        return size;
    }

    /** @return the number of images of each partition, by partition index (a copy) */
    public int[] partitionSizes() {
        return partitionSizes.clone();
    }

    /** @return pixels per image */
    public int features() {
        return imageRows * imageCols;
    }

    /** @return image height */
    public int imageRows() {
        return imageRows;
    }

    /** @return image width */
    public int imageCols() {
        return imageCols;
    }

    /** @return the largest label plus one */
    public int classCount() {
        return classCount;
    }

    JavaRDD<Shard> shards() {
        return shards;
    }

    /** Drops the cached partitions (and any broadcast they were cut from) from the executors. */
    @Override
    public void close() {
        shards.unpersist(false);
        release.run();
    }

    // ---------------------------------------------------------------- factories

    /**
     * Distributes a data set held by the driver (for example IDX files read with the engine): it is
     * broadcast once and each partition takes its images from it.
     *
     * @param sc         the Spark context
     * @param data       labelled images
     * @param partitions P, at most the number of images
     * @return the distributed set
     * @throws InputException if the data has no labels or fewer images than partitions
     */
    public static TrainingData of(JavaSparkContext sc, Dataset data, int partitions) throws InputException {
        requirePartitions(partitions);
        if (!data.hasLabels()) {
            throw new InputException(data.source() + ": has no labels");
        }
        requireEnough(data.source(), data.size(), partitions);
        Broadcast<Whole> whole = sc.broadcast(new Whole(data.pixels(), data.labels(), data.size()));
        String source = data.source();
        int rows = data.imageRows();
        int cols = data.imageCols();
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ids.add(p);
        }
        JavaRDD<Shard> shards = sc.parallelize(ids, partitions)
                .mapPartitionsWithIndex((p, ignored) -> List.of(whole.value().shard(p, partitions, source, rows, cols))
                        .iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        TrainingData d;
        try {
            d = check(shards, source, partitions, rows, cols);
        } catch (InputException | RuntimeException e) {
            whole.destroy();
            throw e;
        }
        // Kept until closed: a partition lost with its executor is cut again from the broadcast.
        d.release = () -> whole.destroy();
        return d;
    }

    /**
     * Distributes images given as an RDD, in the RDD's order.
     *
     * @param images     the images; each must have {@code imageRows · imageCols} pixels
     * @param imageRows  image height
     * @param imageCols  image width
     * @param partitions P
     * @param source     names the data in messages
     * @return the distributed set
     * @throws InputException naming the first bad image by its index, or if there are fewer images than partitions
     */
    public static TrainingData of(JavaRDD<LabeledImage> images, int imageRows, int imageCols, int partitions,
                                  String source) throws InputException {
        requirePartitions(partitions);
        requireShape(imageRows, imageCols);
        int features = imageRows * imageCols;
        JavaRDD<Parsed> parsed = images.zipWithIndex().map(t -> {
            LabeledImage im = t._1();
            String at = "image " + t._2();
            if (im == null) {
                return Parsed.bad(at + " is null");
            }
            if (im.pixels().length != features) {
                return Parsed.bad(at + " has " + im.pixels().length + " pixels, expected " + features + " ("
                        + imageRows + "x" + imageCols + ")");
            }
            if (im.label() < 0) {
                return Parsed.bad(at + " has the negative label " + im.label());
            }
            return new Parsed(im.label(), im.pixels(), null);
        });
        return distribute(parsed, source, partitions, imageRows, imageCols);
    }

    /**
     * Distributes the rows of a DataFrame, in its order: an integer label column and a pixel column
     * that is either binary (one unsigned byte per pixel) or an array of integers from 0 to 255.
     *
     * @param rows       the data
     * @param labelCol   the label column (byte, short, int or long, ≥ 0)
     * @param pixelsCol  the pixel column
     * @param imageRows  image height
     * @param imageCols  image width
     * @param partitions P
     * @return the distributed set
     * @throws InputException if a column is missing or of the wrong type, or naming the first bad row
     */
    public static TrainingData of(org.apache.spark.sql.Dataset<Row> rows, String labelCol, String pixelsCol,
                                  int imageRows, int imageCols, int partitions) throws InputException {
        requirePartitions(partitions);
        requireShape(imageRows, imageCols);
        int labelAt = column(rows, labelCol);
        int pixelsAt = column(rows, pixelsCol);
        DataType lt = rows.schema().fields()[labelAt].dataType();
        if (!integral(lt)) {
            throw new InputException("column " + labelCol + ": labels must be integers, the column is "
                    + lt.simpleString());
        }
        DataType pt = rows.schema().fields()[pixelsAt].dataType();
        boolean binary = pt instanceof BinaryType;
        if (!binary && !(pt instanceof ArrayType && integral(((ArrayType) pt).elementType()))) {
            throw new InputException("column " + pixelsCol + ": pixels must be binary or an array of integers, the column is "
                    + pt.simpleString());
        }
        int features = imageRows * imageCols;
        JavaRDD<Parsed> parsed = rows.javaRDD().zipWithIndex().map(t -> {
            Row r = t._1();
            String at = "row " + t._2();
            if (r.isNullAt(labelAt)) {
                return Parsed.bad(at + ": " + labelCol + " is null");
            }
            long label = ((Number) r.get(labelAt)).longValue();
            if (label < 0 || label > Integer.MAX_VALUE) {
                return Parsed.bad(at + ": label " + label + " is out of range (0 to " + Integer.MAX_VALUE + ")");
            }
            if (r.isNullAt(pixelsAt)) {
                return Parsed.bad(at + ": " + pixelsCol + " is null");
            }
            byte[] px;
            if (binary) {
                px = (byte[]) r.get(pixelsAt);
            } else {
                List<Object> values = r.getList(pixelsAt);
                px = new byte[values.size()];
                for (int i = 0; i < px.length; i++) {
                    Object v = values.get(i);
                    long x = v == null ? -1 : ((Number) v).longValue();
                    if (x < 0 || x > 255) {
                        return Parsed.bad(at + ": pixel " + i + " is " + v + ", outside 0 to 255");
                    }
                    px[i] = (byte) x;
                }
            }
            if (px.length != features) {
                return Parsed.bad(at + " has " + px.length + " pixels, expected " + features + " (" + imageRows + "x"
                        + imageCols + ")");
            }
            return new Parsed((int) label, px, null);
        });
        return distribute(parsed, "DataFrame", partitions, imageRows, imageCols);
    }

    /**
     * Reads a labelled CSV in the Kaggle "digit recognizer" layout ({@code label,pixel0,pixel1,…}, an
     * optional header line) from any Hadoop path ({@code file:}, {@code hdfs:}, …; gzip by the
     * {@code .gz} suffix), on the executors. A square pixel count gives square images.
     *
     * @param sc         the Spark context
     * @param path       a file, folder or glob
     * @param partitions P
     * @return the distributed set
     * @throws InputException if the path cannot be read, or naming the first bad line
     */
    public static TrainingData readCsv(JavaSparkContext sc, String path, int partitions) throws InputException {
        requirePartitions(partitions);
        HadoopFiles.requireExists(sc.hadoopConfiguration(), path);
        JavaRDD<String> lines = sc.textFile(path, partitions);
        String first;
        try {
            first = lines.isEmpty() ? null : lines.first();
        } catch (RuntimeException e) {
            throw new InputException(path + ": cannot read: " + HadoopFiles.reason(e), e);
        }
        if (first == null) {
            throw new InputException(path + ": empty, no images");
        }
        boolean header = !first.isEmpty() && !Character.isDigit(first.charAt(0));
        if (header && !first.trim().toLowerCase(Locale.ROOT).startsWith("label")) {
            throw new InputException(path + ": line 1: the header must start with the label column, found \""
                    + quote(first) + "\"");
        }
        int columns = first.split(",", -1).length;
        int features = columns - 1;
        if (features < 1) {
            throw new InputException(path + ": line 1: a label and at least one pixel are needed");
        }
        int side = (int) Math.round(Math.sqrt(features));
        int rows = side * side == features ? side : 1;
        int cols = side * side == features ? side : features;
        JavaRDD<Parsed> parsed = lines.zipWithIndex()
                .filter(t -> !(header && t._2() == 0) && !t._1().isBlank())
                .map(t -> parseLine(path, t._1(), t._2() + 1, features));
        return distribute(parsed, path, partitions, rows, cols);
    }

    private static Parsed parseLine(String path, String line, long number, int features) {
        String at = path + ": line " + number;
        int n = 0;
        int label = -1;
        byte[] px = new byte[features];
        int start = 0;
        int len = line.length();
        while (start <= len) {
            int end = line.indexOf(',', start);
            if (end < 0) {
                end = len;
            }
            if (n > features) {
                return Parsed.bad(at + ": more than the " + (features + 1) + " columns of line 1");
            }
            int v = 0;
            boolean digits = false;
            for (int i = start; i < end; i++) {
                char c = line.charAt(i);
                if (c == ' ' || c == '\r' || c == '\t') {
                    continue;
                }
                if (c < '0' || c > '9' || v > 255) {
                    return Parsed.bad(at + ": column " + (n + 1) + " is \"" + quote(line.substring(start, end))
                            + "\", expected an integer from 0 to 255");
                }
                v = v * 10 + (c - '0');
                digits = true;
            }
            if (!digits || v > 255) {
                return Parsed.bad(at + ": column " + (n + 1) + " is \"" + quote(line.substring(start, end))
                        + "\", expected an integer from 0 to 255");
            }
            if (n == 0) {
                label = v;
            } else {
                px[n - 1] = (byte) v;
            }
            n++;
            start = end + 1;
        }
        if (n != features + 1) {
            return Parsed.bad(at + ": " + n + " columns, line 1 has " + (features + 1));
        }
        return new Parsed(label, px, null);
    }

    private static String quote(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "…";
    }

    // ---------------------------------------------------------------- the shared pipeline

    private static TrainingData distribute(JavaRDD<Parsed> parsed, String source, int partitions, int rows, int cols)
            throws InputException {
        int features = rows * cols;
        JavaRDD<Shard> shards = parsed.zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .partitionBy(new ModuloPartitioner(partitions))
                .mapPartitionsWithIndex((p, it) -> List.of(shard(p, it, source, rows, cols, features)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        return check(shards, source, partitions, rows, cols);
    }

    /** Gathers a partition's records in index order: the shuffle delivers them in no particular order. */
    private static Shard shard(int p, Iterator<Tuple2<Long, Parsed>> it, String source, int rows, int cols,
                               int features) {
        List<Tuple2<Long, Parsed>> all = new ArrayList<>();
        it.forEachRemaining(all::add);
        all.sort((a, b) -> Long.compare(a._1(), b._1()));
        for (Tuple2<Long, Parsed> t : all) {
            if (t._2().error != null) {
                return Shard.failed(p, source, rows, cols, t._2().error, t._1());
            }
        }
        byte[] px = new byte[Math.multiplyExact(all.size(), features)];
        int[] labels = new int[all.size()];
        for (int i = 0; i < labels.length; i++) {
            Parsed r = all.get(i)._2();
            System.arraycopy(r.pixels, 0, px, i * features, features);
            labels[i] = r.label;
        }
        return new Shard(p, source, px, labels, labels.length, rows, cols, null, -1);
    }

    private static TrainingData check(JavaRDD<Shard> shards, String source, int partitions, int rows, int cols)
            throws InputException {
        List<Shard.Summary> summaries;
        try {
            summaries = shards.map(Shard::summary).collect();
        } catch (RuntimeException e) {
            shards.unpersist(false);
            throw new InputException(source + ": cannot read: " + HadoopFiles.reason(e), e);
        }
        Shard.Summary worst = null;
        int classes = 0;
        int[] sizes = new int[partitions];
        long total = 0;
        for (Shard.Summary s : summaries) {
            if (s.error() != null && (worst == null || s.errorIndex() < worst.errorIndex())) {
                worst = s;
            }
            classes = Math.max(classes, s.classCount());
            sizes[s.partition()] = s.size();
            total += s.size();
        }
        if (worst != null) {
            shards.unpersist(false);
            String e = worst.error();
            throw new InputException(e.startsWith(source) ? e : source + ": " + e);
        }
        try {
            requireEnough(source, total, partitions);
        } catch (InputException e) {
            shards.unpersist(false);
            throw e;
        }
        return new TrainingData(shards, source, partitions, sizes, rows, cols, classes);
    }

    private static void requirePartitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be ≥ 1, got " + partitions);
        }
    }

    private static void requireShape(int rows, int cols) {
        if (rows < 1 || cols < 1 || (long) rows * cols > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("bad image shape " + rows + "x" + cols);
        }
    }

    private static void requireEnough(String source, long size, int partitions) throws InputException {
        if (size == 0) {
            throw new InputException(source + ": no images");
        }
        if (size < partitions) {
            throw new InputException(source + ": " + size + " images cannot fill " + partitions
                    + " partitions; every partition needs at least one image (use fewer partitions)");
        }
    }

    private static int column(org.apache.spark.sql.Dataset<Row> rows, String name) throws InputException {
        StructField[] fields = rows.schema().fields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equals(name)) {
                return i;
            }
        }
        throw new InputException("column " + name + " not found; the columns are "
                + String.join(", ", rows.schema().fieldNames()));
    }

    private static boolean integral(DataType t) {
        return t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType;
    }

    /** A parsed record or its defect. */
    static final class Parsed implements Serializable {
        private static final long serialVersionUID = 1L;
        final int label;
        final byte[] pixels;
        final String error;

        Parsed(int label, byte[] pixels, String error) {
            this.label = label;
            this.pixels = pixels;
            this.error = error;
        }

        static Parsed bad(String error) {
            return new Parsed(-1, null, error);
        }
    }

    /** The driver's data set, broadcast once; each partition copies out its own images. */
    static final class Whole implements Serializable {
        private static final long serialVersionUID = 1L;
        final byte[] pixels;
        final int[] labels;
        final int size;

        Whole(byte[] pixels, int[] labels, int size) {
            this.pixels = pixels;
            this.labels = labels;
            this.size = size;
        }

        Shard shard(int p, int partitions, String source, int rows, int cols) {
            int features = rows * cols;
            int n = size / partitions + (p < size % partitions ? 1 : 0);
            byte[] px = new byte[n * features];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                int from = p + i * partitions;
                System.arraycopy(pixels, from * features, px, i * features, features);
                y[i] = labels[from];
            }
            return new Shard(p, source, px, y, n, rows, cols, null, -1);
        }
    }

    /** Image {@code i} to partition {@code i mod P}: every partition gets a spread of the whole input. */
    static final class ModuloPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ModuloPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.floorMod((Long) key, (long) partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ModuloPartitioner && ((ModuloPartitioner) o).partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
