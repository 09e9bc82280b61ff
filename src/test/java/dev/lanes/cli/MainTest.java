package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The top level of the command line: Main registers only the command it is asked to run, so what it
 * prints when it is asked for none (help, a typo) must still know every command; and the choice of
 * kernels when the JVM has no C2.
 */
class MainTest {

    private static final String[] COMMANDS = {"train", "eval", "predict", "csv", "bench", "info", "help"};

    @Test
    void topLevelHelpListsEveryCommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.status(), r.toString());
        for (String name : COMMANDS) {
            assertTrue(r.out().contains("\n  " + name + " "), name + " missing from:\n" + r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "predict", "csv", "bench", "info"})
    void helpNamingACommandPrintsThatCommandsUsage(String name) {
        Cli.Result viaHelp = Cli.run("help", name);
        Cli.Result direct = Cli.run(name, "--help");
        assertEquals(0, viaHelp.status(), viaHelp.toString());
        assertEquals(0, direct.status(), direct.toString());
        assertEquals(direct.out(), viaHelp.out());
        assertTrue(direct.out().startsWith("Usage: lanes " + name), direct.out());
    }

    @Test
    void anUnknownCommandIsBadUsage() {
        Cli.Result r = Cli.run("trian", "--epochs", "1");
        assertEquals(Main.EXIT_BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().contains("Unmatched argument") && r.err().contains("'trian'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void noCommandIsBadUsage() {
        Cli.Result r = Cli.run();
        assertEquals(Main.EXIT_BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().contains("missing command"), r.err());
    }

    /** C2 is detected from java.vm.info; a JVM with the module but only C1 or the interpreter runs scalar. */
    @ParameterizedTest
    @ValueSource(strings = {"-XX:TieredStopAtLevel=1", "-Xint"})
    void withoutC2TheScalarKernelsRunAndTheHintSaysWhy(String flag) throws Exception {
        Cli.Result r = info(flag);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("scalar (plain Java loops)"), r.toString());
        assertTrue(r.err().contains("the C2 JIT compiler is disabled")
                && r.err().contains("leave out -Xint and -XX:TieredStopAtLevel"), r.toString());
        assertTrue(!r.err().contains("add --add-modules"), "the module is there: " + r.err());
    }

    @Test
    void withC2AndTheModuleTheVectorKernelsRun() throws Exception {
        Cli.Result r = info();
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("vector ("), r.toString());
    }

    /** {@code lanes info} in a child JVM of this JDK with the Vector API module and {@code flags}. */
    private static Cli.Result info(String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.addAll(List.of(flags));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("info");
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "info did not finish");
        return new Cli.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
