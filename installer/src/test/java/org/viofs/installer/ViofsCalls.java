package org.viofs.installer;

import java.util.ArrayList;
import java.util.List;

import org.viofs.cli.ViofsCommand;

import picocli.CommandLine;

/**
 * Judges a {@code viofs} invocation found in a script against the real picocli model
 * ({@link ViofsCommand#commandLine()}, with every plugin): picocli parses the arguments exactly as it
 * would at run time, without running anything.
 */
final class ViofsCalls {
    /** What stands in for an argument the script computes (a variable, a path): valid as a String, Path or int. */
    static final String STAND_IN = "1";

    /**
     * Issue 8's service commands, which the scripts call and which the model on this branch does not
     * have yet (the service work lands them). While one is absent from the model, a call to it is
     * printed as NOT JUDGED instead of failing; once the model has it, it is judged in full.
     */
    static final java.util.Set<String> PENDING = java.util.Set.of("install", "uninstall", "start", "stop", "status");

    private ViofsCalls() {
    }

    /** True when the call's subcommand is one of {@link #PENDING} and the model lacks it. */
    static boolean pending(List<Arg> args) {
        return !args.isEmpty() && PENDING.contains(args.get(0).value()) && !subcommands().contains(args.get(0).value());
    }

    /** One argument as the scan saw it. */
    record Arg(String text, boolean literal) {
        String value() {
            return literal ? text : STAND_IN;
        }
    }

    /**
     * @return null when picocli accepts the arguments, else its message
     */
    static String problem(List<Arg> args) {
        List<String> values = new ArrayList<>();
        for (Arg a : args) {
            values.add(a.value());
        }
        if (values.isEmpty()) {
            return "no arguments: a bare viofs only prints its usage";
        }
        try {
            CommandLine.ParseResult parsed = ViofsCommand.commandLine().parseArgs(values.toArray(String[]::new));
            if (!parsed.hasSubcommand()) {
                return "no subcommand in " + values;
            }
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    /** The names of the root command's subcommands. */
    static List<String> subcommands() {
        return new ArrayList<>(ViofsCommand.commandLine().getSubcommands().keySet());
    }
}
