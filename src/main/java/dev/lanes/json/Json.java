package dev.lanes.json;

import java.util.Locale;

/**
 * The one JSON writer of Lanes: every file and line Lanes writes as JSON ({@code train --metrics},
 * {@code eval --json}, {@code bench --json}) goes through it, so all of them are strict JSON (RFC 8259).
 * Numbers follow the JSON grammar; NaN and the infinities, which JSON cannot express, become {@code null}.
 *
 * <p>An object is built member by member and rendered by {@link #toString()}, on one line.
 */
public final class Json {

    /** Doubles with an absolute value below this that are whole numbers are written without a fraction. */
    private static final double EXACT_INTEGERS = 9.007199254740992e15; // 2^53

    private final StringBuilder sb = new StringBuilder();
    private boolean first = true;

    /** An empty object. */
    public Json() {
        sb.append('{');
    }

    /**
     * @param key   the member name
     * @param value a number; NaN and infinities are written as {@code null}
     * @return this
     */
    public Json put(String key, double value) {
        key(key);
        sb.append(number(value));
        return this;
    }

    /**
     * @param key   the member name
     * @param value a number held as a float (a learning rate, say), written with the digits that
     *              identify the float rather than those of its double expansion ({@code 0.1}, not
     *              {@code 0.10000000149011612}); NaN and infinities are written as {@code null}
     * @return this
     */
    public Json put(String key, float value) {
        key(key);
        sb.append(number(value));
        return this;
    }

    /**
     * @param key   the member name
     * @param value a whole number
     * @return this
     */
    public Json put(String key, long value) {
        key(key);
        sb.append(value);
        return this;
    }

    /**
     * @param key   the member name
     * @param value a boolean
     * @return this
     */
    public Json put(String key, boolean value) {
        key(key);
        sb.append(value);
        return this;
    }

    /**
     * @param key   the member name
     * @param value a string, escaped as JSON requires, or {@code null}
     * @return this
     */
    public Json put(String key, String value) {
        key(key);
        if (value == null) {
            sb.append("null");
        } else {
            string(sb, value);
        }
        return this;
    }

    /**
     * @param key  the member name
     * @param json an already rendered JSON value, e.g. from {@link #array(double[])}
     * @return this
     */
    public Json putRaw(String key, String json) {
        key(key);
        sb.append(json);
        return this;
    }

    private void key(String key) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        string(sb, key);
        sb.append(':');
    }

    /**
     * @param v a number
     * @return {@code v} in the JSON number grammar: whole numbers without a fraction, others with the
     *         shortest digits that read back as {@code v} ({@link Double#toString}, whose every finite
     *         output is a JSON number), and {@code null} for NaN and infinities
     */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < EXACT_INTEGERS) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /**
     * @param v a float
     * @return as {@link #number(double)}, with the shortest digits that read back as the float {@code v}
     */
    public static String number(float v) {
        if (!Float.isFinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < EXACT_INTEGERS) {
            return Long.toString((long) v);
        }
        return Float.toString(v);
    }

    /**
     * @param values whole numbers
     * @return a JSON array of them
     */
    public static String array(long[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ",").append(values[i]);
        }
        return b.append(']').toString();
    }

    /**
     * @param values numbers; NaN and infinities become {@code null}
     * @return a JSON array of them
     */
    public static String array(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ",").append(number(values[i]));
        }
        return b.append(']').toString();
    }

    /**
     * @param s a string
     * @return it as a JSON string literal, with quotes, backslashes and control characters escaped
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        string(b, s);
        return b.toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                // U+2028 and U+2029 are valid JSON but end a line in JavaScript and some line readers.
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /** @return the object, rendered on one line */
    @Override
    public String toString() {
        return sb + "}";
    }
}
