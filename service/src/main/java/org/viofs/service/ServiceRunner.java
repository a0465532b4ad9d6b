package org.viofs.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.viofs.winfsp.WinFspHost;
import org.viofs.winfsp.WinFspLibrary;

/**
 * The running product: a {@link ShareManager} over the devices, its device notifications and its
 * status channel. Used by the SCM entry point, {@code viofs service --console} and {@code viofs mount}.
 * {@link #stop} unmounts everything.
 */
public final class ServiceRunner {
    private static final System.Logger LOG = System.getLogger(ServiceRunner.class.getName());
    /** How long stop may take in all: within the SCM's usual 20 s shutdown allowance. */
    public static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final String name;
    private final Instant since;
    private final ShareManager manager;
    private final Runnable unwatch;
    private StatusChannel.Server status;

    ServiceRunner(String name, Instant since, ShareManager manager, Runnable unwatch) {
        this.name = name;
        this.since = since;
        this.manager = manager;
        this.unwatch = unwatch;
    }

    /**
     * Starts on Windows: loads WinFsp, registers for device events, mounts what is present (or waits),
     * opens the status pipe. Returns once every present device has been handed to its worker.
     *
     * @param onlyTag only this tag ({@code viofs mount -t}), or null
     */
    public static ServiceRunner startOnWindows(String name, SettingsStore store, SettingsLayer commandLine,
                                               String onlyTag) {
        WinFspLibrary lib = WinFspLibrary.load();
        WindowsDevices devices = new WindowsDevices();
        ShareManager manager = new ShareManager(devices, Mounter.winFsp(lib, WinFspHost::nowAsFileTime), store,
                commandLine, onlyTag, Scheduler.system(), Clock.systemUTC());
        devices.watch(manager); // before enumerating, so no arrival falls between the two
        ServiceRunner r = new ServiceRunner(name, Instant.now(), manager, devices::unwatch);
        manager.start();
        try {
            r.status = StatusChannel.listenOnPipe(ServiceNames.STATUS_PIPE, r::report);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no status channel: " + e.getMessage());
        }
        return r;
    }

    /** For tests and other front ends: a manager already built, with an optional status channel. */
    public static ServiceRunner over(String name, ShareManager manager, Instant since) {
        return new ServiceRunner(name, since, manager, () -> { });
    }

    /** Answers {@code viofs status} on this Unix socket too (Linux, tests). */
    public void listenOnSocket(java.nio.file.Path socket) {
        status = StatusChannel.listenOnSocket(socket, this::report);
    }

    public ShareManager manager() {
        return manager;
    }

    /** The report the status channel serves. */
    public StatusReport report() {
        return new StatusReport(name, since, manager.snapshot());
    }

    /** Unregisters device events, unmounts every share (within {@code wait}), closes the channel. */
    public synchronized List<String> stop(Duration wait) {
        unwatch.run();
        List<String> late = manager.stop(wait);
        if (status != null) {
            status.close();
            status = null;
        }
        if (!late.isEmpty()) {
            LOG.log(Level.WARNING, "not unmounted within " + wait.toSeconds() + " s: " + late);
        }
        return late;
    }
}
