package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.lanes.cli.Cli;
import dev.lanes.InputException;
import dev.lanes.io.AtomicFile;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output that cannot be written: a folder that is not there or not a folder, and a disk that fills up
 * in the middle of a model. Each must end in one line naming the file and the reason, with any
 * earlier model byte for byte intact and nothing half-written left behind.
 */
class WriteFailureTest {

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void data() {
        data = Lab.mnistSlice(shared.resolve("mnist"), 600, 100);
    }

    private static String[] train(Path model, String... more) {
        return Lab.concat(new String[] {"train", "--data", data.toString(), "--epochs", "1", "--model",
            model.toString()}, more);
    }

    private static void assertOneLineError(Cli.Result r, String... fragments) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "\"" + f + "\" missing from " + r);
        }
    }

    @Test
    void modelInAFolderThatIsARegularFileFailsBeforeTraining(@TempDir Path tmp) throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("plain.txt"), "not a folder");
        Path model = notAFolder.resolve("m.lanes");
        Cli.Result r = Cli.run(train(model));
        assertOneLineError(r, model.toString(), "not a folder");
        assertFalse(r.out().contains("epoch"), "no epoch is trained for a model that cannot be saved: " + r);
        assertEquals("not a folder", Files.readString(notAFolder));
    }

    @Test
    void modelInAMissingFolderFailsBeforeTraining(@TempDir Path tmp) throws IOException {
        Path model = tmp.resolve("missing").resolve("m.lanes");
        Cli.Result r = Cli.run(train(model));
        assertOneLineError(r, model.toString(), "does not exist");
        assertFalse(r.out().contains("epoch"), r.toString());
        assertEquals(List.of(), Lab.othersIn(tmp));
    }

    @Test
    void metricsInAMissingFolderFailsBeforeTrainingAndKeepsTheModel(@TempDir Path tmp) throws IOException {
        Path model = tmp.resolve("m.lanes");
        assertEquals(0, Cli.run(train(model)).status());
        byte[] before = Files.readAllBytes(model);
        Path metrics = tmp.resolve("no").resolve("metrics.jsonl");
        Cli.Result r = Cli.run(train(model, "--seed", "2", "--metrics", metrics.toString()));
        assertOneLineError(r, metrics.toString());
        assertFalse(r.out().contains("epoch"), r.toString());
        assertArrayEquals(before, Files.readAllBytes(model));
    }

    @Test
    void modelPathThatIsAFolderFails(@TempDir Path tmp) throws IOException {
        Path model = Files.createDirectory(tmp.resolve("m.lanes"));
        Cli.Result r = Cli.run(train(model));
        assertOneLineError(r, model.toString(), "folder");
        assertEquals(List.of(), Lab.othersIn(model));
    }

    /**
     * A disk that fills up in the middle of a model: jimfs with a size limit, exercising the real write
     * path. 448 KiB hold the ~51 KB model or the ~407 KB one, not both: replacing the first with the
     * second runs out of space while the temporary file is being written.
     */
    @Test
    void diskFullWhileWritingKeepsTheEarlierModelAndLeavesNothingBehind() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(448 * 1024).build())) {
            Path dir = Files.createDirectories(fs.getPath("/models"));
            Path model = dir.resolve("m.lanes");
            Network small = Network.create(new int[] {784, 16, 10}, Init.HE, 1);
            ModelFile.write(model, small, null);
            byte[] before = Files.readAllBytes(model);
            assertArrayEquals(ModelFile.encode(small, null), before);

            Network large = Network.create(new int[] {784, 128, 10}, Init.HE, 1);
            InputException e = assertThrows(InputException.class, () -> ModelFile.write(model, large, null));
            String m = e.getMessage();
            assertTrue(m.startsWith(model + ": cannot write: "), m);
            assertFalse(m.contains("\n") || m.contains("\r"), m);
            assertArrayEquals(before, Files.readAllBytes(model), "the earlier model is untouched");
            assertEquals(List.of("m.lanes"), Lab.othersIn(dir), "the temporary file is removed");
            assertEquals(small.parameterCount(), ModelFile.read(model).network().parameterCount());

            // Room again (the old model removed): the same write now succeeds.
            Files.delete(model);
            ModelFile.write(model, large, null);
            assertArrayEquals(ModelFile.encode(large, null), Files.readAllBytes(model));
        }
    }

    @Test
    void diskFullInAtomicFileOnAnyContent() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(64 * 1024).build())) {
            Path target = fs.getPath("/out.bin");
            Files.write(target, new byte[] {1, 2, 3});
            byte[] big = new byte[200 * 1024];
            InputException e = assertThrows(InputException.class, () -> AtomicFile.write(target, o -> o.write(big)));
            assertTrue(e.getMessage().startsWith("/out.bin: cannot write: "), e.getMessage());
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
            try (var s = Files.list(fs.getPath("/"))) {
                assertEquals(List.of("/out.bin"), s.filter(Files::isRegularFile).map(Path::toString).toList());
            }
        }
    }

    /**
     * The whole command on a real full disk: a 256 KiB tmpfs holds a small model but not a larger one.
     * Mounting needs privileges that a build machine may not grant; the test is skipped there (the
     * jimfs tests above still cover the write path).
     */
    @Test
    void trainOnAFullDiskSaysSoInOneLineAndKeepsTheEarlierModel(@TempDir Path tmp) throws Exception {
        Path disk = Files.createDirectory(tmp.resolve("disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "lanes-test", disk.toString()),
                "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)");
        try {
            Path model = disk.resolve("m.lanes");
            assertEquals(0, Cli.run(train(model)).status());
            byte[] before = Files.readAllBytes(model);
            Cli.Result r = Cli.run(train(model, "--hidden", "128"));
            assertOneLineError(r, model.toString(), "cannot write", "No space left on device");
            assertArrayEquals(before, Files.readAllBytes(model), "the earlier model is untouched");
            assertEquals(List.of(), Lab.othersIn(disk, "m.lanes"), "no temporary file is left");
        } finally {
            assertTrue(run("umount", disk.toString()), "unmount " + disk);
        }
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
