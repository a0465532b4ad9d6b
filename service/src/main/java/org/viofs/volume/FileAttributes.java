package org.viofs.volume;

/** Windows FILE_ATTRIBUTE_* bits (winnt.h). */
public final class FileAttributes {
    private FileAttributes() {
    }

    public static final int READONLY = 0x00000001;
    public static final int HIDDEN = 0x00000002;
    public static final int SYSTEM = 0x00000004;
    public static final int DIRECTORY = 0x00000010;
    public static final int ARCHIVE = 0x00000020;
    public static final int DEVICE = 0x00000040;
    public static final int NORMAL = 0x00000080;
    public static final int TEMPORARY = 0x00000100;
    public static final int SPARSE_FILE = 0x00000200;
    public static final int REPARSE_POINT = 0x00000400;
    public static final int COMPRESSED = 0x00000800;
    public static final int OFFLINE = 0x00001000;
    public static final int NOT_CONTENT_INDEXED = 0x00002000;
    public static final int ENCRYPTED = 0x00004000;
    /** SetBasicInfo's "leave the attributes unchanged" (docs/winfsp-native.md §2, slot 12). */
    public static final int INVALID_FILE_ATTRIBUTES = 0xFFFFFFFF;
}
