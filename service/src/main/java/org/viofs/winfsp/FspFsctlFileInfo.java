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

    /** Writes {@code f} into the 72 bytes at {@code p}. */
    public static void write(Pointer p, FileInfo f) {
        FspFsctlFileInfo s = new FspFsctlFileInfo(p);
        s.set(f);
        s.write();
    }

    /** Reads the 72 bytes at {@code p}. */
    public static FileInfo read(Pointer p) {
        FspFsctlFileInfo s = new FspFsctlFileInfo(p);
        s.read();
        return new FileInfo(s.FileAttributes, s.ReparseTag, s.AllocationSize, s.FileSize, s.CreationTime,
                s.LastAccessTime, s.LastWriteTime, s.ChangeTime, s.IndexNumber, s.HardLinks, s.EaSize);
    }
}
