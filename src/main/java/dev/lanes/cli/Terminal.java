package dev.lanes.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal (for the progress bar). */
final class Terminal {

    private Terminal() {
    }

    /**
     * Before JDK 22 {@link System#console()} is null unless both streams are a terminal; from JDK 22 on
     * it may return a console for redirected streams too, and {@code Console.isTerminal()} tells the truth.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
