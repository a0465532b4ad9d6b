package org.viofs.conformance;

import static org.viofs.conformance.ConformanceCase.Availability.OPTIONAL;
import static org.viofs.conformance.ConformanceCase.Availability.REGULAR;
import static org.viofs.conformance.Win32.*;

import java.util.List;

/** The cases of winfsp-tests {@code tst/winfsp-tests/security-test.c}. */
final class SecurityCases {
    private SecurityCases() {
    }

    static final String FILE = "security-test.c";
    private static final int RW = GENERIC_READ | GENERIC_WRITE;
    private static final int SHARE_RW = FILE_SHARE_READ | FILE_SHARE_WRITE;

    static List<ConformanceCase> cases() {
        return List.of(
                ConformanceCase.portable("getsecurity_test", FILE, REGULAR, SecurityCases::getsecurityTest),
                ConformanceCase.portable("setsecurity_test", FILE, REGULAR, SecurityCases::setsecurityTest),
                ConformanceCase.portable("security_stress_meta_test", FILE, OPTIONAL, SecurityCases::securityStressMetaTest));
    }

    /** Asking for owner+group returns both and no DACL; asking for the DACL returns it alone; no SACL either way. */
    static void getsecurityTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CreateCases.sddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;WD)"),
                CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        h = w.createFile(file0, RW, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");

        int info = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION;
        c.ok(w.getSecurityLength(h, info) > 0, "!Success");
        c.lastError(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER");
        SecurityDescriptor sd = w.getSecurity(h, info);
        c.ok(sd != null, "Success");
        c.ok(sd.owner() != null, "0 != Owner");
        c.ok(sd.group() != null, "0 != Group");
        c.ok(!sd.daclPresent(), "!DaclPresent");

        c.ok(w.getSecurityLength(h, DACL_SECURITY_INFORMATION) > 0, "!Success");
        c.lastError(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER");
        sd = w.getSecurity(h, DACL_SECURITY_INFORMATION);
        c.ok(sd != null, "Success");
        c.ok(sd.owner() == null, "0 == Owner");
        c.ok(sd.group() == null, "0 == Group");
        c.ok(sd.daclPresent(), "DaclPresent");
        c.ok(sd.dacl() != null, "0 != Dacl");
        w.closeHandle(h);
    }

    /**
     * SetKernelObjectSecurity(DACL) keeps owner and group, and the DACL reads back with generic
     * rights mapped: "D:P(A;;FA;;;SY)(A;;FA;;;BA)".
     */
    static void setsecurityTest(CaseContext c) {
        Win32Facade w = c.w();
        String file0 = c.path("file0");
        Handle h = w.createFile(file0, RW, SHARE_RW, CreateCases.sddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;WD)"),
                CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");
        w.closeHandle(h);
        h = w.createFile(file0, RW | WRITE_DAC, SHARE_RW, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE);
        c.ok(h != null, "INVALID_HANDLE_VALUE != Handle");

        int info = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
        c.ok(w.getSecurityLength(h, info) > 0, "!Success");
        c.lastError(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER");
        SecurityDescriptor sd1 = w.getSecurity(h, info);
        c.ok(sd1 != null, "Success");
        c.ok(sd1.owner() != null, "0 != Owner");
        c.ok(sd1.group() != null, "0 != Group");
        c.ok(sd1.daclPresent() && sd1.dacl() != null, "DaclPresent && 0 != Dacl");

        c.ok(w.setSecurity(h, DACL_SECURITY_INFORMATION, SecurityDescriptor.fromSddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)")),
                "Success /* SetKernelObjectSecurity */");

        c.ok(w.getSecurityLength(h, info) > 0, "!Success");
        c.lastError(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER");
        SecurityDescriptor sd2 = w.getSecurity(h, info);
        c.ok(sd2 != null, "Success");
        c.ok(sd2.owner() != null, "0 != Owner2");
        c.ok(sd2.group() != null, "0 != Group2");
        c.ok(sd2.daclPresent() && sd2.dacl() != null, "DaclPresent && 0 != Dacl2");
        c.ok(sd1.owner().equals(sd2.owner()), "EqualSid(Owner, Owner2)");
        c.ok(sd1.group().equals(sd2.group()), "EqualSid(Group, Group2)");
        SecurityDescriptor expected = SecurityDescriptor.fromSddl("D:P(A;;FA;;;SY)(A;;FA;;;BA)");
        c.ok(expected.dacl().equals(sd2.dacl()) && (sd2.control() & SecurityDescriptor.SE_DACL_PROTECTED) != 0,
                "0 == wcscmp(L\"D:P(A;;FA;;;SY)(A;;FA;;;BA)\", ConvertedSddl) /* was " + sddlOf(sd2) + " */");
        w.closeHandle(h);
    }

    /** The DACL part of a descriptor in SDDL-like form, for failure messages. */
    static String sddlOf(SecurityDescriptor sd) {
        StringBuilder s = new StringBuilder("D:");
        if ((sd.control() & SecurityDescriptor.SE_DACL_PROTECTED) != 0) {
            s.append('P');
        }
        if (sd.dacl() != null) {
            for (SecurityDescriptor.Ace a : sd.dacl()) {
                s.append(String.format("(%s;0x%x;0x%08x;;;%s)", a.type() == 0 ? "A" : "D", a.flags(), a.mask(), a.sid()));
            }
        }
        return s.toString();
    }

    /** 200 files open at once (twice the FSD's security cache), each asked for its descriptor size. */
    static void securityStressMetaTest(CaseContext c) {
        Win32Facade w = c.w();
        int numFiles = 200;
        c.ok(w.createDirectory(c.path("dir1"), null), "Success");
        Handle[] handles = new Handle[numFiles];
        for (int j = 0; j < numFiles; j++) {
            handles[j] = w.createFile(c.path("dir1\\file" + (j + 1)), GENERIC_ALL, 0, CREATE_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE);
            c.ok(handles[j] != null, "INVALID_HANDLE_VALUE != Handles[j]");
        }
        int info = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
        for (int j = 0; j < numFiles; j++) {
            c.ok(w.getSecurityLength(handles[j], info) > 0, "!Success");
            c.lastError(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER");
        }
        for (int j = 0; j < numFiles; j++) {
            c.ok(w.closeHandle(handles[j]), "Success");
        }
        c.ok(w.removeDirectory(c.path("dir1")), "Success");
    }
}
