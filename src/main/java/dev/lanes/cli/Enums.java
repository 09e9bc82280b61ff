package dev.lanes.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** Case-insensitive enum flags whose error lists the accepted words. */
final class Enums {

    private Enums() {
    }

    /** @return the word a user types for {@code e}, e.g. {@code adam} for {@code ADAM} */
    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }
}
