package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link KernelsProvider#forWork}: the scalar kernels for the first one-off work, then the JVM's choice. */
class OneOffWorkTest {

    @Test
    void theBudgetGrantsRequestsUntilItIsSpentAndThenNone() {
        KernelsProvider.WorkBudget b = new KernelsProvider.WorkBudget(100);
        assertTrue(b.spend(60));
        assertTrue(b.spend(40), "exactly the limit still fits");
        assertFalse(b.spend(1));
        assertFalse(b.spend(0), "once spent, nothing more is granted");
    }

    @Test
    void oneRequestLargerThanTheBudgetEndsIt() {
        KernelsProvider.WorkBudget b = new KernelsProvider.WorkBudget(100);
        assertFalse(b.spend(101));
        assertFalse(b.spend(1), "after a large request the small ones go to the vector kernels too");
    }

    @Test
    void smallWorkGetsTheScalarKernelsThenTheVectorOnes() {
        Kernels vector = KernelsProvider.vector().orElseThrow();
        KernelsProvider.WorkBudget b = new KernelsProvider.WorkBudget(1000);
        assertEquals("scalar", KernelsProvider.forWork(600, vector, false, b).name());
        assertEquals("scalar", KernelsProvider.forWork(400, vector, false, b).name());
        assertSame(vector, KernelsProvider.forWork(1, vector, false, b));
    }

    @Test
    void aForcedChoiceAndTheScalarFallbackAreAlwaysFollowed() {
        Kernels vector = KernelsProvider.vector().orElseThrow();
        Kernels scalar = KernelsProvider.scalar();
        KernelsProvider.WorkBudget b = new KernelsProvider.WorkBudget(1000);
        assertSame(vector, KernelsProvider.forWork(1, vector, true, b));
        assertSame(scalar, KernelsProvider.forWork(1, scalar, false, b));
        assertTrue(b.spend(1000), "neither spent the budget");
    }

    @Test
    void anExhaustedBudgetGrantsNothing() {
        KernelsProvider.WorkBudget b = new KernelsProvider.WorkBudget(1000);
        b.exhaust();
        assertFalse(b.spend(0));
    }

    /** Changes the JVM-wide budget: later one-off work in this JVM runs on the vector kernels (same bits). */
    @Test
    void afterTrainingTheJvmsVectorKernelsAreHandedOut() {
        KernelsProvider.warmedUp(KernelsProvider.scalar());
        KernelsProvider.warmedUp(KernelsProvider.vector().orElseThrow());
        KernelsProvider.warmedUp(KernelsProvider.get());
        assertSame(KernelsProvider.get(), KernelsProvider.forWork(1));
    }
}
