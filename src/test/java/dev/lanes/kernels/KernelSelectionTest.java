package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Guards the test set-up itself: the build runs the suite with the Vector API, and this fails the
 * build if the kernels under test were silently the scalar ones (a missing JVM flag would otherwise
 * make every SIMD-vs-scalar comparison compare the reference with itself).
 */
class KernelSelectionTest {

    @Test
    void theVectorKernelsAreTheOnesUnderTest() {
        String expected = System.getProperty("lanes.test.expect", "vector");
        assertEquals("vector", expected, "this test belongs to the vector runs");
        assertEquals(null, KernelsProvider.vectorUnavailableReason(), "the test JVM cannot run vector kernels");
        assertEquals("vector", KernelsProvider.get().name());
        assertEquals("vector", KernelsProvider.vector().orElseThrow().name());
        assertTrue(KernelsProvider.get().description().contains("float lanes"));
    }

    @Test
    void aVectorWidthOtherThanTheFourIsRefusedNamingTheProperty() {
        String before = System.getProperty(KernelsProvider.VECTOR_BITS);
        try {
            System.setProperty(KernelsProvider.VECTOR_BITS, "384");
            IllegalStateException e = assertThrows(IllegalStateException.class, KernelsProvider::requestedVectorBits);
            assertEquals("-Dlanes.vectorBits=384: expected 64, 128, 256 or 512", e.getMessage());
            System.setProperty(KernelsProvider.VECTOR_BITS, " 128 ");
            assertEquals(128, KernelsProvider.requestedVectorBits());
        } finally {
            if (before == null) {
                System.clearProperty(KernelsProvider.VECTOR_BITS);
            } else {
                System.setProperty(KernelsProvider.VECTOR_BITS, before);
            }
        }
    }
}
