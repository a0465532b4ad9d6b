package org.viofs.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.viofs.volume.CleanupFlags;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.DirInfo;
import org.viofs.volume.DirSink;
import org.viofs.volume.Ea;
import org.viofs.volume.FileAttributes;
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
 * A small in-memory {@link VolumeOperations} that behaves like WinFsp's memfs where the facade
 * cares: ARCHIVE on new files, attributes and times stored as given, security descriptors kept,
 * symlink reparse points resolved, named streams, "." and ".." listed, allocation trimmed at the
 * last Cleanup, and (when asked for) extended attributes as {@link VolumeOperations} slots 27–30
 * describe them, with memfs's FILE_NEED_EA check in Open. Test-only: lets the facade and the restated cases run without a daemon. Not
 * thread-safe beyond one caller at a time (synchronized).
 */
final class InMemoryVolume implements VolumeOperations {
    static final String OWNER = "S-1-5-21-7-7-7-1001";
    static final byte[] DEFAULT_SD = SecurityDescriptor.fromSddl("O:" + OWNER + "G:" + OWNER
            + "D:P(A;;FA;;;" + OWNER + ")(A;;0x1200a9;;;WD)").toBytes();
    static final long ALLOCATION_UNIT = 4096;

    private final AtomicLong clock = new AtomicLong(InfoCases.filetimeNow());
    private final AtomicLong indexes = new AtomicLong(1);
    private final boolean caseInsensitive;
    private final boolean eas;
    private final Node root;
    private String label = "MEMFS";

    InMemoryVolume() {
        this(false);
    }

    /** @param caseInsensitive lookups ignore case and Open reports the stored case (NormalizedName) */
    InMemoryVolume(boolean caseInsensitive) {
        this(caseInsensitive, false);
    }

    /** @param eas the volume keeps extended attributes ({@link #supportsEas()}) */
    InMemoryVolume(boolean caseInsensitive, boolean eas) {
        this.caseInsensitive = caseInsensitive;
        this.eas = eas;
        this.root = new Node(true);
    }

    final class Node {
        final boolean dir;
        final TreeMap<String, Node> children = caseInsensitive ? new TreeMap<>(String.CASE_INSENSITIVE_ORDER)
                : new TreeMap<>();
        final Map<String, Node> streams = new LinkedHashMap<>();
        byte[] data = new byte[0];
        long size;
        long allocation;
        int attributes;
        long creation;
        long access;
        long write;
        long change;
        final long index = indexes.getAndIncrement();

        /** The path with the stored case. */
        String path() {
            return parent == null ? "" : parent.path() + "\\" + name;
        }
        byte[] sd = DEFAULT_SD;
        byte[] reparse;
        /** Extended attributes by stored (upper-case) name, in name order. */
        final TreeMap<String, Ea> extended = new TreeMap<>();
        Node parent;
        String name;

        Node(boolean dir) {
            this.dir = dir;
            long now = InfoCases.filetimeNow();
            creation = access = write = change = now;
            attributes = dir ? FileAttributes.DIRECTORY : FileAttributes.ARCHIVE;
        }

        FileInfo info() {
            int tag = reparse == null ? 0 : ByteBuffer.wrap(reparse).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            int eaSize = 0;
            for (Ea e : extended.values()) {
                eaSize += e.packedSize();
            }
            return new FileInfo(attributes, tag, allocation, size, creation, access, write, change, index, 1, eaSize);
        }
    }

    record Ctx(Node node, Node main, String path) implements FileContext {
        /** A stream shows its main file's attributes, times and index, with its own sizes. */
        FileInfo info() {
            if (main == null) {
                return node.info();
            }
            FileInfo m = main.info();
            return new FileInfo(m.fileAttributes(), m.reparseTag(), node.allocation, node.size, m.creationTime(),
                    m.lastAccessTime(), m.lastWriteTime(), m.changeTime(), m.indexNumber(), 1, 0);
        }

        /** Where attributes and times live. */
        Node meta() {
            return main != null ? main : node;
        }
    }

    private static NtStatusException st(int status, String what) {
        return new NtStatusException(status, what);
    }

    private static List<String> parts(String path) {
        List<String> l = new ArrayList<>();
        for (String p : path.split("\\\\")) {
            if (!p.isEmpty()) {
                l.add(p);
            }
        }
        return l;
    }

    private static String[] splitStream(String path) {
        int slash = path.lastIndexOf('\\');
        int colon = path.indexOf(':', slash);
        return colon < 0 ? new String[] {path, null} : new String[] {path.substring(0, colon), path.substring(colon + 1)};
    }

    /** The node of a main path, or null; throws OBJECT_PATH_NOT_FOUND for a missing parent. */
    private Node find(String main) {
        Node n = root;
        List<String> p = parts(main);
        for (int i = 0; i < p.size(); i++) {
            Node c = n.children.get(p.get(i));
            if (c == null) {
                if (i < p.size() - 1) {
                    throw st(NtStatus.OBJECT_PATH_NOT_FOUND, main);
                }
                return null;
            }
            if (i < p.size() - 1 && !c.dir) {
                throw st(c.reparse != null ? NtStatus.OBJECT_PATH_NOT_FOUND : NtStatus.NOT_A_DIRECTORY, main);
            }
            n = c;
        }
        return n;
    }

    private Ctx resolve(String path) {
        String[] s = splitStream(path);
        Node main = find(s[0]);
        if (main == null) {
            throw st(NtStatus.OBJECT_NAME_NOT_FOUND, path);
        }
        if (s[1] == null) {
            return new Ctx(main, null, path);
        }
        Node stream = main.streams.get(s[1]);
        if (stream == null) {
            throw st(NtStatus.OBJECT_NAME_NOT_FOUND, path);
        }
        return new Ctx(stream, main, path);
    }

    private static Ctx ctx(FileContext c) {
        return (Ctx) c;
    }

    @Override
    public synchronized VolumeInfo getVolumeInfo() {
        return new VolumeInfo(1L << 30, 1L << 29, label);
    }

    @Override
    public synchronized VolumeInfo setVolumeLabel(String volumeLabel) {
        label = volumeLabel.length() > 32 ? volumeLabel.substring(0, 32) : volumeLabel;
        return getVolumeInfo();
    }

    @Override
    public synchronized SecurityByName getSecurityByName(String fileName) {
        String[] s = splitStream(fileName);
        List<String> p = parts(s[0]);
        Node n = root;
        for (int i = 0; i < p.size(); i++) {
            Node c = n.children.get(p.get(i));
            if (c == null) {
                throw st(i < p.size() - 1 ? NtStatus.OBJECT_PATH_NOT_FOUND : NtStatus.OBJECT_NAME_NOT_FOUND, fileName);
            }
            if (i < p.size() - 1 && c.reparse != null) {
                return new SecurityByName(NtStatus.REPARSE, i, null);
            }
            n = c;
        }
        return new SecurityByName(NtStatus.SUCCESS, n.attributes, n.sd);
    }

    @Override
    public synchronized OpenResult create(String fileName, int createOptions, int grantedAccess, int fileAttributes,
                                          byte[] securityDescriptor, long allocationSize) {
        String[] s = splitStream(fileName);
        boolean dir = (createOptions & CreateOptions.FILE_DIRECTORY_FILE) != 0;
        if (s[1] != null) {
            Node main = find(s[0]);
            if (main == null) {
                throw st(NtStatus.OBJECT_NAME_NOT_FOUND, fileName);
            }
            if (main.streams.containsKey(s[1])) {
                throw st(NtStatus.OBJECT_NAME_COLLISION, fileName);
            }
            Node stream = new Node(false);
            stream.allocation = allocationSize;
            main.streams.put(s[1], stream);
            return open(stream, main, fileName);
        }
        int slash = s[0].lastIndexOf('\\');
        Node parent = find(slash <= 0 ? "\\" : s[0].substring(0, slash));
        if (parent == null || !parent.dir) {
            throw st(NtStatus.OBJECT_PATH_NOT_FOUND, fileName);
        }
        String leaf = s[0].substring(slash + 1);
        if (parent.children.containsKey(leaf)) {
            throw st(NtStatus.OBJECT_NAME_COLLISION, fileName);
        }
        Node n = new Node(dir);
        n.attributes = dir ? fileAttributes | FileAttributes.DIRECTORY : fileAttributes | FileAttributes.ARCHIVE;
        n.sd = securityDescriptor != null ? securityDescriptor : DEFAULT_SD;
        n.allocation = allocationSize;
        n.parent = parent;
        n.name = leaf;
        parent.children.put(leaf, n);
        return open(n, null, fileName);
    }

    private OpenResult open(Node n, Node main, String path) {
        Ctx c = new Ctx(n, main, path);
        return new OpenResult(c, new OpenFileInfo(c.info(), normalized(n, main, path)));
    }

    private String normalized(Node n, Node main, String path) {
        if (!caseInsensitive || n == root) {
            return null;
        }
        String stream = splitStream(path)[1];
        return (main != null ? main : n).path() + (stream == null ? "" : ":" + stream);
    }

    @Override
    public synchronized OpenResult open(String fileName, int createOptions, int grantedAccess) {
        Ctx c = resolve(fileName);
        // memfs Open: without EA knowledge a main file with a FILE_NEED_EA entry is refused
        if ((createOptions & Win32.FILE_NO_EA_KNOWLEDGE) != 0 && c.main() == null
                && c.node().extended.values().stream().anyMatch(e -> (e.flags() & Ea.FILE_NEED_EA) != 0)) {
            throw st(NtStatus.ACCESS_DENIED, "FILE_NEED_EA without EA knowledge: " + fileName);
        }
        return new OpenResult(c, new OpenFileInfo(c.info(), normalized(c.node(), c.main(), fileName)));
    }

    @Override
    public synchronized FileInfo overwrite(FileContext context, int fileAttributes, boolean replaceFileAttributes,
                                           long allocationSize) {
        Node n = ctx(context).node();
        n.data = new byte[0];
        n.size = 0;
        n.allocation = allocationSize;
        n.streams.clear();
        n.attributes = replaceFileAttributes ? fileAttributes | FileAttributes.ARCHIVE
                : n.attributes | fileAttributes | FileAttributes.ARCHIVE;
        return n.info();
    }

    @Override
    public boolean supportsEas() {
        return eas;
    }

    @Override
    public synchronized OpenResult createWithEas(String fileName, int createOptions, int grantedAccess,
                                                 int fileAttributes, byte[] securityDescriptor, long allocationSize,
                                                 List<Ea> list) {
        checkEas(list);
        OpenResult r = create(fileName, createOptions, grantedAccess, fileAttributes, securityDescriptor,
                allocationSize);
        Ctx c = ctx(r.context());
        apply(c.node(), list);
        return new OpenResult(c, new OpenFileInfo(c.info(), r.openFileInfo().normalizedName()));
    }

    @Override
    public synchronized FileInfo overwriteWithEas(FileContext context, int fileAttributes,
                                                  boolean replaceFileAttributes, long allocationSize, List<Ea> list) {
        checkEas(list);
        Node n = ctx(context).node();
        overwrite(context, fileAttributes, replaceFileAttributes, allocationSize);
        n.extended.clear();
        apply(n, list);
        return ctx(context).info();
    }

    @Override
    public synchronized List<Ea> getEa(FileContext context) {
        checkEas(List.of());
        return List.copyOf(ctx(context).node().extended.values());
    }

    @Override
    public synchronized FileInfo setEa(FileContext context, List<Ea> list) {
        checkEas(list);
        apply(ctx(context).node(), list);
        return ctx(context).info();
    }

    /** Refuses EA calls on a volume without EAs, and any invalid name before anything changes. */
    private void checkEas(List<Ea> list) {
        if (!eas) {
            throw st(NtStatus.EAS_NOT_SUPPORTED, "no extended attributes");
        }
        for (Ea e : list) {
            if (!EaBuffers.nameIsValid(e.nameBytes())) {
                throw st(NtStatus.INVALID_EA_NAME, e.name());
            }
        }
    }

    /** SetEa's rule: an empty value deletes, anything else adds or replaces, under the upper-case name. */
    private static void apply(Node n, List<Ea> list) {
        for (Ea e : list) {
            String key = e.normalizedName();
            if (e.value().length == 0) {
                n.extended.remove(key);
            } else {
                n.extended.put(key, new Ea(key, e.flags(), e.value()));
            }
        }
    }

    @Override
    public synchronized void cleanup(FileContext context, String fileName, int flags) {
        Ctx c = ctx(context);
        Node n = c.node();
        if ((flags & CleanupFlags.DELETE) != 0) {
            if (c.main() != null) {
                c.main().streams.values().remove(n);
            } else if (!(n.dir && !n.children.isEmpty()) && n.parent != null) {
                n.parent.children.remove(n.name, n);
            }
            return;
        }
        if ((flags & CleanupFlags.SET_ALLOCATION_SIZE) != 0) {
            n.allocation = (n.size + ALLOCATION_UNIT - 1) / ALLOCATION_UNIT * ALLOCATION_UNIT;
        }
    }

    @Override
    public void close(FileContext context) {
    }

    @Override
    public synchronized int read(FileContext context, ByteBuffer buffer, long offset, int length) {
        Node n = ctx(context).node();
        if (offset >= n.size) {
            throw st(NtStatus.END_OF_FILE, "read at " + offset);
        }
        int len = (int) Math.min(length, n.size - offset);
        buffer.put(0, n.data, (int) offset, len);
        return len;
    }

    @Override
    public synchronized WriteResult write(FileContext context, ByteBuffer buffer, long offset, int length,
                                          boolean writeToEndOfFile, boolean constrainedIo) {
        Node n = ctx(context).node();
        long at = writeToEndOfFile ? n.size : offset;
        int len = length;
        if (constrainedIo) {
            if (at >= n.size) {
                return new WriteResult(0, n.info());
            }
            len = (int) Math.min(len, n.size - at);
        }
        long end = at + len;
        if (end > n.data.length) {
            n.data = Arrays.copyOf(n.data, (int) Math.max(end, n.data.length * 2L));
        }
        buffer.get(0, n.data, (int) at, len);
        n.size = Math.max(n.size, end);
        n.allocation = Math.max(n.allocation, (n.size + ALLOCATION_UNIT - 1) / ALLOCATION_UNIT * ALLOCATION_UNIT);
        n.write = n.change = clock.incrementAndGet();
        return new WriteResult(len, n.info());
    }

    @Override
    public synchronized FileInfo flush(FileContext context) {
        return context == null ? null : ctx(context).node().info();
    }

    @Override
    public synchronized FileInfo getFileInfo(FileContext context) {
        return ctx(context).info();
    }

    @Override
    public synchronized FileInfo setBasicInfo(FileContext context, int fileAttributes, long creationTime,
                                              long lastAccessTime, long lastWriteTime, long changeTime) {
        Node n = ctx(context).meta();
        if (fileAttributes != FileAttributes.INVALID_FILE_ATTRIBUTES) {
            n.attributes = fileAttributes | (n.dir ? FileAttributes.DIRECTORY : 0) | (n.reparse != null
                    ? FileAttributes.REPARSE_POINT : 0);
        }
        if (creationTime != 0) {
            n.creation = creationTime;
        }
        if (lastAccessTime != 0) {
            n.access = lastAccessTime;
        }
        if (lastWriteTime != 0) {
            n.write = lastWriteTime;
        }
        if (changeTime != 0) {
            n.change = changeTime;
        }
        return ctx(context).info();
    }

    @Override
    public synchronized FileInfo setFileSize(FileContext context, long newSize, boolean setAllocationSize) {
        Node n = ctx(context).node();
        if (setAllocationSize) {
            n.allocation = newSize;
            if (n.size > newSize) {
                n.size = newSize;
            }
        } else {
            if (newSize > n.data.length) {
                n.data = Arrays.copyOf(n.data, (int) newSize);
            } else if (newSize < n.size) {
                Arrays.fill(n.data, (int) newSize, (int) n.size, (byte) 0);
            }
            n.size = newSize;
            n.allocation = Math.max(n.allocation, (newSize + ALLOCATION_UNIT - 1) / ALLOCATION_UNIT * ALLOCATION_UNIT);
        }
        return n.info();
    }

    @Override
    public synchronized void canDelete(FileContext context, String fileName) {
        Node n = ctx(context).node();
        if (n.dir && !n.children.isEmpty()) {
            throw st(NtStatus.DIRECTORY_NOT_EMPTY, fileName);
        }
    }

    @Override
    public synchronized void rename(FileContext context, String fileName, String newFileName, boolean replaceIfExists) {
        Node n = ctx(context).node();
        int slash = newFileName.lastIndexOf('\\');
        Node parent = find(slash <= 0 ? "\\" : newFileName.substring(0, slash));
        if (parent == null || !parent.dir) {
            throw st(NtStatus.OBJECT_PATH_NOT_FOUND, newFileName);
        }
        String leaf = newFileName.substring(slash + 1);
        Node existing = parent.children.get(leaf);
        if (existing != null && existing != n) {
            if (!replaceIfExists) {
                throw st(NtStatus.OBJECT_NAME_COLLISION, newFileName);
            }
            if (existing.dir) {
                throw st(NtStatus.ACCESS_DENIED, "cannot replace a directory");
            }
        }
        n.parent.children.remove(n.name, n);
        n.parent = parent;
        n.name = leaf;
        parent.children.put(leaf, n);
    }

    @Override
    public synchronized byte[] getSecurity(FileContext context) {
        Ctx c = ctx(context);
        return (c.main() != null ? c.main() : c.node()).sd;
    }

    @Override
    public synchronized void setSecurity(FileContext context, int securityInformation, byte[] modificationDescriptor) {
        Ctx c = ctx(context);
        Node n = c.main() != null ? c.main() : c.node();
        SecurityDescriptor cur = SecurityDescriptor.parse(n.sd);
        SecurityDescriptor mod = SecurityDescriptor.parse(modificationDescriptor);
        n.sd = cur.with((securityInformation & 1) != 0 ? mod.owner() : null, (securityInformation & 2) != 0 ? mod.group() : null,
                (securityInformation & 4) != 0 ? mod : null).toBytes();
    }

    @Override
    public synchronized boolean readDirectory(FileContext context, String pattern, String marker, DirSink sink) {
        Node d = ctx(context).node();
        List<DirInfo> entries = new ArrayList<>();
        if (d != root) {
            entries.add(new DirInfo(".", d.info()));
            entries.add(new DirInfo("..", (d.parent == null ? d : d.parent).info()));
        }
        d.children.forEach((name, n) -> entries.add(new DirInfo(name, n.info())));
        boolean after = marker == null;
        for (DirInfo e : entries) {
            if (!after) {
                after = e.fileName().equals(marker);
                continue;
            }
            if (pattern != null && !Wildcard.matches(pattern, e.fileName(), caseInsensitive)) {
                continue;
            }
            if (!sink.add(e)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized ReparseResolution resolveReparsePoints(String fileName, int reparsePointIndex,
                                                               boolean resolveLastPathComponent) {
        List<String> p = parts(splitStream(fileName)[0]);
        Node n = root;
        int consumed = 0;
        for (int i = 0; i < p.size(); i++) {
            Node c = n.children.get(p.get(i));
            if (c == null) {
                throw st(i < p.size() - 1 ? NtStatus.OBJECT_PATH_NOT_FOUND : NtStatus.OBJECT_NAME_NOT_FOUND, fileName);
            }
            consumed += 1 + p.get(i).length();
            if (c.reparse != null && (i < p.size() - 1 || resolveLastPathComponent)) {
                byte[] data = c.reparse.clone();
                int remaining = fileName.length() - consumed;
                ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short) (2 * remaining));
                int tag = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                return new ReparseResolution(tag, data);
            }
            n = c;
        }
        throw st(NtStatus.NOT_A_REPARSE_POINT, fileName);
    }

    @Override
    public synchronized byte[] getReparsePoint(FileContext context, String fileName) {
        Node n = ctx(context).node();
        if (n.reparse == null) {
            throw st(NtStatus.NOT_A_REPARSE_POINT, fileName);
        }
        return n.reparse.clone();
    }

    @Override
    public synchronized void setReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        Node n = ctx(context).node();
        if (n.dir && !n.children.isEmpty()) {
            throw st(NtStatus.DIRECTORY_NOT_EMPTY, fileName);
        }
        n.reparse = reparseData.clone();
        n.attributes |= FileAttributes.REPARSE_POINT;
    }

    @Override
    public synchronized void deleteReparsePoint(FileContext context, String fileName, byte[] reparseData) {
        Node n = ctx(context).node();
        if (n.reparse == null) {
            throw st(NtStatus.NOT_A_REPARSE_POINT, fileName);
        }
        if (ReparseData.tag(n.reparse) != ReparseData.tag(reparseData)) {
            throw st(NtStatus.IO_REPARSE_TAG_MISMATCH, fileName);
        }
        n.reparse = null;
        n.attributes &= ~FileAttributes.REPARSE_POINT;
    }

    @Override
    public synchronized List<StreamInfo> getStreamInfo(FileContext context) {
        Node n = ctx(context).meta();
        List<StreamInfo> l = new ArrayList<>();
        if (!n.dir) {
            l.add(new StreamInfo("", n.size, n.allocation));
        }
        n.streams.forEach((name, s) -> l.add(new StreamInfo(name, s.size, s.allocation)));
        return l;
    }

    @Override
    public synchronized DirInfo getDirInfoByName(FileContext parentDirectory, String fileName) {
        Node c = ctx(parentDirectory).node().children.get(fileName);
        if (c == null) {
            throw st(NtStatus.OBJECT_NAME_NOT_FOUND, fileName);
        }
        return new DirInfo(fileName, c.info());
    }

    @Override
    public synchronized void setDelete(FileContext context, String fileName, boolean deleteFile) {
        if (deleteFile) {
            canDelete(context, fileName);
        }
    }
}
