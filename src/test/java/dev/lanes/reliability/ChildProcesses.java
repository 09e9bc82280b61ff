package dev.lanes.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Helpers of the tests that start a real training process and signal or kill it. */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Standard output of {@code p}, line by line, read on a daemon thread so that the test can time out. */
    static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    q.add(line);
                }
            } catch (IOException e) {
                // the process ended or was killed: its pipe closes
            }
        }, "child-stdout");
        t.setDaemon(true);
        t.start();
        return q;
    }
}
