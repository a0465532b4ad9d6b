package org.viofs.volume;

import org.viofs.fuse.abi.Attr;

/** Adapts the FUSE client's {@link Attr} to the volume's {@link HostStat}. */
final class HostStats {
    private HostStats() {
    }

    static HostStat of(Attr a) {
        return new HostStat(a.ino(), a.size(), a.blocks(), a.atime(), a.atimeNsec(), a.mtime(), a.mtimeNsec(),
                a.ctime(), a.ctimeNsec(), a.mode(), a.nlink(), a.uid(), a.gid());
    }
}
