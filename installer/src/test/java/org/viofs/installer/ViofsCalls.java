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

    private ViofsCalls() {
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
