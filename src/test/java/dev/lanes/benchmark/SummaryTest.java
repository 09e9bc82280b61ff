package dev.lanes.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void oddCountTakesTheMiddleValueWhateverTheOrder() {
        Summary s = Summary.of(5, 1, 4, 2, 3);
        assertEquals(new Summary(3, 1, 5, 5), s);
    }

    @Test
    void evenCountAveragesTheTwoMiddleValues() {
        assertEquals(new Summary(2.5, 1, 4, 4), Summary.of(4, 1, 3, 2));
        assertEquals(new Summary(7, 7, 7, 1), Summary.of(7));
    }

    @Test
    void reciprocalTurnsTimesIntoRatesAndSwapsTheEnds() {
        // 1e9 flops in 0.5, 1 and 2 seconds: 2, 1 and 0.5 GFLOPS; exact in binary floating point.
        Summary rates = Summary.of(0.5, 1, 2).reciprocal(1.0);
        assertEquals(new Summary(1, 0.5, 2, 3), rates);
    }

    @Test
    void rejectsWhatCannotBeAMeasurement() {
        assertThrows(IllegalArgumentException.class, Summary::of);
        assertThrows(IllegalArgumentException.class, () -> Summary.of(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new Summary(3, 1, 2, 3));
    }
}
