package org.viofs.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import org.viofs.service.FileSettingsStore;
import org.viofs.service.RegistrySettingsStore;
import org.viofs.service.Setting;
import org.viofs.service.SettingsLayer;
import org.viofs.service.SettingsStore;
import org.viofs.service.ShareSettings;

import picocli.CommandLine.Option;

/**
 * The share settings a command line may give (the top layer over the registry, issue 8 §2), with the
 * anchor's short options and their meanings (docs/viofs-anchor.md §5.1): -t, -m, -i, -o, -F, -d, -D.
 */
public final class ShareSettingOptions {
    @Option(names = {"-t", "--tag"}, paramLabel = "TAG",
            description = "Only the share with this mount tag (exact, case-sensitive); default: every share.")
    String tag;

    @Option(names = {"-m", "--mount-point"}, paramLabel = "X:",
            description = "Drive letter, or * for the tag's last letter or the first free one from Z: down.")
    String mountPoint;

    @Option(names = {"-i", "--case-insensitive"}, description = "Names compare case-insensitively.")
    Boolean caseInsensitive;

    @Option(names = {"-o", "--owner"}, paramLabel = "UID:GID",
            description = "Host owner of new files (default: the share root's owner).")
    String owner;

    @Option(names = {"-F", "--file-system-name"}, paramLabel = "NAME",
            description = "File system name shown to Windows, at most 15 characters (default: NTFS).")
    String fileSystemName;

    @Option(names = {"-d", "--debug-flags"}, paramLabel = "N",
            description = "WinFsp debug log mask; -1 = everything (default: 0).")
    String debugFlags;

    @Option(names = {"-D", "--debug-log"}, paramLabel = "FILE",
            description = "Also write viofs's log to FILE (rolled over at 10 MB); - = standard error.")
    String debugLog;

    @Option(names = "--read-only", description = "Refuse every change, as on write-protected media.")
    Boolean readOnly;

    @Option(names = "--strict-mount-point",
            description = "Fail instead of taking another letter when the configured one is in use.")
    Boolean strictMountPoint;

    @Option(names = "--hide-dot-files", negatable = true,
            description = "Show names starting with . as hidden (default: on).")
    Boolean hideDotFiles;

    @Option(names = "--xattr", paramLabel = "MODE",
            description = "Keep streams, attributes and EAs in extended attributes: auto, on or off (default: auto,"
                    + " on when the host daemon runs with -o xattr).")
    String xattr;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read settings from FILE instead of the registry (HKLM\\Software\\VirtIO-FS).")
    Path config;

    /** The settings given here, checked (bad values are a usage error naming the option). */
    public SettingsLayer layer() {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        put(raw, Setting.MOUNT_POINT, mountPoint);
        put(raw, Setting.CASE_INSENSITIVE, flag(caseInsensitive));
        put(raw, Setting.OWNER, owner);
        put(raw, Setting.FILE_SYSTEM_NAME, fileSystemName);
        put(raw, Setting.DEBUG_FLAGS, debugFlags);
        put(raw, Setting.DEBUG_LOG_FILE, debugLog);
        put(raw, Setting.READ_ONLY, flag(readOnly));
        put(raw, Setting.STRICT_MOUNT_POINT, flag(strictMountPoint));
        put(raw, Setting.HIDE_DOT_FILES, flag(hideDotFiles));
        put(raw, Setting.XATTR, xattr);
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        raw.forEach((s, v) -> byName.put(s.valueName(), v));
        try {
            return SettingsLayer.parse("command line", byName, false);
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The settings that are not a share's (log file, debug flags): global values and the command line. */
    public ShareSettings serviceWide(SettingsStore store) {
        try {
            return ShareSettings.merge("*", java.util.List.of(store.global(), layer()));
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The mount tag asked for, or null for every share. */
    public String tag() {
        return tag;
    }

    /** The settings file, or the registry. */
    public SettingsStore store() {
        if (config != null) {
            try {
                return FileSettingsStore.read(config, config.resolveSibling(config.getFileName() + ".state"));
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.UserError(ExitCodes.USAGE, e.getMessage());
            }
        }
        return new RegistrySettingsStore();
    }

    private static String flag(Boolean b) {
        return b == null ? null : b ? "1" : "0";
    }

    private static void put(Map<Setting, String> m, Setting s, String v) {
        if (v != null) {
            m.put(s, v);
        }
    }
}
