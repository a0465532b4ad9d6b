package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.volume.FileInfoMapper;
import org.viofs.fuse.FuseClient;
import org.viofs.volume.DirInfo;
import org.viofs.volume.FuseVolume;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.VolumeConfig;

/**
 * A seeded random Windows workload through the conformance facade against the real virtiofsd, in
 * the three volume modes, checked after every step against a model of the tree and against the
 * host directory itself: create, open several handles per file, write anywhere, read, set end of
 * file and allocation size, set LastWriteTime, toggle READONLY, rename with and without replace
 * (files and directories), delete, remove directories, list, close. Listing threads run beside it
 * on the same facade, i.e. the same FSD and DLL as on Windows, where Explorer's refresh and the
 * program share them: a listing's pages interleave with renames and deletes as the FSD allows
 * (docs/volume-semantics.md §2), and the listers' handles have the effects they have there: a
 * rename onto a name a lister holds open is refused (ACCESS_DENIED, docs/volume-semantics.md §3.1;
 * the writer retries it after the next close) and a delete stays pending until the lister closes
 * (the writer waits for that before it checks the host).
 *
 * <p>System properties: {@code viofs.workload.seed} (a number, or {@code random}; default fixed per
 * mode), {@code viofs.workload.steps} (default {@value #DEFAULT_STEPS}), {@code viofs.workload.minutes}
 * (run for that long instead, e.g. 10), {@code viofs.workload.listers} (default 2),
 * {@code viofs.workload.mode} (only that mode: PLAIN, CASE_INSENSITIVE or XATTR). A divergence fails
 * with the mode, seed and step, the last operations and the command that replays it; the writer's
 * operations replay exactly from the seed (the listers' timing does not; with
 * {@code -Dviofs.workload.listers=0} a replay is fully deterministic). Each mode is bounded by its
 * own timeout (the steps or minutes asked for, plus slack) instead of the suite's 60 s, and setting
 * {@code viofs.workload.minutes} activates the module's profile that lifts the per-JVM bound:
 * <pre>
 * mvn -B -ntp -o -pl winfsp-tests -am verify -Dit.test=RandomWorkloadIT -Dtest=skip \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dviofs.it.flavour=c -Dviofs.it.flavour2.skip=true \
 *     -Dviofs.workload.mode=XATTR -Dviofs.workload.minutes=10 -Dviofs.workload.seed=random
 * </pre>
 */
class RandomWorkloadIT {
    static final int DEFAULT_STEPS = 300;
    /** Open handles the model keeps at most. */
    static final int MAX_HANDLES = 8;
    /** Host clock slack for "the close stamped now". */
    static final Duration NOW_SLACK = Duration.ofMinutes(5);
    static final String[] NAMES = {"a", "b", "c", "e.txt", "F.txt", "Mixed"};
    static final String[] DIRS = {"d1", "d2"};
    static final int SHARE_ALL = Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE;
    static final int RW = Win32.GENERIC_READ | Win32.GENERIC_WRITE;
    /** How long the writer waits for a lister's close (a listing of a few names takes milliseconds). */
    static final long LISTER_CLOSE_WAIT_MS = TimeUnit.SECONDS.toMillis(30);
    /** How often one rename is tried again while listers hold its target. */
    static final int MAX_RENAME_TRIES = 200;

    /**
     * ERROR_DIRECTORY (winerror.h 267), a listing of a name that is not a directory: a lister may
     * meet it while a directory replaces a file (the host swaps the two names, then unlinks the file:
     * docs/volume-semantics.md "Rename onto an existing name").
     */
    static final int ERROR_DIRECTORY = 267;

    enum Mode { PLAIN, CASE_INSENSITIVE, XATTR }

    @TempDir
    Path dir;

    /**
     * One dynamic test per mode, each bounded by {@link #bound} rather than the suite's default
     * timeout (which does not apply to dynamic tests): a ten-minute run needs more than 60 s.
     */
    @TestFactory
    Stream<DynamicTest> randomOperationsMatchTheModelAndTheHost() {
        String only = System.getProperty("viofs.workload.mode");
        List<Mode> modes = new ArrayList<>();
        for (Mode m : Mode.values()) {
            if (only == null || only.equalsIgnoreCase(m.name())) {
                modes.add(m);
            }
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("viofs.workload.mode=" + only + " names no mode; use one of "
                    + Arrays.toString(Mode.values()));
        }
        Settings settings = Settings.fromSystemProperties();
        return modes.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            AtomicReference<Run> current = new AtomicReference<>();
            assertTimeoutPreemptively(settings.bound(), () -> run(m, settings, current), () -> {
                Run r = current.get();
                return "mode " + m + " ran out of its bound " + settings.bound() + (r == null ? " before its first step"
                        : " at seed=" + r.seed + " step=" + r.step + "\nreplay: " + r.replayCommand());
            });
        }));
    }

    /** What the system properties ask for. */
    record Settings(String seed, int steps, long minutes, int listers) {
        static Settings fromSystemProperties() {
            int steps = Integer.getInteger("viofs.workload.steps", DEFAULT_STEPS);
            long minutes = Long.getLong("viofs.workload.minutes", 0);
            int listers = Integer.getInteger("viofs.workload.listers", 2);
            if (steps < 1 || minutes < 0 || listers < 0) {
                throw new IllegalArgumentException("viofs.workload.steps must be at least 1, minutes and listers at "
                        + "least 0: steps=" + steps + " minutes=" + minutes + " listers=" + listers);
            }
            return new Settings(System.getProperty("viofs.workload.seed"), steps, minutes, listers);
        }

        long seedFor(Mode mode) {
            return seed == null ? 13 + mode.ordinal() : seed.equals("random") ? System.nanoTime() : Long.parseLong(seed);
        }

        /** One mode's bound: the minutes asked for plus five, or 60 s plus 10 ms a step. */
        Duration bound() {
            return minutes > 0 ? Duration.ofMinutes(minutes + 5) : Duration.ofSeconds(60).plusMillis(10L * steps);
        }
    }

    private void run(Mode mode, Settings settings, AtomicReference<Run> current) throws Exception {
        long seed = settings.seedFor(mode);
        Path host = Files.createDirectory(dir.resolve(mode.name().toLowerCase(Locale.ROOT)));
        VolumeConfig config = VolumeConfig.builder().caseInsensitive(mode == Mode.CASE_INSENSITIVE)
                .xattrs(mode == Mode.XATTR).mountPoint(Win32Facade.DRIVE).build();
        try (VirtiofsdFixture fixture = VirtiofsdFixture.start(host, VirtiofsdFixture.options()
                .xattr(mode == Mode.XATTR).logLevel(VirtiofsdLauncher.LogLevel.WARN).build(), VirtiofsdFixture.TEST_CONFIG);
             FuseVolume volume = FuseVolume.mount(o -> FuseClient.init(fixture.transport(), o), config)) {
            FacadeOptions options = ConformanceTarget.optionsFor(config);
            long fdsBefore = openFds(fixture.daemonPid());
            // one facade: the writer and the listers share one FSD and one DLL, as programs on Windows do
            Win32Facade facade = new Win32Facade(volume, options);
            Run run = new Run(mode, seed, facade, host, config.caseInsensitive(), settings.listers());
            current.set(run);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong listings = new AtomicLong();
            AtomicLong multiPage = new AtomicLong();
            ConcurrentLinkedQueue<String> listerProblems = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < settings.listers(); i++) {
                Random lr = new Random(seed * 31 + i);
                Thread t = new Thread(() -> list(facade, lr, stop, listings, multiPage, listerProblems), "lister-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            long minutes = settings.minutes();
            long deadline = minutes > 0 ? System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes) : Long.MAX_VALUE;
            try {
                for (int step = 0; minutes > 0 ? System.nanoTime() < deadline : step < settings.steps(); step++) {
                    run.checkedStep(step);
                    if (!listerProblems.isEmpty()) {
                        throw run.divergence("a listing thread: " + listerProblems.peek(), null);
                    }
                    if (step % 16 == 0) {
                        volume.dropCaches(); // the next steps look names up again (LOOKUP, listing races)
                    }
                }
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
            run.closeAll();
            run.checkHost("after closing every handle");
            volume.dropCaches();
            long fdsAfter = openFds(fixture.daemonPid());
            System.out.printf(Locale.ROOT, "workload mode=%s seed=%d steps=%d operations=%d listings=%d "
                            + "(of several requests: %d) renames retried after a lister's close=%d deletes done at a "
                            + "lister's close=%d daemon fds before=%d after=%d%n", mode, seed, run.steps, run.operations,
                    listings.get(), multiPage.get(), run.renameRetries, run.deferredDeletes, fdsBefore, fdsAfter);
            if (fdsBefore != fdsAfter) {
                throw run.divergence("the daemon's open file count went from " + fdsBefore + " to " + fdsAfter, null);
            }
        }
    }

    /**
     * One lister: lists the root and the directories, looks names up, until told to stop. Half of its
     * listings are FindFirstFile/FindNextFile (one request for these few names), half walk an open
     * directory in pages of {@value #LISTER_PAGE_ENTRIES} entries, so renames and deletes also run
     * between the requests of one listing (docs/volume-semantics.md §2).
     */
    private static void list(Win32Facade f, Random r, AtomicBoolean stop, AtomicLong listings, AtomicLong multiPage,
                             ConcurrentLinkedQueue<String> problems) {
        while (!stop.get()) {
            try {
                String d = r.nextInt(3) == 0 ? "" : "\\" + DIRS[r.nextInt(DIRS.length)];
                if (r.nextBoolean()) {
                    findAll(f, d, problems);
                } else {
                    if (listInPages(f, d, problems) > 1) {
                        multiPage.incrementAndGet();
                    }
                }
                f.getFileAttributes(d + "\\" + NAMES[r.nextInt(NAMES.length)]);
                listings.incrementAndGet();
            } catch (RuntimeException | AssertionError e) {
                problems.add("listing threw " + e);
            }
        }
    }

    /** Entries of one lister's page. */
    static final int LISTER_PAGE_ENTRIES = 2;

    private static void findAll(Win32Facade f, String d, ConcurrentLinkedQueue<String> problems) {
        Win32Structs.FindHandle fh = f.findFirstFile(d + "\\*");
        if (fh == null) {
            listingFailed(f, d, problems);
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Win32Structs.FindData e = f.findFirstData(fh); e != null; e = f.findNextFile(fh)) {
            if (!seen.add(e.fileName())) {
                problems.add("listing of " + d + "\\ shows " + e.fileName() + " twice");
            }
        }
        f.findClose(fh);
    }

    /** Lists {@code d} page by page through an open handle; returns the requests it took (0: not opened). */
    private static int listInPages(Win32Facade f, String d, ConcurrentLinkedQueue<String> problems) {
        Handle h = f.createFile(d.isEmpty() ? "\\" : d, Win32.FILE_LIST_DIRECTORY | Win32.SYNCHRONIZE, SHARE_ALL,
                Win32.OPEN_EXISTING, Win32.FILE_FLAG_BACKUP_SEMANTICS);
        if (h == null) {
            listingFailed(f, d, problems);
            return 0;
        }
        try {
            Set<String> seen = new HashSet<>();
            String marker = null;
            // a directory of the workload holds at most a dozen names: far fewer pages than this
            for (int pages = 0; ; pages++) {
                if (pages == 100) {
                    problems.add("listing of " + d + "\\ in pages does not end");
                    return pages;
                }
                Win32Structs.DirectoryPage page;
                try {
                    page = f.readDirectoryPage(h, "*", marker, LISTER_PAGE_ENTRIES);
                } catch (NtStatusException e) {
                    if (e.status() != NtStatus.FILE_DELETED) {
                        throw e;
                    }
                    return pages; // removed while this lister's open was under way (see listingFailed)
                }
                for (DirInfo e : page.entries()) {
                    if (!seen.add(e.fileName())) {
                        problems.add("listing of " + d + "\\ in pages shows " + e.fileName() + " twice");
                    }
                }
                if (page.ended()) {
                    return pages + 1;
                }
                marker = page.entries().get(page.entries().size() - 1).fileName();
            }
        } finally {
            f.closeHandle(h);
        }
    }

    /**
     * A listing that could not open its directory: it may be gone (renamed or removed) or, for a moment,
     * a file (ERROR_DIRECTORY, docs/volume-semantics.md §3), or be delete-pending (the writer removed it
     * while the other lister held it open), or have been removed while this lister's open was under way
     * (the FSD files the handle only when the file system's Open answered): a daemon that references
     * nodes by file handle (Rust's default) then cannot read it (STATUS_FILE_DELETED). Anything else is
     * a problem.
     */
    private static void listingFailed(Win32Facade f, String d, ConcurrentLinkedQueue<String> problems) {
        int error = f.getLastError();
        if (error != Win32.ERROR_PATH_NOT_FOUND && error != Win32.ERROR_FILE_NOT_FOUND && error != ERROR_DIRECTORY
                && f.getLastStatus() != NtStatus.DELETE_PENDING && f.getLastStatus() != NtStatus.FILE_DELETED) {
            problems.add("listing of " + d + "\\ failed with error " + error + " (status 0x"
                    + Integer.toHexString(f.getLastStatus()) + ")");
        }
    }

    static long openFds(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        }
    }

    // ------------------------------------------------------------------------------------- model

    /** One file or directory of the model; identity follows it through renames (as handles do). */
    static final class MFile {
        final boolean dir;
        byte[] data = new byte[0];
        /** The exact LastWriteTime expected (FILETIME), or null: "recent" (stamped by the host). */
        Long writeTime;

        MFile(boolean dir) {
            this.dir = dir;
        }
    }

    /** One open handle of the model. */
    static final class MHandle {
        private static int ids;
        final int id = ++ids;
        final Handle h;
        final MFile file;
        boolean wrote;
        boolean setTime;

        MHandle(Handle h, MFile file) {
            this.h = h;
            this.file = file;
        }

        @Override
        public String toString() {
            return "#" + id;
        }
    }

    /** The writer: one facade, the model, the host checks. */
    static final class Run {
        final Mode mode;
        final long seed;
        final Random r;
        final Win32Facade f;
        final Path host;
        final boolean ci;
        /** Canonical path → spelled path; spelled paths are "\\a", "\\d1\\b". */
        final TreeMap<String, String> spelled = new TreeMap<>();
        final Map<String, MFile> files = new TreeMap<>();
        final List<MHandle> handles = new ArrayList<>();
        final Deque<String> log = new ArrayDeque<>();
        final Instant start = Instant.now().minus(NOW_SLACK);
        final int listers;
        long operations;
        int steps;
        /** The step under way (read by the timeout's message on another thread). */
        volatile int step;
        /** Renames a lister's open handle refused (ACCESS_DENIED) and that succeeded when tried again. */
        long renameRetries;
        /** Deletes that a lister's open handle kept pending until its close. */
        long deferredDeletes;

        Run(Mode mode, long seed, Win32Facade f, Path host, boolean ci, int listers) {
            this.mode = mode;
            this.seed = seed;
            this.r = new Random(seed);
            this.f = f;
            this.host = host;
            this.ci = ci;
            this.listers = listers;
        }

        /** One step; anything it throws becomes a divergence with the seed, the step and the replay. */
        void checkedStep(int n) {
            try {
                step(n);
            } catch (Divergence d) {
                throw d;
            } catch (IOException | RuntimeException | AssertionError e) {
                throw divergence("the step threw " + e, e);
            }
        }

        /**
         * The command that replays the writer up to this step with the same listers (their timing does
         * not replay; with -Dviofs.workload.listers=0 the run is deterministic).
         */
        String replayCommand() {
            Settings replay = new Settings(Long.toString(seed), step + 1, 0, listers);
            long forkSeconds = Math.max(600, replay.bound().toSeconds() + 120);
            return "mvn -B -ntp -o -pl winfsp-tests -am verify -Dit.test=RandomWorkloadIT -Dtest=skip"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dviofs.it.flavour="
                    + System.getProperty("viofs.virtiofsd.flavour", "c") + " -Dviofs.it.flavour2.skip=true"
                    + " -Dviofs.workload.mode=" + mode + " -Dviofs.workload.seed=" + seed
                    + " -Dviofs.workload.steps=" + (step + 1) + " -Dviofs.workload.listers=" + listers
                    + (forkSeconds > 600 ? " -Dviofs.test.forkTimeoutSeconds=" + forkSeconds : "");
        }

        String key(String path) {
            return ci ? path.toUpperCase(Locale.ROOT) : path;
        }

        Divergence divergence(String what) {
            return divergence(what, null);
        }

        /** A divergence: printed at once (a long run's log keeps it) and thrown by the caller. */
        Divergence divergence(String what, Throwable cause) {
            StringBuilder sb = new StringBuilder();
            sb.append("divergence: mode=").append(mode).append(" seed=").append(seed).append(" step=").append(step)
                    .append(": ").append(what).append("\nreplay: ").append(replayCommand())
                    .append("\nlast operations:\n");
            for (String s : log) {
                sb.append("  ").append(s).append('\n');
            }
            sb.append("model: ").append(spelled.values());
            System.out.println(sb);
            return new Divergence(sb.toString(), cause);
        }

        void note(String s) {
            operations++;
            remark(s);
        }

        /** A line in the log of last operations that is no operation of its own (it depends on the listers). */
        void remark(String s) {
            log.addLast(step + ": " + s);
            while (log.size() > 30) {
                log.removeFirst();
            }
        }

        void expect(boolean ok, int expectedError, String what) {
            int err = f.getLastError();
            if (expectedError == Win32.ERROR_SUCCESS ? !ok : ok || err != expectedError) {
                throw divergence(what + ": expected " + (expectedError == 0 ? "success" : "error " + expectedError)
                        + ", was " + (ok ? "success" : "error " + err + " (status 0x"
                        + Integer.toHexString(f.getLastStatus()) + ")"));
            }
        }

        List<String> dirs() {
            List<String> out = new ArrayList<>();
            out.add("");
            for (Map.Entry<String, MFile> e : files.entrySet()) {
                if (e.getValue().dir) {
                    out.add(spelled.get(e.getKey()));
                }
            }
            return out;
        }

        List<String> paths(boolean wantDirs) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, MFile> e : files.entrySet()) {
                if (e.getValue().dir == wantDirs) {
                    out.add(spelled.get(e.getKey()));
                }
            }
            return out;
        }

        <T> T pick(List<T> l) {
            return l.get(r.nextInt(l.size()));
        }

        String randomName() {
            String n = NAMES[r.nextInt(NAMES.length)];
            if (ci && r.nextInt(3) == 0) {
                n = r.nextBoolean() ? n.toUpperCase(Locale.ROOT) : n.toLowerCase(Locale.ROOT);
            }
            return n;
        }

        boolean openBelow(String path) {
            String k = key(path) + "\\";
            for (MHandle h : handles) {
                if (key(spelledOf(h.file)).startsWith(k)) {
                    return true;
                }
            }
            return false;
        }

        boolean isOpen(MFile file) {
            for (MHandle h : handles) {
                if (h.file == file) {
                    return true;
                }
            }
            return false;
        }

        String spelledOf(MFile file) {
            for (Map.Entry<String, MFile> e : files.entrySet()) {
                if (e.getValue() == file) {
                    return spelled.get(e.getKey());
                }
            }
            throw divergence("model: an open file has no name");
        }

        boolean hasChildren(String path) {
            String k = key(path) + "\\";
            return spelled.ceilingKey(k) != null && spelled.ceilingKey(k).startsWith(k);
        }

        void step(int n) throws IOException {
            step = n;
            steps = n + 1;
            int op = r.nextInt(100);
            if (op < 10) {
                create(false);
            } else if (op < 13) {
                create(true);
            } else if (op < 21) {
                openExisting();
            } else if (op < 36) {
                write();
            } else if (op < 44) {
                read();
            } else if (op < 49) {
                setSize(false);
            } else if (op < 52) {
                setSize(true);
            } else if (op < 56) {
                setTime();
            } else if (op < 58) {
                toggleReadOnly();
            } else if (op < 68) {
                rename();
            } else if (op < 73) {
                deleteFile();
            } else if (op < 75) {
                removeDirectory();
            } else if (op < 81) {
                listAndCompare();
            } else if (op < 85) {
                sizeByHandle();
            } else {
                closeOne();
            }
            checkHost("step " + n);
        }

        void create(boolean directory) {
            String path = pick(dirs()) + "\\" + (directory ? DIRS[r.nextInt(DIRS.length)] : randomName());
            if (directory && path.chars().filter(c -> c == '\\').count() > 1) {
                path = "\\" + DIRS[r.nextInt(DIRS.length)]; // directories only at the top: depth stays 2
            }
            boolean exists = files.containsKey(key(path));
            if (directory) {
                note("CreateDirectory(" + path + ")");
                expect(f.createDirectory(path, null), exists ? Win32.ERROR_ALREADY_EXISTS : 0, "CreateDirectory " + path);
                if (!exists) {
                    add(path, new MFile(true));
                }
                return;
            }
            note("CreateFile(" + path + ", CREATE_NEW)");
            Handle h = f.createFile(path, RW | Win32.DELETE, SHARE_ALL, Win32.CREATE_NEW, 0);
            expect(h != null, exists ? Win32.ERROR_FILE_EXISTS : 0, "CreateFile CREATE_NEW " + path);
            if (h == null) {
                return;
            }
            MFile file = new MFile(false);
            add(path, file);
            MHandle mh = new MHandle(h, file);
            if (handles.size() < MAX_HANDLES && r.nextBoolean()) {
                handles.add(mh);
                note("  kept open as " + mh);
            } else {
                close(mh);
            }
        }

        void add(String path, MFile file) {
            files.put(key(path), file);
            spelled.put(key(path), path);
        }

        void openExisting() {
            if (handles.size() >= MAX_HANDLES) {
                closeOne();
                return;
            }
            List<String> candidates = paths(false);
            String path;
            boolean exists;
            if (candidates.isEmpty() || r.nextInt(5) == 0) {
                path = pick(dirs()) + "\\" + randomName();
                exists = files.containsKey(key(path)) && !files.get(key(path)).dir;
                if (files.containsKey(key(path)) && files.get(key(path)).dir) {
                    return;
                }
            } else {
                path = pick(candidates);
                exists = true;
                if (ci && r.nextBoolean()) {
                    path = path.toUpperCase(Locale.ROOT); // any case reaches the file
                }
            }
            note("CreateFile(" + path + ", OPEN_EXISTING)");
            Handle h = f.createFile(path, RW | Win32.DELETE, SHARE_ALL, Win32.OPEN_EXISTING, 0);
            expect(h != null, exists ? 0 : Win32.ERROR_FILE_NOT_FOUND, "CreateFile OPEN_EXISTING " + path);
            if (h != null) {
                MHandle mh = new MHandle(h, files.get(key(path)));
                handles.add(mh);
                note("  opened as " + mh);
            }
        }

        MHandle someHandle() {
            if (handles.isEmpty()) {
                openExisting();
            }
            return handles.isEmpty() ? null : pick(handles);
        }

        void write() {
            MHandle h = someHandle();
            if (h == null) {
                return;
            }
            MFile file = h.file;
            long at = r.nextInt(file.data.length + 100);
            byte[] data = new byte[1 + r.nextInt(300)];
            r.nextBytes(data);
            note("WriteFile(" + h + " " + spelledOf(file) + ", at " + at + ", " + data.length + " bytes)");
            int n = f.writeFile(h.h, data, data.length, at);
            if (n != data.length) {
                throw divergence("WriteFile wrote " + n + " of " + data.length + ", error " + f.getLastError());
            }
            int end = (int) at + data.length;
            if (end > file.data.length) {
                file.data = Arrays.copyOf(file.data, end);
            }
            System.arraycopy(data, 0, file.data, (int) at, data.length);
            h.wrote = true;
        }

        void read() {
            MHandle h = someHandle();
            if (h == null || h.file.data.length == 0) {
                return;
            }
            int at = r.nextInt(h.file.data.length);
            int len = 1 + r.nextInt(400);
            note("ReadFile(" + h + " " + spelledOf(h.file) + ", at " + at + ", " + len + ")");
            byte[] b = new byte[len];
            int n = f.readFile(h.h, b, len, (long) at);
            int want = Math.min(len, h.file.data.length - at);
            if (n != want || !Arrays.equals(Arrays.copyOf(b, n), Arrays.copyOfRange(h.file.data, at, at + want))) {
                throw divergence("ReadFile at " + at + " returned " + n + " bytes (expected " + want + ") or other data");
            }
        }

        void setSize(boolean allocation) {
            MHandle h = someHandle();
            if (h == null) {
                return;
            }
            int size = allocation ? (r.nextBoolean() ? 1 << 20 : r.nextInt(h.file.data.length + 1))
                    : r.nextInt(h.file.data.length + 200);
            note((allocation ? "SetAllocation(" : "SetEndOfFile(") + h + " " + spelledOf(h.file) + ", " + size + ")");
            expect(f.setFileSize(h.h, size, allocation), 0, "SetFileSize");
            // the FSD rounds an allocation size up to the allocation unit before the volume sees it
            long effective = allocation ? CleanupRule.roundUp(size, f.options().allocationUnit()) : size;
            if (effective < h.file.data.length) {
                h.file.data = Arrays.copyOf(h.file.data, (int) effective);
            } else if (!allocation) {
                h.file.data = Arrays.copyOf(h.file.data, size);
            }
            h.wrote = true;
        }

        void setTime() {
            MHandle h = someHandle();
            if (h == null) {
                return;
            }
            long sec = 946_684_800L + r.nextInt(300_000_000);
            int hundredNs = r.nextInt(10_000_000);
            long ft = FileInfoMapper.toFileTime(sec, hundredNs * 100);
            note("SetFileTime(" + h + " " + spelledOf(h.file) + ", write " + Instant.ofEpochSecond(sec, hundredNs * 100L) + ")");
            expect(f.setFileTime(h.h, null, null, ft), 0, "SetFileTime");
            h.file.writeTime = ft;
            h.setTime = true;
        }

        void toggleReadOnly() {
            List<String> candidates = paths(false);
            if (candidates.isEmpty()) {
                return;
            }
            String path = pick(candidates);
            note("SetFileAttributes(" + path + ", READONLY) and back to NORMAL");
            expect(f.setFileAttributes(path, Win32.FILE_ATTRIBUTE_READONLY), 0, "SetFileAttributes READONLY");
            expect(f.setFileAttributes(path, Win32.FILE_ATTRIBUTE_NORMAL), 0, "SetFileAttributes NORMAL");
        }

        void rename() {
            List<String> all = new ArrayList<>(spelled.values());
            if (all.isEmpty()) {
                return;
            }
            String from = pick(all);
            MFile src = files.get(key(from));
            String toDir = src.dir ? "" : pick(dirs());
            String to = toDir + "\\" + (src.dir ? DIRS[r.nextInt(DIRS.length)] : randomName());
            if (!src.dir && r.nextInt(4) == 0) {
                List<String> filePaths = paths(false);
                to = pick(filePaths); // onto an existing file
            } else if (src.dir && r.nextInt(4) == 0 && !paths(false).isEmpty()) {
                List<String> top = new ArrayList<>();
                for (String p : paths(false)) {
                    if (p.lastIndexOf('\\') == 0) {
                        top.add(p);
                    }
                }
                if (!top.isEmpty()) {
                    to = pick(top); // a directory onto a file
                }
            }
            if (ci && r.nextInt(5) == 0) {
                // a case-only rename: the last component changes case
                int cut = from.lastIndexOf('\\') + 1;
                String leaf = from.substring(cut);
                to = from.substring(0, cut) + (leaf.toUpperCase(Locale.ROOT).equals(leaf) ? leaf.toLowerCase(Locale.ROOT)
                        : leaf.toUpperCase(Locale.ROOT));
            }
            boolean replace = r.nextBoolean();
            MFile target = files.get(key(to));
            int expected;
            // the order of docs/volume-semantics.md §3.1: the FSD's checks on open files, then the file system's
            if (src.dir && openBelow(from)) {
                expected = Win32.ERROR_ACCESS_DENIED; // an open file below a renamed directory
            } else if (key(to).equals(key(from))) {
                expected = 0;
            } else if (target != null && (isOpen(target) || openBelow(to) || key(from).startsWith(key(to) + "\\"))) {
                // an open file at or below the target; the source itself is open (by MoveFileEx) below
                // its own parent directory, so a rename onto that directory is refused here too
                expected = Win32.ERROR_ACCESS_DENIED;
            } else if (target != null && !replace) {
                expected = Win32.ERROR_ALREADY_EXISTS;
            } else if (target != null && target.dir) {
                expected = Win32.ERROR_ACCESS_DENIED; // a directory is never replaced
            } else {
                expected = 0;
            }
            note("MoveFileEx(" + from + ", " + to + (replace ? ", REPLACE_EXISTING)" : ")"));
            int flags = replace ? Win32.MOVEFILE_REPLACE_EXISTING : 0;
            boolean ok = f.moveFileEx(from, to, flags);
            // a lister holding the target (or a file below a renamed directory) open makes the FSD refuse
            // with ACCESS_DENIED before anything else (docs/volume-semantics.md §3.1); its handle closes
            // within one listing, so try again after the next close, as a program would (the listers
            // never stop, so a next close always comes)
            for (int tries = 1; listers > 0 && expected != Win32.ERROR_ACCESS_DENIED && !ok
                    && f.getLastStatus() == NtStatus.ACCESS_DENIED; tries++) {
                if (tries == MAX_RENAME_TRIES) {
                    throw divergence("MoveFileEx still ACCESS_DENIED after " + tries + " tries; expected "
                            + (expected == 0 ? "success" : "error " + expected));
                }
                awaitListerClose(f.table().changes());
                renameRetries++;
                ok = f.moveFileEx(from, to, flags);
            }
            expect(ok, expected, "MoveFileEx");
            if (expected != 0) {
                return;
            }
            String fromKey = key(from);
            if (target != null && target != src) {
                files.remove(key(to));
                spelled.remove(key(to));
            }
            List<String> moved = new ArrayList<>();
            for (String k : spelled.keySet()) {
                if (k.equals(fromKey) || k.startsWith(fromKey + "\\")) {
                    moved.add(k);
                }
            }
            Map<String, MFile> movedFiles = new TreeMap<>();
            Map<String, String> movedNames = new TreeMap<>();
            for (String k : moved) {
                String old = spelled.remove(k);
                MFile file = files.remove(k);
                String now = to + old.substring(from.length());
                movedFiles.put(key(now), file);
                movedNames.put(key(now), now);
            }
            files.putAll(movedFiles);
            spelled.putAll(movedNames);
        }

        /** Waits (bounded) until some handle closed after {@code seen}: a lister's, while listers run. */
        void awaitListerClose(long seen) {
            try {
                if (!f.table().awaitChangeAfter(seen, LISTER_CLOSE_WAIT_MS)) {
                    throw divergence("no handle closed within " + LISTER_CLOSE_WAIT_MS + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw divergence("interrupted while waiting for a lister's close", e);
            }
        }

        void deleteFile() {
            List<String> candidates = new ArrayList<>();
            for (String p : paths(false)) {
                if (!isOpen(files.get(key(p)))) {
                    candidates.add(p);
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            String path = pick(candidates);
            if (ci && r.nextBoolean()) {
                path = path.toLowerCase(Locale.ROOT);
            }
            note("DeleteFile(" + path + ")");
            expect(f.deleteFile(path), 0, "DeleteFile");
            awaitDeleted(path);
            files.remove(key(path));
            spelled.remove(key(path));
        }

        void removeDirectory() {
            List<String> candidates = paths(true);
            if (candidates.isEmpty()) {
                return;
            }
            String path = pick(candidates);
            boolean empty = !hasChildren(path);
            note("RemoveDirectory(" + path + ")");
            expect(f.removeDirectory(path), empty ? 0 : Win32.ERROR_DIR_NOT_EMPTY, "RemoveDirectory");
            if (empty) {
                awaitDeleted(path);
                files.remove(key(path));
                spelled.remove(key(path));
            }
        }

        /**
         * After DeleteFile or RemoveDirectory succeeded: the writer holds no handle on the name, but a
         * lister may, and then the FSD sends the deleting Cleanup at the lister's close; and until
         * that handle's Close is done the FSD still knows the file as delete-pending, so a new file of
         * that name cannot be created yet (DELETE_PENDING; docs/volume-semantics.md §2). A program
         * would see that too; the writer waits for the close instead, bounded, so the model stays
         * deterministic.
         */
        void awaitDeleted(String path) {
            if (Files.exists(hostPath(spelled.get(key(path))), LinkOption.NOFOLLOW_LINKS)) {
                deferredDeletes++;
                remark("  the delete waits for a lister's close");
            }
            try {
                if (!f.table().awaitNotOpen(path, LISTER_CLOSE_WAIT_MS)) {
                    throw divergence(path + " is still open " + LISTER_CLOSE_WAIT_MS + " ms after its delete");
                }
                if (Files.exists(hostPath(spelled.get(key(path))), LinkOption.NOFOLLOW_LINKS)) {
                    throw divergence(path + " is still on the host after the last handle closed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw divergence("interrupted while waiting for " + path + " to be deleted", e);
            }
        }

        Path hostPath(String path) {
            return host.resolve(path.substring(1).replace('\\', '/'));
        }

        void listAndCompare() {
            String d = pick(dirs());
            note("FindFirstFile(" + d + "\\*)");
            Win32Structs.FindHandle fh = f.findFirstFile(d + "\\*");
            Map<String, Long> listed = new TreeMap<>();
            if (fh != null) {
                for (Win32Structs.FindData e = f.findFirstData(fh); e != null; e = f.findNextFile(fh)) {
                    if (!e.fileName().equals(".") && !e.fileName().equals("..")) {
                        listed.put(e.fileName(), (e.fileAttributes() & Win32.FILE_ATTRIBUTE_DIRECTORY) != 0 ? -1 : e.fileSize());
                    }
                }
                f.findClose(fh);
            }
            Map<String, Long> model = new TreeMap<>();
            String prefix = key(d) + "\\";
            for (Map.Entry<String, String> e : spelled.entrySet()) {
                String k = e.getKey();
                if (k.startsWith(prefix) && k.indexOf('\\', prefix.length()) < 0) {
                    MFile file = files.get(k);
                    model.put(e.getValue().substring(d.length() + 1), file.dir ? -1 : (long) file.data.length);
                }
            }
            if (!listed.equals(model)) {
                throw divergence("listing of " + d + "\\ is " + listed + ", the model has " + model);
            }
        }

        void sizeByHandle() {
            MHandle h = someHandle();
            if (h == null) {
                return;
            }
            note("GetFileInformationByHandle(" + h + " " + spelledOf(h.file) + ")");
            Win32Structs.ByHandleFileInformation info = f.getFileInformationByHandle(h.h);
            if (info == null || info.fileSize() != h.file.data.length) {
                throw divergence("size by handle " + (info == null ? "failed" : info.fileSize()) + ", model "
                        + h.file.data.length);
            }
        }

        void closeOne() {
            if (handles.isEmpty()) {
                return;
            }
            MHandle h = handles.remove(r.nextInt(handles.size()));
            close(h);
        }

        void close(MHandle h) {
            note("CloseHandle(" + h + " " + spelledOf(h.file) + ")");
            expect(f.closeHandle(h.h), 0, "CloseHandle");
            if (h.wrote && !h.setTime) {
                h.file.writeTime = null; // the FSD asks for LastWriteTime = now
            }
        }

        void closeAll() {
            while (!handles.isEmpty()) {
                close(handles.remove(handles.size() - 1));
            }
        }

        /** The host directory holds exactly the model: names, kinds, contents, and the times it knows. */
        void checkHost(String when) throws IOException {
            Map<String, String> hostTree = new TreeMap<>();
            try (Stream<Path> s = Files.walk(host)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (!p.equals(host)) {
                        hostTree.put("\\" + host.relativize(p).toString().replace('/', '\\'), Files.isDirectory(p,
                                LinkOption.NOFOLLOW_LINKS) ? "dir" : "file");
                    }
                }
            }
            Map<String, String> modelTree = new TreeMap<>();
            for (Map.Entry<String, String> e : spelled.entrySet()) {
                modelTree.put(e.getValue(), files.get(e.getKey()).dir ? "dir" : "file");
            }
            if (!hostTree.equals(modelTree)) {
                throw divergence(when + ": the host has " + hostTree + ", the model " + modelTree);
            }
            for (Map.Entry<String, String> e : spelled.entrySet()) {
                MFile file = files.get(e.getKey());
                if (file.dir) {
                    continue;
                }
                Path p = hostPath(e.getValue());
                byte[] got = Files.readAllBytes(p);
                if (!Arrays.equals(got, file.data)) {
                    throw divergence(when + ": " + e.getValue() + " holds " + got.length + " bytes on the host, the model "
                            + file.data.length + (got.length == file.data.length ? " (other content)" : ""));
                }
                if (isOpen(file)) {
                    continue; // times settle at close
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Instant mtime = a.lastModifiedTime().toInstant();
                if (file.writeTime != null) {
                    long[] u = FileInfoMapper.toUnixTime(file.writeTime);
                    Instant want = Instant.ofEpochSecond(u[0], u[1]);
                    if (!mtime.equals(want)) {
                        throw divergence(when + ": " + e.getValue() + " has mtime " + mtime + " on the host; it was set to "
                                + want);
                    }
                } else if (mtime.isBefore(start)) {
                    throw divergence(when + ": " + e.getValue() + " has mtime " + mtime + "; a write's close stamps now");
                }
            }
        }
    }

    /** A difference between the volume and the model, with the seed, the step and the replay command. */
    static final class Divergence extends AssertionError {
        private static final long serialVersionUID = 1L;

        Divergence(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
