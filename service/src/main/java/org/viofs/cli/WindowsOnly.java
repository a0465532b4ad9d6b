package org.viofs.cli;

import com.sun.jna.Platform;

/** The check every Windows-only command makes first: on another system it exits 5 with one line. */
final class WindowsOnly {
    private WindowsOnly() {
    }

    static boolean isWindows() {
        return Platform.isWindows();
    }

    /**
     * @param what the command, e.g. "viofs mount"
     * @param hint what to do instead on this system, or null
     * @throws ExitCodes.UserError with {@link ExitCodes#MISSING_DEPENDENCY} when this is not Windows
     */
    static void require(String what, String hint) {
        if (!isWindows()) {
            throw new ExitCodes.UserError(ExitCodes.MISSING_DEPENDENCY, what + " needs Windows, WinFsp and viofs.sys"
                    + " (virtio-win); this is " + System.getProperty("os.name") + (hint == null ? "" : "; " + hint));
        }
    }
}
