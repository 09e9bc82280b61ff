package dev.lanes.benchmark;

import dev.lanes.Lanes;
import dev.lanes.json.Json;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Prints {@link Measurement}s as they arrive: a table for people, or JSON Lines for programs.
 *
 * <p>JSON Lines: one object per line, one line per measurement, in the order they were taken. Every
 * object has {@code name}, {@code kind} ({@code gemm}, {@code kernel} or {@code epoch}), {@code role},
 * {@code impl}, {@code threads}, {@code jdk} and {@code available}. An available row adds its figure
 * under {@code gflops} (GEMM) or {@code seconds} (per kernel call, or per epoch), with {@code min},
 * {@code max} (same unit) and {@code repeats}, and then {@code flops} per call (GEMM), {@code elements}
 * per call (kernel) or {@code samples} per epoch, {@code timed_samples} and {@code data} (epoch). An
 * unavailable row adds {@code reason} instead. Every available row says whether its warm-up finished
 * ({@code warmed_up}: false when the warm-up's time box ran out while the JIT was still compiling, as
 * can happen with {@code --quick}; the table marks such rows "not warmed up").
 */
public final class Report {

    private Report() {
    }

    /**
     * @param out where each measurement goes, one JSON object per line
     * @return a listener that prints and flushes each measurement
     */
    public static Consumer<Measurement> jsonLines(PrintWriter out) {
        String jdk = jdk();
        return m -> {
            out.println(json(m, jdk));
            out.flush();
        };
    }

    /**
     * @param m   a measurement
     * @param jdk the Java runtime version to record with it
     * @return the measurement as one JSON object, on one line
     */
    public static String json(Measurement m, String jdk) {
        Json j = new Json().put("name", m.name()).put("kind", m.kind().name().toLowerCase(Locale.ROOT))
                .put("role", m.role()).put("impl", m.impl()).put("threads", m.threads()).put("jdk", jdk)
                .put("available", m.available());
        if (!m.available()) {
            return j.put("reason", m.unavailable()).toString();
        }
        Summary sum = m.summary();
        j.put("warmed_up", m.warmedUp()).put(m.kind().key(), sum.median()).put("min", sum.min()).put("max", sum.max()).put("repeats", sum.repeats());
        switch (m.kind()) {
            case GEMM:
                j.put("flops", m.work());
                break;
            case KERNEL:
                j.put("elements", m.work());
                break;
            default:
                j.put("samples", m.work()).put("timed_samples", m.timedSamples()).put("data", m.data());
                break;
        }
        return j.toString();
    }

    /** @return the running Java's version, e.g. {@code 17.0.15+6-Debian-1deb12u1} */
    public static String jdk() {
        return System.getProperty("java.runtime.version", System.getProperty("java.version", "unknown"));
    }

    /**
     * A table that prints its heading now and each row as it arrives; ASCII only, so it survives any
     * terminal encoding.
     *
     * @param out   where the table goes
     * @param bench the benchmark about to run, for the heading
     * @param quick whether the run is the short one
     * @return the listener that prints the rows
     */
    public static Table table(PrintWriter out, SelfBenchmark bench, boolean quick) {
        return new Table(out, bench, quick);
    }

    /** The human-readable report; {@link #finish} prints the closing line. */
    public static final class Table implements Consumer<Measurement> {

        private static final String FORMAT = "%-30s %-16s %-6s %7s %10s  %-22s %s";

        private final PrintWriter out;
        private final SelfBenchmark bench;
        private final long started = System.nanoTime();
        private Kind section;
        private int coldRows;

        private Table(PrintWriter out, SelfBenchmark bench, boolean quick) {
            this.out = out;
            this.bench = bench;
            out.println("Lanes " + Lanes.version() + " self-benchmark" + (quick ? " (--quick: short, noisier)" : ""));
            out.println("JDK " + jdk() + ", " + System.getProperty("java.vm.name") + "; "
                    + Runtime.getRuntime().availableProcessors() + " processors");
            out.println("training kernels: " + bench.trainingKernels().description());
            if (bench.vectorUnavailable() != null) {
                out.println("vector kernels unavailable: " + bench.vectorUnavailable()
                        + " (start java with --add-modules jdk.incubator.vector)");
            }
            out.println("Each figure: the median of its timed rounds after a JIT warm-up, and their range (min-max).");
            out.flush();
        }

        @Override
        public void accept(Measurement m) {
            if (m.kind() != section) {
                section = m.kind();
                out.println();
                switch (section) {
                    case GEMM:
                        out.println("Matrix multiply, GFLOPS. MxKxN: C[MxN] = A[MxK] * B[KxN], with A or B"
                                + " transposed as the kernel's name says.");
                        break;
                    case KERNEL:
                        out.println("Element-wise kernels, time per call.");
                        break;
                    default:
                        out.println("Training epochs, seconds per epoch of " + (long) m.work() + " samples, SGD with"
                                + " learning rate 0.1.");
                        out.println("data: " + bench.data().description());
                        break;
                }
                line("case", "role", "impl", "threads", "median", "range", "throughput");
            }
            if (!m.available()) {
                line(m.name(), m.role(), m.impl(), m.threads(), "-", "unavailable: " + m.unavailable(), "");
            } else {
                Summary s = m.summary();
                String median;
                String range;
                String throughput;
                if (m.kind() == Kind.GEMM) {
                    median = sig(s.median());
                    range = sig(s.min()) + "-" + sig(s.max());
                    throughput = "";
                } else {
                    double unit = timeUnit(s.median());
                    String suffix = unit == 1 ? " s" : unit == 1e-3 ? " ms" : " us";
                    median = sig(s.median() / unit) + suffix;
                    range = sig(s.min() / unit) + "-" + sig(s.max() / unit) + suffix;
                    throughput = m.kind() == Kind.KERNEL
                            ? sig(m.throughput()) + " M elements/s"
                            : String.format(Locale.ROOT, "%,.0f samples/s", m.throughput());
                    if (m.kind() == Kind.EPOCH && m.timedSamples() < m.work()) {
                        throughput += " (timed on " + m.timedSamples() + " samples, scaled)";
                    }
                }
                if (!m.warmedUp()) {
                    throughput += (throughput.isEmpty() ? "" : " ") + "(not warmed up *)";
                    coldRows++;
                }
                line(m.name(), m.role(), m.impl(), m.threads(), median, range, throughput);
            }
            out.flush();
        }

        private void line(Object... cells) {
            out.println(String.format(Locale.ROOT, FORMAT, cells).stripTrailing());
        }

        /** Prints how long the whole run took. */
        public void finish() {
            out.println();
            if (coldRows > 0) {
                out.println("* not warmed up: the JIT was still compiling when the warm-up time ran out, so the figure"
                        + " may be that of uncompiled code, many times too slow; run without --quick for warmed-up figures.");
            }
            out.printf(Locale.ROOT, "Done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
            out.flush();
        }
    }

    /** Three significant digits, without exponent notation for the magnitudes a benchmark sees. */
    static String sig(double x) {
        double a = Math.abs(x);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", x);
    }

    private static double timeUnit(double seconds) {
        if (seconds >= 1) {
            return 1;
        }
        return seconds >= 1e-3 ? 1e-3 : 1e-6;
    }
}
