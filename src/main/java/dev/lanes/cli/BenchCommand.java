package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.benchmark.Budget;
import dev.lanes.benchmark.Report;
import dev.lanes.benchmark.SelfBenchmark;
import dev.lanes.benchmark.TrainingData;
import dev.lanes.data.IdxDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes bench}: the self-benchmark; the measuring lives in {@link dev.lanes.benchmark}. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = {
            "Measure this machine: matrix-multiply GFLOPS of the scalar and vector kernels at the MNIST layer"
                + " shapes, softmax cross-entropy and Adam per call, and epoch seconds of 784-10-10 (batch 64)"
                + " and 784-256-128-10 (batch 256) SGD training at 1 and 2 threads (and all processors).",
            "Epochs train on 60000 random 28x28 images with random labels unless --data is given: the"
                + " time is that of MNIST, the accuracy would be meaningless and is not reported.",
            "Takes about a minute on two cores; --quick about half a minute."})
final class BenchCommand implements Callable<Integer> {

    /** More threads than this is surely a typing error, and would only oversubscribe the machine. */
    private static final int MAX_THREADS = 1024;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "A short run (about half a minute) with fewer, shorter repeats.")
    boolean quick;

    @Option(names = "--json", description = "Print JSON Lines: one object per measurement (keys name, kind,"
            + " role, impl, threads, available, then gflops or seconds with min, max and repeats).")
    boolean json;

    @Option(names = "--threads", paramLabel = "N[,N...]",
            description = "Thread counts for the multi-threaded cases (default: 1,2 and all processors).")
    String threads;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Time epochs on the training set of this MNIST-layout IDX folder instead of random images.")
    Path data;

    @Override
    public Integer call() throws InputException {
        int[] counts = threads == null ? SelfBenchmark.defaultThreads() : parseThreads(threads);
        TrainingData training = data == null ? TrainingData.syntheticMnist()
                : new TrainingData(IdxDirectory.load(data).train(), "the training set of " + data);
        Budget budget = quick ? Budget.quick() : Budget.standard();
        SelfBenchmark bench = SelfBenchmark.forThisJvm(budget, counts, training);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            bench.run(Report.jsonLines(out));
        } else {
            Report.Table table = Report.table(out, bench, quick);
            bench.run(table);
            table.finish();
        }
        return 0;
    }

    /** Parses {@code --threads}: positive integers separated by commas, duplicates ignored, sorted. */
    static int[] parseThreads(String list) throws InputException {
        TreeSet<Integer> counts = new TreeSet<>();
        for (String part : list.split(",", -1)) {
            String p = part.trim();
            int n;
            try {
                n = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new InputException("--threads " + list + ": '" + p + "' is not a whole number"
                        + " (expected a comma-separated list such as 1,2)");
            }
            if (n < 1 || n > MAX_THREADS) {
                throw new InputException("--threads " + list + ": " + n + " is not between 1 and " + MAX_THREADS);
            }
            counts.add(n);
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }
}
