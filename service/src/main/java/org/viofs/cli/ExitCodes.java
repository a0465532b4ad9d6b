package org.viofs.cli;

import org.viofs.bridge.TransportException;
import org.viofs.bridge.vhostuser.UnsupportedDaemonOptionException;
import org.viofs.bridge.vhostuser.VirtiofsdNotFoundException;

import picocli.CommandLine;

/**
 * The exit codes of {@code viofs}, and the one place that turns exceptions into them.
 */
public final class ExitCodes {
    private ExitCodes() {
    }

    public static final int OK = 0;
    /** An unexpected failure (a bug): the stack trace is printed. */
    public static final int SOFTWARE = 1;
    /** Bad command-line usage (picocli's default). */
    public static final int USAGE = 2;
    /** The device or daemon could not be reached or went away. */
    public static final int TRANSPORT = 3;
    /** The check ran and found failures (e.g. conformance cases that failed). */
    public static final int CHECK_FAILED = 4;
    /** Something the command needs is not installed (virtiofsd, WinFsp). */
    public static final int MISSING_DEPENDENCY = 5;

    /** Thrown by commands for a failure the user can act on; printed without a stack trace. */
    public static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        public UserError(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    static final class ExceptionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            if (ex instanceof UserError ue) {
                cl.getErr().println("viofs: " + ue.getMessage());
                return ue.exitCode();
            }
            if (ex instanceof org.viofs.winfsp.WinFspNotInstalledException wf) {
                cl.getErr().println("viofs: " + wf.getMessage());
                return MISSING_DEPENDENCY;
            }
            if (ex instanceof VirtiofsdNotFoundException nf) {
                cl.getErr().println("viofs: " + nf.getMessage());
                return MISSING_DEPENDENCY;
            }
            if (ex instanceof UnsupportedDaemonOptionException uo) {
                cl.getErr().println("viofs: " + uo.getMessage());
                return USAGE;
            }
            if (ex instanceof TransportException te) {
                cl.getErr().println("viofs: transport failed: " + te.getMessage());
                return TRANSPORT;
            }
            cl.getErr().println("viofs: unexpected failure: " + ex);
            ex.printStackTrace(cl.getErr());
            return SOFTWARE;
        }
    }
}
