package org.viofs.service;

import java.util.Locale;

/**
 * Every setting of a share, with its one default and the reason for it (issue 8 §2). The same names are
 * used for the registry values under {@code HKLM\Software\VirtIO-FS} (the anchor's, docs/viofs-anchor.md
 * §5.2) and its per-tag subkeys, for the lines of a settings file, and in {@code viofs list}.
 * Values travel as text (a REG_DWORD as its decimal number) and are checked by {@link #check}.
 */
public enum Setting {
    /**
     * "X:" or "*". Default "*": the last letter this tag used, else the first free one from Z: down (as
     * WinFsp and the anchor count).
     */
    MOUNT_POINT("MountPoint", Kind.MOUNT_POINT, "*"),
    /** Refuse another letter when the configured one is taken. Default off: a share on another letter beats none. */
    STRICT_MOUNT_POINT("StrictMountPoint", Kind.BOOLEAN, "0"),
    /**
     * Names compare case-insensitively. Default off, as the anchor: the host is case-sensitive, and a
     * case-insensitive view of a directory that holds "a" and "A" cannot show both.
     */
    CASE_INSENSITIVE("CaseInsensitive", Kind.BOOLEAN, "0"),
    /**
     * What Windows reports as the file system. Default "NTFS", the value the anchor's installer writes,
     * because some programs (elevated installers among them) refuse to run from other file systems
     * (docs/viofs-anchor.md §5.4, §6).
     */
    FILE_SYSTEM_NAME("FileSystemName", Kind.FILE_SYSTEM_NAME, "NTFS"),
    /** Host owner "uid:gid" of new files. Default empty: the share root's owner (as the anchor's "auto"). */
    OWNER("Owner", Kind.OWNER, ""),
    /** Every modifying request fails as on write-protected media. Default off: a share is writable on the host. */
    READ_ONLY("ReadOnly", Kind.BOOLEAN, "0"),
    /** Names starting with "." carry HIDDEN, as they are hidden on Linux. Default on (users asked, anchor #793). */
    HIDE_DOT_FILES("HideDotFiles", Kind.BOOLEAN, "1"),
    /**
     * Keep what POSIX cannot (streams, attributes, EAs) in extended attributes. Default "auto": on when
     * the volume's write probe at mount can set, read back and remove a {@code user.*} attribute on the
     * share root (the daemon runs with xattrs and the host file system keeps them); "on" fails the mount
     * when it cannot.
     */
    XATTR("Xattr", Kind.XATTR, "auto"),
    /** Do not mount this tag. Default off; LXD's "config" share is a typical tag to disable. */
    DISABLED("Disabled", Kind.BOOLEAN, "0"),
    /** WinFsp debug log mask (FspFileSystemSetDebugLogF); -1 = all. Default 0: none. */
    DEBUG_FLAGS("DebugFlags", Kind.INTEGER, "0"),
    /** A log file (rolled over by the JDK's FileHandler) for viofs's own log. Default empty: Event Log only. */
    DEBUG_LOG_FILE("DebugLogFile", Kind.TEXT, ""),
    /** The anchor's OverflowUid (default 65534); read and shown, not used by the volume (docs/service.md §3). */
    OVERFLOW_UID("OverflowUid", Kind.INTEGER, "65534"),
    /** The anchor's OverflowGid (default 65534); read and shown, not used by the volume. */
    OVERFLOW_GID("OverflowGid", Kind.INTEGER, "65534"),
    /**
     * How long a closed file's FUSE handle is kept for the next open of it, in ms (0 = release at
     * close). Default 1000: builds and scanners open the same files again within a second; the host
     * sees the file open that much longer (docs/caching.md §2).
     */
    DEFERRED_CLOSE_MS("DeferredCloseMs", Kind.INTEGER, "1000"),
    /** Most closed files' handles kept at once (0 = none). Default 64: far below any daemon's descriptor limit. */
    MAX_DEFERRED_HANDLES("MaxDeferredHandles", Kind.INTEGER, "64"),
    /**
     * WinFsp's FileInfoTimeout in ms, or "auto": the daemon's attribute timeout as seen at mount, so
     * Windows' cache keeps attributes exactly as long as the volume's own (docs/caching.md §4).
     */
    FILE_INFO_TIMEOUT("FileInfoTimeout", Kind.TIMEOUT, "auto"),
    /** WinFsp's DirInfoTimeout in ms, or "auto" (as FileInfoTimeout: the daemon's timeout). */
    DIR_INFO_TIMEOUT("DirInfoTimeout", Kind.TIMEOUT, "auto"),
    /** WinFsp's VolumeInfoTimeout in ms, or "auto" (1000: free space at most a second old). */
    VOLUME_INFO_TIMEOUT("VolumeInfoTimeout", Kind.TIMEOUT, "auto"),
    /** WinFsp's SecurityTimeout in ms, or "auto" (the daemon's timeout: descriptors come from mode and owner). */
    SECURITY_TIMEOUT("SecurityTimeout", Kind.TIMEOUT, "auto"),
    /** WinFsp's StreamInfoTimeout in ms, or "auto" (the daemon's timeout). */
    STREAM_INFO_TIMEOUT("StreamInfoTimeout", Kind.TIMEOUT, "auto"),
    /** WinFsp's EaTimeout in ms, or "auto" (the daemon's timeout). */
    EA_TIMEOUT("EaTimeout", Kind.TIMEOUT, "auto");

    /** How a value is written and checked. */
    public enum Kind { BOOLEAN, INTEGER, TEXT, MOUNT_POINT, OWNER, XATTR, FILE_SYSTEM_NAME, TIMEOUT }

    /** Largest TIMEOUT value accepted, in ms (one day; WinFsp's fields are UINT32 ms). */
    public static final long MAX_TIMEOUT_MS = 86_400_000L;

    /** FSP_FSCTL_VOLUME_PARAMS.FileSystemName: WCHAR[16] with its NUL (docs/winfsp-native.md §1.1). */
    public static final int MAX_FILE_SYSTEM_NAME_CHARS = 15;

    private final String valueName;
    private final Kind kind;
    private final String defaultValue;

    Setting(String valueName, Kind kind, String defaultValue) {
        this.valueName = valueName;
        this.kind = kind;
        this.defaultValue = defaultValue;
    }

    /** The registry value name and settings-file key. */
    public String valueName() {
        return valueName;
    }

    public Kind kind() {
        return kind;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** Whether a REG_DWORD holds it (else REG_SZ). */
    public boolean isDword() {
        return kind == Kind.BOOLEAN || kind == Kind.INTEGER;
    }

    /** The setting with this value name, ignoring case (registry names are case-insensitive), or null. */
    public static Setting byValueName(String name) {
        for (Setting s : values()) {
            if (s.valueName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Normalizes a value: booleans to "0"/"1", letters to "X:" upper case, xattr modes to lower case.
     *
     * @throws IllegalArgumentException naming the setting and what it accepts
     */
    public String check(String raw) {
        String v = raw.trim();
        switch (kind) {
            case BOOLEAN:
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "0": case "false": case "no": case "off":
                        return "0";
                    case "1": case "true": case "yes": case "on":
                        return "1";
                    default:
                        if (v.matches("-?\\d+")) {
                            return "0".equals(v) ? "0" : "1"; // a DWORD ≠ 0 is true, as the anchor reads it
                        }
                        throw bad(raw, "0 or 1");
                }
            case INTEGER:
                try {
                    return Long.toString(Long.decode(v).intValue());
                } catch (NumberFormatException e) {
                    throw bad(raw, "a number");
                }
            case MOUNT_POINT:
                if (v.equals("*") || v.isEmpty()) {
                    return "*";
                }
                if (v.matches("[A-Za-z]:?")) {
                    return Character.toUpperCase(v.charAt(0)) + ":";
                }
                throw bad(raw, "a drive letter such as F: or *");
            case OWNER:
                if (v.isEmpty() || v.matches("\\d+:\\d+")) {
                    return v;
                }
                throw bad(raw, "uid:gid with numbers, e.g. 1000:1000");
            case XATTR:
                String x = v.toLowerCase(Locale.ROOT);
                if (x.equals("auto") || x.equals("on") || x.equals("off")) {
                    return x;
                }
                throw bad(raw, "auto, on or off");
            case TIMEOUT:
                if (v.equalsIgnoreCase("auto") || v.isEmpty()) {
                    return "auto";
                }
                try {
                    long ms = Long.decode(v);
                    if (ms >= 0 && ms <= MAX_TIMEOUT_MS) {
                        return Long.toString(ms);
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
                throw bad(raw, "auto or 0.." + MAX_TIMEOUT_MS + " ms");
            case FILE_SYSTEM_NAME:
                if (v.isEmpty() || v.length() > MAX_FILE_SYSTEM_NAME_CHARS) {
                    throw bad(raw, "1 to " + MAX_FILE_SYSTEM_NAME_CHARS + " characters");
                }
                return v;
            default:
                return v;
        }
    }

    private IllegalArgumentException bad(String raw, String wanted) {
        return new IllegalArgumentException(valueName + " must be " + wanted + ", was \"" + raw + "\"");
    }
}
