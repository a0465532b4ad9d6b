package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.conformance.Win32.*;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.viofs.volume.CleanupFlags;
import org.viofs.volume.VolumeOperations;

/**
 * The callback sequences the facade issues for each Win32 call (docs/winfsp-native.md §2.1) and the
 * rules it enforces as the FSD would, over a recording wrapper of the in-memory volume.
 */
class Win32FacadeTest {
    private final List<String> calls = new ArrayList<>();
    private InMemoryVolume memfs;
    private Win32Facade w;

    @BeforeEach
    void setUp() {
        memfs = new InMemoryVolume();
        VolumeOperations recording = (VolumeOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                    String call = method.getName();
                    if (method.getName().equals("cleanup")) {
                        call += "(" + args[1] + "," + args[2] + ")";
                    } else if (method.getName().equals("getSecurityByName")) {
                        call += "(" + args[0] + ")";
                    }
                    calls.add(call);
                    try {
                        return method.invoke(memfs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        w = new Win32Facade(recording, FacadeOptions.defaults());
        assertTrue(w.createDirectory("\\d", null));
        calls.clear();
    }

    private Handle create(String path) {
        Handle h = w.createFile(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW, 0);
        assertNotNull(h, "create " + path + ": " + w.getLastError());
        return h;
    }

    @Test
    void createNewLooksForTheTargetAndItsParentThenCreates() {
        create("\\d\\f");
        assertEquals(List.of("getSecurityByName(\\d\\f)", "getSecurityByName(\\d)", "create"), calls);
    }

    @Test
    void openExistingIsGetSecurityByNameThenOpen() {
        w.closeHandle(create("\\d\\f"));
        calls.clear();
        Handle h = w.createFile("\\d\\f", GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
        assertNotNull(h);
        assertEquals(List.of("getSecurityByName(\\d\\f)", "open"), calls);
    }

    @Test
    void closeOfAnUnchangedHandleIsCloseAloneUnderPostCleanupWhenModifiedOnly() {
        // cleanup.c: such a Cleanup would carry SetLastAccessTime alone, which the FSD does not post
        Handle h = create("\\d\\f");
        calls.clear();
        assertTrue(w.closeHandle(h));
        assertEquals(List.of("close"), calls);
        assertFalse(w.closeHandle(h));
        assertEquals(ERROR_INVALID_HANDLE, w.getLastError());
    }

    @Test
    void createAlwaysOnAnExistingFileIsOpenThenOverwrite() {
        w.closeHandle(create("\\d\\f"));
        calls.clear();
        Handle h = w.createFile("\\d\\f", GENERIC_WRITE, 0, CREATE_ALWAYS, FILE_ATTRIBUTE_HIDDEN);
        assertNotNull(h);
        assertEquals(ERROR_ALREADY_EXISTS, w.getLastError());
        assertEquals(List.of("open", "overwrite"), calls.subList(calls.size() - 2, calls.size()));
    }

    @Test
    void createNewOnAnExistingFileIsFileExistsButMoveIsAlreadyExists() {
        w.closeHandle(create("\\d\\f"));
        w.closeHandle(create("\\d\\g"));
        assertNull(w.createFile("\\d\\f", GENERIC_READ, 0, CREATE_NEW, 0));
        assertEquals(ERROR_FILE_EXISTS, w.getLastError());
        assertFalse(w.moveFileEx("\\d\\f", "\\d\\g", 0));
        assertEquals(ERROR_ALREADY_EXISTS, w.getLastError());
    }

    @Test
    void missingLeafAndMissingParentAreTwoErrors() {
        assertNull(w.createFile("\\d\\nope", GENERIC_READ, 0, OPEN_EXISTING, 0));
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
        assertNull(w.createFile("\\d\\nodir\\nope", GENERIC_READ, 0, OPEN_EXISTING, 0));
        assertEquals(ERROR_PATH_NOT_FOUND, w.getLastError());
        assertNull(w.createFile("\\d\\nodir\\nope", GENERIC_READ, 0, CREATE_NEW, 0));
        assertEquals(ERROR_PATH_NOT_FOUND, w.getLastError());
    }

    @Test
    void aSharingViolationClosesTheOpenedContextWithoutCleanup() {
        Handle h1 = w.createFile("\\d\\f", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, CREATE_NEW, 0);
        assertNotNull(h1);
        calls.clear();
        assertNull(w.createFile("\\d\\f", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0));
        assertEquals(ERROR_SHARING_VIOLATION, w.getLastError());
        // create.c FspFsvolCreatePostClose: a create the FSD fails after the open gets Close alone
        assertEquals(List.of("getSecurityByName(\\d\\f)", "open", "close"), calls);
        // attributes-only opens take no part in share access
        Handle h2 = w.createFile("\\d\\f", FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0);
        assertNotNull(h2);
        w.closeHandle(h2);
        w.closeHandle(h1);
    }

    @Test
    void deleteIsDispositionThenCleanupWithTheDeleteFlagAndTheName() {
        w.closeHandle(create("\\d\\f"));
        calls.clear();
        assertTrue(w.deleteFile("\\d\\f"));
        List<String> tail = calls.subList(calls.indexOf("open"), calls.size());
        // the delete Cleanup also carries SetLastAccessTime: the FSD computes it independently of Delete
        int flags = CleanupFlags.DELETE | CleanupFlags.SET_LAST_ACCESS_TIME;
        assertEquals(List.of("open", "getFileInfo", "setDelete", "cleanup(\\d\\f," + flags + ")", "close"), tail);
        assertEquals("getSecurityByName(\\d\\f)", calls.get(0));
        assertFalse(w.deleteFile("\\d\\f"));
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
    }

    @Test
    void aReadonlyFileIsNotDeletedAndTheVolumeIsNotAskedToSetDelete() {
        Handle h = w.createFile("\\d\\r", GENERIC_WRITE, 0, CREATE_NEW, FILE_ATTRIBUTE_READONLY);
        w.closeHandle(h);
        calls.clear();
        assertFalse(w.deleteFile("\\d\\r"));
        assertEquals(ERROR_ACCESS_DENIED, w.getLastError());
        assertFalse(calls.contains("setDelete"), calls.toString());
    }

    @Test
    void opensFailWhileDeleteIsPendingAndTheLastCloseDeletes() {
        w.closeHandle(create("\\d\\f"));
        Handle h1 = w.createFile("\\d\\f", DELETE, FILE_SHARE_DELETE | FILE_SHARE_READ, OPEN_EXISTING, 0);
        Handle h2 = w.createFile("\\d\\f", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, OPEN_EXISTING, 0);
        assertTrue(w.setDisposition(h1, true));
        calls.clear();
        assertNull(w.createFile("\\d\\f", FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0));
        assertEquals(ERROR_ACCESS_DENIED, w.getLastError());
        assertTrue(calls.isEmpty(), "the FSD refuses by itself: " + calls);
        w.closeHandle(h1);
        assertEquals(List.of("close"), calls);
        calls.clear();
        w.closeHandle(h2);
        assertEquals(List.of("cleanup(\\d\\f," + (CleanupFlags.DELETE | CleanupFlags.SET_LAST_ACCESS_TIME) + ")", "close"),
                calls);
        assertEquals(INVALID_FILE_ATTRIBUTES, w.getFileAttributes("\\d\\f"));
    }

    @Test
    void deleteOnCloseOfANonEmptyDirectoryLeavesIt() {
        assertTrue(w.createDirectory("\\d\\sub", null));
        w.closeHandle(create("\\d\\sub\\f"));
        Handle h = w.createFile("\\d\\sub", DELETE, 0, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_DELETE_ON_CLOSE);
        assertNotNull(h);
        w.closeHandle(h);
        assertEquals(FILE_ATTRIBUTE_DIRECTORY, w.getFileAttributes("\\d\\sub"));
        assertFalse(w.removeDirectory("\\d\\sub"));
        assertEquals(ERROR_DIR_NOT_EMPTY, w.getLastError());
    }

    @Test
    void renameIsRefusedWhileTheTargetOrAFileBelowADirectoryIsOpen() {
        assertTrue(w.createDirectory("\\d\\a", null));
        Handle inner = create("\\d\\a\\f");
        assertFalse(w.moveFileEx("\\d\\a", "\\d\\b", 0));
        assertEquals(ERROR_ACCESS_DENIED, w.getLastError());
        w.closeHandle(inner);
        assertTrue(w.moveFileEx("\\d\\a", "\\d\\b", 0));
        Handle target = create("\\d\\t");
        w.closeHandle(create("\\d\\s"));
        assertFalse(w.moveFileEx("\\d\\s", "\\d\\t", MOVEFILE_REPLACE_EXISTING));
        assertEquals(ERROR_ACCESS_DENIED, w.getLastError());
        w.closeHandle(target);
        assertTrue(w.moveFileEx("\\d\\s", "\\d\\t", MOVEFILE_REPLACE_EXISTING));
    }

    @Test
    void anOpenHandleFollowsARename() {
        Handle h = w.createFile("\\d\\f", GENERIC_READ | DELETE, FILE_SHARE_READ | FILE_SHARE_DELETE, CREATE_NEW, 0);
        assertTrue(w.setRenameInformation(h, "g", false));
        assertEquals("\\d\\g", w.getFinalPathNameByHandle(h));
        w.closeHandle(h);
    }

    @Test
    void invalidNamesAreRefusedBeforeTheVolumeIsAsked() {
        for (String bad : List.of("\\d\\a*", "\\d\\a?", "\\d\\x:s\\y", "\\d\\f\\\\", "\\\\\\\\x", "d\\f")) {
            calls.clear();
            assertNull(w.createFile(bad, GENERIC_READ, 0, CREATE_NEW, 0), bad);
            assertEquals(ERROR_INVALID_NAME, w.getLastError(), bad);
            assertTrue(calls.isEmpty(), bad + ": " + calls);
        }
    }

    @Test
    void noBufferingNeedsSectorAlignment() {
        Handle h = w.createFile("\\d\\f", GENERIC_READ | GENERIC_WRITE, 0, CREATE_NEW, FILE_FLAG_NO_BUFFERING);
        assertEquals(-1, w.writeFile(h, new byte[100], 100));
        assertEquals(ERROR_INVALID_PARAMETER, w.getLastError());
        assertEquals(512, w.writeFile(h, new byte[512], 512));
        assertEquals(512, w.setFilePointer(h, 0, FILE_CURRENT));
        assertEquals(0, w.readFile(h, new byte[512], 512), "at end of file a synchronous read gives 0 bytes");
        w.closeHandle(h);
    }

    @Test
    void anAppendOnlyHandleWritesAtTheEnd() {
        Handle h = w.createFile("\\d\\f", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW, 0);
        assertEquals(3, w.writeFile(h, new byte[] {1, 2, 3}, 3));
        Handle a = w.createFile("\\d\\f", FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
        assertEquals(2, w.writeFile(a, new byte[] {4, 5}, 2));
        byte[] got = new byte[8];
        w.setFilePointer(h, 0, FILE_BEGIN);
        assertEquals(5, w.readFile(h, got, 8));
        assertEquals(5, got[4]);
        w.closeHandle(a);
        w.closeHandle(h);
    }

    @Test
    void aWriteMakesTheCleanupAskForTheArchiveBitAndTimes() {
        Handle h = create("\\d\\f");
        w.writeFile(h, new byte[] {1}, 1);
        calls.clear();
        w.closeHandle(h);
        // the write grew the file, so TruncateOnClose is set and this last handle asks for the trim
        int flags = CleanupFlags.SET_ALLOCATION_SIZE | CleanupFlags.SET_ARCHIVE_BIT | CleanupFlags.SET_LAST_ACCESS_TIME
                | CleanupFlags.SET_LAST_WRITE_TIME | CleanupFlags.SET_CHANGE_TIME;
        assertEquals(List.of("cleanup(null," + flags + ")", "close"), calls);
    }

    @Test
    void listingsContinueAfterTheLastNameAndMatchPatterns() {
        for (int i = 0; i < 150; i++) {
            w.closeHandle(create("\\d\\file" + i));
        }
        w.createDirectory("\\d\\dir", null);
        calls.clear();
        Win32Structs.FindHandle f = w.findFirstFile("\\d\\file*");
        assertNotNull(f);
        int n = 1;
        while (w.findNextFile(f) != null) {
            n++;
        }
        assertEquals(150, n);
        assertEquals(ERROR_NO_MORE_FILES, w.getLastError());
        // the volume filters by the pattern: 150 = 64 + 64 + 22, the third page ends the listing
        assertEquals(3, calls.stream().filter(c -> c.equals("readDirectory")).count(), "paged: " + calls);
        assertNull(w.findFirstFile("\\d\\zz*"));
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
        assertNull(w.findFirstFile("\\d\\nodir\\*"));
        assertEquals(ERROR_PATH_NOT_FOUND, w.getLastError());
    }

    @Test
    void everyHandleIsClosedByCloseAll() {
        create("\\d\\f");
        w.createFile("\\d\\g", GENERIC_READ, FILE_SHARE_READ, CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE);
        assertEquals(2, w.openHandleCount());
        w.closeAll();
        assertEquals(0, w.openHandleCount());
        assertEquals(INVALID_FILE_ATTRIBUTES, w.getFileAttributes("\\d\\g"));
    }

    @Test
    void patternsMatchLikeFsRtlIsNameInExpression() {
        assertTrue(Wildcard.matches("file*", "file12", false));
        assertTrue(Wildcard.matches("f?le", "file", false));
        assertFalse(Wildcard.matches("file*", "File1", false));
        assertTrue(Wildcard.matches("file*", "File1", true));
        assertTrue(Wildcard.matches("*", ".", false));
        assertFalse(Wildcard.matches("a*b", "ac", false));
    }

    @Test
    void fileSecurityByPathReadsAndSetsTheDacl() {
        w.closeHandle(create("\\d\\f"));
        assertTrue(w.setFileSecurity("\\d\\f", DACL_SECURITY_INFORMATION, SecurityDescriptor.fromSddl("D:P(A;;GA;;;WD)")));
        SecurityDescriptor sd = w.getFileSecurity("\\d\\f", DACL_SECURITY_INFORMATION);
        assertNotNull(sd);
        assertEquals(SecurityDescriptor.fromSddl("D:P(A;;FA;;;WD)").dacl(), sd.dacl(), "generic rights mapped");
        assertNull(sd.owner(), "only the parts asked for");
        assertNull(w.getFileSecurity("\\d\\nope", DACL_SECURITY_INFORMATION));
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
    }

    @Test
    void symlinksAreFollowedUnlessTheReparsePointItselfIsOpened() {
        w.closeHandle(create("\\d\\target"));
        assertTrue(w.createSymbolicLink("\\d\\rel", "target", 0));
        assertTrue(w.createSymbolicLink("\\d\\abs", "\\d\\target", 0));
        for (String link : List.of("\\d\\rel", "\\d\\abs")) {
            Handle h = w.createFile(link, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
            assertNotNull(h, link);
            assertEquals("\\d\\target", w.getFinalPathNameByHandle(h));
            w.closeHandle(h);
            Handle r = w.createFile(link, FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT);
            assertEquals(link, w.getFinalPathNameByHandle(r));
            byte[] data = w.getReparsePoint(r);
            assertEquals(IO_REPARSE_TAG_SYMLINK, ReparseData.tag(data));
            w.closeHandle(r);
        }
        assertEquals("\\??\\V:\\d\\target", ReparseData.symlinkSubstituteName(
                memfsReparse("\\d\\abs")), "a rooted target is stored as CreateSymbolicLinkW stores it");
        assertTrue(w.createSymbolicLink("\\d\\loop", "loop", 0));
        assertNull(w.createFile("\\d\\loop", GENERIC_READ, 0, OPEN_EXISTING, 0));
        assertEquals(ERROR_CANT_RESOLVE_FILENAME, w.getLastError());
    }

    private byte[] memfsReparse(String path) {
        Handle r = w.createFile(path, FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT);
        byte[] data = w.getReparsePoint(r);
        w.closeHandle(r);
        return data;
    }

    @Test
    void anExactNameIsOneGetDirInfoByName() {
        w.closeHandle(create("\\d\\exact"));
        calls.clear();
        Win32Structs.FindHandle f = w.findFirstFile("\\d\\exact");
        assertNotNull(f);
        assertEquals("exact", w.findFirstData(f).fileName());
        assertTrue(calls.contains("getDirInfoByName") && !calls.contains("readDirectory"), calls.toString());
        assertNull(w.findFirstFile("\\d\\absent"));
        assertEquals(ERROR_FILE_NOT_FOUND, w.getLastError());
    }
}
