package dev.lanes.json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back the flat objects {@link Json} writes (one line of {@code train --metrics}, say): members
 * whose values are numbers, strings, booleans or {@code null}. Nested objects and arrays are refused,
 * as Lanes writes none that it reads back.
 */
public final class JsonObjects {

    private final String text;
    private int at;

    private JsonObjects(String text) {
        this.text = text;
    }

    /**
     * @param text one JSON object, optionally surrounded by white space
     * @return its members in order: a {@link Double} for a number, a {@link String}, a {@link Boolean},
     *         or {@code null} (which {@link Json} writes for NaN and the infinities)
     * @throws IllegalArgumentException naming the first problem and the character where it is, counting from 1
     */
    public static Map<String, Object> parse(String text) {
        return new JsonObjects(text).object();
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            at++;
        } else {
            do {
                String key = string();
                expect(':');
                Object value = value();
                if (members.containsKey(key)) {
                    throw problem("duplicate member \"" + key + "\"");
                }
                members.put(key, value);
            } while (next(',', '}') == ',');
        }
        space();
        if (at < text.length()) {
            throw problem("unexpected text after the object");
        }
        return members;
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, at)) {
                at += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        throw problem(c == '{' || c == '[' ? "nested values are not supported" : "expected a value");
    }

    private Double number() {
        int start = at;
        if (text.charAt(at) == '-') {
            at++;
        }
        int first = at;
        if (!digits() || (text.charAt(first) == '0' && at - first > 1)) {
            throw problem("malformed number");
        }
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            if (!digits()) {
                throw problem("malformed number");
            }
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            if (!digits()) {
                throw problem("malformed number");
            }
        }
        return Double.valueOf(text.substring(start, at));
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw problem("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw problem("control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw problem("unterminated string");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw problem("malformed \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException bad) {
                        throw problem("malformed \\u escape");
                    }
                    at += 4;
                }
                default -> throw problem("unknown escape \\" + e);
            }
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw problem("expected '" + c + "'");
        }
        at++;
    }

    private char next(char a, char b) {
        char c = peek();
        if (c != a && c != b) {
            throw problem("expected '" + a + "' or '" + b + "'");
        }
        at++;
        return c;
    }

    /** @return the next character after white space, or 0 at the end */
    private char peek() {
        space();
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private IllegalArgumentException problem(String what) {
        return new IllegalArgumentException(what + " at character " + (Math.min(at, text.length()) + 1));
    }
}
