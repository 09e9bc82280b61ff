package dev.lanes.benchmark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitTest {

    /** What HotSpot 17 and 25 print for {@code Compiler.queue} (copied from real runs). */
    private static final String BUSY = "Current compiles: \n"
            + "C2 CompilerThread0  1433       4       java.util.HashMap::putVal (300 bytes)\n\n"
            + "C1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n";
    private static final String QUEUED = "Current compiles: \n\n"
            + "C1 compile queue:\nEmpty\n\nC2 compile queue:\n"
            + "1829       4       jdk.internal.util.xml.impl.Parser::bappend (200 bytes)\n\n";
    private static final String IDLE = "Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n";

    @Test
    void readsTheCompilerQueueReport() {
        assertFalse(Jit.isIdle(BUSY), "a compiler thread at work");
        assertFalse(Jit.isIdle(QUEUED), "a method waiting in the queue");
        assertTrue(Jit.isIdle(IDLE));
    }

    @Test
    void theRunningJvmAnswers() throws InterruptedException {
        Jit jit = new Jit();
        long before = jit.compileMillis();
        assertTrue(before >= 0);
        // The compiler drains its queue once the program stops giving it work: a few seconds at most,
        // even on a loaded machine, and the test waits up to a minute before calling it stuck.
        // Asking twice would race with compilations that start in between: keep the answer seen.
        long deadline = System.nanoTime() + 60_000_000_000L;
        boolean idle = jit.idle();
        while (!idle && System.nanoTime() < deadline) {
            Thread.sleep(50);
            idle = jit.idle();
        }
        assertTrue(idle, "the JIT never went idle (or its queue report is misread)");
        assertTrue(jit.compileMillis() >= before);
    }
}
