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
import org.viofs.conformance.Win32Structs.FindHandle;

/**
 * Listings: FindFirstFile/FindNextFile over GetDirInfoByName and ReadDirectory (page by page with
 * the Marker, filtered by {@link Wildcard}), SetCurrentDirectory, and the stream listing
 * (FindFirstStreamW over GetStreamInfo).
 */
final class DirectoryListing extends FacadeSection {

    /** Directory listings are fetched in pages of this many entries, so Marker continuation is exercised. */
    static final int LIST_PAGE_ENTRIES = 64;

    DirectoryListing(Win32Facade facade) {
        super(facade);
    }

    /**
     * FindFirstFileW(dir\pattern): opens the directory (FILE_LIST_DIRECTORY, share all,
     * FILE_DIRECTORY_FILE); a name without wildcards is one GetDirInfoByName; otherwise it lists
     * the directory with ReadDirectory page by page (each page continues after the
     * last name, the Marker of winfsp-native.md §2.3), filters by the pattern as the FSD does
     * (FsRtlIsNameInExpression, ignoring case on a case-insensitive volume), closes the directory.
     * No match: ERROR_FILE_NOT_FOUND; a missing directory: ERROR_PATH_NOT_FOUND.
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
        Handle h = facade.ntCreateFile(dir, Win32.FILE_LIST_DIRECTORY | Win32.SYNCHRONIZE,
                Win32.FILE_SHARE_READ | Win32.FILE_SHARE_WRITE | Win32.FILE_SHARE_DELETE, null, CreateOptions.FILE_OPEN,
                CreateOptions.FILE_DIRECTORY_FILE | CreateOptions.FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (h == null) {
            if (lastStatus() == NtStatus.OBJECT_NAME_NOT_FOUND) {
                fail(NtStatus.OBJECT_PATH_NOT_FOUND);
            }
            return null;
        }
        List<FindData> found = new ArrayList<>();
        try {
            if (!Wildcard.hasWildcard(pattern)) {
                // an exact name: the FSD asks GetDirInfoByName (slot 24), as it does for volumes
                // with PassQueryDirectoryFileName, instead of listing the directory
                try {
                    found.add(findData(volume.getDirInfoByName(h.context, pattern)));
                } catch (NtStatusException e) {
                    if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                        throw e;
                    }
                }
            } else {
                for (DirInfo d : listDirectory(h, pattern)) {
                    if (Wildcard.matches(pattern, d.fileName(), !options.caseSensitive())) {
                        found.add(findData(d));
                    }
                }
            }
        } catch (RuntimeException e) {
            int status = statusOf(e);
            release(h);
            fail(status);
            return null;
        }
        release(h);
        if (found.isEmpty()) {
            fail(NtStatus.NO_SUCH_FILE);
            return null;
        }
        succeed();
        return new FindHandle(found);
    }

    /** WIN32_FIND_DATA of one directory entry. */
    private FindData findData(DirInfo d) {
        FileInfo i = d.fileInfo();
        return new FindData(reported(i.fileAttributes()), i.creationTime(), i.lastAccessTime(), i.lastWriteTime(),
                i.fileSize(), i.reparseTag(), d.fileName());
    }

    /**
     * ReadDirectory until the volume reports the end, {@value #LIST_PAGE_ENTRIES} entries per call,
     * each call continuing strictly after the last name returned.
     */
    List<DirInfo> listDirectory(Handle dir, String pattern) {
        List<DirInfo> all = new ArrayList<>();
        String marker = null;
        for (int pages = 0; ; pages++) {
            List<DirInfo> page = new ArrayList<>();
            boolean ended = volume.readDirectory(dir.context, pattern, marker, e -> {
                if (page.size() >= LIST_PAGE_ENTRIES) {
                    return false;
                }
                page.add(e);
                return true;
            });
            all.addAll(page);
            if (ended) {
                return all;
            }
            if (page.isEmpty()) {
                throw nt(NtStatus.UNEXPECTED_IO_ERROR, "ReadDirectory returned no entry and no end of listing");
            }
            if (pages > 1_000_000) {
                throw nt(NtStatus.UNEXPECTED_IO_ERROR, "ReadDirectory never ends");
            }
            marker = page.get(page.size() - 1).fileName();
        }
    }

    /** FindNextFileW: the next entry, or null with ERROR_NO_MORE_FILES. */
    FindData findNextFile(FindHandle f) {
        if (f.next >= f.entries.size()) {
            fail(NtStatus.NO_MORE_FILES);
            return null;
        }
        succeed();
        return f.entries.get(f.next++);
    }

    /** The entry FindFirstFileW returned (the first). */
    FindData findFirstData(FindHandle f) {
        return f.entries.get(0);
    }

    boolean findClose(FindHandle f) {
        succeed();
        return f != null;
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
