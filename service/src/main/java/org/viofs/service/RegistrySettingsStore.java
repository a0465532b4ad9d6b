package org.viofs.service;

import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.WinReg;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings in {@code HKLM\Software\VirtIO-FS} (the anchor's values, docs/viofs-anchor.md §5.2) and its
 * subkeys, one per mount tag. The remembered letter is the tag subkey's REG_SZ {@code LastMountPoint}.
 * Values are read again on every call, so a change applies to the next mount. Windows-only; it makes
 * the registry calls and leaves every decision to {@link SettingsLayer} and {@link ShareSettings}.
 */
public final class RegistrySettingsStore implements SettingsStore {
    /** The value under a tag's subkey that remembers its letter. */
    public static final String LAST_MOUNT_POINT = "LastMountPoint";
    private static final WinReg.HKEY HKLM = WinReg.HKEY_LOCAL_MACHINE;

    @Override
    public SettingsLayer global() {
        return read(ServiceNames.CONFIG_KEY, "registry HKLM\\" + ServiceNames.CONFIG_KEY);
    }

    @Override
    public SettingsLayer forTag(String tag) {
        String source = "registry HKLM\\" + ServiceNames.CONFIG_KEY + "\\" + tag;
        if (!validKeyName(tag)) {
            return SettingsLayer.empty(source);
        }
        return read(ServiceNames.CONFIG_KEY + "\\" + tag, source);
    }

    /** A registry key name cannot hold a backslash; such a tag has no subkey of its own. */
    static boolean validKeyName(String tag) {
        return !tag.isEmpty() && tag.indexOf('\\') < 0;
    }

    private static SettingsLayer read(String key, String source) {
        if (!Advapi32Util.registryKeyExists(HKLM, key)) {
            return SettingsLayer.empty(source);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        Advapi32Util.registryGetValues(HKLM, key).forEach((name, value) -> raw.put(name, String.valueOf(value)));
        return SettingsLayer.parse(source, raw, true);
    }

    @Override
    public Optional<String> lastMountPoint(String tag) {
        String key = ServiceNames.CONFIG_KEY + "\\" + tag;
        if (!validKeyName(tag) || !Advapi32Util.registryValueExists(HKLM, key, LAST_MOUNT_POINT)) {
            return Optional.empty();
        }
        return Optional.of(Advapi32Util.registryGetStringValue(HKLM, key, LAST_MOUNT_POINT));
    }

    @Override
    public void rememberMountPoint(String tag, String drive) {
        if (!validKeyName(tag)) {
            return;
        }
        String key = ServiceNames.CONFIG_KEY + "\\" + tag;
        Advapi32Util.registryCreateKey(HKLM, key);
        Advapi32Util.registrySetStringValue(HKLM, key, LAST_MOUNT_POINT, drive);
    }

    @Override
    public List<String> configuredTags() {
        if (!Advapi32Util.registryKeyExists(HKLM, ServiceNames.CONFIG_KEY)) {
            return List.of();
        }
        return Arrays.asList(Advapi32Util.registryGetKeys(HKLM, ServiceNames.CONFIG_KEY));
    }
}
