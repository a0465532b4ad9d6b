package org.viofs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
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
        description = "virtio-fs shares as Windows drive letters through WinFsp. These commands check and benchmark a "
                + "share against a real virtiofsd on Linux; conformance also runs winfsp-tests on Windows.",
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

    /** Reports the project version the build wrote into {@code version.properties} (see service/pom.xml). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"viofs " + projectVersion()};
        }
    }

    /** The Maven project version of this build; fails loudly when the resource was not filtered. */
    static String projectVersion() {
        Properties p = new Properties();
        try (InputStream in = ViofsCommand.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        String v = p.getProperty("version", "");
        if (v.isEmpty() || v.contains("${")) {
            throw new IllegalStateException("version.properties was not filled in by the build: " + v);
        }
        return v;
    }
}
