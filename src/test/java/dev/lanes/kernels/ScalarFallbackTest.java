package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs in a JVM started without {@code --add-modules jdk.incubator.vector} (the build's
 * {@code scalar-fallback} run): the engine must fall back to the scalar kernels without ever loading
 * an incubator class.
 */
@Tag("fallback")
class ScalarFallbackTest {

    @Test
    void withoutTheModuleTheScalarKernelsAreUsed() {
        assertEquals("scalar", System.getProperty("lanes.test.expect"), "this test belongs to the fallback run");
        assertFalse(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertNotNull(KernelsProvider.vectorUnavailableReason());
        assertTrue(KernelsProvider.vector().isEmpty());
        Kernels k = KernelsProvider.get();
        assertEquals("scalar", k.name());
        float[] c = new float[1];
        k.matmul(1, 1, 2, new float[] {2, 3}, 0, 2, new float[] {5, 7}, 0, 1, c, 0, 1, false);
        assertEquals(31f, c[0]); // 2·5 + 3·7, exact in float
    }
}
