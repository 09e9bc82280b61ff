package dev.lanes.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The JVM flags the build writes for plain java launches are Spark's own, so they cannot drift when Spark changes. */
class JvmFlagsTest {

    @Test
    void theLaunchFlagsAreSparksModuleOptions() throws Exception {
        List<String> ours = Arrays.asList(Files.readString(Path.of("target", "spark-jvm.args")).trim().split("\\s+"));
        List<String> spark = Arrays.asList(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+"));
        assertEquals(spark, ours);
        assertTrue(ours.contains("--add-modules=jdk.incubator.vector"), "the Vector API module is among them");
    }
}
