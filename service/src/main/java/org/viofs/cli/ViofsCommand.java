package org.viofs.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code viofs} root command. Subcommands are listed here or contributed through
 * {@link CommandPlugin}. Only {@link #main} calls {@link System#exit}.
 */
@Command(name = "viofs",
        mixinStandardHelpOptions = true,
        versionProvider = ViofsCommand.Version.class,
        description = "virtio-fs shares as Windows drive letters (WinFsp); on Linux, checks and benchmarks against a real virtiofsd.",
        subcommands = {ProbeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class ViofsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        spec.commandLine().usage(out);
    }

    /** Builds the command line with every subcommand, ready for {@code execute}. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ViofsCommand());
        for (CommandPlugin plugin : ServiceLoader.load(CommandPlugin.class)) {
            cl.addSubcommand(plugin.name(), plugin.newCommand());
        }
        cl.setExecutionExceptionHandler(new ExitCodes.ExceptionHandler());
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reports the version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ViofsCommand.class.getPackage().getImplementationVersion();
            return new String[] {"viofs " + (v == null ? "development" : v)};
        }
    }
}
