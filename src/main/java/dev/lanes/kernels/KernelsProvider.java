package dev.lanes.kernels;

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

    /**
     * The system property that chooses the vector width in bits: {@code 64}, {@code 128}, {@code 256} or
     * {@code 512}; by default the widest the CPU has. Every width gives the same bits (see
     * {@link Numerics}); a width beyond the hardware's runs as the Vector API's Java fallback, correct
     * but very slow, which is how the tests check every width on one machine.
     */
    public static final String VECTOR_BITS = "lanes.vectorBits";

    private static final String VECTOR_CLASS = "dev.lanes.kernels.vector.VectorKernels";
    private static final String MODULE = "jdk.incubator.vector";

    private static final class Holder {
        /** The choice, or the message of why there is none: an exception here would poison the class. */
        static final Object CHOICE = chooseOrExplain();
    }

    private static Object chooseOrExplain() {
        try {
            return choose();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private KernelsProvider() {
    }

    /**
     * @return the kernels this JVM uses, chosen on first call
     * @throws IllegalStateException if {@code -Dlanes.kernels} names an unknown or impossible choice
     */
    public static Kernels get() {
        if (Holder.CHOICE instanceof Kernels) {
            return (Kernels) Holder.CHOICE;
        }
        throw new IllegalStateException((String) Holder.CHOICE);
    }

    /**
     * Checks the {@code lanes.kernels} and {@code lanes.vectorBits} properties without choosing, so that a
     * command line can refuse them as bad input before any work.
     *
     * @return one line saying what is wrong with them, or {@code null} if {@link #get()} will succeed
     */
    public static String configurationProblem() {
        try {
            requestedVectorBits();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        String forced = forced();
        switch (forced) {
            case "":
            case "scalar":
                return null;
            case "vector":
                return vectorUnavailableReason() == null ? null : "-D" + PROPERTY + "=vector: " + vectorUnavailableReason()
                        + " (start java with --add-modules jdk.incubator.vector)";
            default:
                return "-D" + PROPERTY + "=" + forced + ": expected scalar or vector";
        }
    }

    private static String forced() {
        return System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
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

    /**
     * @return the vector width that {@code -Dlanes.vectorBits} asks for, or 0 when it is not set
     * @throws IllegalStateException if it is set to anything but 64, 128, 256 or 512
     */
    public static int requestedVectorBits() {
        String value = System.getProperty(VECTOR_BITS, "").trim();
        switch (value) {
            case "":
                return 0;
            case "64":
            case "128":
            case "256":
            case "512":
                return Integer.parseInt(value);
            default:
                throw new IllegalStateException("-D" + VECTOR_BITS + "=" + value + ": expected 64, 128, 256 or 512");
        }
    }

    private static Kernels choose() {
        String problem = configurationProblem();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        if (forced().equals("scalar")) {
            return scalar();
        }
        Optional<Kernels> vector = vector();
        if (vector.isPresent()) {
            return vector.get();
        }
        if (forced().equals("vector")) {
            throw new IllegalStateException("-D" + PROPERTY + "=vector: the vector kernels failed to load");
        }
        String hint = ModuleLayer.boot().findModule(MODULE).isEmpty()
                ? "add --add-modules " + MODULE + " to the java command for SIMD"
                : "SIMD needs the C2 JIT: leave out -Xint and -XX:TieredStopAtLevel";
        System.err.println("Lanes: using the slower scalar kernels because " + vectorUnavailableReason() + "; " + hint + ".");
        return scalar();
    }

    /**
     * Whether this JVM runs the optimising JIT, from {@code java.vm.info}: HotSpot reports
     * "interpreted mode" under {@code -Xint} and "emulated-client" when only C1 compiles
     * ({@code -XX:TieredStopAtLevel=1}, the usual start-up flag). The JVM's own argument list
     * (RuntimeMXBean) would also show the diagnostic levels 2 and 3 and {@code -XX:-UseCompiler}, but
     * reading it loads the management classes: 28-44 ms on the start-up path of every command (JDK 17
     * and 25, Zen 3), for flags that only JIT diagnostics use.
     */
    private static boolean hasC2() {
        String info = System.getProperty("java.vm.info", "");
        return !info.contains("interpreted mode") && !info.contains("emulated-client");
    }
}
