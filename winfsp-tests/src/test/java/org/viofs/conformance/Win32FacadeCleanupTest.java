package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.conformance.Win32.*;
import static org.viofs.volume.CleanupFlags.DELETE;
import static org.viofs.volume.CleanupFlags.SET_ALLOCATION_SIZE;
import static org.viofs.volume.CleanupFlags.SET_ARCHIVE_BIT;
import static org.viofs.volume.CleanupFlags.SET_CHANGE_TIME;
import static org.viofs.volume.CleanupFlags.SET_LAST_ACCESS_TIME;
import static org.viofs.volume.CleanupFlags.SET_LAST_WRITE_TIME;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.Win32Structs.FindData;
import org.viofs.conformance.Win32Structs.FindHandle;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.VolumeOperations;

/**
 * The Cleanup flags the facade sends, each expectation restated from WinFsp's FSD source as
 * {@link CleanupRule} cites it (cleanup.c: SetArchiveBit = (modified or DidSetSecurity) and not
 * DidSetFileAttributes; SetLastAccessTime = not DidSetLastAccessTime; SetLastWriteTime = modified
 * and not DidSetLastWriteTime; SetChangeTime = (modified or DidSetMetadata) and not
 * DidSetChangeTime; file.c: Delete and SetAllocationSize only on the last handle), and the
 * interleaving of listings with renames that the DLL's guard allows.
 */
class Win32FacadeCleanupTest {
    private static final int SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    private static final long TIME_2000 = 125911584000000000L; // 2000-01-01T00:00:00Z as FILETIME

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryVolume memfs = new InMemoryVolume();

    private Win32Facade facade(FacadeOptions options, VolumeOperations inner) {
        VolumeOperations recording = (VolumeOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                    String call = method.getName();
                    if (call.equals("cleanup")) {
                        call += "(" + args[2] + ")";
                    } else if (call.equals("setFileSize")) {
                        call += "(" + args[1] + "," + args[2] + ")";
                    } else if (call.equals("setBasicInfo")) {
                        call += "(" + args[1] + "," + args[2] + "," + args[3] + "," + args[4] + "," + args[5] + ")";
                    } else if (call.equals("rename") || call.equals("readDirectory")) {
                        call += "(" + args[1] + ")";
                    }
                    calls.add(call);
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Win32Facade w = new Win32Facade(recording, options);
        assertTrue(w.createDirectory("\\d", null));
        calls.clear();
        return w;
    }

    private Win32Facade facade() {
        return facade(FacadeOptions.defaults(), memfs);
    }

    private static Handle open(Win32Facade w, String path, int access, int disposition) {
        Handle h = w.createFile(path, access, SHARE_ALL, disposition, 0);
        assertNotNull(h, path + ": " + w.getLastError());
        return h;
    }

    /** The flags of the Cleanup calls since the last clear, in order. */
    private List<String> cleanups() {
        List<String> out = new ArrayList<>();
        synchronized (calls) {
            for (String c : calls) {
                if (c.startsWith("cleanup")) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static String cleanup(int flags) {
        return "cleanup(" + flags + ")";
    }

    @Test
    void aSetWriteTimeIsNotOverwrittenAtCloseButTheWriteStillAsksForArchiveAndChangeTime() {
        Win32Facade w = facade();
        Handle h = open(w, "\\d\\f", GENERIC_WRITE, CREATE_NEW);
        assertEquals(3, w.writeFile(h, new byte[] {1, 2, 3}, 3));
        assertTrue(w.setFileTime(h, null, null, TIME_2000));
        calls.clear();
        w.closeHandle(h);
        assertEquals(List.of(cleanup(SET_ALLOCATION_SIZE | SET_ARCHIVE_BIT | SET_LAST_ACCESS_TIME | SET_CHANGE_TIME)),
                cleanups());
    }

    @Test
    void setBasicInfoWithAttributesOnlyAsksForTheChangeTimeButNotTheArchiveBit() {
        Win32Facade w = facade();
        w.closeHandle(open(w, "\\d\\f", GENERIC_WRITE, CREATE_NEW));
        calls.clear();
        assertTrue(w.setFileAttributes("\\d\\f", FILE_ATTRIBUTE_HIDDEN));
        assertEquals(List.of(cleanup(SET_LAST_ACCESS_TIME | SET_CHANGE_TIME)), cleanups());
    }

    @Test
    void aTimeOfMinusOneReachesTheVolumeAsUnchangedAndSetsNothingForTheCleanup() {
        Win32Facade w = facade();
        Handle h = open(w, "\\d\\f", GENERIC_WRITE | FILE_WRITE_ATTRIBUTES, CREATE_NEW);
        calls.clear();
        assertTrue(w.setBasicInfo(h, 0, 0, -1, -1, 0));
        assertEquals(List.of("setBasicInfo(" + INVALID_FILE_ATTRIBUTES + ",0,0,0,0)"), calls);
        calls.clear();
        w.closeHandle(h);
        // DidSetMetadata alone: change time, and the access time was not set
        assertEquals(List.of(cleanup(SET_LAST_ACCESS_TIME | SET_CHANGE_TIME)), cleanups());
    }

    @Test
    void aHandleThatOnlySetTheTimeDoesNotAskForTheWriteTimeButTheWritersCloseDoes() {
        // issue 13 item 3: handle 1 writes, handle 2 sets the time and closes, handle 1 closes
        Win32Facade w = facade();
        Handle writer = open(w, "\\d\\f", GENERIC_WRITE, CREATE_NEW);
        assertEquals(1, w.writeFile(writer, new byte[] {7}, 1));
        Handle setter = open(w, "\\d\\f", FILE_WRITE_ATTRIBUTES, OPEN_EXISTING);
        assertTrue(w.setFileTime(setter, null, null, TIME_2000));
        calls.clear();
        w.closeHandle(setter);
        assertEquals(List.of(cleanup(SET_LAST_ACCESS_TIME | SET_CHANGE_TIME)), cleanups());
        calls.clear();
        w.closeHandle(writer);
        assertEquals(List.of(cleanup(SET_ALLOCATION_SIZE | SET_ARCHIVE_BIT | SET_LAST_ACCESS_TIME
                | SET_LAST_WRITE_TIME | SET_CHANGE_TIME)), cleanups());
    }

    @Test
    void setAllocationSizeGoesOnlyToTheLastHandleAndTheRequestIsRoundedToTheUnit() {
        Win32Facade w = facade();
        Handle a = open(w, "\\d\\f", GENERIC_WRITE, CREATE_NEW);
        Handle b = open(w, "\\d\\f", GENERIC_READ, OPEN_EXISTING);
        calls.clear();
        assertTrue(w.setFileSize(a, 100, true));
        // FacadeOptions.defaults(): 512-byte sectors, 8 per unit
        assertEquals(List.of("setFileSize(4096,true)"), calls);
        calls.clear();
        w.closeHandle(a);
        assertEquals(List.of(cleanup(SET_ARCHIVE_BIT | SET_LAST_ACCESS_TIME | SET_LAST_WRITE_TIME | SET_CHANGE_TIME)),
                cleanups());
        calls.clear();
        w.closeHandle(b);
        // the reader is the last handle: it carries the trim, and nothing of the writer's
        assertEquals(List.of(cleanup(SET_ALLOCATION_SIZE | SET_LAST_ACCESS_TIME)), cleanups());
    }

    @Test
    void anOverwriteAtOpenIsNotAModificationOfTheHandle() {
        Win32Facade w = facade();
        Handle h = open(w, "\\d\\f", GENERIC_WRITE, CREATE_NEW);
        assertEquals(1, w.writeFile(h, new byte[] {1}, 1));
        w.closeHandle(h);
        h = open(w, "\\d\\f", GENERIC_WRITE, TRUNCATE_EXISTING);
        calls.clear();
        w.closeHandle(h);
        // create.c: no FO_FILE_MODIFIED for an overwrite; the size change sets TruncateOnClose
        assertEquals(List.of(cleanup(SET_ALLOCATION_SIZE | SET_LAST_ACCESS_TIME)), cleanups());
    }

    @Test
    void setSecurityAsksForTheArchiveBitAndTheChangeTime() {
        Win32Facade w = facade();
        w.closeHandle(open(w, "\\d\\f", GENERIC_WRITE, CREATE_NEW));
        Handle h = open(w, "\\d\\f", READ_CONTROL | WRITE_DAC, OPEN_EXISTING);
        SecurityDescriptor sd = w.getSecurity(h, DACL_SECURITY_INFORMATION);
        assertNotNull(sd);
        assertTrue(w.setSecurity(h, DACL_SECURITY_INFORMATION, sd));
        calls.clear();
        w.closeHandle(h);
        assertEquals(List.of(cleanup(SET_ARCHIVE_BIT | SET_LAST_ACCESS_TIME | SET_CHANGE_TIME)), cleanups());
    }

    @Test
    void withoutPostCleanupWhenModifiedOnlyEveryCloseHasACleanup() {
        Win32Facade w = facade(FacadeOptions.builder().postCleanupWhenModifiedOnly(false).build(), memfs);
        w.closeHandle(open(w, "\\d\\f", GENERIC_WRITE, CREATE_NEW));
        Handle h = open(w, "\\d\\f", GENERIC_READ, OPEN_EXISTING);
        calls.clear();
        w.closeHandle(h);
        assertEquals(List.of(cleanup(SET_LAST_ACCESS_TIME), "close"), calls);
    }

    @Test
    void deleteOnCloseDeletesAtTheLastHandleOnly() {
        Win32Facade w = facade();
        Handle keep = open(w, "\\d\\f", GENERIC_READ, CREATE_NEW);
        Handle h = w.createFile("\\d\\f", GENERIC_READ | DELETE, SHARE_ALL, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        assertNotNull(h);
        calls.clear();
        w.closeHandle(h);
        assertEquals(List.of(), cleanups());
        assertNull(w.createFile("\\d\\f", GENERIC_READ, SHARE_ALL, OPEN_EXISTING, 0));
        assertEquals(ERROR_ACCESS_DENIED, w.getLastError()); // STATUS_DELETE_PENDING
        w.closeHandle(keep);
        assertEquals(List.of(cleanup(DELETE | SET_LAST_ACCESS_TIME)), cleanups());
        assertEquals(INVALID_FILE_ATTRIBUTES, w.getFileAttributes("\\d\\f"));
    }

    @Test
    void aRenameRunsBetweenTwoPagesOfAListingButNotDuringOne() throws Exception {
        int files = DirectoryListing.LIST_PAGE_ENTRIES + 6;
        Win32Facade setup = facade();
        for (int i = 0; i < files; i++) {
            setup.closeHandle(open(setup, String.format("\\d\\f%03d", i), GENERIC_WRITE, CREATE_NEW));
        }
        CountDownLatch inPage = new CountDownLatch(1);
        CountDownLatch releasePage = new CountDownLatch(1);
        VolumeOperations holding = (VolumeOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                    if (method.getName().equals("readDirectory") && args[2] == null) {
                        inPage.countDown();
                        assertTrue(releasePage.await(10, TimeUnit.SECONDS));
                    }
                    try {
                        return method.invoke(memfs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Win32Facade w = new Win32Facade(holding, FacadeOptions.defaults());
        CompletableFuture<FindHandle> first = CompletableFuture.supplyAsync(() -> w.findFirstFile("\\d\\*"));
        assertTrue(inPage.await(10, TimeUnit.SECONDS));
        CompletableFuture<Boolean> rename = CompletableFuture.supplyAsync(
                () -> w.moveFileEx("\\d\\f000", "\\d\\g000", 0));
        // the rename's open may proceed; the rename itself waits for the page (exclusive guard)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (w.guard().waiting() == 0 && !rename.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the rename neither waited nor finished");
            Thread.onSpinWait();
        }
        assertEquals(1, w.guard().waiting(), "the rename waits for the page");
        releasePage.countDown();
        FindHandle f = first.get(10, TimeUnit.SECONDS);
        assertTrue(rename.get(10, TimeUnit.SECONDS));
        assertNotNull(f);
        // between pages: a rename of a name not listed yet, then the listing goes on after the Marker
        assertTrue(w.moveFileEx(String.format("\\d\\f%03d", files - 1), "\\d\\h", 0));
        List<String> names = new ArrayList<>();
        names.add(w.findFirstData(f).fileName());
        for (FindData d; (d = w.findNextFile(f)) != null; ) {
            names.add(d.fileName());
        }
        assertEquals(ERROR_NO_MORE_FILES, w.getLastError());
        assertTrue(w.findClose(f));
        // f000 was listed before its rename could run; both new names sort after the Marker, so the
        // listing shows them again, as an NTFS listing overlapping a rename may
        List<String> expected = new ArrayList<>(List.of(".", ".."));
        for (int i = 0; i < files - 1; i++) {
            expected.add(String.format("f%03d", i));
        }
        expected.add("g000");
        expected.add("h");
        assertEquals(expected, names);
        assertEquals(0, w.openHandleCount());
    }

    @Test
    void theLastErrorIsPerThread() throws Exception {
        Win32Facade w = facade();
        assertNull(w.createFile("\\d\\missing", GENERIC_READ, 0, OPEN_EXISTING, 0));
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
        int other = CompletableFuture.supplyAsync(() -> {
            w.closeHandle(open(w, "\\d\\x", GENERIC_WRITE, CREATE_NEW));
            return w.getLastError();
        }).get(10, TimeUnit.SECONDS);
        assertEquals(ERROR_SUCCESS, other);
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
    }

    @Test
    void onlyOpenDispositionsShareTheGuard() {
        assertEquals(OperationGuard.Kind.SHARED, OperationGuard.forCreate(CreateOptions.FILE_OPEN));
        for (int d : new int[] {CreateOptions.FILE_CREATE, CreateOptions.FILE_OPEN_IF, CreateOptions.FILE_OVERWRITE,
                CreateOptions.FILE_OVERWRITE_IF, CreateOptions.FILE_SUPERSEDE}) {
            assertEquals(OperationGuard.Kind.EXCLUSIVE, OperationGuard.forCreate(d), "disposition " + d);
        }
    }

    /** A volume whose Cleanup calls wait, each until the test lets it go (in the order they came). */
    private final class HeldCleanups {
        final List<CountDownLatch> entered = Collections.synchronizedList(new ArrayList<>());
        final List<CountDownLatch> release = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> flags = Collections.synchronizedList(new ArrayList<>());

        HeldCleanups() {
            for (int i = 0; i < 4; i++) {
                entered.add(new CountDownLatch(1));
                release.add(new CountDownLatch(1));
            }
        }

        VolumeOperations volume() {
            return (VolumeOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                        if (method.getName().equals("cleanup")) {
                            int i = flags.size();
                            flags.add((Integer) args[2]);
                            entered.get(i).countDown();
                            assertTrue(release.get(i).await(10, TimeUnit.SECONDS), "cleanup " + i + " released");
                        }
                        try {
                            return method.invoke(memfs, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private static void awaitQueued(java.util.concurrent.locks.ReentrantLock lock, int threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lock.getQueueLength() < threads) {
            assertTrue(System.nanoTime() < deadline, "no thread waits for the node's Main resource");
            Thread.onSpinWait();
        }
    }

    @Test
    void twoCleanupsOfOneFileNeverOverlap() throws Exception {
        Win32Facade setup = facade();
        setup.closeHandle(open(setup, "\\d\\x", GENERIC_WRITE, CREATE_NEW));
        HeldCleanups held = new HeldCleanups();
        // every Cleanup is posted, so a read-only handle's reaches the volume too
        Win32Facade w = new Win32Facade(held.volume(), FacadeOptions.builder().postCleanupWhenModifiedOnly(false).build());
        Handle a = open(w, "\\d\\x", GENERIC_READ, OPEN_EXISTING);
        Handle b = open(w, "\\d\\x", GENERIC_READ, OPEN_EXISTING);
        CompletableFuture<Boolean> closeA = CompletableFuture.supplyAsync(() -> w.closeHandle(a));
        assertTrue(held.entered.get(0).await(10, TimeUnit.SECONDS));
        CompletableFuture<Boolean> closeB = CompletableFuture.supplyAsync(() -> w.closeHandle(b));
        // the FSD holds the file's Main resource across a Cleanup: b's waits for a's answer
        awaitQueued(a.node.mainResource, 1);
        assertEquals(1, held.flags.size(), "only one Cleanup reached the volume");
        held.release.get(0).countDown();
        assertTrue(held.entered.get(1).await(10, TimeUnit.SECONDS));
        held.release.get(1).countDown();
        assertTrue(closeA.get(10, TimeUnit.SECONDS));
        assertTrue(closeB.get(10, TimeUnit.SECONDS));
        assertEquals(0, w.openHandleCount());
    }

    @Test
    void aDeleteKeptPendingByAnotherHandleStaysPendingUntilThatHandlesCleanupIsDone() throws Exception {
        Win32Facade setup = facade();
        setup.closeHandle(open(setup, "\\d\\x", GENERIC_WRITE, CREATE_NEW));
        HeldCleanups held = new HeldCleanups();
        Win32Facade w = new Win32Facade(held.volume(), FacadeOptions.builder().postCleanupWhenModifiedOnly(false).build());
        Handle deleter = open(w, "\\d\\x", GENERIC_READ | Win32.DELETE, OPEN_EXISTING);
        Handle other = open(w, "\\d\\x", GENERIC_READ, OPEN_EXISTING);
        assertTrue(w.setDisposition(deleter, true), "error " + w.getLastError() + " status 0x" + Integer.toHexString(w.getLastStatus()));
        // the deleter closes first (not the last handle: no Delete); the other handle closes while that
        // Cleanup is still under way and so carries the Delete
        CompletableFuture<Boolean> closeDeleter = CompletableFuture.supplyAsync(() -> w.closeHandle(deleter));
        assertTrue(held.entered.get(0).await(10, TimeUnit.SECONDS));
        CompletableFuture<Boolean> closeOther = CompletableFuture.supplyAsync(() -> w.closeHandle(other));
        awaitQueued(deleter.node.mainResource, 1);
        held.release.get(0).countDown();
        assertTrue(closeDeleter.get(10, TimeUnit.SECONDS));
        assertTrue(held.entered.get(1).await(10, TimeUnit.SECONDS));
        assertEquals(DELETE, held.flags.get(1) & DELETE, "the last handle's Cleanup deletes");
        // the deleter's close is done, the deleting Cleanup is not: the FSD still knows the file as
        // delete-pending (a new open fails DELETE_PENDING, a rename onto a name below it is refused)
        assertTrue(w.table().deletePending("\\d\\x"));
        held.release.get(1).countDown();
        assertTrue(closeOther.get(10, TimeUnit.SECONDS));
        assertNull(w.createFile("\\d\\x", GENERIC_READ, SHARE_ALL, OPEN_EXISTING, 0));
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
        assertEquals(0, w.openHandleCount());
    }
}
