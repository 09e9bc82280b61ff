package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector kernels that combine lanes (softmax sums, row maxima) must return the same bits on every
 * call, whether the JVM interprets them, runs C1 code or runs C2 code.
 *
 * <p>Each test loads its own copy of the vector kernel classes in a fresh class loader, so that however
 * much earlier tests have run the shared copy, this one starts cold: its first call is interpreted, and
 * thousands of calls later C2 has compiled and inlined it (the row methods run once per row, so they
 * cross the compile thresholds within the first few hundred calls). Every result is compared with the
 * first one, and the first with the shared, long-compiled copy, bit for bit: a lane reduction or
 * library {@code exp} whose order or precision changes with compilation would fail here.
 */
class KernelDeterminismTest {

    private final Kernels warm = KernelsProvider.vector().orElseThrow();
    private final Kernels vector = coldVectorKernels();

    /** A new, never-run copy of the vector kernel classes; the {@link Kernels} interface stays shared. */
    static Kernels coldVectorKernels() {
        URL classes = Kernels.class.getProtectionDomain().getCodeSource().getLocation();
        String vectorPackage = "dev.lanes.kernels.vector.";
        ClassLoader loader = new URLClassLoader(new URL[] {classes}, Kernels.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith(vectorPackage)) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        };
        try {
            Kernels cold = (Kernels) loader.loadClass(vectorPackage + "VectorKernels").getDeclaredConstructor().newInstance();
            assertNotSame(KernelsProvider.vector().orElseThrow().getClass(), cold.getClass());
            return cold;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot load a fresh copy of the vector kernels", e);
        }
    }

    @ParameterizedTest(name = "{0}x{1}, {2} calls")
    @CsvSource({
        "64, 10, 20000",  // the output layer of the network: one vector plus an overlapping tail
        "7, 33, 20000",   // several vectors and a tail, summed left to right
        "3, 200, 5000",   // a wide row: lanes summed over vectors and folded in a tree
    })
    void softmaxCrossEntropyIsBitwiseRepeatable(int rows, int cols, int calls) {
        Random rnd = new Random(rows * 1000 + cols);
        Block logits = Block.gaussian(rnd, rows, cols, 1, 2, 5f);
        int[] labels = KernelEqualityTest.labels(rnd, rows, cols);
        Block first = Block.zeros(rows, cols, 0, 0);
        double firstLoss = vector.softmaxCrossEntropy(rows, cols, logits.a, logits.off, logits.ld, labels, 2,
                first.a, first.off, first.ld, 1f / rows);
        Block grad = first.copy();
        double warmLoss = warm.softmaxCrossEntropy(rows, cols, logits.a, logits.off, logits.ld, labels, 2,
                grad.a, grad.off, grad.ld, 1f / rows);
        assertEquals(Double.doubleToRawLongBits(firstLoss), Double.doubleToRawLongBits(warmLoss), "cold and warm loss");
        assertArrayEquals(first.a, grad.a, "cold and warm gradients");
        for (int call = 1; call < calls; call++) {
            double loss = vector.softmaxCrossEntropy(rows, cols, logits.a, logits.off, logits.ld, labels, 2,
                    grad.a, grad.off, grad.ld, 1f / rows);
            assertEquals(Double.doubleToRawLongBits(firstLoss), Double.doubleToRawLongBits(loss),
                    "loss of call " + call + " differs from the first call's");
            assertArrayEquals(first.a, grad.a, "gradient of call " + call + " differs from the first call's");
        }
    }

    @ParameterizedTest(name = "{0}x{1}, {2} calls")
    @CsvSource({
        "64, 10, 20000",
        "7, 33, 20000",
        "3, 200, 5000",
    })
    void softmaxAndArgmaxAreBitwiseRepeatable(int rows, int cols, int calls) {
        Random rnd = new Random(rows * 1000 + cols + 1);
        Block logits = Block.gaussian(rnd, rows, cols, 3, 1, 5f);
        Block first = logits.copy();
        vector.softmax(rows, cols, first.a, first.off, first.ld);
        int[] firstArgmax = new int[rows];
        vector.argmaxRows(rows, cols, logits.a, logits.off, logits.ld, firstArgmax, 0);
        Block p = logits.copy();
        warm.softmax(rows, cols, p.a, p.off, p.ld);
        assertArrayEquals(first.a, p.a, "cold and warm softmax");
        int[] argmax = new int[rows];
        warm.argmaxRows(rows, cols, logits.a, logits.off, logits.ld, argmax, 0);
        assertArrayEquals(firstArgmax, argmax, "cold and warm argmax");
        for (int call = 1; call < calls; call++) {
            System.arraycopy(logits.a, 0, p.a, 0, p.a.length);
            vector.softmax(rows, cols, p.a, p.off, p.ld);
            assertArrayEquals(first.a, p.a, "softmax of call " + call + " differs from the first call's");
            vector.argmaxRows(rows, cols, logits.a, logits.off, logits.ld, argmax, 0);
            assertArrayEquals(firstArgmax, argmax, "argmax of call " + call + " differs from the first call's");
        }
    }
}
