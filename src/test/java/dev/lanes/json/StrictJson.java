package dev.lanes.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads JSON with an independent, strict parser (Jackson with its defaults: no NaN, no trailing
 * decimal point, no leading zeros, no comments), and neither duplicate members nor anything after the value.
 */
public final class StrictJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private StrictJson() {
    }

    /**
     * @param text one JSON value
     * @return its tree
     * @throws AssertionError naming the text if it is not strict JSON
     */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not strict JSON: " + e.getOriginalMessage() + " in: " + text, e);
        }
    }
}
