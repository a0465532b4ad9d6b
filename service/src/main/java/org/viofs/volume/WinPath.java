package org.viofs.volume;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Windows path on this volume, parsed into the FUSE names sent to the host, plus the rules that
 * translate single names in both directions.
 *
 * <p>Rules (issue 3 §2):
 * <ul>
 * <li>Separators are backslashes; the root is {@code \}. Empty components (doubled backslashes) are
 *     ignored, as the FSD does; {@code .} and {@code ..} components are refused, so a path never
 *     leaves the share.</li>
 * <li>Characters Windows forbids in names but POSIX allows (1–31 and {@code " * : < > ? \ |}) travel
 *     in Windows as U+F000 + c, the Services-for-Macintosh/Cygwin convention WinFsp's POSIX layer uses
 *     ({@code FspPosixMapWindowsToPosixPathEx}/{@code FspPosixMapPosixToWindowsPathEx} in
 *     {@code src/shared/ku/posix.c}). Other U+F0xx characters pass unchanged. A host name that
 *     already holds such a U+F000 + c character cannot be told apart from the name with c, so it is
 *     not shown at all ({@link #isReachableFromWindows}; docs/volume-semantics.md "Names").</li>
 * <li>{@code /} and NUL never reach the host: a Windows name containing them is OBJECT_NAME_INVALID
 *     (a private-use U+F02F stays U+F02F).</li>
 * <li>Paths may hold up to {@value #MAX_PATH_UTF16} UTF-16 units and names up to
 *     {@value #MAX_NAME_UTF16}; there is no 259-byte total limit (anchor §4.9).</li>
 * <li>A {@code :stream} suffix on the last component names a stream ({@code name:s}, {@code name:s:$DATA});
 *     {@code name::$DATA} is the main stream.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class WinPath {
    /** NTFS's longest path, in UTF-16 units (the UNICODE_STRING limit of 32,767 characters). */
    public static final int MAX_PATH_UTF16 = 32767;
    /** NTFS's longest file name, in UTF-16 units (FILE_NAME_INFORMATION / MaxComponentLength 255). */
    public static final int MAX_NAME_UTF16 = 255;
    /** WinFsp's translation offset for characters Windows forbids in names (posix.c). */
    public static final char PRIVATE_USE_BASE = '\uF000';

    private static final WinPath ROOT = new WinPath(List.of(), null);

    private final List<String> names;
    private final String streamName;
    /** UTF-16 offset of each component in the parsed string (null when built, not parsed). */
    private final int[] offsets;

    private WinPath(List<String> names, String streamName) {
        this(names, streamName, null);
    }

    private WinPath(List<String> names, String streamName, int[] offsets) {
        this.names = names;
        this.streamName = streamName;
        this.offsets = offsets;
    }

    /** The volume root. */
    public static WinPath root() {
        return ROOT;
    }

    /**
     * Parses a Windows path as WinFsp passes it ({@code \dir\file.txt}, {@code \dir\file:stream}).
     *
     * @throws NtStatusException OBJECT_NAME_INVALID for forbidden characters, dot components, a
     *                           relative path or a bad stream suffix; NAME_TOO_LONG past the limits
     */
    public static WinPath parse(String windowsPath) {
        if (windowsPath == null || windowsPath.isEmpty() || windowsPath.charAt(0) != '\\') {
            throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID,
                    "not an absolute volume path: " + quote(windowsPath));
        }
        if (windowsPath.length() > MAX_PATH_UTF16) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, "path of " + windowsPath.length()
                    + " UTF-16 units, the limit is " + MAX_PATH_UTF16);
        }
        List<String> out = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        String stream = null;
        int i = 1;
        int n = windowsPath.length();
        while (i < n) {
            int j = windowsPath.indexOf('\\', i);
            if (j < 0) {
                j = n;
            }
            if (j > i) {
                String comp = windowsPath.substring(i, j);
                int colon = comp.indexOf(':');
                if (colon >= 0) {
                    if (j != n) {
                        throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID,
                                "':' in a directory component of " + quote(windowsPath));
                    }
                    stream = parseStream(comp.substring(colon + 1), windowsPath);
                    comp = comp.substring(0, colon);
                    if (comp.isEmpty()) {
                        throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID,
                                "a stream without a file name: " + quote(windowsPath));
                    }
                }
                out.add(toHostName(comp));
                starts.add(i);
            }
            i = j + 1;
        }
        if (stream != null && out.isEmpty()) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "the root has no named streams");
        }
        if (out.isEmpty() && stream == null) {
            return ROOT;
        }
        int[] offs = new int[starts.size()];
        for (int k = 0; k < offs.length; k++) {
            offs[k] = starts.get(k);
        }
        return new WinPath(Collections.unmodifiableList(out), stream, offs);
    }

    /** "s" from "s", "s:$DATA"; "" (main stream) from ":$DATA". */
    private static String parseStream(String suffix, String whole) {
        String name = suffix;
        int colon = suffix.indexOf(':');
        if (colon >= 0) {
            String type = suffix.substring(colon + 1);
            if (!type.equalsIgnoreCase("$DATA")) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID,
                        "stream type " + quote(type) + " (only $DATA exists) in " + quote(whole));
            }
            name = suffix.substring(0, colon);
        } else if (suffix.isEmpty()) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "empty stream name in " + quote(whole));
        }
        if (name.length() > MAX_NAME_UTF16) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, "stream name of " + name.length() + " UTF-16 units");
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c == '\0' || c == '/' || c == '\\') {
                throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "character U+"
                        + String.format("%04X", (int) c) + " in stream name of " + quote(whole));
            }
        }
        return name;
    }

    /**
     * One Windows name component → the name sent to the host.
     *
     * @throws NtStatusException OBJECT_NAME_INVALID for "/", NUL, a Windows-forbidden character,
     *                           "." or ".."; NAME_TOO_LONG past {@value #MAX_NAME_UTF16} units
     */
    public static String toHostName(String windowsName) {
        if (windowsName.isEmpty() || windowsName.equals(".") || windowsName.equals("..")) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "name " + quote(windowsName));
        }
        if (windowsName.length() > MAX_NAME_UTF16) {
            throw new NtStatusException(NtStatus.NAME_TOO_LONG, "name of " + windowsName.length()
                    + " UTF-16 units, the limit is " + MAX_NAME_UTF16);
        }
        StringBuilder sb = null;
        for (int k = 0; k < windowsName.length(); k++) {
            char c = windowsName.charAt(k);
            if (c == '/' || (c < 0x80 && isReservedOnWindows(c)) || c == 0) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "character U+"
                        + String.format("%04X", (int) c) + " in name " + quote(windowsName));
            }
            if (c >= PRIVATE_USE_BASE && c <= '\uF07F' && isReservedOnWindows((char) (c - PRIVATE_USE_BASE))) {
                if (sb == null) {
                    sb = new StringBuilder(windowsName.substring(0, k));
                }
                sb.append((char) (c - PRIVATE_USE_BASE));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? windowsName : sb.toString();
    }

    /**
     * One host name → the name Windows sees: forbidden characters move to U+F000 + c. A host name
     * is never "/"-bearing or empty (the kernel forbids it); "." and ".." are returned unchanged.
     */
    public static String toWindowsName(String hostName) {
        StringBuilder sb = null;
        for (int k = 0; k < hostName.length(); k++) {
            char c = hostName.charAt(k);
            if (c < 0x80 && isReservedOnWindows(c)) {
                if (sb == null) {
                    sb = new StringBuilder(hostName.substring(0, k));
                }
                sb.append((char) (PRIVATE_USE_BASE + c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? hostName : sb.toString();
    }

    /** A host name for a log line: every character outside printable ASCII as \\uXXXX. */
    static String escapeForLog(String hostName) {
        StringBuilder sb = new StringBuilder("\"");
        for (int k = 0; k < hostName.length(); k++) {
            char c = hostName.charAt(k);
            if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04X", (int) c));
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Whether Windows can reach this host name: false when it holds a literal U+F000 + c for a
     * character c that {@link #toWindowsName} maps there (U+F03A next to ':'). Windows would see the
     * same name as the host name with c itself, and {@link #toHostName} sends that one, so such a name
     * could be listed but never opened, renamed or deleted; the volume does not show it.
     */
    public static boolean isReachableFromWindows(String hostName) {
        for (int k = 0; k < hostName.length(); k++) {
            char c = hostName.charAt(k);
            if (c > PRIVATE_USE_BASE && c < PRIVATE_USE_BASE + 0x80 && isReservedOnWindows((char) (c - PRIVATE_USE_BASE))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The characters WinFsp's POSIX layer translates: control characters 1–31 and
     * {@code " * : < > ? \ |}. NUL and "/" are not in the set: neither can be in a POSIX name.
     */
    public static boolean isReservedOnWindows(char c) {
        if (c >= 1 && c <= 31) {
            return true;
        }
        switch (c) {
            case '"', '*', ':', '<', '>', '?', '\\', '|':
                return true;
            default:
                return false;
        }
    }

    /**
     * The case-insensitive comparison key of a name: each UTF-16 unit upper-cased on its own, like
     * NTFS's $UpCase table (no length-changing mappings such as ß → SS).
     */
    public static String caseKey(String name) {
        char[] cs = name.toCharArray();
        for (int k = 0; k < cs.length; k++) {
            cs[k] = Character.toUpperCase(cs[k]);
        }
        return new String(cs);
    }

    /** The host names from the root, in order; empty for the root. */
    public List<String> names() {
        return names;
    }

    /**
     * The UTF-16 offset of component {@code i} in the string this path was parsed from (what WinFsp's
     * GetSecurityByName reports as the reparse point index, docs/winfsp-native.md §2.2).
     */
    public int componentOffset(int i) {
        if (offsets != null) {
            return offsets[i];
        }
        int off = 0;
        for (int k = 0; k < i; k++) {
            off += 1 + toWindowsName(names.get(k)).length();
        }
        return off + 1;
    }

    /** Number of components. */
    public int depth() {
        return names.size();
    }

    public boolean isRoot() {
        return names.isEmpty();
    }

    /** The last host name; null for the root. */
    public String leaf() {
        return names.isEmpty() ? null : names.get(names.size() - 1);
    }

    /** The parent path (no stream); the root for a top-level name; null for the root. */
    public WinPath parent() {
        if (names.isEmpty()) {
            return null;
        }
        return names.size() == 1 ? ROOT : new WinPath(names.subList(0, names.size() - 1), null);
    }

    /** The named stream, "" for an explicit {@code ::$DATA}, or null for the plain file. */
    public String streamName() {
        return streamName;
    }

    /** True if a named (non-main) stream is addressed. */
    public boolean isNamedStream() {
        return streamName != null && !streamName.isEmpty();
    }

    /** This path without its stream suffix. */
    public WinPath withoutStream() {
        return streamName == null ? this : (names.isEmpty() ? ROOT : new WinPath(names, null));
    }

    /** The Windows spelling, backslash-separated, host names translated back. */
    public String toWindowsPath() {
        if (names.isEmpty()) {
            return "\\";
        }
        StringBuilder sb = new StringBuilder();
        for (String s : names) {
            sb.append('\\').append(toWindowsName(s));
        }
        if (streamName != null) {
            sb.append(':').append(streamName);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WinPath p && p.names.equals(names) && java.util.Objects.equals(p.streamName, streamName);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + (streamName == null ? 0 : streamName.hashCode());
    }

    @Override
    public String toString() {
        return toWindowsPath();
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "…(" + s.length() + " units)" : s;
        return "\"" + shown.replace("\0", "\\0") + "\"";
    }

}
