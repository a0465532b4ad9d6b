package org.viofs.winfsp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.viofs.volume.DirInfo;
import org.viofs.volume.DirSink;
import org.viofs.volume.Ea;
import org.viofs.volume.FileContext;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.OpenFileInfo;
import org.viofs.volume.OpenResult;
import org.viofs.volume.ReparseResolution;
import org.viofs.volume.SecurityByName;
import org.viofs.volume.StreamInfo;
import org.viofs.volume.VolumeInfo;
import org.viofs.volume.VolumeOperations;
import org.viofs.volume.WriteResult;

/**
 * A small in-memory volume: one file ({@link #FILE}) with {@link #content}, a directory listing
 * ({@link #listing}), fixed security; it records every call as text and can be told to fail. With
 * {@link #eas} set it keeps one list of extended attributes ({@link #storedEas}) for every file.
 */
class FakeVolume implements VolumeOperations {
    static final String FILE = "\\dir\\file.txt";
    static final FileInfo INFO = new FileInfo(0x20, 0, 4096, 11, 1L, 2L, 3L, 4L, 77L, 1, 0);

    /** A context naming the file it was opened for. */
    record Ctx(String name) implements FileContext {
    }

    final List<String> calls = new ArrayList<>();
    byte[] content = "hello world".getBytes();
    byte[] security = SelfRelativeSecurityDescriptorTest.ownerGroupDacl();
    List<DirInfo> listing = new ArrayList<>();
    boolean listingEndsWithMarkerAfter;
    String normalizedName;
    /** Open returns an OpenFileInfo without FileInfo, so the binding fails after the volume opened. */
    boolean brokenOpenInfo;
    Throwable failure;
    ByteBuffer lastWrite;
    byte[] lastSecurity;
    byte[] lastReparse;
    /** supportsEas(). */
    boolean eas;
    /** isReadOnly(). */
    boolean readOnly;
    /** What getEa returns; createWithEas, overwriteWithEas and setEa replace or edit it. */
    List<Ea> storedEas = new ArrayList<>();
    /** The list the last EA call received. */
    List<Ea> lastEas;
    /** Thrown by setReparsePoint only (after recording the call). */
    RuntimeException reparseFailure;
    /** The tag setReparsePoint stored; getFileInfo then reports a reparse point. */
    int reparseTag;

    private void call(String what) {
        calls.add(what);
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static void exists(String name) {
        if (!FILE.equals(name) && !"\\dir".equals(name) && !"\\".equals(name)) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, name);
        }
    }

    @Override
    public VolumeInfo getVolumeInfo() {
        call("getVolumeInfo");
        return new VolumeInfo(1L << 40, 1L << 30, "myfs");
    }

    @Override
    public VolumeInfo setVolumeLabel(String volumeLabel) {
        call("setVolumeLabel " + volumeLabel);
        return new VolumeInfo(1, 0, volumeLabel);
    }

    @Override
    public SecurityByName getSecurityByName(String fileName) {
        call("getSecurityByName " + fileName);
        if (fileName.startsWith("\\link\\")) {
            return new SecurityByName(NtStatus.REPARSE, 1, null);
        }
        exists(fileName);
        return new SecurityByName(NtStatus.SUCCESS, INFO.fileAttributes(), security);
    }

    @Override
    public OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                             byte[] securityDescriptor, long allocationSize) {
        call("create " + fileName + " " + Integer.toHexString(createOptions) + " " + Integer.toHexString(grantedAccess)
                + " " + Integer.toHexString(fileAttributes) + " sd=" + (securityDescriptor == null ? -1
                : securityDescriptor.length) + " " + allocationSize);
        lastSecurity = securityDescriptor;
        return new OpenResult(new Ctx(fileName), new OpenFileInfo(INFO, normalizedName));
    }

    @Override
    public OpenResult open(String fileName, int createOptions, int grantedAccess) {
        call("open " + fileName);
        exists(fileName);
        return new OpenResult(new Ctx(fileName), new OpenFileInfo(brokenOpenInfo ? null : INFO, normalizedName));
    }

    @Override
    public FileInfo overwrite(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                              long allocationSize) {
        call("overwrite " + context + " " + Integer.toHexString(fileAttributes) + " " + replaceFileAttributes + " "
                + allocationSize);
        return INFO;
    }

    @Override
    public void cleanup(FileContext context, String fileName, int flags) {
        call("cleanup " + context + " " + fileName + " " + flags);
    }

    @Override
    public void close(FileContext context) {
        call("close " + context);
    }

    @Override
    public int read(FileContext context, ByteBuffer buffer, long offset, int length) {
        call("read " + context + " " + offset + " " + length);
        if (offset >= content.length) {
            throw new NtStatusException(NtStatus.END_OF_FILE);
        }
        int n = (int) Math.min(length, content.length - offset);
        buffer.put(0, content, (int) offset, n);
        return n;
    }

    @Override
    public WriteResult write(FileContext context, ByteBuffer buffer, long offset, int length,
                             boolean writeToEndOfFile, boolean constrainedIo) {
        call("write " + context + " " + offset + " " + length + " " + writeToEndOfFile + " " + constrainedIo);
        lastWrite = ByteBuffer.allocate(length).put(buffer.duplicate().limit(length)).flip();
        return new WriteResult(length, INFO);
    }

    @Override
    public FileInfo flush(FileContext context) {
        call("flush " + context);
        return context == null ? null : INFO;
    }

    @Override
    public FileInfo getFileInfo(FileContext context) {
        call("getFileInfo " + context);
        if (reparseTag != 0) {
            return new FileInfo(INFO.fileAttributes() | 0x400, reparseTag, INFO.allocationSize(), INFO.fileSize(),
                    INFO.creationTime(), INFO.lastAccessTime(), INFO.lastWriteTime(), INFO.changeTime(),
                    INFO.indexNumber(), INFO.hardLinks(), INFO.eaSize());
        }
        return INFO;
    }

    @Override
    public FileInfo setBasicInfo(FileContext context, int fileAttributes, long creationTime, long lastAccessTime,
                                 long lastWriteTime, long changeTime) {
        call("setBasicInfo " + context + " " + Integer.toHexString(fileAttributes) + " " + creationTime + " "
                + lastAccessTime + " " + lastWriteTime + " " + changeTime);
        return INFO;
    }

    @Override
    public FileInfo setFileSize(FileContext context, long newSize, boolean setAllocationSize) {
        call("setFileSize " + context + " " + newSize + " " + setAllocationSize);
        return INFO;
    }

    @Override
    public void canDelete(FileContext context, String fileName) {
        call("canDelete " + context + " " + fileName);
    }

    @Override
    public void rename(FileContext context, String fileName, String newFileName, boolean replaceIfExists) {
        call("rename " + context + " " + fileName + " " + newFileName + " " + replaceIfExists);
    }

    @Override
    public byte[] getSecurity(FileContext context) {
        call("getSecurity " + context);
        return security;
    }

    @Override
    public void setSecurity(FileContext context, int securityInformation, byte[] modificationDescriptor) {
        call("setSecurity " + context + " " + securityInformation + " " + modificationDescriptor.length);
        lastSecurity = modificationDescriptor;
    }

    @Override
    public boolean readDirectory(FileContext context, String pattern, String marker, DirSink sink) {
        call("readDirectory " + context + " " + pattern + " " + marker);
        boolean started = marker == null;
        for (DirInfo e : listing) {
            if (!started) {
                started = e.fileName().equals(marker);
                continue;
            }
            if (!sink.add(e)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ReparseResolution resolveReparsePoints(String fileName, int reparsePointIndex,
                                                  boolean resolveLastPathComponent) {
        call("resolveReparsePoints " + fileName + " " + reparsePointIndex + " " + resolveLastPathComponent);
        return new ReparseResolution(ReparseResolution.IO_REPARSE, Utf16.encode("\\target"));
    }

    @Override
    public byte[] getReparsePoint(FileContext context, String fileName) {
        call("getReparsePoint " + context + " " + fileName);
        return new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    }

    @Override
    public void setReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        call("setReparsePoint " + context + " " + fileName + " " + reparseData.length);
        lastReparse = reparseData;
        if (reparseFailure != null) {
            throw reparseFailure;
        }
        reparseTag = reparseData.length >= 4 ? reparseData[0] & 0xFF | (reparseData[1] & 0xFF) << 8
                | (reparseData[2] & 0xFF) << 16 | (reparseData[3] & 0xFF) << 24 : 0;
    }

    @Override
    public void deleteReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        call("deleteReparsePoint " + context + " " + fileName + " " + reparseData.length);
    }

    @Override
    public List<StreamInfo> getStreamInfo(FileContext context) {
        call("getStreamInfo " + context);
        return List.of(new StreamInfo("", 11, 4096), new StreamInfo("ads", 3, 4096));
    }

    @Override
    public DirInfo getDirInfoByName(FileContext parentDirectory, String fileName) {
        call("getDirInfoByName " + parentDirectory + " " + fileName);
        if (!fileName.equals("file.txt")) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, fileName);
        }
        return new DirInfo("file.txt", INFO);
    }

    @Override
    public void setDelete(FileContext context, String fileName, boolean deleteFile) {
        call("setDelete " + context + " " + fileName + " " + deleteFile);
    }

    // ---- extended attributes --------------------------------------------------------------------

    @Override
    public boolean supportsEas() {
        return eas;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /** INFO with EaSize = the packed sizes of the stored EAs (FspFileSystemGetEaPackedSize). */
    FileInfo infoWithEas() {
        int size = storedEas.stream().mapToInt(Ea::packedSize).sum();
        return new FileInfo(INFO.fileAttributes(), INFO.reparseTag(), INFO.allocationSize(), INFO.fileSize(),
                INFO.creationTime(), INFO.lastAccessTime(), INFO.lastWriteTime(), INFO.changeTime(), INFO.indexNumber(),
                INFO.hardLinks(), size);
    }

    private static String names(List<Ea> eas) {
        return eas.stream().map(Ea::name).toList().toString();
    }

    @Override
    public OpenResult createWithEas(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                                    byte[] securityDescriptor, long allocationSize, List<Ea> eas) {
        call("createWithEas " + fileName + " " + names(eas));
        lastEas = eas;
        storedEas = new ArrayList<>(eas);
        return new OpenResult(new Ctx(fileName), new OpenFileInfo(infoWithEas(), normalizedName));
    }

    @Override
    public FileInfo overwriteWithEas(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                                     long allocationSize, List<Ea> eas) {
        call("overwriteWithEas " + context + " " + Integer.toHexString(fileAttributes) + " " + replaceFileAttributes
                + " " + allocationSize + " " + names(eas));
        lastEas = eas;
        storedEas = new ArrayList<>(eas);
        return infoWithEas();
    }

    @Override
    public List<Ea> getEa(FileContext context) {
        call("getEa " + context);
        return List.copyOf(storedEas);
    }

    @Override
    public FileInfo setEa(FileContext context, List<Ea> eas) {
        call("setEa " + context + " " + names(eas));
        lastEas = eas;
        for (Ea ea : eas) {
            storedEas.removeIf(e -> e.normalizedName().equals(ea.normalizedName()));
            if (ea.value().length > 0) {
                storedEas.add(new Ea(ea.normalizedName(), ea.flags(), ea.value()));
            }
        }
        return infoWithEas();
    }
}
