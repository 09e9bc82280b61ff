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
        description = "Lanes: neural networks on the JDK Vector API.")
public final class Main implements Runnable {

    /** Exit status for bad usage or bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for an internal error. */
    public static final int EXIT_INTERNAL = 1;

    /** The commands, in the order {@code --help} lists them. */
    private static final String[] NAMES = {"train", "eval", "predict", "csv", "bench", "info"};

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
        addCommands(cli, args.length > 0 ? args[0] : "");
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

    /**
     * Registers the command the arguments name, or every command when they name none (help, a typo).
     * Building a command's model costs picocli a reflective pass over its options: all six took
     * 260-300 ms at start-up against 200-230 ms for {@code train} alone (JDK 17, Zen 3), time that
     * every run of one command paid for the five it did not use.
     */
    private static void addCommands(CommandLine cli, String first) {
        Object named = command(first);
        if (named != null) {
            cli.addSubcommand(named);
            return;
        }
        for (String name : NAMES) {
            cli.addSubcommand(command(name));
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
    }

    private static Object command(String name) {
        switch (name) {
            case "train":
                return new TrainCommand();
            case "eval":
                return new EvalCommand();
            case "predict":
                return new PredictCommand();
            case "csv":
                return new CsvCommand();
            case "bench":
                return new BenchCommand();
            case "info":
                return new InfoCommand();
            default:
                return null;
        }
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
