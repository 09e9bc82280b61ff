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
                "--local-batches", "4", "--hidden", "24", "--epochs", "6", "--batch", "32", "--optimizer", "momentum",
                "--lr", "0.05");
        sparkClassPath = Files.readString(Path.of("target", "spark-classpath.txt")).trim();
    }

    record Result(int status, String out, String err) {
    }

    private static Process start(List<String> jvmFlags, String classPath, List<String> args, Path out, Path err)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
    void aSparkSubmitRunKilledAndResumedEndsWithThePlainLaunchsBytes() throws Exception {
        Path plain = tmp.resolve("plain.lanes");
        Result a = launch(jvmArgs(), JAR + File.pathSeparator + sparkClassPath,
                command(plain, "dev.lanes.spark.cli.Main", "--master", "local[2]"));
        assertEquals(0, a.status(), a.out() + a.err());
        assertTrue(a.out().contains("round  20/20"), a.out()); // 13 batches per partition, 6 epochs, K = 4
        assertTrue(a.out().contains("test accuracy"), a.out());
        assertNoStackTrace(a);

        // The same run under Spark's SparkSubmit, killed with SIGKILL once its first round's model is on
        // disk; resumed by a plain launch it must end with the uninterrupted run's bytes, which it can
        // only if every round SparkSubmit ran was the same.
        Path killed = tmp.resolve("killed.lanes");
        Path killedOut = tmp.resolve("killed-out.txt");
        Process p = start(jvmArgs(), sparkClassPath, command(killed, "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--class", "dev.lanes.spark.cli.Main", JAR.toString()), killedOut,
                tmp.resolve("killed-err.txt"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(killed) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        p.destroyForcibly();
        assertEquals(137, p.waitFor(), "killed, not finished: " + Files.readString(killedOut));
        assertTrue(Files.readString(killedOut).contains("master local[2]"),
                "spark-submit's master reaches the command: " + Files.readString(killedOut));
        Result resumed = launch(jvmArgs(), JAR + File.pathSeparator + sparkClassPath,
                command(killed, "dev.lanes.spark.cli.Main", "--master", "local[2]", "--resume"));
        assertEquals(0, resumed.status(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("resumed from " + killed), resumed.out());
        assertFalse(resumed.out().contains("round   1/20"), "continued after the saved round: " + resumed.out());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(killed), "killed and resumed vs uninterrupted");
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
