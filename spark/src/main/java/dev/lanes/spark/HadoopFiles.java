package dev.lanes.spark;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.KaggleCsv;
import dev.lanes.data.TrainTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reading inputs from Hadoop paths ({@code file:}, {@code hdfs:}, {@code s3a:}, …) on the driver. Local
 * paths go straight to the engine's readers; other file systems are copied to a temporary folder first,
 * so that the engine's checks (gzip detection, headers, counts) apply unchanged, and its messages are
 * rewritten to name the original path.
 */
public final class HadoopFiles {

    private HadoopFiles() {
    }

    /**
     * Loads a folder in the MNIST layout (see {@link IdxDirectory}) from a Hadoop path.
     *
     * @param conf the Hadoop configuration (e.g. {@code sc.hadoopConfiguration()})
     * @param dir  the folder
     * @return its training and test sets
     * @throws InputException one line naming the folder or file and what is wrong
     */
    public static TrainTest loadIdx(Configuration conf, String dir) throws InputException {
        java.nio.file.Path local = localPath(dir);
        if (local != null) {
            return IdxDirectory.load(local);
        }
        java.nio.file.Path tmp = copy(conf, dir, true);
        try {
            return IdxDirectory.load(tmp);
        } catch (InputException e) {
            throw new InputException(e.getMessage().replace(tmp.toString(), dir), e);
        } finally {
            delete(tmp);
        }
    }

    /**
     * Loads a Kaggle CSV (see {@link KaggleCsv}) from a Hadoop path onto the driver, for example a test set.
     *
     * @param conf the Hadoop configuration
     * @param file the file
     * @return its images, labelled if it has a label column
     * @throws InputException one line naming the file and what is wrong
     */
    public static Dataset loadCsv(Configuration conf, String file) throws InputException {
        java.nio.file.Path local = localPath(file);
        if (local != null) {
            return KaggleCsv.read(local);
        }
        java.nio.file.Path tmp = copy(conf, file, false);
        try {
            Dataset d = KaggleCsv.read(tmp.resolve(new Path(file).getName()));
            return new Dataset(file, d.pixels(), d.labels(), d.size(), d.imageRows(), d.imageCols());
        } catch (InputException e) {
            throw new InputException(e.getMessage().replace(tmp.resolve(new Path(file).getName()).toString(), file)
                    .replace(tmp.toString(), file), e);
        } finally {
            delete(tmp);
        }
    }

    /**
     * @param conf the Hadoop configuration
     * @param path a path or glob
     * @throws InputException if nothing exists there or its file system cannot be reached
     */
    public static void requireExists(Configuration conf, String path) throws InputException {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] found = fs.globStatus(p);
            if (found == null || found.length == 0) {
                throw new InputException(path + ": no such file");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(path + ": cannot read: " + reason(e), e);
        }
    }

    /** @return the innermost message of a failure, on one line */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("[\\r\\n]+", " ");
    }

    /** @return the local path of a {@code file:} URI or scheme-less path, or {@code null} for other file systems */
    private static java.nio.file.Path localPath(String path) {
        URI uri = new Path(path).toUri();
        if (uri.getScheme() == null) {
            return java.nio.file.Path.of(path);
        }
        if (uri.getScheme().equals("file")) {
            return java.nio.file.Path.of(uri.getPath());
        }
        return null;
    }

    /** Copies a file, or the files of a folder, into a new temporary folder. */
    private static java.nio.file.Path copy(Configuration conf, String path, boolean folder) throws InputException {
        java.nio.file.Path tmp;
        try {
            tmp = Files.createTempDirectory("lanes-input");
        } catch (IOException e) {
            throw new InputException("cannot create a temporary folder to copy " + path + " into: " + reason(e), e);
        }
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) {
                throw new InputException(path + ": no such " + (folder ? "directory" : "file"));
            }
            FileStatus[] files = folder ? fs.listStatus(p) : new FileStatus[] {fs.getFileStatus(p)};
            for (FileStatus f : files) {
                if (f.isFile()) {
                    try (InputStream in = fs.open(f.getPath())) {
                        Files.copy(in, tmp.resolve(f.getPath().getName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return tmp;
        } catch (IOException | IllegalArgumentException e) {
            delete(tmp);
            throw new InputException(path + ": cannot read: " + reason(e), e);
        } catch (InputException e) {
            delete(tmp);
            throw e;
        }
    }

    private static void delete(java.nio.file.Path dir) {
        try (Stream<java.nio.file.Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
