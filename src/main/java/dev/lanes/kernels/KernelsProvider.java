package dev.lanes.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the {@link Kernels} implementation once per JVM.
 *
 * <p>The Vector API implementation is used when the {@code jdk.incubator.vector} module is in the boot
 * layer (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the optimising JIT
 * (C2) is enabled; without C2 the Vector API runs as slow Java fallbacks. Otherwise the scalar kernels
 * are used and one line on standard error says how to enable SIMD. The vector class is loaded by name
 * only on that path, so no incubator class is ever touched when the module is absent.
 *
 * <p>The system property {@code lanes.kernels} ({@code scalar} or {@code vector}) forces a choice;
 * forcing {@code vector} where it is impossible is an error.
 */
public final class KernelsProvider {

    /** The system property that forces an implementation: {@code scalar} or {@code vector}. */
    public static final String PROPERTY = "lanes.kernels";

    private static final String VECTOR_CLASS = "dev.lanes.kernels.vector.VectorKernels";
    private static final String MODULE = "jdk.incubator.vector";

    private static final class Holder {
        static final Kernels INSTANCE = choose();
    }

    private KernelsProvider() {
    }

    /**
     * @return the kernels this JVM uses, chosen on first call
     * @throws IllegalStateException if {@code -Dlanes.kernels} names an unknown or impossible choice
     */
    public static Kernels get() {
        return Holder.INSTANCE;
    }

    /** @return the scalar reference kernels */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    /**
     * @return the Vector API kernels, or empty when this JVM cannot run them (see {@link #vectorUnavailableReason()})
     */
    public static Optional<Kernels> vector() {
        if (vectorUnavailableReason() != null) {
            return Optional.empty();
        }
        try {
            return Optional.of((Kernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** @return why the vector kernels cannot run in this JVM, or {@code null} if they can */
    public static String vectorUnavailableReason() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "the " + MODULE + " module is not enabled";
        }
        if (!hasC2()) {
            return "the C2 JIT compiler is disabled";
        }
        return null;
    }

    private static Kernels choose() {
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "scalar":
                return scalar();
            case "vector":
                return vector().orElseThrow(() -> new IllegalStateException(
                        "-D" + PROPERTY + "=vector: " + vectorUnavailableReason()
                                + " (start java with --add-modules jdk.incubator.vector)"));
            case "":
                break;
            default:
                throw new IllegalStateException("-D" + PROPERTY + "=" + forced + ": expected scalar or vector");
        }
        Optional<Kernels> vector = vector();
        if (vector.isPresent()) {
            return vector.get();
        }
        System.err.println("Lanes: using the slower scalar kernels because " + vectorUnavailableReason()
                + "; add --add-modules jdk.incubator.vector to the java command for SIMD.");
        return scalar();
    }

    /** C2 is off under -Xint, -XX:TieredStopAtLevel below 4 with tiering, or -XX:-UseCompiler. */
    private static boolean hasC2() {
        List<String> args;
        try {
            args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
        for (String arg : args) {
            if (arg.equals("-Xint") || arg.equals("-XX:-UseCompiler")) {
                return false;
            }
            if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                try {
                    if (Integer.parseInt(arg.substring("-XX:TieredStopAtLevel=".length())) < 4) {
                        return false;
                    }
                } catch (NumberFormatException ignored) {
                    // The JVM itself rejects a malformed value, so this cannot be reached.
                }
            }
        }
        return true;
    }
}
