package org.viofs.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sets up the service's log with the JDK's own facilities (issue 8 §4): the Event Log for warnings and
 * errors (as a service), the console (in a console), and when DebugLogFile is set a file rolled over by
 * {@link FileHandler} ({@value #FILE_LIMIT_BYTES} bytes, {@value #FILE_COUNT} files). DebugFlags other
 * than 0 make the log verbose (FINE) besides setting WinFsp's mask.
 */
public final class Logging {
    static final int FILE_LIMIT_BYTES = 10 << 20;
    static final int FILE_COUNT = 5;

    private Logging() {
    }

    /**
     * @param eventLog write warnings and errors to the Event Log
     * @param console  write to standard error
     * @param file     the log file ({@code -} = standard error), or null
     * @param debug    log FINE and above instead of INFO and above
     */
    public static void configure(boolean eventLog, boolean console, String file, boolean debug) {
        // read once, when SimpleFormatter is first loaded, which the root's default handlers may do
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Level level = debug ? Level.FINE : Level.INFO;
        root.setLevel(level);
        if (eventLog) {
            root.addHandler(new EventLogHandler());
        }
        if (console || "-".equals(file)) {
            ConsoleHandler c = new ConsoleHandler();
            c.setLevel(level);
            c.setFormatter(new SimpleFormatter());
            root.addHandler(c);
        }
        if (file != null && !"-".equals(file)) {
            root.addHandler(fileHandler(file, level));
        }
    }

    /** A rolling file: {@code file} then {@code file.1} … (the JDK's %g numbering). */
    static FileHandler fileHandler(String file, Level level) {
        try {
            FileHandler f = new FileHandler(file.replace("%", "%%") + ".%g", FILE_LIMIT_BYTES, FILE_COUNT, true);
            f.setLevel(level);
            f.setFormatter(new SimpleFormatter());
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + file, e);
        }
    }
}
