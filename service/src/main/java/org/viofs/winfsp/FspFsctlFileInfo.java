package org.viofs.winfsp;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import org.viofs.volume.FileInfo;

/** {@code FSP_FSCTL_FILE_INFO}, 72 bytes (docs/winfsp-native.md §1.3). */
@Structure.FieldOrder({"FileAttributes", "ReparseTag", "AllocationSize", "FileSize", "CreationTime",
        "LastAccessTime", "LastWriteTime", "ChangeTime", "IndexNumber", "HardLinks", "EaSize"})
public class FspFsctlFileInfo extends Structure {
    public static final int SIZE = 72;

    public int FileAttributes;
    public int ReparseTag;
    public long AllocationSize;
    public long FileSize;
    public long CreationTime;
    public long LastAccessTime;
    public long LastWriteTime;
    public long ChangeTime;
    public long IndexNumber;
    public int HardLinks;
    public int EaSize;

    public FspFsctlFileInfo() {
    }

    public FspFsctlFileInfo(Pointer p) {
        super(p);
    }

    /** Copies a volume record into the fields (no native write). */
    public void set(FileInfo f) {
        FileAttributes = f.fileAttributes();
        ReparseTag = f.reparseTag();
        AllocationSize = f.allocationSize();
        FileSize = f.fileSize();
        CreationTime = f.creationTime();
        LastAccessTime = f.lastAccessTime();
        LastWriteTime = f.lastWriteTime();
        ChangeTime = f.changeTime();
        IndexNumber = f.indexNumber();
        HardLinks = f.hardLinks();
        EaSize = f.eaSize();
    }

    // Field offsets, taken once from this Structure's own layout (which WinFspLayoutTest asserts against
    // docs/winfsp-native.md §1.3): write() stores through them directly, because building a Structure per
    // call (reflection over eleven fields) was most of what GetFileInfo cost in the binding.
    private static final long OFF_FILE_ATTRIBUTES;
    private static final long OFF_REPARSE_TAG;
    private static final long OFF_ALLOCATION_SIZE;
    private static final long OFF_FILE_SIZE;
    private static final long OFF_CREATION_TIME;
    private static final long OFF_LAST_ACCESS_TIME;
    private static final long OFF_LAST_WRITE_TIME;
    private static final long OFF_CHANGE_TIME;
    private static final long OFF_INDEX_NUMBER;
    private static final long OFF_HARD_LINKS;
    private static final long OFF_EA_SIZE;

    static {
        FspFsctlFileInfo layout = new FspFsctlFileInfo();
        if (layout.size() != SIZE) {
            throw new ExceptionInInitializerError("FSP_FSCTL_FILE_INFO laid out in " + layout.size() + " bytes, not " + SIZE);
        }
        OFF_FILE_ATTRIBUTES = layout.fieldOffset("FileAttributes");
        OFF_REPARSE_TAG = layout.fieldOffset("ReparseTag");
        OFF_ALLOCATION_SIZE = layout.fieldOffset("AllocationSize");
        OFF_FILE_SIZE = layout.fieldOffset("FileSize");
        OFF_CREATION_TIME = layout.fieldOffset("CreationTime");
        OFF_LAST_ACCESS_TIME = layout.fieldOffset("LastAccessTime");
        OFF_LAST_WRITE_TIME = layout.fieldOffset("LastWriteTime");
        OFF_CHANGE_TIME = layout.fieldOffset("ChangeTime");
        OFF_INDEX_NUMBER = layout.fieldOffset("IndexNumber");
        OFF_HARD_LINKS = layout.fieldOffset("HardLinks");
        OFF_EA_SIZE = layout.fieldOffset("EaSize");
    }

    /**
     * Writes {@code f} into the 72 bytes at {@code p}, field by field at this Structure's offsets (the
     * same bytes {@link #set} + {@link Structure#write()} produce; no padding lies between the fields).
     */
    public static void write(Pointer p, FileInfo f) {
        p.setInt(OFF_FILE_ATTRIBUTES, f.fileAttributes());
        p.setInt(OFF_REPARSE_TAG, f.reparseTag());
        p.setLong(OFF_ALLOCATION_SIZE, f.allocationSize());
        p.setLong(OFF_FILE_SIZE, f.fileSize());
        p.setLong(OFF_CREATION_TIME, f.creationTime());
        p.setLong(OFF_LAST_ACCESS_TIME, f.lastAccessTime());
        p.setLong(OFF_LAST_WRITE_TIME, f.lastWriteTime());
        p.setLong(OFF_CHANGE_TIME, f.changeTime());
        p.setLong(OFF_INDEX_NUMBER, f.indexNumber());
        p.setInt(OFF_HARD_LINKS, f.hardLinks());
        p.setInt(OFF_EA_SIZE, f.eaSize());
    }

    /** Reads the 72 bytes at {@code p}. */
    public static FileInfo read(Pointer p) {
        FspFsctlFileInfo s = new FspFsctlFileInfo(p);
        s.read();
        return new FileInfo(s.FileAttributes, s.ReparseTag, s.AllocationSize, s.FileSize, s.CreationTime,
                s.LastAccessTime, s.LastWriteTime, s.ChangeTime, s.IndexNumber, s.HardLinks, s.EaSize);
    }
}
