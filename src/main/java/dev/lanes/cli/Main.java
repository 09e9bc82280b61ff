package dev.lanes.cli;

import dev.lanes.InputException;
import dev.lanes.Lanes;
import dev.lanes.kernels.KernelsProvider;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lanes} command line: {@code java --add-modules jdk.incubator.vector -jar engine.jar <command>}. */
@Command(name = "lanes",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Lanes: neural networks on the JDK Vector API.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, CsvCommand.class, BenchCommand.class,
            InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad usage or bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for an internal error. */
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams, for tests and embedding.
     *
     * @param args the arguments
     * @param out  standard output
     * @param err  standard error
     * @return the exit status
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see --help)");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String name = cmd.getCommandSpec().qualifiedName();
            if (ex instanceof InputException) {
                cmd.getErr().println(name + ": " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println(name + ": internal error: " + ex);
            if (Boolean.getBoolean("lanes.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return EXIT_INTERNAL;
        });
        String kernels = KernelsProvider.configurationProblem();
        if (kernels != null) {
            err.println("lanes: " + kernels);
            return EXIT_BAD_INPUT;
        }
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** Supplies {@code --version} for every command. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Lanes " + Lanes.version()};
        }
    }
}
