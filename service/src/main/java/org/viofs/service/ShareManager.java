package org.viofs.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.viofs.bridge.TransportException;
import org.viofs.fuse.Errno;
import org.viofs.fuse.Opcode;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;

/**
 * Owns every share (issue 8 §1): device (interface path, tag) → its settings → transport →
 * {@link FuseVolume} (INIT) → WinFsp mount, with the drive WinFsp used fed back to the volume.
 *
 * <p>Events come from the SCM shell, the device notifications or a test: {@link #deviceArrived},
 * {@link #queryRemove} (unmount and close the handle before returning; never veto),
 * {@link #queryRemoveFailed} (open and mount again), {@link #removeComplete}, transport loss (seen by
 * the share's {@link ShareTransport}: unmount, state LOST, retry with {@link Backoff} on the injected
 * {@link Scheduler}) and {@link #stop} (unmount everything within the wait hint).
 *
 * <p>Each share has its own worker thread, so a slow mount or a failing device never holds up the
 * others. Event methods return at once (except query-remove, which waits, bounded, until the handle is
 * closed, and stop); they are safe to call from any thread, notification callbacks included. Per-handle
 * removal watches are closed on the worker, never inside a notification callback.
 */
public final class ShareManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ShareManager.class.getName());
    /** How long query-remove waits for the unmount before it lets Windows go on. */
    static final Duration QUERY_REMOVE_WAIT = Duration.ofSeconds(20);

    private final DeviceAccess devices;
    private final Mounter mounter;
    private final SettingsStore store;
    private final SettingsLayer commandLine;
    private final String onlyTag;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Map<String, Share> shares = new LinkedHashMap<>();
    private final AtomicInteger threadIds = new AtomicInteger();
    private boolean stopped;

    /**
     * @param commandLine the top settings layer (empty for the service)
     * @param onlyTag     serve only the device with this tag ({@code viofs mount -t}), or null for all
     */
    public ShareManager(DeviceAccess devices, Mounter mounter, SettingsStore store, SettingsLayer commandLine,
                        String onlyTag, Scheduler scheduler, Clock clock) {
        this.devices = devices;
        this.mounter = mounter;
        this.store = store;
        this.commandLine = commandLine;
        this.onlyTag = onlyTag;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Opens and mounts every device present now; with none the manager simply waits for arrivals. */
    public void start() {
        List<String> present;
        try {
            present = devices.presentDevices();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "cannot enumerate the virtio-fs devices; waiting for arrivals", e);
            present = List.of();
        }
        if (present.isEmpty()) {
            LOG.log(Level.INFO, "no virtio-fs device is present; waiting for one to arrive");
        }
        present.forEach(this::deviceArrived);
    }

    // ================================================================== events

    /** A device interface arrived (or was present at start). */
    public void deviceArrived(String path) {
        Share s;
        synchronized (this) {
            if (stopped) {
                return;
            }
            s = shares.computeIfAbsent(path, p -> new Share(p, threadIds.incrementAndGet()));
        }
        s.submit(() -> {
            if (s.state == ShareState.MOUNTED || s.state == ShareState.MOUNTING) {
                return; // a second arrival of a device we serve (the anchor re-ran its arrival path here)
            }
            s.cancelRetry();
            attempt(s);
        });
    }

    /**
     * Windows asks whether the device may go: unmount and close its handle, then return; the removal
     * is never vetoed. Waits at most {@link #QUERY_REMOVE_WAIT}.
     */
    public void queryRemove(String path) {
        Share s = find(path);
        if (s == null) {
            return;
        }
        s.abortTransport(); // fails a mount in progress at once instead of waiting for its timeout
        Future<?> done = s.submit(() -> {
            s.cancelRetry();
            s.teardown(false);
            s.setState(ShareState.REMOVE_PENDING, null);
        });
        await(done, QUERY_REMOVE_WAIT, "query-remove of " + s.label());
    }

    /** The removal was vetoed by someone else: open and mount again. */
    public void queryRemoveFailed(String path) {
        Share s = find(path);
        if (s == null) {
            return;
        }
        s.submit(() -> {
            s.closeWatch();
            if (s.state == ShareState.REMOVE_PENDING || s.state == ShareState.REMOVED) {
                attempt(s);
            }
        });
    }

    /** The device is gone (handle notification or interface removal). */
    public void removeComplete(String path) {
        Share s = find(path);
        if (s == null) {
            return;
        }
        s.abortTransport();
        s.submit(() -> {
            s.cancelRetry();
            s.teardown(true);
            s.setState(ShareState.REMOVED, null);
        });
    }

    /**
     * Unmounts every share, each on its own worker, waiting at most {@code waitHint} in all; later events
     * are ignored. Returns the shares that did not finish in time (tags or paths).
     */
    public List<String> stop(Duration waitHint) {
        List<Share> all;
        synchronized (this) {
            if (stopped) {
                return List.of();
            }
            stopped = true;
            all = new ArrayList<>(shares.values());
        }
        Map<Share, Future<?>> pending = new LinkedHashMap<>();
        for (Share s : all) {
            s.cancelRetry();
            pending.put(s, s.submit(() -> {
                s.teardown(true);
                s.setState(ShareState.STOPPED, null);
            }));
        }
        long deadline = System.nanoTime() + waitHint.toNanos();
        List<String> late = new ArrayList<>();
        pending.forEach((s, f) -> {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!await(f, Duration.ofNanos(left), "stop of " + s.label())) {
                late.add(s.label());
            }
            s.worker.shutdown();
        });
        return late;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    // ================================================================== status

    /** Every share as it stands now. */
    public synchronized List<ShareStatus> snapshot() {
        List<ShareStatus> out = new ArrayList<>();
        for (Share s : shares.values()) {
            out.add(s.status());
        }
        return out;
    }

    /** The share of this device as it stands now, or null. */
    public ShareStatus status(String path) {
        Share s = find(path);
        return s == null ? null : s.status();
    }

    /**
     * Waits until the share of {@code path} is in {@code state}, at most {@code timeout}; returns whether
     * it got there. A condition wait on state changes, for the console, tests and the SCM's check points.
     */
    public boolean awaitState(String path, ShareState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                Share s = shares.get(path);
                if (s != null && s.state == state) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Whether no share is MOUNTING (for the SCM's START_PENDING check points). */
    public synchronized boolean settled() {
        return shares.values().stream().noneMatch(s -> s.state == ShareState.MOUNTING);
    }

    private synchronized Share find(String path) {
        return shares.get(path);
    }

    private static boolean await(Future<?> f, Duration wait, String what) {
        try {
            f.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, what + " did not finish within " + wait.toMillis() + " ms");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(Level.ERROR, what + " failed", e.getCause());
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return true;
        }
    }

    // ================================================================== the work, on the share's worker

    private void attempt(Share s) {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        s.setState(ShareState.MOUNTING, null);
        int generation = s.generation.incrementAndGet();
        try {
            DeviceAccess.OpenedDevice dev = devices.open(s.path);
            s.watch = dev.removalWatch();
            s.transport = ShareTransport.over(dev.transport(), e -> s.submit(() -> lost(s, generation, e)));
            s.tag = dev.transport().device().tag();
            if (onlyTag != null && !onlyTag.equals(s.tag)) {
                s.teardown(true);
                s.setState(ShareState.DISABLED, "not the tag asked for (" + onlyTag + ")");
                return;
            }
            ShareSettings settings = store.settingsFor(s.tag, commandLine);
            s.settings = settings.describeNonDefaults();
            if (settings.disabled()) {
                s.teardown(true);
                s.setState(ShareState.DISABLED, "Disabled (" + settings.source(Setting.DISABLED) + ")");
                LOG.log(Level.INFO, "[{0}] disabled by its settings; not mounted", s.tag);
                return;
            }
            boolean xattrs = decideXattrs(settings);
            LetterAllocator.Choice letter = chooseLetter(s, settings);
            if (letter.warning() != null) {
                LOG.log(Level.WARNING, "[{0}] {1}", s.tag, letter.warning());
            }
            s.letter = letter.letter();
            VolumeConfig config = settings.volumeConfig(letter.letter(), xattrs);
            s.stack = ShareStack.builder().transport(s.transport).listener(s.transport.counter()).volume(config)
                    .open();
            s.volume = s.stack.volume();
            requireXattrs(settings, s.volume);
            s.mounted = mounter.mount(s.volume, settings.mountOptions(s.volume, letter.letter()));
            String drive = s.mounted.mountPoint();
            s.volume.mountedAt(drive != null && drive.matches("[A-Za-z]:") ? drive : null);
            s.letter = drive;
            if (drive != null && drive.matches("[A-Za-z]:")) {
                store.rememberMountPoint(s.tag, drive);
            }
            s.failures = 0;
            s.setState(ShareState.MOUNTED, null);
            LOG.log(Level.INFO, "[{0}] mounted on {1}", s.tag, drive);
        } catch (RuntimeException | Error e) {
            s.teardown(false);
            if (s.generation.get() != generation || isStopped()) {
                return; // removed or stopped meanwhile; that event sets the state
            }
            fail(s, ShareState.FAILED, e);
        }
    }

    private void lost(Share s, int generation, TransportException e) {
        if (s.generation.get() != generation || s.state != ShareState.MOUNTED) {
            return; // an older mount, or the attempt itself failed and handles it
        }
        s.teardown(false);
        fail(s, ShareState.LOST, e);
    }

    private void fail(Share s, ShareState state, Throwable e) {
        s.failures++;
        s.errors++;
        String message = describe(e);
        Duration delay = Backoff.delay(s.failures);
        LOG.log(Level.WARNING, "[{0}] {1}: {2}; next attempt in {3} s", s.label(), state == ShareState.LOST
                ? "lost" : "mount failed", message, delay.toSeconds());
        int generation = s.generation.get();
        // the retry runs on this worker, so it cannot start before the state below is set
        s.retry = scheduler.schedule(delay, () -> s.submit(() -> {
            if (s.generation.get() == generation && (s.state == ShareState.FAILED || s.state == ShareState.LOST)) {
                attempt(s);
            }
        }));
        s.setState(state, message);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    /**
     * Whether the volume is asked for the xattr features: "off" never; "auto" and "on" ask, and the
     * volume's own write probe at INIT ({@link org.viofs.volume.ShareCapabilities}) turns them off when
     * the share cannot store {@code user.*} attributes. No request of its own.
     */
    private static boolean decideXattrs(ShareSettings settings) {
        return !"off".equals(settings.xattr());
    }

    /** "on" is a requirement: a share that cannot keep the attributes fails with the probe's finding. */
    private static void requireXattrs(ShareSettings settings, FuseVolume volume) {
        if ("on".equals(settings.xattr()) && !volume.config().xattrs()) {
            throw new IllegalStateException("Xattr is on, but the share cannot store extended attributes ("
                    + volume.capabilities().detail() + "); set Xattr to auto to mount it without them");
        }
    }

    private LetterAllocator.Choice chooseLetter(Share s, ShareSettings settings) {
        Set<Character> inUse = new HashSet<>(devices.lettersInUse());
        Set<Character> claimed = new HashSet<>();
        synchronized (this) {
            for (Share o : shares.values()) {
                if (o != s && o.letter != null && (o.state == ShareState.MOUNTED || o.state == ShareState.MOUNTING)) {
                    inUse.add(o.letter.charAt(0));
                }
            }
        }
        for (String tag : store.configuredTags()) {
            if (tag.equals(s.tag)) {
                continue;
            }
            try {
                String mp = store.settingsFor(tag, SettingsLayer.empty("none")).mountPoint();
                if (mp != null) {
                    claimed.add(mp.charAt(0));
                }
            } catch (IllegalArgumentException e) {
                // that tag's own mount reports its bad value
            }
            store.lastMountPoint(tag).ifPresent(l -> claimed.add(Character.toUpperCase(l.charAt(0))));
        }
        Optional<String> remembered = store.lastMountPoint(s.tag);
        return LetterAllocator.choose(settings.mountPoint(), settings.strictMountPoint(), remembered, inUse, claimed);
    }

    // ================================================================== one share

    private final class Share {
        final String path;
        final ExecutorService worker;
        final AtomicInteger generation = new AtomicInteger();
        // written on the worker; read by snapshot() under the manager's lock (volatile for the rest)
        volatile ShareState state;
        volatile Instant since;
        volatile String tag;
        volatile String letter;
        volatile String lastError;
        volatile long errors;
        volatile List<String> settings = List.of();
        volatile ShareTransport transport;
        int failures;
        ShareStack stack;
        FuseVolume volume;
        Mounter.Mounted mounted;
        AutoCloseable watch;
        volatile Scheduler.Cancellable retry;
        final Map<Integer, Long> requestsOfEarlierMounts = new java.util.concurrent.ConcurrentHashMap<>();

        Share(String path, int id) {
            this.path = path;
            this.worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "viofs-share-" + id);
                t.setDaemon(true);
                return t;
            });
        }

        String label() {
            return tag != null ? tag : path;
        }

        Future<?> submit(Runnable r) {
            try {
                return worker.submit(() -> {
                    try {
                        r.run();
                    } catch (RuntimeException | Error e) {
                        LOG.log(Level.ERROR, "[" + label() + "] unexpected failure", e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        }

        void setState(ShareState s, String error) {
            synchronized (ShareManager.this) {
                state = s;
                since = clock.instant();
                if (error != null) {
                    lastError = error;
                }
                ShareManager.this.notifyAll();
            }
        }

        void cancelRetry() {
            Scheduler.Cancellable r = retry;
            retry = null;
            if (r != null) {
                r.cancel();
            }
            generation.incrementAndGet();
        }

        /** Closes the device transport from any thread, so a request in progress fails now. */
        void abortTransport() {
            generation.incrementAndGet();
            ShareTransport t = transport;
            if (t != null) {
                t.close();
            }
        }

        /** Unmount → DESTROY → close the device; the removal watch too when {@code closeWatch}. */
        void teardown(boolean closeWatch) {
            if (mounted != null) {
                try {
                    mounted.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "[" + label() + "] unmount failed", e);
                }
                mounted = null;
            }
            ShareTransport t = transport;
            if (stack != null) {
                try {
                    volume.mountedAt(null);
                    stack.close(); // DESTROY, then the transport
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "[" + label() + "] DESTROY failed: " + e);
                }
                stack = null;
                volume = null;
            }
            if (t != null) {
                t.requests().forEach((op, n) -> requestsOfEarlierMounts.merge(op, n, Long::sum));
                t.close();
                transport = null;
            }
            if (closeWatch) {
                closeWatch();
            }
        }

        void closeWatch() {
            AutoCloseable w = watch;
            watch = null;
            if (w != null) {
                try {
                    w.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "[" + label() + "] cannot unregister the device notification", e);
                }
            }
        }

        ShareStatus status() {
            Map<Integer, Long> byCode = new TreeMap<>(requestsOfEarlierMounts);
            ShareTransport t = transport;
            if (t != null) {
                t.requests().forEach((op, n) -> byCode.merge(op, n, Long::sum));
            }
            Map<String, Long> byName = new LinkedHashMap<>();
            byCode.forEach((op, n) -> {
                Opcode o = Opcode.of(op);
                byName.put(o != null ? o.name() : "OPCODE_" + op, n);
            });
            boolean mountedNow = state == ShareState.MOUNTED;
            return new ShareStatus(path, tag, mountedNow ? letter : null, state, since, byName, errors, lastError,
                    settings);
        }
    }
}
