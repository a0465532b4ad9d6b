package org.viofs.conformance;

import java.util.Locale;

import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;

/**
 * A file name as WinFsp's FSD accepts it on the volume (docs/winfsp-native.md §2.1; {@code src/sys/create.c}
 * and {@code FspFileNameIsValid}): absolute ({@code \dir\file}), one doubled leading backslash
 * tolerated, one trailing backslash remembered (only directories may carry it), no empty component,
 * no wildcard or control characters, a stream suffix ({@code :name[:$DATA]}) only on the last
 * component, and no component longer than the volume's MaxComponentLength.
 *
 * @param main                 the main file's path, without stream suffix or trailing backslash
 * @param stream               the stream name, or null for the main stream ({@code ::$DATA} included)
 * @param hasTrailingBackslash the name ended with one backslash
 * @param dataType             the name carried an explicit {@code :$DATA} type (a directory has none)
 */
public record WinName(String main, String stream, boolean hasTrailingBackslash, boolean dataType) {

    /** Characters no name component may hold (ntifs.h FsRtlIsAnsiCharacterLegalNtfs, plus wildcards). */
    private static final String INVALID = "<>\"|?*";

    /** Parses and validates; throws OBJECT_NAME_INVALID like the FSD. */
    public static WinName parse(String path, int maxComponentLength) {
        String p = path;
        if (p.isEmpty() || p.charAt(0) != '\\') {
            throw invalid(path, "not absolute");
        }
        // "according to fastfat, filenames that begin with two backslashes are ok" (create.c); three are not
        if (p.startsWith("\\\\")) {
            p = p.substring(1);
            if (p.startsWith("\\\\")) {
                throw invalid(path, "three leading backslashes");
            }
        }
        boolean trailing = false;
        if (p.length() >= 2 && p.endsWith("\\")) {
            p = p.substring(0, p.length() - 1);
            trailing = true;
            if (p.length() >= 2 && p.endsWith("\\")) {
                throw invalid(path, "two trailing backslashes");
            }
        }
        if (p.equals("\\")) {
            return new WinName("\\", null, false, false);
        }
        String[] parts = p.substring(1).split("\\\\", -1);
        String stream = null;
        boolean dataType = false;
        StringBuilder main = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String c = parts[i];
            boolean last = i == parts.length - 1;
            if (c.isEmpty()) {
                throw invalid(path, "empty component");
            }
            int colon = c.indexOf(':');
            if (colon >= 0) {
                if (!last) {
                    throw invalid(path, "stream name in a non-final component");
                }
                String rest = c.substring(colon + 1);
                c = c.substring(0, colon);
                String type = null;
                int colon2 = rest.indexOf(':');
                if (colon2 >= 0) {
                    type = rest.substring(colon2 + 1);
                    rest = rest.substring(0, colon2);
                }
                if (type != null && !type.equalsIgnoreCase("$DATA")) {
                    throw invalid(path, "stream type " + type);
                }
                dataType = type != null;
                if (rest.isEmpty() && type == null) {
                    throw invalid(path, "empty stream name");
                }
                checkChars(path, rest, maxComponentLength);
                if (c.isEmpty()) {
                    throw invalid(path, "stream of nothing");
                }
                stream = rest.isEmpty() ? null : rest;
                if (trailing) {
                    throw invalid(path, "stream with trailing backslash");
                }
            }
            checkChars(path, c, maxComponentLength);
            main.append('\\').append(c);
        }
        return new WinName(main.toString(), stream, trailing, dataType);
    }

    private static void checkChars(String path, String component, int maxComponentLength) {
        if (component.length() > maxComponentLength) {
            throw invalid(path, "component longer than " + maxComponentLength);
        }
        for (int i = 0; i < component.length(); i++) {
            char ch = component.charAt(i);
            if (ch < 32 || INVALID.indexOf(ch) >= 0) {
                throw invalid(path, "invalid character");
            }
        }
    }

    private static NtStatusException invalid(String path, String why) {
        return new NtStatusException(NtStatus.OBJECT_NAME_INVALID, why + ": " + path);
    }

    /** The name the volume sees: main path plus {@code :stream}. */
    public String volumeName() {
        return stream == null ? main : main + ":" + stream;
    }

    public boolean isRoot() {
        return main.equals("\\");
    }

    /** The parent directory of the main file ({@code \} for a child of the root). */
    public String parent() {
        int i = main.lastIndexOf('\\');
        return i <= 0 ? "\\" : main.substring(0, i);
    }

    /** The last component of the main path. */
    public String leaf() {
        return main.substring(main.lastIndexOf('\\') + 1);
    }

    /** The key of this name in the facade's open-file table. */
    public String key(boolean caseSensitive) {
        return keyOf(volumeName(), caseSensitive);
    }

    static String keyOf(String volumeName, boolean caseSensitive) {
        return caseSensitive ? volumeName : volumeName.toUpperCase(Locale.ROOT);
    }
}
