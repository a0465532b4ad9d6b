package org.viofs.conformance;

import org.viofs.volume.NtStatus;

/**
 * What a restated case gets: the facade, its own fresh directory on the volume, and ASSERT.
 *
 * <p>{@link #ok} is winfsp-tests' {@code ASSERT(expr)}: the expression text is passed along so a
 * failure reads like the upstream line, with the last NTSTATUS and Win32 error
 * ({@code ASSERT(ERROR_FILE_EXISTS == GetLastError()) failed (err=0xC0000035:183)}).
 */
public final class CaseContext {
    private final Win32Facade w;
    private final String dir;
    private final String caseName;

    public CaseContext(Win32Facade facade, String directory, String caseName) {
        this.w = facade;
        this.dir = directory;
        this.caseName = caseName;
    }

    public Win32Facade w() {
        return w;
    }

    /** The case's directory ({@code \run\case_name}), like winfsp-tests' GetTestDirectory. */
    public String dir() {
        return dir;
    }

    public String caseName() {
        return caseName;
    }

    /** A path in the case's directory. */
    public String path(String relative) {
        return dir + "\\" + relative;
    }

    /** ASSERT(expr). */
    public void ok(boolean condition, String expression) {
        if (!condition) {
            throw new CaseFailure(String.format("ASSERT(%s) failed (err=0x%08X:%d)", expression, w.getLastStatus(),
                    w.getLastError()) + lastStatusName());
        }
    }

    private String lastStatusName() {
        String name = NtStatus.name(w.getLastStatus());
        return name == null ? "" : " [" + name + "]";
    }

    /** ASSERT(expected == GetLastError()). */
    public void lastError(int expected, String expectedName) {
        ok(expected == w.getLastError(), expectedName + " == GetLastError()");
    }
}
