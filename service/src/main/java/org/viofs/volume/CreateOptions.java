package org.viofs.volume;

/**
 * The CreateOptions word WinFsp passes to Create and Open: NtCreateFile's options in the low 24
 * bits, the disposition in the high 8 (docs/winfsp-native.md §1.4).
 */
public final class CreateOptions {
    private CreateOptions() {
    }

    public static final int FILE_DIRECTORY_FILE = 0x00000001;
    public static final int FILE_WRITE_THROUGH = 0x00000002;
    public static final int FILE_SEQUENTIAL_ONLY = 0x00000004;
    public static final int FILE_NO_INTERMEDIATE_BUFFERING = 0x00000008;
    public static final int FILE_NON_DIRECTORY_FILE = 0x00000040;
    /** The opener does not understand EAs: a file with a FILE_NEED_EA entry must not open (wdm.h). */
    public static final int FILE_NO_EA_KNOWLEDGE = 0x00000200;
    public static final int FILE_DELETE_ON_CLOSE = 0x00001000;
    public static final int FILE_OPEN_FOR_BACKUP_INTENT = 0x00004000;
    public static final int FILE_OPEN_REPARSE_POINT = 0x00200000;

    public static final int FILE_SUPERSEDE = 0;
    public static final int FILE_OPEN = 1;
    public static final int FILE_CREATE = 2;
    public static final int FILE_OPEN_IF = 3;
    public static final int FILE_OVERWRITE = 4;
    public static final int FILE_OVERWRITE_IF = 5;

    /** The disposition (FILE_SUPERSEDE … FILE_OVERWRITE_IF) held in the high 8 bits. */
    public static int disposition(int createOptions) {
        return createOptions >>> 24;
    }
}
