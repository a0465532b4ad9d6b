package org.viofs.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.ReparseResolution;
import org.viofs.volume.SecurityByName;
import org.viofs.volume.VolumeOperations;

/**
 * Name resolution as the DLL and the I/O manager do it before an open reaches the volume:
 * GetSecurityByName on the name, following reparse points in non-final components (and in the
 * final one unless the open asks for the reparse point itself) through ResolveReparsePoints
 * (docs/winfsp-native.md §2, slot 19), at most {@value #MAX_REPARSE_HOPS} times; and which "not found"
 * a missing name is (docs/winfsp-native.md §2.1, Create/Open flow).
 *
 * <p>Thread safety: stateless apart from the volume; safe if the volume is.
 */
final class NameResolver {

    /** The IO manager follows at most this many reparse points before giving up (ntos: 63). */
    static final int MAX_REPARSE_HOPS = 63;

    /** A resolved name and what GetSecurityByName said about it (null when it does not exist). */
    record Resolved(String volumeName, SecurityByName security) {
    }

    private final VolumeOperations volume;
    private final boolean reparsePoints;

    /** @param reparsePoints VOLUME_PARAMS ReparsePoints: without it no name is reparsed */
    NameResolver(VolumeOperations volume, boolean reparsePoints) {
        this.volume = volume;
        this.reparsePoints = reparsePoints;
    }

    /**
     * GetSecurityByName on a name, following reparse points; returns the final name and its
     * SecurityByName, or throws (OBJECT_NAME_NOT_FOUND for a missing name, REPARSE_POINT_NOT_RESOLVED
     * after too many hops).
     */
    Resolved resolve(String volumeName, boolean openReparsePoint) {
        String name = volumeName;
        for (int hop = 0; hop <= MAX_REPARSE_HOPS; hop++) {
            SecurityByName sbn = volume.getSecurityByName(name);
            boolean reparseHere = sbn.status() == NtStatus.REPARSE
                    || (!openReparsePoint && (sbn.fileAttributes() & Win32.FILE_ATTRIBUTE_REPARSE_POINT) != 0
                    && sbn.status() == NtStatus.SUCCESS);
            if (!reparseHere || !reparsePoints) {
                return new Resolved(name, sbn);
            }
            int index = sbn.status() == NtStatus.REPARSE ? sbn.fileAttributes() : 0;
            name = reparse(name, volume.resolveReparsePoints(name, index, true));
        }
        throw new NtStatusException(NtStatus.REPARSE_POINT_NOT_RESOLVED, "too many reparse points: " + volumeName);
    }

    /**
     * What the I/O manager does with STATUS_REPARSE: IO_REPARSE carries the new name; a symlink tag
     * carries reparse data whose substitute name replaces the part of the path already parsed
     * (REPARSE_DATA_BUFFER.Reserved = bytes of the path left unparsed). Absolute substitutes
     * ({@code \??\X:\...}) stay on the volume only for its own drive {@value Win32Facade#DRIVE}; any other tag
     * finds no filter to handle it (STATUS_IO_REPARSE_TAG_NOT_HANDLED).
     */
    private static String reparse(String name, ReparseResolution r) {
        if (r.information() == ReparseResolution.IO_REPARSE) {
            String target = new String(r.buffer(), StandardCharsets.UTF_16LE);
            int nul = target.indexOf('\0');
            if (nul >= 0) {
                target = target.substring(0, nul);
            }
            if (!target.startsWith("\\")) {
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, "reparse target not on the volume: " + target);
            }
            return target;
        }
        if (r.information() != Win32.IO_REPARSE_TAG_SYMLINK) {
            throw new NtStatusException(Win32Facade.STATUS_IO_REPARSE_TAG_NOT_HANDLED,
                    String.format("reparse tag 0x%08X on %s", r.information(), name));
        }
        byte[] data = r.buffer();
        String substitute = ReparseData.symlinkSubstituteName(data);
        int remainingChars = (ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getShort(6) & 0xFFFF) / 2;
        remainingChars = Math.min(remainingChars, name.length());
        String remaining = name.substring(name.length() - remainingChars);
        String parsed = name.substring(0, name.length() - remainingChars);
        String base;
        if (substitute.startsWith("\\??\\")) {
            String drivePath = substitute.substring(4);
            if (drivePath.length() < 2 || !drivePath.substring(0, 2).equalsIgnoreCase(Win32Facade.DRIVE)) {
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND, "symlink leaves the volume: " + substitute);
            }
            base = drivePath.length() == 2 ? "\\" : drivePath.substring(2);
        } else if (substitute.startsWith("\\")) {
            base = substitute;
        } else {
            base = parentOf(parsed) + "\\" + substitute;
        }
        return normalize(base + remaining);
    }

    /** Removes "." and ".." components, as the I/O manager does when it reparses. */
    static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("\\\\")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(c);
        }
        return "\\" + String.join("\\", out);
    }

    /** The directory holding a file or stream's main file ({@code \} for a top-level name). */
    static String parentOf(String volumeName) {
        String main = volumeName;
        int colon = main.lastIndexOf(':');
        if (colon > main.lastIndexOf('\\')) {
            main = main.substring(0, colon);
        }
        int i = main.lastIndexOf('\\');
        return i <= 0 ? "\\" : main.substring(0, i);
    }

    /**
     * NOT_FOUND for a name becomes OBJECT_PATH_NOT_FOUND when its parent is missing too
     * (docs/winfsp-native.md §2.1, Create/Open flow). Returns the status to report.
     */
    int notFoundStatus(String volumeName) {
        String parent = parentOf(volumeName);
        if (parent.equals(volumeName)) {
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        }
        try {
            SecurityByName p = volume.getSecurityByName(parent);
            if ((p.fileAttributes() & Win32.FILE_ATTRIBUTE_DIRECTORY) == 0 && p.status() == NtStatus.SUCCESS) {
                return NtStatus.OBJECT_PATH_NOT_FOUND;
            }
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        } catch (NtStatusException e) {
            return e.status() == NtStatus.OBJECT_NAME_NOT_FOUND || e.status() == NtStatus.OBJECT_PATH_NOT_FOUND
                    ? NtStatus.OBJECT_PATH_NOT_FOUND : e.status();
        }
    }
}
