package dev.lanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, compiled from the README itself and run: documentation that cannot rot. */
class ReadmeExampleTest {

    @Test
    void theLibraryExampleCompilesAndTrains(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\\n(.*?public class Digits.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has the Digits example");
        Path src = tmp.resolve("Digits.java");
        Files.writeString(src, m.group(1));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", tmp.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Path model = tmp.resolve("digits.lanes");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass("Digits").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[] {model.toString()});
        } finally {
            System.setOut(saved);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(Files.size(model) > 784 * 64 * 4, "model written");
        Matcher acc = Pattern.compile("accuracy (0\\.\\d+)").matcher(lines.get(2));
        assertTrue(acc.find(), out);
        // Two Adam epochs of a 784-64-10 net reach ~96%; 0.9 fails any broken training but not noise.
        assertTrue(Double.parseDouble(acc.group(1)) > 0.9, out);
    }
}
