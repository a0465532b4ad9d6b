package org.viofs.volume;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The options a user sets for one volume (issue 3 §3). Built with {@link #builder()}; immutable.
 *
 * @param caseInsensitive   lookups ignore case (NTFS-like); names keep the case they were created with
 * @param readOnly          every modifying callback fails with MEDIA_WRITE_PROTECTED
 * @param hideDotFiles      names starting with "." show the HIDDEN attribute
 * @param fileSystemName    what Windows reports as the file system ("NTFS" by default, as the anchor's
 *                          installer writes it: some programs refuse to run from other file systems,
 *                          docs/viofs-anchor.md §5.4)
 * @param ownerUid          uid new files get on the host, or -1 for the share root's owner
 * @param ownerGid          gid new files get on the host, or -1 for the share root's group
 * @param ownerSid          the SID the owner uid shows as. Default BUILTIN\\Users (S-1-5-32-545): every
 *                          interactive guest user gets the owner's rights and the host enforces (the
 *                          anchor used Everyone, which makes owner and world one class, so a DACL
 *                          could not be mapped back to distinct mode bits)
 * @param groupSid          the SID the owner gid shows as, or null for WinFsp's POSIX SID of the gid
 * @param volumeLabel       the label, or null for the mount tag
 * @param mountTag          the share's mount tag (default label)
 * @param xattrs            the daemon runs with {@code -o xattr}: named streams live in extended attributes
 * @param nanoClock         monotonic clock for cache timeouts, in nanoseconds (injectable for tests)
 * @param maxCacheTimeout   upper bound on any entry/attribute timeout the daemon grants
 * @param mountPoint        the drive the volume is mounted on ("X:"), or null when unknown: symlink
 *                          targets on that drive ({@code \??\X:\dir}, as CreateSymbolicLinkW writes
 *                          them) are stored as links within the share
 * @param maxCachedNames    name-cache entries kept at most (least recently used go first, and the
 *                          host's references on their nodes are returned with FORGET)
 * @param readGrantsExecute a regular file's descriptor grants FILE_EXECUTE to every class that may
 *                          read it (as the anchor does, docs/viofs-anchor.md §4.4), so programs on the share
 *                          run and GENERIC_ALL opens succeed although host files rarely carry x bits;
 *                          SetSecurity never turns that shown execute right into a host x bit
 *                          ({@link PosixSecurity#shownMode}). Default on; off shows the mode bits exactly.
 * @param deferredCloseMillis how long a closed file's FUSE handle is kept for the next open of the same
 *                          file (deferred close, {@link DeferredHandles}); 0 sends RELEASE at Close.
 *                          Default {@value #DEFAULT_DEFERRED_CLOSE_MILLIS} ms
 * @param maxDeferredHandles most closed files' handles kept at once: the host never holds more open for
 *                          this volume beyond the files Windows has open; 0 keeps none. Default
 *                          {@value #DEFAULT_MAX_DEFERRED_HANDLES}
 */
public record VolumeConfig(boolean caseInsensitive, boolean readOnly, boolean hideDotFiles, String fileSystemName,
                           int ownerUid, int ownerGid, Sid ownerSid, Sid groupSid, String volumeLabel,
                           String mountTag, boolean xattrs, LongSupplier nanoClock, Duration maxCacheTimeout,
                           String mountPoint, int maxCachedNames, boolean readGrantsExecute, long deferredCloseMillis,
                           int maxDeferredHandles) {
    /** The default FileSystemName (see {@code fileSystemName} above). */
    public static final String DEFAULT_FILE_SYSTEM_NAME = "NTFS";
    /** FSP_FSCTL_VOLUME_PARAMS.FileSystemName holds 16 WCHARs (FSNAME size 32 bytes, docs/winfsp-native.md §1.1). */
    public static final int MAX_FILE_SYSTEM_NAME_CHARS = 16;
    /** Default {@link #deferredCloseMillis()}: long enough for the open-read-close bursts of builds and scans. */
    public static final long DEFAULT_DEFERRED_CLOSE_MILLIS = 1000;
    /** Longest {@link #deferredCloseMillis()} accepted: a file kept open on the host longer surprises its users. */
    public static final long MAX_DEFERRED_CLOSE_MILLIS = 60_000;
    /** Default {@link #maxDeferredHandles()}. */
    public static final int DEFAULT_MAX_DEFERRED_HANDLES = 64;
    /** Most {@link #maxDeferredHandles()} accepted (each is an open descriptor in the daemon). */
    public static final int MAX_DEFERRED_HANDLES = 4096;

    public VolumeConfig {
        Objects.requireNonNull(fileSystemName, "fileSystemName");
        Objects.requireNonNull(ownerSid, "ownerSid");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(maxCacheTimeout, "maxCacheTimeout");
        if (fileSystemName.isEmpty() || fileSystemName.length() > MAX_FILE_SYSTEM_NAME_CHARS) {
            throw new IllegalArgumentException("file system name \"" + fileSystemName + "\" must have 1.."
                    + MAX_FILE_SYSTEM_NAME_CHARS + " characters");
        }
        if (deferredCloseMillis < 0 || deferredCloseMillis > MAX_DEFERRED_CLOSE_MILLIS) {
            throw new IllegalArgumentException("deferredCloseMillis must be 0.." + MAX_DEFERRED_CLOSE_MILLIS + ", was "
                    + deferredCloseMillis);
        }
        if (maxDeferredHandles < 0 || maxDeferredHandles > MAX_DEFERRED_HANDLES) {
            throw new IllegalArgumentException("maxDeferredHandles must be 0.." + MAX_DEFERRED_HANDLES + ", was "
                    + maxDeferredHandles);
        }
        if (maxCachedNames < 1) {
            throw new IllegalArgumentException("maxCachedNames must be at least 1, was " + maxCachedNames);
        }
        if (mountPoint != null && !mountPoint.matches("[A-Za-z]:")) {
            throw new IllegalArgumentException("mount point must be a drive such as \"X:\", was \"" + mountPoint + "\"");
        }
        if (volumeLabel != null && volumeLabel.length() > VolumeInfo.MAX_LABEL_CHARS) {
            throw new IllegalArgumentException("volume label of " + volumeLabel.length() + " characters, at most "
                    + VolumeInfo.MAX_LABEL_CHARS);
        }
    }

    /** The label Windows shows: the configured one, else the mount tag, else "virtiofs". */
    public String effectiveLabel() {
        String l = volumeLabel != null ? volumeLabel : mountTag != null ? mountTag : "virtiofs";
        return l.length() > VolumeInfo.MAX_LABEL_CHARS ? l.substring(0, VolumeInfo.MAX_LABEL_CHARS) : l;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This configuration narrowed by what the share allows: a share the host exports read-only makes a
     * read-only volume; extended attributes are used only where the probe could store them (or, on a
     * read-only share, read them): a daemon that lists them but refuses writing them would otherwise
     * fail every named stream and EA with ACCESS_DENIED. This same object when nothing narrows.
     */
    public VolumeConfig narrowedBy(ShareCapabilities caps) {
        boolean ro = readOnly || caps.readOnly();
        boolean xa = xattrs && caps.xattrsUsable();
        return ro == readOnly && xa == xattrs ? this : toBuilder().readOnly(ro).xattrs(xa).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.caseInsensitive = caseInsensitive;
        b.readOnly = readOnly;
        b.hideDotFiles = hideDotFiles;
        b.fileSystemName = fileSystemName;
        b.ownerUid = ownerUid;
        b.ownerGid = ownerGid;
        b.ownerSid = ownerSid;
        b.groupSid = groupSid;
        b.volumeLabel = volumeLabel;
        b.mountTag = mountTag;
        b.xattrs = xattrs;
        b.nanoClock = nanoClock;
        b.maxCacheTimeout = maxCacheTimeout;
        b.mountPoint = mountPoint;
        b.maxCachedNames = maxCachedNames;
        b.readGrantsExecute = readGrantsExecute;
        b.deferredCloseMillis = deferredCloseMillis;
        b.maxDeferredHandles = maxDeferredHandles;
        return b;
    }

    /**
     * Defaults: case-sensitive, writable, dot-files HIDDEN, "NTFS", owner = share root's owner, read
     * grants execute on regular files.
     */
    public static final class Builder {
        private boolean caseInsensitive;
        private boolean readOnly;
        private boolean hideDotFiles = true;
        private String fileSystemName = DEFAULT_FILE_SYSTEM_NAME;
        private int ownerUid = -1;
        private int ownerGid = -1;
        private Sid ownerSid = Sid.BUILTIN_USERS;
        private Sid groupSid;
        private String volumeLabel;
        private String mountTag;
        private boolean xattrs;
        private LongSupplier nanoClock = System::nanoTime;
        private Duration maxCacheTimeout = Duration.ofHours(1);
        private String mountPoint;
        private int maxCachedNames = NodeCache.MAX_ENTRIES;
        private boolean readGrantsExecute = true;
        private long deferredCloseMillis = DEFAULT_DEFERRED_CLOSE_MILLIS;
        private int maxDeferredHandles = DEFAULT_MAX_DEFERRED_HANDLES;

        private Builder() {
        }

        public Builder caseInsensitive(boolean v) {
            caseInsensitive = v;
            return this;
        }

        public Builder readOnly(boolean v) {
            readOnly = v;
            return this;
        }

        public Builder hideDotFiles(boolean v) {
            hideDotFiles = v;
            return this;
        }

        public Builder fileSystemName(String v) {
            fileSystemName = v;
            return this;
        }

        /** Owner ids for new files, as the anchor's "-o UID:GID" / {@code Owner} registry value. */
        public Builder owner(int uid, int gid) {
            ownerUid = uid;
            ownerGid = gid;
            return this;
        }

        /** Parses "uid:gid". */
        public Builder owner(String uidColonGid) {
            String[] p = uidColonGid.split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("owner must be uid:gid, was \"" + uidColonGid + "\"");
            }
            try {
                return owner(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("owner must be uid:gid with numbers, was \"" + uidColonGid + "\"", e);
            }
        }

        public Builder ownerSid(Sid v) {
            ownerSid = v;
            return this;
        }

        public Builder groupSid(Sid v) {
            groupSid = v;
            return this;
        }

        public Builder volumeLabel(String v) {
            volumeLabel = v;
            return this;
        }

        public Builder mountTag(String v) {
            mountTag = v;
            return this;
        }

        public Builder xattrs(boolean v) {
            xattrs = v;
            return this;
        }

        public Builder nanoClock(LongSupplier v) {
            nanoClock = v;
            return this;
        }

        public Builder maxCacheTimeout(Duration v) {
            maxCacheTimeout = v;
            return this;
        }

        /** The drive letter the volume is mounted on ("X:"), for symlink targets written as {@code \??\X:\…}. */
        public Builder mountPoint(String v) {
            mountPoint = v;
            return this;
        }

        /** Name-cache entries kept at most (default 65,536). */
        public Builder maxCachedNames(int v) {
            maxCachedNames = v;
            return this;
        }

        /** Whether read access to a regular file also grants FILE_EXECUTE (default true). */
        public Builder readGrantsExecute(boolean v) {
            readGrantsExecute = v;
            return this;
        }

        /** How long a closed file's FUSE handle is kept for reuse, in ms (0: RELEASE at Close). */
        public Builder deferredCloseMillis(long v) {
            deferredCloseMillis = v;
            return this;
        }

        /** Most closed files' FUSE handles kept at once (0: none). */
        public Builder maxDeferredHandles(int v) {
            maxDeferredHandles = v;
            return this;
        }

        public VolumeConfig build() {
            return new VolumeConfig(caseInsensitive, readOnly, hideDotFiles, fileSystemName, ownerUid, ownerGid,
                    ownerSid, groupSid, volumeLabel, mountTag, xattrs, nanoClock, maxCacheTimeout, mountPoint,
                    maxCachedNames, readGrantsExecute, deferredCloseMillis, maxDeferredHandles);
        }
    }
}
