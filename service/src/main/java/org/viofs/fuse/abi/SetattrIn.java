package org.viofs.fuse.abi;

import java.nio.ByteBuffer;

/**
 * {@code fuse_setattr_in} (88 bytes): what SETATTR changes. Only fields whose bit is in
 * {@code valid} ({@link SetattrValid}) are applied; build one with {@link #builder()}.
 *
 * <pre>
 *  0 valid u32 | 4 padding u32 | 8 fh u64 | 16 size u64 | 24 lock_owner u64 | 32 atime u64 | 40 mtime u64
 * 48 ctime u64 | 56 atimensec u32 | 60 mtimensec u32 | 64 ctimensec u32 | 68 mode u32 | 72 unused u32
 * 76 uid u32 | 80 gid u32 | 84 unused u32
 * </pre>
 */
public record SetattrIn(int valid, long fh, long size, long lockOwner, long atime, long mtime, long ctime,
                        int atimeNsec, int mtimeNsec, int ctimeNsec, int mode, int uid, int gid) {
    public static final int SIZE = 88;

    public void encode(ByteBuffer b) {
        b.putInt(valid).putInt(0).putLong(fh).putLong(size).putLong(lockOwner).putLong(atime).putLong(mtime)
                .putLong(ctime).putInt(atimeNsec).putInt(mtimeNsec).putInt(ctimeNsec).putInt(mode).putInt(0)
                .putInt(uid).putInt(gid).putInt(0);
    }

    public static SetattrIn decode(ByteBuffer b) {
        Wire.need(b, SIZE, "fuse_setattr_in");
        int valid = b.getInt();
        b.getInt();
        long fh = b.getLong();
        long size = b.getLong();
        long lockOwner = b.getLong();
        long atime = b.getLong();
        long mtime = b.getLong();
        long ctime = b.getLong();
        int an = b.getInt();
        int mn = b.getInt();
        int cn = b.getInt();
        int mode = b.getInt();
        b.getInt();
        int uid = b.getInt();
        int gid = b.getInt();
        b.getInt();
        return new SetattrIn(valid, fh, size, lockOwner, atime, mtime, ctime, an, mn, cn, mode, uid, gid);
    }

    public boolean has(int fattrBit) {
        return (valid & fattrBit) != 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects what to set; each setter adds its FATTR bit. Not thread-safe. */
    public static final class Builder {
        private int valid;
        private long fh;
        private long size;
        private long atime;
        private long mtime;
        private long ctime;
        private int atimeNsec;
        private int mtimeNsec;
        private int ctimeNsec;
        private int mode;
        private int uid;
        private int gid;

        private Builder() {
        }

        /** Permission bits (and setuid/setgid/sticky); the file type bits are ignored by the daemon. */
        public Builder mode(int mode) {
            this.mode = mode;
            valid |= SetattrValid.FATTR_MODE;
            return this;
        }

        public Builder uid(int uid) {
            this.uid = uid;
            valid |= SetattrValid.FATTR_UID;
            return this;
        }

        public Builder gid(int gid) {
            this.gid = gid;
            valid |= SetattrValid.FATTR_GID;
            return this;
        }

        /** Truncates or extends to this many bytes. */
        public Builder size(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size);
            }
            this.size = size;
            valid |= SetattrValid.FATTR_SIZE;
            return this;
        }

        /** Applies the change through this open handle (FATTR_FH); fh 0 is a valid handle. */
        public Builder fh(long fh) {
            this.fh = fh;
            valid |= SetattrValid.FATTR_FH;
            return this;
        }

        /** Access time in seconds since the epoch plus nanoseconds. */
        public Builder atime(long seconds, int nanos) {
            atime = seconds;
            atimeNsec = nanos;
            valid = (valid | SetattrValid.FATTR_ATIME) & ~SetattrValid.FATTR_ATIME_NOW;
            return this;
        }

        /** Access time = the daemon's current time. */
        public Builder atimeNow() {
            valid |= SetattrValid.FATTR_ATIME | SetattrValid.FATTR_ATIME_NOW;
            return this;
        }

        /** Modification time in seconds since the epoch plus nanoseconds. */
        public Builder mtime(long seconds, int nanos) {
            mtime = seconds;
            mtimeNsec = nanos;
            valid = (valid | SetattrValid.FATTR_MTIME) & ~SetattrValid.FATTR_MTIME_NOW;
            return this;
        }

        /** Modification time = the daemon's current time. */
        public Builder mtimeNow() {
            valid |= SetattrValid.FATTR_MTIME | SetattrValid.FATTR_MTIME_NOW;
            return this;
        }

        /**
         * Change time. virtiofsd 7.2 cannot set ctime (Linux has no call for it) and ignores this bit;
         * it is sent for daemons that can.
         */
        public Builder ctime(long seconds, int nanos) {
            ctime = seconds;
            ctimeNsec = nanos;
            valid |= SetattrValid.FATTR_CTIME;
            return this;
        }

        public SetattrIn build() {
            return new SetattrIn(valid, fh, size, 0, atime, mtime, ctime, atimeNsec, mtimeNsec, ctimeNsec, mode, uid,
                    gid);
        }
    }
}
