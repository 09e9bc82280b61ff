package dev.lanes.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.ScalarKernels;
import dev.lanes.training.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GemmCaseTest {

    private final Kernels scalar = new ScalarKernels();

    @Test
    void theCasesAreTheThreeProductsOfEachMnistLayerAtBothBatchSizes() {
        List<String> expected = new ArrayList<>();
        for (int b : new int[] {64, 256}) {
            for (int[] layer : new int[][] {{784, 10}, {784, 128}, {784, 256}, {256, 128}}) {
                int in = layer[0];
                int out = layer[1];
                expected.add("matmul " + b + "x" + in + "x" + out);        // X[b×in]·W[in×out]
                expected.add("matmulTransB " + b + "x" + out + "x" + in);  // dZ[b×out]·W[in×out]ᵀ
                expected.add("matmulTransA " + in + "x" + b + "x" + out);  // X[b×in]ᵀ·dZ[b×out]
            }
        }
        List<String> actual = new ArrayList<>();
        for (GemmCase c : GemmCase.all()) {
            actual.add(c.name());
            assertEquals(2.0 * c.m() * c.k() * c.n(), c.flops(), c.name());
            // The products of the 10-wide output layer are the narrow ones, in every form.
            assertEquals(c.name().endsWith("x10") || c.name().contains("x10x"), c.narrow(), c.name());
        }
        assertEquals(expected, actual);
    }

    /**
     * The threads of a multi-threaded case each compute a band of rows; together they must compute
     * exactly what one call computes. Scalar dot products do not depend on the band, so the results
     * are bitwise equal; a wrong band offset would give wrong or missing rows.
     */
    @Test
    void bandsOfRowsTogetherComputeTheWholeProduct() {
        for (GemmCase.Form form : GemmCase.Form.values()) {
            // Odd sizes, so that bands differ in height and a thread may get no row at all.
            for (int threads : new int[] {2, 3, 8}) {
                GemmCase c = GemmCase.of(form, 5, 13, 7);
                GemmCase.Operands whole = c.operands();
                whole.task(scalar, 1).run(0);
                GemmCase.Operands banded = c.operands();
                WorkerPool.Task task = banded.task(scalar, threads);
                for (int t = 0; t < threads; t++) {
                    task.run(t);
                }
                assertArrayEquals(whole.c, banded.c, form + " on " + threads + " threads");
                assertTrue(nonZero(whole.c), "the product of random matrices has non-zero entries");
            }
        }
    }

    @Test
    void aPoolRunsEveryBandOnItsOwnThreadAndWaitsForAll() {
        GemmCase c = GemmCase.of(GemmCase.Form.WEIGHT_GRADIENT, 37, 11, 9);
        GemmCase.Operands whole = c.operands();
        whole.task(scalar, 1).run(0);
        GemmCase.Operands banded = c.operands();
        WorkerPool.Task task = banded.task(scalar, 3);
        try (WorkerPool pool = new WorkerPool(3)) {
            pool.run(task);
            assertArrayEquals(whole.c, banded.c);
            java.util.Arrays.fill(banded.c, 0f);
            pool.run(task); // a second call reuses the parked threads
            assertArrayEquals(whole.c, banded.c);
        }
    }

    @Test
    void aFailingMemberFailsTheCall() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> pool.run(member -> {
                        if (member == 1) {
                            throw new IllegalStateException("member 1");
                        }
                    }));
            assertEquals("member 1", e.getMessage());
        }
    }

    private static boolean nonZero(float[] x) {
        for (float v : x) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }
}
