package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.viofs.fuse.abi.Attr;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.BatchForgetIn;
import org.viofs.fuse.abi.CreateIn;
import org.viofs.fuse.abi.CreateOut;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.abi.FallocateIn;
import org.viofs.fuse.abi.FlushIn;
import org.viofs.fuse.abi.ForgetIn;
import org.viofs.fuse.abi.ForgetOne;
import org.viofs.fuse.abi.FsyncIn;
import org.viofs.fuse.abi.GetattrIn;
import org.viofs.fuse.abi.GetxattrIn;
import org.viofs.fuse.abi.GetxattrOut;
import org.viofs.fuse.abi.InHeader;
import org.viofs.fuse.abi.InitIn;
import org.viofs.fuse.abi.InitOut;
import org.viofs.fuse.abi.LinkIn;
import org.viofs.fuse.abi.LseekIn;
import org.viofs.fuse.abi.LseekOut;
import org.viofs.fuse.abi.MkdirIn;
import org.viofs.fuse.abi.OpenIn;
import org.viofs.fuse.abi.OpenOut;
import org.viofs.fuse.abi.OutHeader;
import org.viofs.fuse.abi.ReadIn;
import org.viofs.fuse.abi.ReleaseIn;
import org.viofs.fuse.abi.Rename2In;
import org.viofs.fuse.abi.RenameIn;
import org.viofs.fuse.abi.SetattrIn;
import org.viofs.fuse.abi.SetattrValid;
import org.viofs.fuse.abi.SetxattrIn;
import org.viofs.fuse.abi.StatfsOut;
import org.viofs.fuse.abi.Wire;
import org.viofs.fuse.abi.WriteIn;
import org.viofs.fuse.abi.WriteOut;

/** Round trips, sizes and a few field offsets of every wire record (offsets from docs/vhost-user-frontend.md §7.3). */
class WireCodecTest {
    private static final Attr ATTR = new Attr(11, 12, 13, 14, 15, 16, 17, 18, 19, 0100644, 21, 22, 23, 24, 25, 26);

    private static <T> ByteBuffer roundTrip(T value, int size, BiConsumer<T, ByteBuffer> enc,
                                            Function<ByteBuffer, T> dec) {
        ByteBuffer b = ByteBuffer.allocate(size + 8).order(ByteOrder.LITTLE_ENDIAN);
        enc.accept(value, b);
        assertEquals(size, b.position(), "encoded size of " + value);
        b.flip();
        assertEquals(value, dec.apply(b));
        assertEquals(size, b.position(), "decoded size of " + value);
        ByteBuffer shorter = b.duplicate().position(0).limit(size - 1);
        FuseProtocolException e = assertThrows(FuseProtocolException.class, () -> dec.apply(shorter));
        assertTrue(e.getMessage().contains("needs " + size + " bytes"), e.getMessage());
        return b.position(0);
    }

    @Test
    void headers() {
        ByteBuffer b = roundTrip(new InHeader(99, 3, 0x1122334455667788L, 5, 1000, 1001, 4242), InHeader.SIZE,
                InHeader::encode, InHeader::decode);
        assertEquals(3, b.getInt(4));
        assertEquals(0x1122334455667788L, b.getLong(8));
        assertEquals(5, b.getLong(16));
        assertEquals(4242, b.getInt(32));
        b = roundTrip(new OutHeader(16, -2, 77), OutHeader.SIZE, OutHeader::encode, OutHeader::decode);
        assertEquals(-2, b.getInt(4));
        assertEquals(77, b.getLong(8));
    }

    @Test
    void init() {
        roundTrip(new InitIn(7, 36, 4096, InitFlags.VIOFS_DEFAULT, 0), InitIn.SIZE, InitIn::encode, InitIn::decode);
        ByteBuffer b = roundTrip(new InitOut(7, 36, 131072, 0x44f039, 0, 0, 1 << 20, 1, 256, 0, 0), InitOut.SIZE,
                InitOut::encode, InitOut::decode);
        assertEquals(1 << 20, b.getInt(20), "max_write @20");
        assertEquals(1, b.getInt(24), "time_gran @24");
        assertEquals(256, b.getShort(28), "max_pages @28");
        // u16 fields stay unsigned
        roundTrip(new InitOut(7, 36, 0, 0, 65535, 65534, 4096, 1, 65535, 0, 3), InitOut.SIZE, InitOut::encode,
                InitOut::decode);
    }

    @Test
    void attrAndEntries() {
        ByteBuffer b = roundTrip(ATTR, Attr.SIZE, Attr::encode, Attr::decode);
        assertEquals(0100644, b.getInt(60), "mode @60");
        assertEquals(17, b.getInt(48), "atimensec @48");
        b = roundTrip(new EntryOut(5, 6, 7, 8, 9, 10, ATTR), EntryOut.SIZE, EntryOut::encode, EntryOut::decode);
        assertEquals(11, b.getLong(40), "attr.ino @40");
        assertEquals(10, b.getInt(36), "attr_valid_nsec @36");
        b = roundTrip(new AttrOut(1, 2, ATTR), AttrOut.SIZE, AttrOut::encode, AttrOut::decode);
        assertEquals(11, b.getLong(16), "attr @16");
        roundTrip(new OpenOut(0, FuseFlags.FOPEN_KEEP_CACHE), OpenOut.SIZE, OpenOut::encode, OpenOut::decode);
        roundTrip(new CreateOut(new EntryOut(5, 0, 1, 1, 0, 0, ATTR), new OpenOut(3, 0)), CreateOut.SIZE,
                CreateOut::encode, CreateOut::decode);
        roundTrip(new WriteOut(4096), WriteOut.SIZE, WriteOut::encode, WriteOut::decode);
        b = roundTrip(new StatfsOut(100, 50, 40, 1000, 900, 4096, 255, 4096), StatfsOut.SIZE, StatfsOut::encode,
                StatfsOut::decode);
        assertEquals(4096, b.getInt(40), "bsize @40");
        assertEquals(255, b.getInt(44), "namelen @44");
        assertEquals(4096, b.getInt(48), "frsize @48");
        roundTrip(new LseekOut(12345), LseekOut.SIZE, LseekOut::encode, LseekOut::decode);
        roundTrip(new GetxattrOut(17), GetxattrOut.SIZE, GetxattrOut::encode, GetxattrOut::decode);
    }

    @Test
    void requestArguments() {
        roundTrip(new GetattrIn(FuseFlags.GETATTR_FH, 9), GetattrIn.SIZE, GetattrIn::encode, GetattrIn::decode);
        SetattrIn s = SetattrIn.builder().mode(0600).uid(1).gid(2).size(3).fh(4).atime(5, 6).mtimeNow().ctime(7, 8)
                .build();
        ByteBuffer b = roundTrip(s, SetattrIn.SIZE, SetattrIn::encode, SetattrIn::decode);
        assertEquals(SetattrValid.FATTR_MODE | SetattrValid.FATTR_UID | SetattrValid.FATTR_GID | SetattrValid.FATTR_SIZE
                | SetattrValid.FATTR_FH | SetattrValid.FATTR_ATIME | SetattrValid.FATTR_MTIME
                | SetattrValid.FATTR_MTIME_NOW | SetattrValid.FATTR_CTIME, b.getInt(0));
        assertEquals(4, b.getLong(8), "fh @8");
        assertEquals(3, b.getLong(16), "size @16");
        assertEquals(5, b.getLong(32), "atime @32");
        assertEquals(6, b.getInt(56), "atimensec @56");
        assertEquals(0600, b.getInt(68), "mode @68 (docs/viofs-anchor.md §3.2)");
        assertEquals(1, b.getInt(76), "uid @76");
        assertEquals(2, b.getInt(80), "gid @80");
        SetattrIn later = SetattrIn.builder().atimeNow().atime(1, 2).build();
        assertFalse(later.has(SetattrValid.FATTR_ATIME_NOW), "an explicit time replaces _NOW");
        roundTrip(new OpenIn(OpenFlags.O_RDWR, 0), OpenIn.SIZE, OpenIn::encode, OpenIn::decode);
        roundTrip(new CreateIn(OpenFlags.O_RDWR | OpenFlags.O_EXCL, 0644, 022, 0), CreateIn.SIZE, CreateIn::encode,
                CreateIn::decode);
        roundTrip(new MkdirIn(0755, 0), MkdirIn.SIZE, MkdirIn::encode, MkdirIn::decode);
        roundTrip(new RenameIn(9), RenameIn.SIZE, RenameIn::encode, RenameIn::decode);
        b = roundTrip(new Rename2In(9, FuseFlags.RENAME_NOREPLACE), Rename2In.SIZE, Rename2In::encode,
                Rename2In::decode);
        assertEquals(1, b.getInt(8), "flags @8");
        roundTrip(new LinkIn(4), LinkIn.SIZE, LinkIn::encode, LinkIn::decode);
        b = roundTrip(new ReadIn(1, 2, 3, 4, 5, 6), ReadIn.SIZE, ReadIn::encode, ReadIn::decode);
        assertEquals(3, b.getInt(16), "size @16");
        assertEquals(6, b.getInt(32), "flags @32");
        roundTrip(new WriteIn(1, 2, 3, 4, 5, 6), WriteIn.SIZE, WriteIn::encode, WriteIn::decode);
        roundTrip(new ReleaseIn(1, 2, 3, 4), ReleaseIn.SIZE, ReleaseIn::encode, ReleaseIn::decode);
        b = roundTrip(new FlushIn(1, 2), FlushIn.SIZE, FlushIn::encode, FlushIn::decode);
        assertEquals(2, b.getLong(16), "lock_owner @16");
        roundTrip(new FsyncIn(1, FuseFlags.FSYNC_FDATASYNC), FsyncIn.SIZE, FsyncIn::encode, FsyncIn::decode);
        b = roundTrip(new FallocateIn(1, 2, 3, FuseFlags.FALLOC_FL_KEEP_SIZE), FallocateIn.SIZE, FallocateIn::encode,
                FallocateIn::decode);
        assertEquals(1, b.getInt(24), "mode @24");
        b = roundTrip(new LseekIn(1, 2, FuseFlags.SEEK_HOLE), LseekIn.SIZE, LseekIn::encode, LseekIn::decode);
        assertEquals(4, b.getInt(16), "whence @16");
        roundTrip(new GetxattrIn(64), GetxattrIn.SIZE, GetxattrIn::encode, GetxattrIn::decode);
        roundTrip(new SetxattrIn(64, FuseFlags.XATTR_CREATE), SetxattrIn.SIZE, SetxattrIn::encode, SetxattrIn::decode);
        roundTrip(new ForgetIn(3), ForgetIn.SIZE, ForgetIn::encode, ForgetIn::decode);
        roundTrip(new ForgetOne(5, 3), ForgetOne.SIZE, ForgetOne::encode, ForgetOne::decode);
        roundTrip(new BatchForgetIn(2), BatchForgetIn.SIZE, BatchForgetIn::encode, BatchForgetIn::decode);
    }

    @Test
    void direntsArePaddedToEight() {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        Dirent d = new Dirent(42, 1, FileMode.DT_REG, "abc");
        assertEquals(32, d.encode(b), "24 + 3 rounded up to 32");
        Dirent d2 = new Dirent(43, 2, FileMode.DT_DIR, "exactly8");
        assertEquals(32, d2.encode(b));
        b.flip();
        assertEquals(d, Dirent.decode(b));
        assertEquals(32, b.position());
        assertEquals(d2, Dirent.decode(b));
        assertFalse(b.hasRemaining());

        DirentPlus p = new DirentPlus(new EntryOut(5, 0, 1, 1, 0, 0, ATTR), new Dirent(11, 3, FileMode.DT_REG, "é"));
        ByteBuffer pb = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(160, p.encode(pb), "152 + 2 UTF-8 bytes rounded up");
        assertEquals(160, DirentPlus.recordLength("é"));
        pb.flip();
        assertEquals(p, DirentPlus.decode(pb));
    }

    @Test
    void direntNameLengthIsChecked() {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1).putLong(2).putInt(100).putInt(FileMode.DT_REG).put("short".getBytes()).flip();
        FuseProtocolException e = assertThrows(FuseProtocolException.class, () -> Dirent.decode(b));
        assertTrue(e.getMessage().contains("namelen 100 runs past the end"), e.getMessage());

        ByteBuffer zero = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        zero.putLong(1).putLong(2).putInt(0).putInt(0).putLong(0).flip();
        assertThrows(FuseProtocolException.class, () -> Dirent.decode(zero));

        ByteBuffer huge = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        huge.putLong(1).putLong(2).putInt(-1).putInt(0).putLong(0).flip();
        e = assertThrows(FuseProtocolException.class, () -> Dirent.decode(huge));
        assertTrue(e.getMessage().contains("4294967295"), "unsigned in the message: " + e.getMessage());
    }

    @Test
    void namesRefuseNul() {
        assertThrows(IllegalArgumentException.class, () -> Wire.nameBytes("a\0b", 255));
        assertThrows(IllegalArgumentException.class, () -> Wire.nameBytes("x".repeat(300), 255));
        assertEquals(3, Wire.nameBytes("a/b", 255).length);
    }
}
