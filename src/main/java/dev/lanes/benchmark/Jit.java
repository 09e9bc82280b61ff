package dev.lanes.benchmark;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the JIT compiler is doing, as far as the running JVM tells: the total time it has spent
 * compiling, and (on HotSpot, through the {@code Compiler.queue} diagnostic command) whether it is
 * compiling or has methods queued right now. Warm-up waits for both to go quiet: a method that is
 * queued or being compiled still runs in the interpreter or at a lower tier, and timing it then would
 * measure the compiler's backlog rather than the code. (Not final: tests script a compiler.)
 */
class Jit {

    private final CompilationMXBean compilation;
    private final MBeanServer server;
    private final ObjectName diagnostics;

    Jit() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        compilation = bean != null && bean.isCompilationTimeMonitoringSupported() ? bean : null;
        MBeanServer s = null;
        ObjectName n = null;
        try {
            s = ManagementFactory.getPlatformMBeanServer();
            n = new ObjectName("com.sun.management:type=DiagnosticCommand");
            if (!s.isRegistered(n)) {
                n = null;
            }
        } catch (JMException | RuntimeException | LinkageError e) {
            n = null;
        }
        server = s;
        diagnostics = n;
    }

    /** @return milliseconds spent compiling so far in this JVM, or 0 when the JVM does not say */
    long compileMillis() {
        return compilation == null ? 0 : compilation.getTotalCompilationTime();
    }

    /** @return whether no compilation is running or queued (true when the JVM cannot tell) */
    boolean idle() {
        if (diagnostics == null) {
            return true;
        }
        try {
            Object queue = server.invoke(diagnostics, "compilerQueue", new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
            return queue instanceof String && isIdle((String) queue);
        } catch (JMException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Reads the {@code Compiler.queue} report: a "Current compiles" section naming each compiler thread
     * at work, then one queue per compiler listing a compile id per queued method, or "Empty".
     */
    static boolean isIdle(String report) {
        for (String line : report.split("\n")) {
            String l = line.trim();
            if (l.contains("CompilerThread") || (!l.isEmpty() && Character.isDigit(l.charAt(0)))) {
                return false;
            }
        }
        return true;
    }
}
