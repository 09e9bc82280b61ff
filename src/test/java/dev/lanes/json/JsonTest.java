package dev.lanes.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTest {

    /** The values that broke the old writer: a sixth significant digit of 0 left a bare dot ("23979."). */
    @Test
    void numbersWhoseLastDigitsAreZeroStayJsonNumbers() {
        for (double v : new double[] {23979.02, 23979.0001, 100000.04, 1.5, 0.5, 120.000001, 2.0e-7, 1e30, -3.25e21,
            2840723724859090000000.0, 9.007199254740993e15}) {
            String json = new Json().put("v", v).toString();
            JsonNode n = StrictJson.parse(json);
            assertEquals(v, n.get("v").doubleValue(), 0, json);
        }
        assertEquals("{\"v\":23979.02}", new Json().put("v", 23979.02).toString());
    }

    @Test
    void nanAndInfinitiesAreNull() {
        String json = new Json().put("a", Double.NaN).put("b", Double.POSITIVE_INFINITY).put("c", Float.NaN)
                .putRaw("d", Json.array(new double[] {1, Double.NEGATIVE_INFINITY})).toString();
        JsonNode n = StrictJson.parse(json);
        assertTrue(n.get("a").isNull() && n.get("b").isNull() && n.get("c").isNull(), json);
        assertTrue(n.get("d").get(1).isNull(), json);
        assertEquals(1, n.get("d").get(0).intValue());
    }

    /** Random bit patterns cover every exponent and digit count: each finite one must read back exactly. */
    @Test
    void everyFiniteDoubleAndFloatReadsBackExactly() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(rng.nextLong());
            float f = Float.intBitsToFloat(rng.nextInt());
            String json = new Json().put("d", d).put("f", f).toString();
            JsonNode n = StrictJson.parse(json);
            if (Double.isFinite(d)) {
                assertEquals(d, n.get("d").decimalValue().doubleValue(), 0, json);
            } else {
                assertTrue(n.get("d").isNull(), json);
            }
            if (Float.isFinite(f)) {
                assertEquals(f, n.get("f").decimalValue().floatValue(), 0, json);
            } else {
                assertTrue(n.get("f").isNull(), json);
            }
        }
    }

    @Test
    void floatsKeepTheirShortDigits() {
        assertEquals("{\"lr\":0.1,\"eps\":1.0E-8}", new Json().put("lr", 0.1f).put("eps", 1e-8f).toString());
    }

    @Test
    void stringsAreEscaped() {
        String tricky = "a\"b\\c\nd\u0001e\u2028f é";
        JsonNode n = StrictJson.parse(new Json().put("s", tricky).put("n", (String) null).put("t", true).toString());
        assertEquals(tricky, n.get("s").textValue());
        assertTrue(n.get("n").isNull());
        assertTrue(n.get("t").booleanValue());
    }
}
