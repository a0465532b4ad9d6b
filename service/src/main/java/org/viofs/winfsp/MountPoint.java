package org.viofs.winfsp;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a volume appears, checked before anything native runs (docs/winfsp-native.md §3.2,
 * FspFileSystemSetMountPoint): a drive letter {@code X:}, {@code *} for the first free letter
 * (WinFsp searches from Z: downward), a directory that does not exist yet ({@code C:\mnt\share},
 * disk volumes only), or a Mount Manager name ({@code \\.\X:} or {@code \\.\C:\dir}). A network
 * volume may also have none: it is then reachable only as {@code \\server\share}.
 *
 * @param kind        which form
 * @param nativeValue what to pass to SetMountPoint; null for "first free letter" and for none
 */
public record MountPoint(Kind kind, String nativeValue) {

    /** The accepted forms. */
    public enum Kind {
        DRIVE, NEXT_FREE_DRIVE, DIRECTORY, MOUNT_MANAGER, NONE
    }

    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:");
    private static final Pattern MOUNT_MANAGER = Pattern.compile("\\\\\\\\\\.\\\\[A-Za-z]:(\\\\[^\\\\].*)?");
    private static final Pattern DIRECTORY = Pattern.compile("[A-Za-z]:\\\\[^\\\\/:*?\"<>|].*");
    private static final String FORMS = "a drive letter (X:), * for the first free letter, a directory that does not"
            + " exist yet (C:\\mnt\\share) or a Mount Manager name (\\\\.\\X:)";

    /**
     * @param text    the user's value; null or empty means none
     * @param network whether the volume is a network volume (then "none" is allowed and directories
     *                are not)
     * @throws IllegalArgumentException with the accepted forms when the text is none of them
     */
    public static MountPoint parse(String text, boolean network) {
        if (text == null || text.isEmpty()) {
            if (!network) {
                throw new IllegalArgumentException("a disk volume needs a mount point: " + FORMS);
            }
            return new MountPoint(Kind.NONE, null);
        }
        if (text.equals("*") || text.equals("*:")) {
            return new MountPoint(Kind.NEXT_FREE_DRIVE, null);
        }
        if (DRIVE.matcher(text).matches()) {
            return new MountPoint(Kind.DRIVE, text.toUpperCase(Locale.ROOT));
        }
        if (MOUNT_MANAGER.matcher(text).matches()) {
            return new MountPoint(Kind.MOUNT_MANAGER, text);
        }
        if (DIRECTORY.matcher(text).matches()) {
            if (network) {
                throw new IllegalArgumentException("a network volume cannot be mounted on a directory (" + text
                        + "); WinFsp allows directories for disk volumes only");
            }
            String dir = text;
            while (dir.endsWith("\\") && dir.length() > 3) {
                dir = dir.substring(0, dir.length() - 1);
            }
            return new MountPoint(Kind.DIRECTORY, dir);
        }
        throw new IllegalArgumentException("mount point \"" + text + "\" is not " + FORMS);
    }

    /**
     * Checks a network volume prefix (docs/winfsp-native.md §1.2): after trailing backslashes are removed it
     * must start with exactly one backslash and hold at least one more, as in {@code \server\share},
     * and fit WCHAR[192] with its NUL.
     *
     * @return the prefix without trailing backslashes
     */
    public static String checkNetworkPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        while (p.endsWith("\\")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || p.charAt(0) != '\\' || (p.length() > 1 && p.charAt(1) == '\\')
                || p.indexOf('\\', 1) < 0 || p.indexOf('\\', 1) == p.length() - 1) {
            throw new IllegalArgumentException("network prefix \"" + prefix + "\" must look like \\server\\share"
                    + " (one leading backslash, then server, backslash, share)");
        }
        if ((p.length() + 1) * 2 > FspFsctlVolumeParams.PREFIX_BYTES) {
            throw new IllegalArgumentException("network prefix \"" + prefix + "\" is longer than "
                    + (FspFsctlVolumeParams.PREFIX_BYTES / 2 - 1) + " characters");
        }
        return p;
    }
}
