package dev.lanes.spark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.spark.Csv;
import dev.lanes.spark.Data;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command in JVMs of its own, launched as the README says: a plain {@code java} launch with
 * the files the build writes (target/spark-jvm.args, target/lanes-spark.jar, target/spark-classpath.txt),
 * and Spark's own SparkSubmit with the jar as the application.
 */
class LaunchIT {

    @TempDir
    static Path tmp;

    private static List<String> flags;
    private static String sparkClassPath;
    private static final Path JAR = Path.of("target", "lanes-spark.jar");

    @BeforeAll
    static void data() throws Exception {
        Path train = Csv.write(Data.blobs(1200, 11), tmp.resolve("train.csv"), true);
        Path test = Csv.write(Data.blobs(300, 12), tmp.resolve("test.csv"), true);
        flags = List.of("--train-csv", train.toString(), "--test-csv", test.toString(), "--partitions", "3",
                "--local-batches", "4", "--hidden", "24", "--epochs", "2", "--batch", "32", "--optimizer", "momentum",
                "--lr", "0.05");
        sparkClassPath = Files.readString(Path.of("target", "spark-classpath.txt")).trim();
    }

    record Result(int status, String out, String err) {
    }

    private static Result launch(List<String> jvmFlags, String classPath, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.addAll(args);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the launch did not finish in 5 minutes: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> jvmArgs() throws Exception {
        return List.of("@" + Path.of("target", "spark-jvm.args"));
    }

    private static List<String> command(Path model, String... before) {
        List<String> all = new ArrayList<>(Arrays.asList(before));
        all.addAll(flags);
        all.add("--model");
        all.add(model.toString());
        return all;
    }

    private static void assertNoStackTrace(Result r) {
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), r.err());
    }

    @Test
    void plainJavaAndSparkSubmitWriteTheSameModel() throws Exception {
        Path plain = tmp.resolve("plain.lanes");
        Result a = launch(jvmArgs(), JAR + File.pathSeparator + sparkClassPath,
                command(plain, "dev.lanes.spark.cli.Main", "--master", "local[2]"));
        assertEquals(0, a.status(), a.out() + a.err());
        assertTrue(a.out().contains("round   7/7"), a.out()); // 13 batches per partition, 2 epochs, K = 4
        assertTrue(a.out().contains("test accuracy"), a.out());
        assertNoStackTrace(a);

        Path submitted = tmp.resolve("submitted.lanes");
        Result b = launch(jvmArgs(), sparkClassPath, command(submitted, "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--class", "dev.lanes.spark.cli.Main", JAR.toString()));
        assertEquals(0, b.status(), b.out() + b.err());
        assertTrue(b.out().contains("master local[2]"), "spark-submit's master reaches the command: " + b.out());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(submitted));
    }

    @Test
    void withoutTheVectorModuleTheRunFallsBackToScalarWithOneWarning() throws Exception {
        List<String> noVector = new ArrayList<>(Arrays.asList(
                Files.readString(Path.of("target", "spark-jvm.args")).trim().split("\\s+")));
        assertTrue(noVector.remove("--add-modules=jdk.incubator.vector"));
        Path model = tmp.resolve("scalar.lanes");
        Result r = launch(noVector, JAR + File.pathSeparator + sparkClassPath,
                command(model, "dev.lanes.spark.cli.Main", "--master", "local[2]"));
        assertEquals(0, r.status(), r.out() + r.err());
        long warnings = r.err().lines().filter(l -> l.equals("lanes-spark: warning: executors ran the scalar kernels "
                + "(the jdk.incubator.vector module is not enabled); add --add-modules=jdk.incubator.vector to "
                + "spark.executor.extraJavaOptions for the SIMD kernels")).count();
        assertEquals(1, warnings, r.err());
        assertNoStackTrace(r);
        assertTrue(Files.exists(model));
    }
}
