package dev.lanes.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonObjectsTest {

    @Test
    void readsWhatJsonWrites() {
        String line = new Json().put("n", 3).put("x", -1.5e-7).put("nan", Double.NaN).put("s", "a\"b\\c\n\u0001")
                .put("t", true).toString();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("n", 3.0);
        expected.put("x", -1.5e-7);
        expected.put("nan", null);
        expected.put("s", "a\"b\\c\n\u0001");
        expected.put("t", true);
        assertEquals(expected, JsonObjects.parse(line));
        assertEquals(Map.of(), JsonObjects.parse(" { } "));
    }

    @Test
    void refusesWhatIsNotAFlatObject() {
        for (String bad : Arrays.asList("", "[1]", "{\"a\":1", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":NaN}",
                "{\"a\":{}}", "{\"a\":1,\"a\":2}", "{\"a\":1} x", "{\"a\":\"\\q\"}", "{a:1}")) {
            assertThrows(IllegalArgumentException.class, () -> JsonObjects.parse(bad), bad);
        }
        assertEquals("expected ',' or '}' at character 8",
                assertThrows(IllegalArgumentException.class, () -> JsonObjects.parse("{\"a\":1 2}")).getMessage());
    }
}
