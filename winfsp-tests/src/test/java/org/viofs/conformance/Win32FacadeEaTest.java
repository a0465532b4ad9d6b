package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.conformance.Win32.*;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.EaBuffers.FullEa;
import org.viofs.conformance.Win32Structs.IoStatusBlock;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.Ea;
import org.viofs.volume.NtStatus;
import org.viofs.volume.VolumeOperations;

/**
 * The EA calls of the facade: which volume callbacks each issues (none when the FSD answers
 * alone), and the per-handle enumeration state the FSD keeps (src/sys/ea.c).
 */
class Win32FacadeEaTest {
    private final List<String> calls = new ArrayList<>();

    private Win32Facade facade(boolean eas) {
        InMemoryVolume memfs = new InMemoryVolume(false, eas);
        VolumeOperations recording = (VolumeOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getSecurityByName") && !method.getName().equals("supportsEas")) {
                        calls.add(method.getName());
                    }
                    try {
                        return method.invoke(memfs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Win32Facade w = new Win32Facade(recording, FacadeOptions.defaults());
        assertTrue(w.createDirectory("\\d", null));
        calls.clear();
        return w;
    }

    private static final byte[] TWO = EaBuffers.full(List.of(FullEa.of("one", 0, "1"), FullEa.of("Two", 0, "22")));

    private static Handle file(Win32Facade w, int access) {
        Handle h = w.createFile("\\d\\f", access, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_ALWAYS, 0);
        assertNotNull(h);
        return h;
    }

    @Test
    void anEaBufferAtCreateGoesToCreateExDecoded() {
        Win32Facade w = facade(true);
        Handle h = w.ntCreateFile("\\d\\f", FILE_GENERIC_READ | FILE_GENERIC_WRITE, 0, null, CreateOptions.FILE_CREATE, 0,
                0, 0, TWO, TWO.length);
        assertNotNull(h, "0x" + Integer.toHexString(w.getLastStatus()));
        assertEquals(List.of("createWithEas"), calls);
        calls.clear();
        IoStatusBlock r = w.ntQueryEaFile(h, new byte[64], 64, false, null, 0, null, false);
        assertEquals(new IoStatusBlock(NtStatus.SUCCESS, 8 + 3 + 1 + 1 + 3 + 8 + 3 + 1 + 2), r);
        assertEquals(List.of("getEa"), calls, "one GetEa; the filtering is the FSD's");
    }

    @Test
    void anOverwriteGoesToOverwriteExEvenWithoutAnEaBuffer() {
        Win32Facade w = facade(true);
        w.closeHandle(w.ntCreateFile("\\d\\f", FILE_GENERIC_WRITE, 0, null, CreateOptions.FILE_CREATE, 0, 0, 0, TWO,
                TWO.length));
        calls.clear();
        Handle h = w.ntCreateFile("\\d\\f", FILE_GENERIC_READ | FILE_GENERIC_WRITE, 0, null,
                CreateOptions.FILE_OVERWRITE, 0, 0, 0);
        assertNotNull(h);
        assertEquals(List.of("open", "overwriteWithEas"), calls);
        // NTFS drops every EA on overwrite
        assertEquals(NtStatus.NO_EAS_ON_FILE, w.ntQueryEaFile(h, new byte[64], 64, false, null, 0, null, false).status());
    }

    @Test
    void withoutExtendedAttributesTheFsdAnswersAloneAndTheVolumeIsNeverAsked() {
        Win32Facade w = facade(false);
        assertNull(w.ntCreateFile("\\d\\f", FILE_GENERIC_WRITE, 0, null, CreateOptions.FILE_CREATE, 0, 0, 0, TWO,
                TWO.length));
        assertEquals(NtStatus.EAS_NOT_SUPPORTED, w.getLastStatus());
        assertEquals(List.of(), calls);
        Handle h = file(w, GENERIC_READ | GENERIC_WRITE);
        calls.clear();
        assertEquals(NtStatus.INVALID_DEVICE_REQUEST, w.ntSetEaFile(h, TWO, TWO.length).status());
        assertEquals(NtStatus.INVALID_DEVICE_REQUEST,
                w.ntQueryEaFile(h, new byte[64], 64, false, null, 0, null, false).status());
        assertEquals(List.of(), calls);
        // and a create without a buffer is a plain Create, not CreateEx
        w.closeHandle(h);
        w.deleteFile("\\d\\f");
        calls.clear();
        w.closeHandle(file(w, GENERIC_READ));
        assertEquals("create", calls.get(0));
    }

    @Test
    void theFsdRefusesBadBuffersAndNoEaKnowledgeBeforeTheVolume() {
        Win32Facade w = facade(true);
        byte[] bad = EaBuffers.full(List.of(FullEa.of("ok", 0, "1"), FullEa.of("no?", 0, "2")));
        assertNull(w.ntCreateFile("\\d\\f", FILE_GENERIC_WRITE, 0, null, CreateOptions.FILE_CREATE, 0, 0, 0, bad,
                bad.length));
        assertEquals(NtStatus.INVALID_EA_NAME, w.getLastStatus());
        assertNull(w.ntCreateFile("\\d\\f", FILE_GENERIC_WRITE, 0, null, CreateOptions.FILE_CREATE, FILE_NO_EA_KNOWLEDGE,
                0, 0, TWO, TWO.length));
        assertEquals(NtStatus.ACCESS_DENIED, w.getLastStatus());
        assertNull(w.ntCreateFile("\\d\\f", FILE_GENERIC_WRITE, 0, null, CreateOptions.FILE_CREATE, 0, 0, 0, TWO,
                TWO.length - 1));
        assertEquals(NtStatus.EA_LIST_INCONSISTENT, w.getLastStatus());
        assertEquals(List.of(), calls);
        Handle h = file(w, GENERIC_READ | GENERIC_WRITE);
        calls.clear();
        // Information is the offending entry's offset: "ok"=1 takes 8 + 2 + 1 + 1 = 12 bytes
        assertEquals(new IoStatusBlock(NtStatus.INVALID_EA_NAME, 12), w.ntSetEaFile(h, bad, bad.length));
        assertEquals(List.of(), calls);
    }

    @Test
    void eaCallsNeedEaAccessOnTheHandle() {
        Win32Facade w = facade(true);
        Handle h = file(w, FILE_READ_DATA | FILE_WRITE_DATA);
        calls.clear();
        assertEquals(NtStatus.ACCESS_DENIED, w.ntSetEaFile(h, TWO, TWO.length).status());
        assertEquals(NtStatus.ACCESS_DENIED, w.ntQueryEaFile(h, new byte[64], 64, false, null, 0, null, false).status());
        assertEquals(List.of(), calls);
    }

    @Test
    void theCursorIsPerHandleAndAChangeThroughAnyHandleCorruptsAnOpenEnumeration() {
        Win32Facade w = facade(true);
        Handle a = file(w, GENERIC_READ | GENERIC_WRITE);
        Handle b = w.createFile("\\d\\f", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                OPEN_EXISTING, 0);
        assertEquals(NtStatus.SUCCESS, w.ntSetEaFile(a, TWO, TWO.length).status());
        byte[] out = new byte[64];
        // a reads one entry, b reads both: separate cursors
        assertEquals(NtStatus.SUCCESS, w.ntQueryEaFile(a, out, 64, true, null, 0, null, false).status());
        assertEquals("ONE", EaBuffers.parseFull(out, 13).get(0).nameString());
        assertEquals(NtStatus.SUCCESS, w.ntQueryEaFile(b, out, 64, false, null, 0, null, false).status());
        assertEquals(NtStatus.SUCCESS, w.ntQueryEaFile(a, out, 64, true, null, 0, null, false).status());
        assertEquals("TWO", EaBuffers.parseFull(out, 14).get(0).nameString());
        assertEquals(NtStatus.NO_MORE_EAS, w.ntQueryEaFile(a, out, 64, true, null, 0, null, false).status());
        // b changes the EAs: a's next continuation is refused, a restart or an index is fine
        assertEquals(NtStatus.SUCCESS, w.ntSetEaFile(b, EaBuffers.full(List.of(FullEa.of("one", 0, ""))), 12).status());
        assertEquals(NtStatus.EA_CORRUPT_ERROR, w.ntQueryEaFile(a, out, 64, false, null, 0, null, false).status());
        assertEquals(NtStatus.SUCCESS, w.ntQueryEaFile(a, out, 64, false, null, 0, 1, false).status());
        assertEquals(NtStatus.NO_MORE_EAS, w.ntQueryEaFile(a, out, 64, false, null, 0, null, false).status());
        assertEquals(NtStatus.SUCCESS, w.ntQueryEaFile(a, out, 64, false, null, 0, null, true).status());
        assertEquals(List.of("TWO"), EaBuffers.parseFull(out, 14).stream().map(FullEa::nameString).toList());
    }

    @Test
    void aNeedEaEntryBarsOpensWithoutEaKnowledge() {
        Win32Facade w = facade(true);
        byte[] need = EaBuffers.full(List.of(FullEa.of("must", Ea.FILE_NEED_EA, "x")));
        w.closeHandle(w.ntCreateFile("\\d\\f", FILE_GENERIC_WRITE, 0, null, CreateOptions.FILE_CREATE, 0, 0, 0, need,
                need.length));
        assertNull(w.ntCreateFile("\\d\\f", FILE_GENERIC_READ, 0, null, CreateOptions.FILE_OPEN, FILE_NO_EA_KNOWLEDGE, 0,
                0));
        assertEquals(NtStatus.ACCESS_DENIED, w.getLastStatus());
        Handle h = w.ntCreateFile("\\d\\f", FILE_GENERIC_READ, 0, null, CreateOptions.FILE_OPEN, 0, 0, 0);
        assertNotNull(h);
    }
}
