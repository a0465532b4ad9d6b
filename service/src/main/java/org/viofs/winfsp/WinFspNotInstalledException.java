package org.viofs.winfsp;

/** winfsp-x64.dll could not be loaded: WinFsp is missing or broken. The message says what was tried. */
public class WinFspNotInstalledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WinFspNotInstalledException(String message, Throwable cause) {
        super(message, cause);
    }
}
