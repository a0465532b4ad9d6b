package org.viofs.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.viofs.volume.FileContext;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;

/**
 * What the FSD keeps about open files: one {@link FileNode} per open file or stream (its
 * FSP_FILE_NODE, keyed by the volume name compared as the volume compares names) with the open
 * handles, the share-access counters of IoCheckShareAccess and delete-pending. The facade asks it
 * before each open (share check), after each close (undo the accounting) and around each rename
 * (open files below or at the names involved). It decides nothing about the volume's contents.
 *
 * <p>Thread safety: the table's monitor guards the map and every node's fields; callers hold it
 * (synchronized on the table) across a check and the change that depends on it.
 */
final class OpenFileTable {

    /** Access bits that take part in the read share check (ntifs.h IoCheckShareAccess). */
    static final int READ_ACCESS = Win32.FILE_READ_DATA | Win32.FILE_EXECUTE;
    /** Access bits that take part in the write share check. */
    static final int WRITE_ACCESS = Win32.FILE_WRITE_DATA | Win32.FILE_APPEND_DATA;

    /** What the FSD keeps per open file or stream (its FSP_FILE_NODE): share access and delete-pending. */
    static final class FileNode {
        String key;
        String volumeName;
        final List<Handle> handles = new ArrayList<>();
        // IoCheckShareAccess counters (ntifs.h SHARE_ACCESS)
        int openCount;
        int readers;
        int writers;
        int deleters;
        int sharedRead;
        int sharedWrite;
        int sharedDelete;
        boolean deletePending;
        boolean directory;
        /** Open named streams of this (main) file, and how many of them share delete. */
        int streamOpens;
        int streamSharedDelete;
        /**
         * FSP_FILE_NODE.TruncateOnClose: a reply taken "with truncate on close" changed the allocation
         * or the size the FSD knew; the last Cleanup asks the volume to trim (SET_ALLOCATION_SIZE).
         */
        boolean truncateOnClose;
        /** The allocation size the FSD knows (FSP_FILE_NODE Header.AllocationSize), rounded up to the unit. */
        long knownAllocation;
        /** The file size the FSD knows (FSP_FILE_NODE Header.FileSize). */
        long knownSize;
        FileNode main;
        /** FSP_FILE_NODE.EaChangeCount: bumped by every SetEa and by an overwrite of the main file. */
        int eaChangeCount;
        /**
         * The FSP_FILE_NODE's Main resource as the FSD takes it exclusively around one request: a
         * Cleanup holds it until the file system answered, and so do a Write and a SetInformation
         * (docs/volume-semantics.md §2). So two Cleanups of one file, or a Cleanup and a Write
         * through another handle, never reach the file system at the same time.
         */
        final ReentrantLock mainResource = new ReentrantLock();
        /**
         * Handles whose Cleanup and Close are still under way: the FSD keeps the node (and with it
         * delete-pending and the rename checks) until its last Close, not just its last Cleanup.
         */
        int closing;
    }

    /** Runs one request that the FSD sends holding the node's Main resource exclusively. */
    static <T> T underMain(FileNode node, Supplier<T> request) {
        node.mainResource.lock();
        try {
            return request.get();
        } finally {
            node.mainResource.unlock();
        }
    }

    private final Map<String, FileNode> nodes = new HashMap<>();
    private final boolean caseSensitive;
    /** Handles closed and nodes forgotten so far: a thread waiting for another thread's close compares it. */
    private long changes;

    OpenFileTable(boolean caseSensitive) {
        this.caseSensitive = caseSensitive;
    }

    /** The key the FSD files a volume name under. */
    String keyOf(String volumeName) {
        return WinName.keyOf(volumeName, caseSensitive);
    }

    /** The open file with this key, or null. */
    FileNode get(String key) {
        return nodes.get(key);
    }

    /** Whether an open file is delete-pending. */
    synchronized boolean deletePending(FileNode node) {
        return node.deletePending;
    }

    /** Whether the file with this volume name is open and delete-pending (new opens fail DELETE_PENDING). */
    synchronized boolean deletePending(String volumeName) {
        FileNode n = nodes.get(keyOf(volumeName));
        return n != null && n.deletePending;
    }

    /** The open file node for a name, created (without handles) when the file is not open yet. */
    FileNode nodeFor(String volumeName, boolean directory, Handle mainHandle) {
        String key = keyOf(volumeName);
        FileNode node = nodes.get(key);
        if (node == null) {
            node = new FileNode();
            node.key = key;
            node.volumeName = volumeName;
            node.directory = directory;
            node.main = mainHandle == null ? null : mainHandle.node;
            nodes.put(key, node);
        }
        return node;
    }

    /**
     * FspFileNodeSetFileInfo: the FSD takes a FileInfo from a reply. With {@code truncateOnClose}
     * (replies to a Create that created the file, Overwrite, Write, SetFileSize) a changed
     * allocation or size sets TruncateOnClose ({@link CleanupRule}).
     */
    static void takeFileInfo(FileNode node, FileInfo info, boolean truncateOnClose, long allocationUnit) {
        if (info == null) {
            return;
        }
        if (truncateOnClose && CleanupRule.changesSize(info, node.knownAllocation, node.knownSize, allocationUnit)) {
            node.truncateOnClose = true;
        }
        node.knownAllocation = CleanupRule.allocationOf(info, allocationUnit);
        node.knownSize = info.fileSize();
    }

    /** Forgets a node that got no handle (an open that failed after {@link #nodeFor}). */
    void dropIfUnused(FileNode node) {
        if (node.handles.isEmpty() && node.closing == 0) {
            nodes.remove(node.key);
            changed();
        }
    }

    /** Wakes the threads of {@link #awaitChangeAfter} and {@link #awaitNotOpen}. */
    private synchronized void changed() {
        changes++;
        notifyAll();
    }

    /** The count of closes and forgotten nodes so far, for {@link #awaitChangeAfter}. */
    synchronized long changes() {
        return changes;
    }

    /**
     * Waits until a handle closed or a node was forgotten after {@link #changes()} returned
     * {@code seen}, at most {@code timeoutMillis}; true when one did.
     */
    synchronized boolean awaitChangeAfter(long seen, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (changes == seen) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Waits until no file with this volume name is open (or closing), at most {@code timeoutMillis}:
     * a delete that another thread's handle kept pending has then been done. True when it has.
     */
    synchronized boolean awaitNotOpen(String volumeName, long timeoutMillis) throws InterruptedException {
        String key = keyOf(volumeName);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (nodes.containsKey(key)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** How many handles (file objects) are open, for leak checks. */
    synchronized int handleCount() {
        int n = 0;
        for (FileNode node : nodes.values()) {
            n += node.handles.size();
        }
        return n;
    }

    /** Every open handle, named streams first (they hold their main file open). */
    synchronized List<Handle> handlesStreamsFirst() {
        List<Handle> streams = new ArrayList<>();
        List<Handle> others = new ArrayList<>();
        for (FileNode n : nodes.values()) {
            for (Handle h : n.handles) {
                (h.mainHandle != null ? streams : others).add(h);
            }
        }
        streams.addAll(others);
        return streams;
    }

    /** The open named streams of a main file (an overwrite makes them delete-pending). */
    List<FileNode> streamsOf(FileNode main) {
        List<FileNode> out = new ArrayList<>();
        for (FileNode n : nodes.values()) {
            if (n.main == main) {
                out.add(n);
            }
        }
        return out;
    }

    /** IoCheckShareAccess: the FSD's share-mode rule; access without read/write/delete bits takes no part. */
    static int checkShareAccess(FileNode node, int access, int share) {
        boolean read = (access & READ_ACCESS) != 0;
        boolean write = (access & WRITE_ACCESS) != 0;
        boolean delete = (access & Win32.DELETE) != 0;
        if (!read && !write && !delete) {
            return NtStatus.SUCCESS;
        }
        boolean sharedRead = (share & Win32.FILE_SHARE_READ) != 0;
        boolean sharedWrite = (share & Win32.FILE_SHARE_WRITE) != 0;
        boolean sharedDelete = (share & Win32.FILE_SHARE_DELETE) != 0;
        if ((read && node.sharedRead < node.openCount)
                || (write && node.sharedWrite < node.openCount)
                || (delete && node.sharedDelete < node.openCount)
                || (node.readers != 0 && !sharedRead)
                || (node.writers != 0 && !sharedWrite)
                || (node.deleters != 0 && !sharedDelete)) {
            return NtStatus.SHARING_VIOLATION;
        }
        return NtStatus.SUCCESS;
    }

    /**
     * The FSD's rule between a main file and its named streams (stream-tests.c,
     * stream_create_share_test): a stream may not be opened without FILE_SHARE_DELETE while the main
     * file is open with DELETE access, and the main file may not be opened for DELETE while a stream
     * is open without FILE_SHARE_DELETE. Other share modes of the main file do not bind its streams.
     */
    static int checkStreamShare(FileNode node, Handle mainHandle, int access, int share) {
        if (mainHandle != null) {
            FileNode main = mainHandle.node;
            if (main.deleters > 0 && (share & Win32.FILE_SHARE_DELETE) == 0) {
                return NtStatus.SHARING_VIOLATION;
            }
        } else if ((access & Win32.DELETE) != 0 && node.streamOpens > node.streamSharedDelete) {
            return NtStatus.SHARING_VIOLATION;
        }
        return NtStatus.SUCCESS;
    }

    /** Both share rules: {@link #checkShareAccess}, then {@link #checkStreamShare}. */
    static int checkShares(FileNode node, Handle mainHandle, int access, int share) {
        int status = checkShareAccess(node, access, share);
        return status != NtStatus.SUCCESS ? status : checkStreamShare(node, mainHandle, access, share);
    }

    /**
     * A new handle on {@code node} after its share check passed: counts its access and share mode
     * (only access with read, write or delete bits is counted, as IoSetShareAccess does).
     */
    Handle register(FileNode node, FileContext context, int granted, int share, int shareCheckAccess,
                    int createOptions, boolean directory, String name, Handle mainHandle) {
        boolean read = (shareCheckAccess & READ_ACCESS) != 0;
        boolean write = (shareCheckAccess & WRITE_ACCESS) != 0;
        boolean delete = (shareCheckAccess & Win32.DELETE) != 0;
        boolean accounted = read || write || delete;
        if (accounted) {
            node.openCount++;
            node.readers += read ? 1 : 0;
            node.writers += write ? 1 : 0;
            node.deleters += delete ? 1 : 0;
            node.sharedRead += (share & Win32.FILE_SHARE_READ) != 0 ? 1 : 0;
            node.sharedWrite += (share & Win32.FILE_SHARE_WRITE) != 0 ? 1 : 0;
            node.sharedDelete += (share & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        Handle h = new Handle(node, context, granted, share, accounted, createOptions, directory, name, mainHandle);
        if (mainHandle != null) {
            mainHandle.node.streamOpens++;
            mainHandle.node.streamSharedDelete += (share & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        // remember what was accounted so cleanup can undo it
        h.accountedRead = read;
        h.accountedWrite = write;
        h.accountedDelete = delete;
        node.handles.add(h);
        return h;
    }

    /** Undoes {@link #register} at the handle's cleanup (IoRemoveShareAccess). */
    void unregister(Handle h) {
        FileNode node = h.node;
        node.handles.remove(h);
        if (h.shareAccounted) {
            node.openCount--;
            node.readers -= h.accountedRead ? 1 : 0;
            node.writers -= h.accountedWrite ? 1 : 0;
            node.deleters -= h.accountedDelete ? 1 : 0;
            node.sharedRead -= (h.shareAccess & Win32.FILE_SHARE_READ) != 0 ? 1 : 0;
            node.sharedWrite -= (h.shareAccess & Win32.FILE_SHARE_WRITE) != 0 ? 1 : 0;
            node.sharedDelete -= (h.shareAccess & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        if (h.mainHandle != null) {
            h.mainHandle.node.streamOpens--;
            h.mainHandle.node.streamSharedDelete -= (h.shareAccess & Win32.FILE_SHARE_DELETE) != 0 ? 1 : 0;
        }
        changed();
    }

    /** Forgets a node whose last handle closed and whose last Cleanup and Close are done. */
    void removeIfClosed(FileNode node) {
        if (node.handles.isEmpty() && node.closing == 0) {
            nodes.remove(node.key);
            changed();
        }
    }

    /**
     * The FSD's rename checks on open files: a directory with open files below it, or a target
     * (or anything below it, or a stream of it) that is open, refuses the rename with ACCESS_DENIED.
     */
    void checkRenamable(FileNode source, String targetKey) {
        if (source.directory) {
            for (FileNode n : nodes.values()) {
                if (n.key.startsWith(source.key + "\\") && !n.handles.isEmpty()) {
                    throw new NtStatusException(NtStatus.ACCESS_DENIED, "open file below renamed directory: "
                            + n.volumeName);
                }
            }
        }
        if (!source.key.equals(targetKey)) {
            for (FileNode n : nodes.values()) {
                // an open file at or below the target, or any file the FSD still knows below it (one
                // closing counts): docs/volume-semantics.md §3.1
                if (isAtOrBelow(n.key, targetKey) && (!n.handles.isEmpty() || n.key.startsWith(targetKey + "\\"))) {
                    throw new NtStatusException(NtStatus.ACCESS_DENIED, "rename target is open: " + n.volumeName);
                }
            }
        }
    }

    /** After a successful rename the FSD renames its open file nodes (and their handles' names). */
    void rename(String oldKey, String oldName, String newKey, String newName) {
        List<FileNode> moved = new ArrayList<>();
        for (FileNode n : nodes.values()) {
            if (isAtOrBelow(n.key, oldKey)) {
                moved.add(n);
            }
        }
        for (FileNode n : moved) {
            nodes.remove(n.key);
        }
        for (FileNode n : moved) {
            n.key = newKey + n.key.substring(oldKey.length());
            n.volumeName = newName + n.volumeName.substring(oldName.length());
            for (Handle h : n.handles) {
                if (h.name.length() >= oldName.length()) {
                    h.name = newName + h.name.substring(oldName.length());
                }
            }
            nodes.put(n.key, n);
        }
    }

    /** The key itself, a path below it, or one of its streams. */
    private static boolean isAtOrBelow(String key, String of) {
        return key.equals(of) || key.startsWith(of + "\\") || key.startsWith(of + ":");
    }
}
