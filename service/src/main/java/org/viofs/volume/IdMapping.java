package org.viofs.volume;

/**
 * Host uid/gid ⇄ Windows SID. The host owner's uid and gid (the ids new files get) show as
 * configurable SIDs; every other id shows as the SID WinFsp's POSIX mapping gives it
 * ({@link Sid#fromPosixId}), so it is still recognisable and maps back.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ownerUid host uid shown as {@code ownerSid}
 * @param ownerGid host gid shown as {@code groupSid}
 * @param ownerSid SID for {@code ownerUid}
 * @param groupSid SID for {@code ownerGid}
 */
public record IdMapping(int ownerUid, int ownerGid, Sid ownerSid, Sid groupSid) {

    public IdMapping {
        if (ownerSid == null || groupSid == null) {
            throw new IllegalArgumentException("owner and group SIDs are required");
        }
    }

    public Sid uidToSid(int uid) {
        return uid == ownerUid ? ownerSid : Sid.fromPosixId(uid);
    }

    public Sid gidToSid(int gid) {
        return gid == ownerGid ? groupSid : Sid.fromPosixId(gid);
    }

    /** The uid for a SID, or -1 when it maps to none. */
    public long sidToUid(Sid sid) {
        return sid.equals(ownerSid) ? Integer.toUnsignedLong(ownerUid) : sid.toPosixId();
    }

    /** The gid for a SID, or -1 when it maps to none. */
    public long sidToGid(Sid sid) {
        return sid.equals(groupSid) ? Integer.toUnsignedLong(ownerGid) : sid.toPosixId();
    }
}
