package org.viofs.service;

import org.viofs.winfsp.CacheTimeouts;
import java.time.Duration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.volume.VolumeConfig;
import org.viofs.winfsp.MountOptions;

/** The one configuration model: defaults, layers, sources, checks, the settings file (issue 8 §2). */
class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void theAnchorsRegistryNamesAreOurs() {
        // docs/viofs-anchor.md §5.2: DebugFlags, DebugLogFile, CaseInsensitive, FileSystemName, MountPoint, Owner,
        // OverflowUid, OverflowGid under HKLM\Software\VirtIO-FS
        for (String name : List.of("DebugFlags", "DebugLogFile", "CaseInsensitive", "FileSystemName", "MountPoint",
                "Owner", "OverflowUid", "OverflowGid")) {
            assertTrue(Setting.byValueName(name) != null, name);
        }
        assertEquals("Software\\VirtIO-FS", ServiceNames.CONFIG_KEY);
        assertEquals("65534", Setting.OVERFLOW_UID.defaultValue(), "the anchor's default");
        assertEquals(Setting.CASE_INSENSITIVE, Setting.byValueName("caseinsensitive"), "registry names ignore case");
    }

    @Test
    void defaultsAreTheVolumesAndWinFspsDefaults() {
        ShareSettings s = ShareSettings.merge("t", List.of());
        VolumeConfig plain = VolumeConfig.builder().build();
        VolumeConfig ours = s.volumeConfig(null, false);
        assertEquals(plain.fileSystemName(), ours.fileSystemName());
        assertEquals("NTFS", ours.fileSystemName(), "as the anchor's installer writes it");
        assertEquals(plain.caseInsensitive(), ours.caseInsensitive());
        assertFalse(ours.caseInsensitive(), "case-sensitive as the anchor without -i");
        assertEquals(plain.readOnly(), ours.readOnly());
        assertEquals(plain.hideDotFiles(), ours.hideDotFiles());
        MountOptions bare = MountOptions.builder().build();
        MountOptions derived = s.mountOptions(ours, "*");
        assertEquals(bare.fileSystemName(), derived.fileSystemName());
        assertEquals(bare.caseSensitive(), derived.caseSensitive());
        assertTrue(derived.caseSensitive());
        assertEquals(bare.readOnly(), derived.readOnly());
        assertEquals("*", derived.mountPoint());
        assertEquals(0, derived.debugLogMask());
    }

    @Test
    void winFspCacheTimeoutsFollowTheDaemonUnlessSet() {
        ShareSettings auto = ShareSettings.merge("t", List.of());
        // cache=auto grants 1 s: every cache of the daemon's facts lasts 1 s, free space 1 s
        assertEquals(new CacheTimeouts(1000, 1000, 1000, 1000, 1000, 1000), auto.cacheTimeouts(Duration.ofSeconds(1)));
        // cache=none grants 0: WinFsp asks every time, but free space still lasts a second
        assertEquals(new CacheTimeouts(0, 0, 1000, 0, 0, 0), auto.cacheTimeouts(Duration.ZERO));
        SettingsLayer set = SettingsLayer.parse("registry HKLM\\Software\\VirtIO-FS\\t",
                Map.of("FileInfoTimeout", "250", "EaTimeout", "0x10", "VolumeInfoTimeout", "AUTO"), false);
        ShareSettings s = ShareSettings.merge("t", List.of(set));
        assertEquals(new CacheTimeouts(250, 5000, 1000, 5000, 5000, 16), s.cacheTimeouts(Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class, () -> SettingsLayer.parse("file x",
                Map.of("DirInfoTimeout", "-1"), false));
        assertThrows(IllegalArgumentException.class, () -> SettingsLayer.parse("file x",
                Map.of("SecurityTimeout", "soon"), false));
    }

    @Test
    void deferredCloseIsConfiguredPerShare() {
        VolumeConfig dflt = ShareSettings.merge("t", List.of()).volumeConfig(null, false);
        assertEquals(VolumeConfig.DEFAULT_DEFERRED_CLOSE_MILLIS, dflt.deferredCloseMillis());
        assertEquals(VolumeConfig.DEFAULT_MAX_DEFERRED_HANDLES, dflt.maxDeferredHandles());
        assertEquals(Setting.DEFERRED_CLOSE_MS.defaultValue(), Long.toString(dflt.deferredCloseMillis()),
                "one default, in the setting and the volume");
        VolumeConfig off = ShareSettings.merge("t", List.of(SettingsLayer.parse("command line",
                Map.of("DeferredCloseMs", "0", "MaxDeferredHandles", "8"), false))).volumeConfig(null, false);
        assertEquals(0, off.deferredCloseMillis());
        assertEquals(8, off.maxDeferredHandles());
    }

    @Test
    void eachLayerOverridesTheOneBeforeAndKnowsItsSource() {
        SettingsLayer registry = SettingsLayer.parse("registry HKLM\\Software\\VirtIO-FS",
                Map.of("CaseInsensitive", "1", "FileSystemName", "VIRTIOFS", "MountPoint", "X:"), false);
        SettingsLayer tag = SettingsLayer.parse("registry HKLM\\Software\\VirtIO-FS\\share",
                Map.of("MountPoint", "f", "ReadOnly", "1"), false);
        SettingsLayer cli = SettingsLayer.parse("command line", Map.of("ReadOnly", "0"), false);
        ShareSettings s = ShareSettings.merge("share", List.of(registry, tag, cli));
        assertTrue(s.caseInsensitive());
        assertEquals("F:", s.mountPoint(), "the tag's subkey beats the global value; letters normalized");
        assertFalse(s.readOnly(), "the command line beats the subkey");
        assertEquals("VIRTIOFS", s.fileSystemName());
        assertEquals("registry HKLM\\Software\\VirtIO-FS\\share", s.source(Setting.MOUNT_POINT));
        assertEquals("command line", s.source(Setting.READ_ONLY));
        assertEquals("default", s.source(Setting.OWNER));
        assertEquals(List.of("MountPoint=F: (registry HKLM\\Software\\VirtIO-FS\\share)",
                "CaseInsensitive=1 (registry HKLM\\Software\\VirtIO-FS)", "FileSystemName=VIRTIOFS (registry"
                        + " HKLM\\Software\\VirtIO-FS)", "ReadOnly=0 (command line)"), s.describeNonDefaults());
        VolumeConfig v = s.volumeConfig("F:", true);
        assertTrue(v.caseInsensitive());
        assertEquals("share", v.mountTag());
        assertEquals("F:", v.mountPoint());
        assertTrue(MountOptions.forVolume(v).build().namedStreams(), "streams live in xattrs");
        assertFalse(MountOptions.forVolume(v).build().caseSensitive());
    }

    @Test
    void valuesAreCheckedWithTheirSource() {
        assertEquals("1", Setting.CASE_INSENSITIVE.check("7"), "a DWORD other than 0 is true, as the anchor reads it");
        assertEquals("0", Setting.DISABLED.check("off"));
        assertEquals("-1", Setting.DEBUG_FLAGS.check("-1"));
        assertEquals("-1", Setting.DEBUG_FLAGS.check("0xFFFFFFFF"), "a DWORD read back as text");
        assertEquals("*", Setting.MOUNT_POINT.check("*"));
        assertEquals("on", Setting.XATTR.check("ON"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SettingsLayer.parse(
                "registry HKLM\\Software\\VirtIO-FS", Map.of("Owner", "root", "MountPoint", "XY:"), false));
        assertTrue(e.getMessage().startsWith("registry HKLM\\Software\\VirtIO-FS: "), e.getMessage());
        assertTrue(e.getMessage().contains("Owner must be uid:gid with numbers, e.g. 1000:1000, was \"root\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("MountPoint must be a drive letter such as F: or *, was \"XY:\""),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Setting.FILE_SYSTEM_NAME.check("SIXTEEN-CHARS-XX"),
                "WCHAR[16] holds 15 characters and the NUL");
        assertEquals("FIFTEEN-CHARS-X", Setting.FILE_SYSTEM_NAME.check("FIFTEEN-CHARS-X"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SettingsLayer.parse("file f", Map.of("MountPiont", "F:"), false));
        assertTrue(unknown.getMessage().contains("unknown value MountPiont"), unknown.getMessage());
        assertTrue(SettingsLayer.parse("registry", Map.of("LastMountPoint", "F:"), true).isEmpty(),
                "the registry holds values that are not settings");
    }

    @Test
    void aSettingsFileHasGlobalValuesAndASectionPerTag() throws IOException {
        Path f = dir.resolve("viofs.conf");
        Files.writeString(f, "# global\nCaseInsensitive = 1\n\n[config]\nDisabled = 1\n[home]\nMountPoint = H:\n"
                + "Xattr = off\n");
        FileSettingsStore store = FileSettingsStore.read(f, dir.resolve("state"));
        assertEquals(List.of("config", "home"), store.configuredTags());
        ShareSettings config = store.settingsFor("config", SettingsLayer.empty("command line"));
        assertTrue(config.disabled());
        assertTrue(config.caseInsensitive());
        assertEquals("file " + f + " [config]", config.source(Setting.DISABLED));
        ShareSettings home = store.settingsFor("home", SettingsLayer.empty("command line"));
        assertEquals("H:", home.mountPoint());
        assertEquals("off", home.xattr());
        ShareSettings other = store.settingsFor("other", SettingsLayer.empty("command line"));
        assertNull(other.mountPoint());
        assertFalse(other.disabled());
    }

    @Test
    void aBadSettingsFileNamesTheLine() throws IOException {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "MountPoint = F:\njust words\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileSettingsStore.read(f, null));
        assertEquals("settings file " + f + ": line 2: expected Name = value or [tag], was \"just words\"",
                e.getMessage());
    }

    @Test
    void theLastLetterIsRememberedAcrossStores() {
        Path state = dir.resolve("viofs.state");
        FileSettingsStore first = FileSettingsStore.read(dir.resolve("none.conf"), state);
        assertEquals(Optional.empty(), first.lastMountPoint("home"));
        first.rememberMountPoint("home", "G:");
        FileSettingsStore second = FileSettingsStore.read(dir.resolve("none.conf"), state);
        assertEquals(Optional.of("G:"), second.lastMountPoint("home"), "a restart reads it back");
    }

    @Test
    void aRegistryKeyNameCannotHoldABackslash() {
        assertTrue(RegistrySettingsStore.validKeyName("home"));
        assertFalse(RegistrySettingsStore.validKeyName("a\\b"));
        assertFalse(RegistrySettingsStore.validKeyName(""));
    }
}
