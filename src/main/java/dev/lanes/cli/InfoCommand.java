package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lanes info}: what this JVM and machine give Lanes. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Show the Lanes version, the JDK, the kernels in use and the processors.")
final class InfoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Kernels kernels = KernelsProvider.get();
        out.println("Lanes      " + Lanes.version());
        out.println("JDK        " + System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vendor") + ")");
        out.println("VM         " + System.getProperty("java.vm.name"));
        out.println("kernels    " + kernels.description());
        String reason = KernelsProvider.vectorUnavailableReason();
        if (reason != null) {
            out.println("           vector kernels unavailable: " + reason);
        }
        out.println("processors " + Runtime.getRuntime().availableProcessors());
        out.println("max heap   " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        out.flush();
        return 0;
    }
}
