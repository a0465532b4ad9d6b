package org.viofs.conformance;

import java.util.ArrayList;
import java.util.List;

import org.viofs.conformance.Win32Structs.FindData;
import org.viofs.conformance.Win32Structs.FindHandle;
import org.viofs.volume.VolumeOperations;

/**
 * Removes a run directory ({@code \viofs-conformance-<id>}) and everything the cases left in it,
 * through the facade as a Windows program would (list, clear READONLY, DeleteFile /
 * RemoveDirectory bottom-up; a symlink is deleted, never followed), so a run against a daemon the
 * user started leaves the share as it was. Bounded: at most {@value #MAX_DEPTH} levels and
 * {@value #MAX_ENTRIES} entries. Not thread-safe; one removal at a time.
 */
final class RunDirectory {

    /** Deeper than any case goes. */
    static final int MAX_DEPTH = 32;
    /** More than any run leaves (about 600 entries). */
    static final int MAX_ENTRIES = 100_000;

    /** What a removal did: how many entries it removed and the first thing it could not remove. */
    record Removal(int removed, String firstFailure) {
        boolean complete() {
            return firstFailure == null;
        }
    }

    private final Win32Facade w;
    private int removed;
    private String firstFailure;

    private RunDirectory(VolumeOperations volume, FacadeOptions options) {
        this.w = new Win32Facade(volume, options);
    }

    /** Removes {@code dir} (a volume path) and everything below it; never throws for what it cannot remove. */
    static Removal remove(VolumeOperations volume, FacadeOptions options, String dir) {
        RunDirectory r = new RunDirectory(volume, options);
        try {
            r.removeTree(dir, 0);
        } catch (RuntimeException e) {
            r.failed(dir, e.toString());
        }
        return new Removal(r.removed, r.firstFailure);
    }

    private void removeTree(String dir, int depth) {
        if (depth > MAX_DEPTH) {
            failed(dir, "deeper than " + MAX_DEPTH + " levels");
            return;
        }
        for (FindData d : list(dir)) {
            String path = dir + "\\" + d.fileName();
            boolean directory = (d.fileAttributes() & Win32.FILE_ATTRIBUTE_DIRECTORY) != 0
                    && (d.fileAttributes() & Win32.FILE_ATTRIBUTE_REPARSE_POINT) == 0;
            if (directory) {
                removeTree(path, depth + 1);
            } else {
                removeOne(path, d.fileAttributes());
            }
        }
        int attributes = w.getFileAttributes(dir);
        if (attributes != Win32.INVALID_FILE_ATTRIBUTES) {
            removeOne(dir, attributes);
        }
    }

    private List<FindData> list(String dir) {
        List<FindData> entries = new ArrayList<>();
        FindHandle f = w.findFirstFile(dir + "\\*");
        if (f == null) {
            return entries;
        }
        try {
            for (FindData d = w.findFirstData(f); d != null && entries.size() < MAX_ENTRIES; d = w.findNextFile(f)) {
                if (!d.fileName().equals(".") && !d.fileName().equals("..")) {
                    entries.add(d);
                }
            }
        } finally {
            w.findClose(f);
        }
        return entries;
    }

    /** DeleteFile, or RemoveDirectory for a directory or a directory symlink (the link itself goes). */
    private void removeOne(String path, int attributes) {
        if ((attributes & Win32.FILE_ATTRIBUTE_READONLY) != 0) {
            w.setFileAttributes(path, Win32.FILE_ATTRIBUTE_NORMAL);
        }
        boolean ok = (attributes & Win32.FILE_ATTRIBUTE_DIRECTORY) != 0 ? w.removeDirectory(path) : w.deleteFile(path);
        if (ok) {
            removed++;
        } else {
            failed(path, String.format("err=0x%08X:%d", w.getLastStatus(), w.getLastError()));
        }
    }

    private void failed(String path, String why) {
        if (firstFailure == null) {
            firstFailure = path + ": " + why;
        }
    }
}
