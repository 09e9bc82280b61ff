package dev.lanes.kernels;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
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
        /** Whether {@code -Dlanes.kernels} made the choice, read once with it. */
        static final boolean FORCED = !forced().isEmpty();
    }

    private static Object chooseOrExplain() {
        try {
            return choose();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * Floating-point operations of one-off work that {@link #forWork} gives to the scalar kernels before it
     * hands out the vector ones. Until C2 has compiled them, the vector kernels run as slow Java fallbacks:
     * evaluating 784-10-10 on the 10 000 MNIST test images (0.16 GFLOP) took 1.7-1.8 s as a whole process
     * on them and 0.5-0.6 s on the scalar kernels, 784-64-10 (1.0 GFLOP) 2.1 against 0.9 s, and
     * 784-256-128-10 (4.7 GFLOP) 2.5 against 2.65 s (JDK 17, Zen 3, two threads). The scalar kernels run
     * at about 1.2 GFLOPS a thread once compiled, and the vector kernels' warm-up costs about 1.2 s, so at
     * one thread they break even near 1.5 GFLOP.
     */
    static final long ONE_OFF_SCALAR_FLOPS = 1_500_000_000L;

    private static final WorkBudget ONE_OFF = new WorkBudget(ONE_OFF_SCALAR_FLOPS);
    private static final Kernels SCALAR = new ScalarKernels();

    private KernelsProvider() {
    }

    /**
     * The kernels for a piece of work done once, such as classifying or evaluating a data set: the
     * scalar reference while the one-off work of this JVM adds up to less than
     * {@value #ONE_OFF_SCALAR_FLOPS} floating-point operations, then {@link #get()}. Both give the same
     * bits (see {@link Numerics}), so only the time differs: a command that evaluates a small network
     * once is over before the vector kernels would have been compiled, while a long-running caller
     * pays for the scalar kernels once, on its first few seconds of such work, or not at all once it
     * has trained ({@link #warmedUp}). Training, which runs the same kernels thousands of times, takes
     * {@link #get()}. A {@code -Dlanes.kernels} choice is always followed.
     *
     * @param flops the work's floating-point operations (two per multiply-add)
     * @return the kernels to do it with
     * @throws IllegalStateException as {@link #get()}
     */
    public static Kernels forWork(long flops) {
        return forWork(flops, get(), Holder.FORCED, ONE_OFF);
    }

    /**
     * Tells the provider that these kernels have done long-running work (a trainer calls this after some
     * hundreds of steps): when they are the JVM's own choice they are compiled by now, so
     * {@link #forWork} hands them out from then on instead of the scalar kernels.
     *
     * @param kernels kernels that have been used heavily
     */
    public static void warmedUp(Kernels kernels) {
        // A scalar instance never touches the choice (choosing may print the fallback hint).
        if (!(kernels instanceof ScalarKernels) && Holder.CHOICE == kernels) {
            ONE_OFF.exhaust();
        }
    }

    /** {@link #forWork(long)} with the JVM's choice, the forcing property and the budget given. */
    static Kernels forWork(long flops, Kernels chosen, boolean forced, WorkBudget budget) {
        if (forced || chosen instanceof ScalarKernels) {
            return chosen;
        }
        return budget.spend(flops) ? SCALAR : chosen;
    }

    /** A JVM-wide allowance of work: the first {@code limit} operations' worth of requests are granted. */
    static final class WorkBudget {
        private final long limit;
        private final AtomicLong spent = new AtomicLong();

        WorkBudget(long limit) {
            this.limit = limit;
        }

        /**
         * @param flops the work of one request, ≥ 0
         * @return whether it fits in what is left (once a request does not, none does again)
         */
        boolean spend(long flops) {
            if (spent.get() >= limit) {
                return false;
            }
            long after = spent.addAndGet(Math.max(0, flops));
            if (after <= limit) {
                return true;
            }
            spent.set(limit);
            return false;
        }

        /** Grants nothing more. */
        void exhaust() {
            spent.set(limit);
        }
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
