package org.viofs.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.viofs.volume.FuseVolume;
import org.viofs.volume.VolumeConfig;
import org.viofs.winfsp.CacheTimeouts;
import org.viofs.winfsp.MountOptions;

/**
 * The settings of one share after merging the layers, each overriding the one before: defaults <
 * {@code HKLM\Software\VirtIO-FS} < the tag's subkey < the command line (issue 8 §2). Knows where each
 * value came from (for {@code viofs list}). Builds the {@link VolumeConfig} and {@link MountOptions}
 * of the share, so the real mount, {@code viofs mount} and tests read the same values. Immutable.
 */
public final class ShareSettings {
    private final String tag;
    private final Map<Setting, String> values;
    private final Map<Setting, String> sources;

    private ShareSettings(String tag, Map<Setting, String> values, Map<Setting, String> sources) {
        this.tag = tag;
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
    }

    /**
     * Merges the layers in order (later wins) on top of the defaults.
     *
     * @param tag the share's mount tag
     */
    public static ShareSettings merge(String tag, List<SettingsLayer> layers) {
        EnumMap<Setting, String> v = new EnumMap<>(Setting.class);
        EnumMap<Setting, String> src = new EnumMap<>(Setting.class);
        List<SettingsLayer> all = new ArrayList<>();
        all.add(SettingsLayer.defaults());
        all.addAll(layers);
        for (SettingsLayer l : all) {
            l.values().forEach((s, value) -> {
                v.put(s, value);
                src.put(s, l.source());
            });
        }
        return new ShareSettings(tag, v, src);
    }

    public String tag() {
        return tag;
    }

    /** The value as text (checked). */
    public String get(Setting s) {
        return values.get(s);
    }

    /** Where the value came from ("default", "registry …", "file …", "command line"). */
    public String source(Setting s) {
        return sources.get(s);
    }

    /** Settings not at their default, with their sources: "MountPoint=F: (registry …)". */
    public List<String> describeNonDefaults() {
        List<String> out = new ArrayList<>();
        values.forEach((s, v) -> {
            if (!"default".equals(sources.get(s))) {
                out.add(s.valueName() + "=" + v + " (" + sources.get(s) + ")");
            }
        });
        return out;
    }

    private boolean flag(Setting s) {
        return "1".equals(values.get(s));
    }

    /** "X:" or null for "*" (any free letter). */
    public String mountPoint() {
        String m = values.get(Setting.MOUNT_POINT);
        return "*".equals(m) ? null : m;
    }

    public boolean strictMountPoint() {
        return flag(Setting.STRICT_MOUNT_POINT);
    }

    public boolean caseInsensitive() {
        return flag(Setting.CASE_INSENSITIVE);
    }

    public boolean readOnly() {
        return flag(Setting.READ_ONLY);
    }

    public boolean hideDotFiles() {
        return flag(Setting.HIDE_DOT_FILES);
    }

    public boolean disabled() {
        return flag(Setting.DISABLED);
    }

    public String fileSystemName() {
        return values.get(Setting.FILE_SYSTEM_NAME);
    }

    /** "auto", "on" or "off". */
    public String xattr() {
        return values.get(Setting.XATTR);
    }

    /** "uid:gid", or null for the share root's owner. */
    public String owner() {
        String o = values.get(Setting.OWNER);
        return o.isEmpty() ? null : o;
    }

    public int debugFlags() {
        return Integer.parseInt(values.get(Setting.DEBUG_FLAGS));
    }

    /** The log file, or null. */
    public String debugLogFile() {
        String f = values.get(Setting.DEBUG_LOG_FILE);
        return f.isEmpty() ? null : f;
    }

    /**
     * The volume configuration for this share.
     *
     * @param mountPoint the drive the share is mounted on ("X:"), or null if not known yet
     * @param xattrs     whether the share keeps Windows metadata in extended attributes (the decision
     *                   for {@link #xattr()} "auto" is the caller's, who can ask the daemon)
     */
    public VolumeConfig volumeConfig(String mountPoint, boolean xattrs) {
        VolumeConfig.Builder b = VolumeConfig.builder()
                .caseInsensitive(caseInsensitive())
                .readOnly(readOnly())
                .hideDotFiles(hideDotFiles())
                .fileSystemName(fileSystemName())
                .mountTag(tag)
                .xattrs(xattrs)
                .mountPoint(mountPoint)
                .deferredCloseMillis(Integer.parseInt(values.get(Setting.DEFERRED_CLOSE_MS)))
                .maxDeferredHandles(Integer.parseInt(values.get(Setting.MAX_DEFERRED_HANDLES)));
        if (owner() != null) {
            b.owner(owner());
        }
        return b.build();
    }

    /** The WinFsp options for a volume with this configuration, mounted on {@code mountPoint} ("X:" or "*"). */
    public MountOptions mountOptions(VolumeConfig config, String mountPoint) {
        return MountOptions.forVolume(config).mountPoint(mountPoint).debugLogMask(debugFlags()).build();
    }

    /**
     * The WinFsp options for this mounted volume: {@link #mountOptions(VolumeConfig, String)} with
     * WinFsp's cache timeouts matching the daemon's ({@link #cacheTimeouts}).
     */
    public MountOptions mountOptions(FuseVolume volume, String mountPoint) {
        MountOptions.Builder b = MountOptions.forVolume(volume.config()).mountPoint(mountPoint).debugLogMask(debugFlags());
        return cacheTimeouts(volume.attributeTimeout()).applyTo(b).build();
    }

    /**
     * WinFsp's six cache timeouts: each one set to a number of ms wins, "auto" ones follow
     * {@link CacheTimeouts#matching} the daemon's attribute timeout.
     */
    public CacheTimeouts cacheTimeouts(Duration daemonAttributeTimeout) {
        CacheTimeouts auto = CacheTimeouts.matching(daemonAttributeTimeout);
        return new CacheTimeouts(timeout(Setting.FILE_INFO_TIMEOUT, auto.fileInfoMs()),
                timeout(Setting.DIR_INFO_TIMEOUT, auto.dirInfoMs()),
                timeout(Setting.VOLUME_INFO_TIMEOUT, auto.volumeInfoMs()),
                timeout(Setting.SECURITY_TIMEOUT, auto.securityMs()),
                timeout(Setting.STREAM_INFO_TIMEOUT, auto.streamInfoMs()),
                timeout(Setting.EA_TIMEOUT, auto.eaMs()));
    }

    private int timeout(Setting s, int auto) {
        String v = values.get(s);
        return "auto".equals(v) ? auto : Integer.parseInt(v);
    }
}
