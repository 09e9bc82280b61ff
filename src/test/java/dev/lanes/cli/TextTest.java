package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Numbers in messages read as a person writes them, not as Java's toString prints them. */
class TextTest {

    @Test
    void settingsKeepTheirShortDigitsWithoutJavaExponents() {
        assertEquals("1e30", Text.number(1e30f));
        assertEquals("0.1", Text.number(0.1f));
        assertEquals("0.0001", Text.number(1e-4f));
        assertEquals("1e-8", Text.number(1e-8f));
        assertEquals("2.5e-7", Text.number(2.5e-7f));
        assertEquals("250", Text.number(250f));
        assertEquals("0", Text.number(0f));
        assertEquals("infinity", Text.number(Float.POSITIVE_INFINITY));
    }

    @Test
    void measuredValuesHaveSixSignificantDigits() {
        assertEquals("2.84072e21", Text.number(2840723724859090000000.0));
        assertEquals("0.345679", Text.number(0.3456789));
        assertEquals("123457", Text.number(123456.7));
        assertEquals("NaN", Text.number(Double.NaN));
    }

    @Test
    void countsAgreeWithTheirNoun() {
        assertEquals("1 epoch", Text.count(1, "epoch"));
        assertEquals("2 epochs", Text.count(2, "epoch"));
        assertEquals("10,000 images", Text.count(10_000, "image"));
        assertEquals("0 predictions", Text.count(0, "prediction"));
    }
}
