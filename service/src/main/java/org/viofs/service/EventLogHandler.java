package org.viofs.service;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.WinNT;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Writes warnings and errors to the Windows Event Log (Application log, source
 * {@value ServiceNames#EVENT_SOURCE}, registered by {@code viofs install}). The share manager puts the
 * share's tag in every message ("[tag] …"). Windows-only, never run yet (README).
 */
public final class EventLogHandler extends Handler {
    /** The event id of every entry; the registered message file shows the text as it is (docs/service.md §4). */
    static final int EVENT_ID = 1000;
    private final WinNT.HANDLE source;

    public EventLogHandler() {
        source = Advapi32.INSTANCE.RegisterEventSource(null, ServiceNames.EVENT_SOURCE);
        setLevel(Level.WARNING);
        setFormatter(new SimpleFormatter());
    }

    /** The Event Log type of a JDK level: SEVERE → error, WARNING → warning, else information. */
    static int eventType(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return ScmConstants.EVENTLOG_ERROR_TYPE;
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return ScmConstants.EVENTLOG_WARNING_TYPE;
        }
        return ScmConstants.EVENTLOG_INFORMATION_TYPE;
    }

    /**
     * The message with the share it is about: the share manager writes "[tag] …" itself; a message from a
     * WinFsp dispatcher thread (named {@code winfsp-dispatcher-<tag>}) gets the tag from the thread.
     */
    static String withShare(String message, String threadName) {
        String prefix = org.viofs.winfsp.WinFspHost.DISPATCHER_THREAD_NAME + "-";
        if (!message.startsWith("[") && threadName.startsWith(prefix)) {
            return "[" + threadName.substring(prefix.length()) + "] " + message;
        }
        return message;
    }

    @Override
    public void publish(LogRecord record) {
        if (source == null || !isLoggable(record)) {
            return;
        }
        String text = withShare(getFormatter().formatMessage(record), Thread.currentThread().getName());
        if (record.getThrown() != null) {
            text = text + "\n" + record.getThrown();
        }
        Advapi32.INSTANCE.ReportEvent(source, eventType(record.getLevel()), 0, EVENT_ID, null, 1, 0,
                new String[] {text}, null);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        if (source != null) {
            Advapi32.INSTANCE.DeregisterEventSource(source);
        }
    }
}
