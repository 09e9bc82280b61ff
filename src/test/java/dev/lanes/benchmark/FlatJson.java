package dev.lanes.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.json.StrictJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One flat JSON object (string, number, boolean and null members), read with the strict parser of
 * {@link StrictJson}: the benchmark's JSON Lines as a program reading them would see them.
 */
public final class FlatJson {

    private FlatJson() {
    }

    /**
     * @param line one JSON object
     * @return its members in order: String, Double, Boolean or null values
     * @throws AssertionError if the line is not strict JSON or not one flat object
     */
    public static Map<String, Object> parse(String line) {
        JsonNode node = StrictJson.parse(line);
        if (!node.isObject()) {
            throw new AssertionError("not a JSON object: " + line);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isNull()) {
                value = null;
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isTextual()) {
                value = v.textValue();
            } else {
                throw new AssertionError("member " + e.getKey() + " is not flat in: " + line);
            }
            out.put(e.getKey(), value);
        }
        return out;
    }
}
