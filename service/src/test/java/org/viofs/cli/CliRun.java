package org.viofs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/**
 * One {@code viofs} command run in-process for a test, as {@code bin/viofs} would run it: exit code and
 * what it printed.
 */
public record CliRun(int exit, String out, String err) {
    /** Runs {@code viofs args…} with the real command line (exception handler and exit codes included). */
    public static CliRun of(String... args) {
        CommandLine cl = ViofsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
