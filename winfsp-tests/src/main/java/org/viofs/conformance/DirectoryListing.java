package org.viofs.conformance;

import java.util.ArrayList;
import java.util.List;

import org.viofs.volume.CreateOptions;
import org.viofs.volume.DirInfo;
import org.viofs.volume.FileInfo;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.StreamInfo;

import org.viofs.conformance.Win32Structs.FindData;
import org.viofs.conformance.Win32Structs.DirectoryPage;
import org.viofs.conformance.Win32Structs.FindHandle;

/**
 * Listings: FindFirstFile/FindNextFile over GetDirInfoByName and ReadDirectory (page by page with
 * the Marker, filtered by {@link Wildcard}), SetCurrentDirectory, and the stream listing
 * (FindFirstStreamW over GetStreamInfo).
 */
final class DirectoryListing extends FacadeSection {

    /** Directory listings are fetched in pages of this many entries, so Marker continuation is exercised. */
    static final int LIST_PAGE_ENTRIES = 64;
    /** A listing of more pages than this is the volume's error (a Marker that does not advance). */
    static final int MAX_PAGES = 1_000_000;

    DirectoryListing(Win32Facade facade) {
        super(facade);
    }

    /**
     * FindFirstFileW(dir\pattern): opens the directory (FILE_LIST_DIRECTORY, share all,
     * FILE_DIRECTORY_FILE) and keeps it open until {@link #findClose}. A name without wildcards is
     * one GetDirInfoByName (the FSD's PassQueryDirectoryFileName). Otherwise the FSD's first
     * QueryDirectory: one ReadDirectory of {@value #LIST_PAGE_ENTRIES} entries ({@link #readDirectoryPage}),
     * more pages only until one entry matches the pattern (FsRtlIsNameInExpression, ignoring case
     * on a case-insensitive volume). No match: ERROR_FILE_NOT_FOUND; a missing directory:
     * ERROR_PATH_NOT_FOUND.
     */
    FindHandle findFirstFile(String path) {
        int slash = path.lastIndexOf('\\');
        String dir = slash <= 0 ? "\\" : path.substring(0, slash);
        String pattern = path.substring(slash + 1);
        if (pattern.isEmpty()) {
            fail(NtStatus.OBJECT_NAME_INVALID);
            return null;
        }
        if (pattern.equals("*.*")) {
            pattern = "*";
        }
        Handle h = open(dir, Win32.FILE_LIST_DIRECTORY | Win32.SYNCHRONIZE, SHARE_ALL,
                CreateOptions.FILE_DIRECTORY_FILE | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT);
        if (h == null) {
            if (lastStatus() == NtStatus.OBJECT_NAME_NOT_FOUND) {
                fail(NtStatus.OBJECT_PATH_NOT_FOUND);
            }
            return null;
        }
        FindHandle f = new FindHandle(h, pattern);
        try {
            if (!Wildcard.hasWildcard(pattern)) {
                exactName(f);
            }
            f.first = next(f);
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            fail(status);
            return null;
        }
        if (f.first == null) {
            release(h);
            fail(NtStatus.NO_SUCH_FILE);
            return null;
        }
        succeed();
        return f;
    }

    /** An exact name: the FSD asks GetDirInfoByName (slot 24) instead of listing the directory. */
    private void exactName(FindHandle f) {
        f.ended = true;
        try {
            DirInfo d = facade.guard().run(OperationGuard.Kind.SHARED,
                    () -> volume.getDirInfoByName(f.directory.context, f.pattern));
            f.buffered.add(findData(d));
        } catch (NtStatusException e) {
            if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                throw e;
            }
        }
    }

    /** The next matching entry, reading pages as needed; null at the end of the listing. */
    private FindData next(FindHandle f) {
        for (int pages = 0; f.buffered.isEmpty() && !f.ended; pages++) {
            if (pages > MAX_PAGES) {
                throw nt(NtStatus.UNEXPECTED_IO_ERROR, "ReadDirectory never ends");
            }
            DirectoryPage page = readDirectoryPage(f.directory, f.pattern, f.marker);
            for (DirInfo d : page.entries()) {
                f.marker = d.fileName();
                if (Wildcard.matches(f.pattern, d.fileName(), !options.caseSensitive())) {
                    f.buffered.add(findData(d));
                }
            }
            f.ended = page.ended();
        }
        return f.buffered.poll();
    }

    /** WIN32_FIND_DATA of one directory entry. */
    private FindData findData(DirInfo d) {
        FileInfo i = d.fileInfo();
        return new FindData(reported(i.fileAttributes()), i.creationTime(), i.lastAccessTime(), i.lastWriteTime(),
                i.fileSize(), i.reparseTag(), d.fileName());
    }

    /**
     * One QueryDirectory the FSD passes on: one ReadDirectory of at most {@value #LIST_PAGE_ENTRIES}
     * entries after {@code marker} (null: from the start; docs/winfsp-native.md §2.3), under the DLL's
     * shared guard. A page that is neither empty-and-ended nor has an entry is the volume's error
     * (UNEXPECTED_IO_ERROR), so a listing cannot spin.
     */
    DirectoryPage readDirectoryPage(Handle dir, String pattern, String marker) {
        return readDirectoryPage(dir, pattern, marker, LIST_PAGE_ENTRIES);
    }

    /**
     * As {@link #readDirectoryPage(Handle, String, String)} with a page of at most {@code maxEntries}:
     * the FSD sizes its request by the caller's buffer, down to one entry of a name of
     * MaxComponentLength (docs/volume-semantics.md §2), so a small buffer or long names make a
     * listing of a few names take several requests.
     */
    DirectoryPage readDirectoryPage(Handle dir, String pattern, String marker, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a page holds at least one entry: " + maxEntries);
        }
        List<DirInfo> page = new ArrayList<>();
        boolean ended = facade.guard().run(OperationGuard.Kind.SHARED,
                () -> volume.readDirectory(dir.context, pattern, marker, e -> {
                    if (page.size() >= maxEntries) {
                        return false;
                    }
                    page.add(e);
                    return true;
                }));
        if (!ended && page.isEmpty()) {
            throw nt(NtStatus.UNEXPECTED_IO_ERROR, "ReadDirectory returned no entry and no end of listing");
        }
        return new DirectoryPage(page, ended);
    }

    /** Every page of an open directory's listing ({@link #readDirectoryPage} until the end). */
    List<DirInfo> listDirectory(Handle dir, String pattern) {
        List<DirInfo> all = new ArrayList<>();
        String marker = null;
        for (int pages = 0; pages <= MAX_PAGES; pages++) {
            DirectoryPage page = readDirectoryPage(dir, pattern, marker);
            all.addAll(page.entries());
            if (page.ended()) {
                return all;
            }
            marker = page.entries().get(page.entries().size() - 1).fileName();
        }
        throw nt(NtStatus.UNEXPECTED_IO_ERROR, "ReadDirectory never ends");
    }

    /** FindNextFileW: the next entry (reading the next page when needed), or null with ERROR_NO_MORE_FILES. */
    FindData findNextFile(FindHandle f) {
        if (f == null || f.closed) {
            fail(NtStatus.INVALID_HANDLE);
            return null;
        }
        try {
            FindData d = next(f);
            if (d == null) {
                fail(NtStatus.NO_MORE_FILES);
                return null;
            }
            succeed();
            return d;
        } catch (RuntimeException e) {
            fail(statusOf(e));
            return null;
        }
    }

    /** The entry FindFirstFileW returned (the first). */
    FindData findFirstData(FindHandle f) {
        return f.first;
    }

    /** FindClose: closes the directory handle the search kept open. */
    boolean findClose(FindHandle f) {
        if (f == null || f.closed) {
            return fail(NtStatus.INVALID_HANDLE);
        }
        f.closed = true;
        release(f.directory);
        succeed();
        return true;
    }

    /**
     * SetCurrentDirectoryW: the Win32 layer opens the directory (FILE_TRAVERSE|SYNCHRONIZE, share
     * read/write, FILE_DIRECTORY_FILE) and keeps the handle; here the handle is closed again.
     */
    boolean setCurrentDirectory(String path) {
        Handle h = facade.ntCreateFile(path, Win32.FILE_TRAVERSE | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_DIRECTORY_FILE | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return false;
        }
        release(h);
        succeed();
        return true;
    }

    /**
     * FindFirstStreamW/FindNextStreamW's whole listing: GetStreamInfo on a handle opened for
     * FILE_READ_ATTRIBUTES (a stream path lists its main file's streams), as the names the API
     * returns ({@code ::$DATA}, {@code :name:$DATA}). No stream at all (a directory without named
     * streams) fails with ERROR_HANDLE_EOF. Null on failure.
     */
    List<String> findStreams(String path) {
        Handle h = facade.ntCreateFile(path, Win32.FILE_READ_ATTRIBUTES | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            return null;
        }
        try {
            List<StreamInfo> s = volume.getStreamInfo(h.context);
            release(h);
            if (s.isEmpty()) {
                fail(NtStatus.END_OF_FILE);
                return null;
            }
            List<String> names = new ArrayList<>();
            for (StreamInfo i : s) {
                names.add(i.streamName().isEmpty() ? "::$DATA" : ":" + i.streamName() + ":$DATA");
            }
            succeed();
            return names;
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            fail(status);
            return null;
        }
    }
}
