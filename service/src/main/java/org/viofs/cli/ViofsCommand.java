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
        description = {"virtio-fs shares of a KVM/QEMU guest as Windows drive letters (viofs.sys from virtio-win,"
                + " WinFsp). On Windows: install the service, then every share is mounted on its own letter. On Linux:"
                + " checks and benchmarks against a real virtiofsd.", ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit codes: 0 ok, 1 unexpected failure, 2 bad usage, 3 device or daemon lost, 4 a check found"
                + " failures, 5 something needed is not installed (or not Windows).",
                "Run 'viofs help COMMAND' for a command's options."},
        subcommands = {ServiceCommands.ListDevices.class, ServiceCommands.Mount.class, ServiceCommands.Status.class,
                ServiceCommands.Service.class, ScmCommands.Install.class, ScmCommands.Uninstall.class,
                ScmCommands.Start.class, ScmCommands.Stop.class, ProbeCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
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
