package org.viofs.conformance;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.volume.*;

class ScratchDebugIT {
    @Test
    void run(@TempDir Path dir) throws Exception {
        try (ConformanceTarget t = ConformanceTarget.startOwn(KnownUnsupported.Mode.XATTR, dir)) {
            Win32Facade w = new Win32Facade(t.volume(), t.options());
            System.out.println("ROOT " + SecuritySections.show(t.volume().getSecurityByName("\\").securityDescriptor()));
            w.createDirectory("\\d1", CreateCases.sddl("D:P(A;;GRGWSD;;;WD)"));
            System.out.println("D1 " + SecuritySections.show(t.volume().getSecurityByName("\\d1").securityDescriptor()));
            Win32Facade.Handle h = w.createFile("\\f1", Win32.GENERIC_READ | Win32.GENERIC_WRITE, 0, CreateCases.sddl("D:P(A;;SD;;;WD)"), Win32.CREATE_NEW, 0);
            w.closeHandle(h);
            System.out.println("F1 " + SecuritySections.show(t.volume().getSecurityByName("\\f1").securityDescriptor()));
            boolean ok = w.createSymbolicLink("\\l1", "\\f1", 0);
            System.out.println("SYMLINK " + ok + " " + Integer.toHexString(w.getLastStatus()));
            ok = w.createSymbolicLink("\\l2", "f1", 0);
            System.out.println("SYMLINK rel " + ok + " " + Integer.toHexString(w.getLastStatus()));
            h = w.createFile("\\l3", Win32.FILE_WRITE_ATTRIBUTES | Win32.DELETE, 0, Win32.CREATE_NEW, Win32.FILE_FLAG_OPEN_REPARSE_POINT);
            System.out.println("create l3 " + h + " " + Integer.toHexString(w.getLastStatus()));
            try {
                t.volume().setReparsePoint(h.context, "\\l3", ReparseData.symlink("\\??\\V:\\f1", "\\f1", false));
            } catch (Exception e) { e.printStackTrace(System.out); }
        }
    }
}
