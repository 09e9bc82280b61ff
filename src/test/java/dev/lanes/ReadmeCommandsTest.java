package dev.lanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code engine.jar} command in the README's shell blocks, run as written, in order, in a fresh
 * folder laid out like a checkout (its {@code data/mnist}): documentation that cannot rot. The jar is
 * not built yet when the tests run, so {@code -jar target/engine.jar} runs as its main class on the
 * test class path, in a JVM of this test's own JDK.
 */
class ReadmeCommandsTest {

    private static final String JAR = "java --add-modules jdk.incubator.vector -jar target/engine.jar ";
    private static final long PATIENCE_SECONDS = 300;

    static List<String> commands() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> commands = new ArrayList<>();
        while (block.find()) {
            for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
                int at = line.indexOf(JAR);
                if (at >= 0) {
                    commands.add(line.substring(at + JAR.length()).replaceAll("\\s+", " ").trim());
                }
            }
        }
        return commands;
    }

    @Test
    void everyCommandInTheReadmeRunsAsWritten(@TempDir Path tmp) throws Exception {
        List<String> commands = commands();
        // The build-and-train line, the train example, info, the eval, csv and predict examples.
        assertTrue(commands.size() >= 8, commands.toString());
        Files.createDirectories(tmp.resolve("data"));
        Files.createSymbolicLink(tmp.resolve("data/mnist"), Path.of("data/mnist").toAbsolutePath());
        for (String command : commands) {
            assertTrue(!command.contains("[") && !command.contains("|"), "a runnable line, not a synopsis: " + command);
            Path out = tmp.resolve("stdout.txt");
            Path err = tmp.resolve("stderr.txt");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    "dev.lanes.cli.Main"));
            cmd.addAll(Arrays.asList(command.split(" ")));
            Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), command);
            String stdout = Files.readString(out);
            assertEquals(0, p.exitValue(), command + "\n" + stdout + Files.readString(err));
            if (command.contains("--json")) {
                JsonNode n = StrictJson.parse(stdout.trim());
                assertTrue(n.get("accuracy").doubleValue() > 0.9, stdout);
            }
        }
        for (String file : List.of("model.lanes", "digits.lanes", "metrics.jsonl", "test.csv", "submission.csv",
                "plots/loss.png", "plots/confusion.png", "plots/predictions.png")) {
            assertTrue(Files.size(tmp.resolve(file)) > 0, file);
        }
        // The last predict classifies the 10,000 test images into the default submission.csv.
        assertEquals(10_001, Files.readAllLines(tmp.resolve("submission.csv")).size());
    }
}
