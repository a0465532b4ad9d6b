package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.viofs.bridge.TransportException;
import org.viofs.fuse.ScriptedTransport.Request;
import org.viofs.fuse.abi.Attr;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.abi.GetattrIn;
import org.viofs.fuse.abi.GetxattrIn;
import org.viofs.fuse.abi.GetxattrOut;
import org.viofs.fuse.abi.InHeader;
import org.viofs.fuse.abi.InitIn;
import org.viofs.fuse.abi.InitOut;
import org.viofs.fuse.abi.LinkIn;
import org.viofs.fuse.abi.OutHeader;
import org.viofs.fuse.abi.ReadIn;
import org.viofs.fuse.abi.Rename2In;
import org.viofs.fuse.abi.RenameIn;
import org.viofs.fuse.abi.SetxattrIn;
import org.viofs.fuse.abi.WriteIn;
import org.viofs.fuse.abi.WriteOut;

/** FuseClient against a scripted transport: request bytes, reply checks, fallbacks and splitting. */
class FuseClientTest {
    static final Attr FILE = new Attr(100, 5, 8, 1, 2, 3, 0, 0, 0, 0100644, 1, 0, 0, 0, 4096, 0);

    static ByteBuffer entryBody(long nodeId) {
        ByteBuffer b = ScriptedTransport.body(EntryOut.SIZE);
        new EntryOut(nodeId, 0, 1, 1, 0, 0, FILE).encode(b);
        return b.flip();
    }

    static ByteBuffer attrBody() {
        ByteBuffer b = ScriptedTransport.body(AttrOut.SIZE);
        new AttrOut(1, 0, FILE).encode(b);
        return b.flip();
    }

    private final ScriptedTransport t = new ScriptedTransport();

    private FuseClient client() {
        return FuseClient.init(t);
    }

    private static String cstring(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - start];
        b.get(s);
        b.get();
        return new String(s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- INIT

    @Test
    void initSendsExtendedInitAndRecordsLimits() {
        FuseClient c = client();
        Request init = t.requests.get(0);
        assertSame(Opcode.INIT, init.opcode());
        assertEquals(InHeader.SIZE + InitIn.SIZE, init.header().len());
        assertEquals(0, init.header().nodeId());
        assertEquals(OutHeader.SIZE + InitOut.SIZE, init.replyCapacity());
        InitIn in = InitIn.decode(init.body());
        assertEquals(7, in.major());
        assertEquals(36, in.minor());
        assertEquals(InitFlags.VIOFS_DEFAULT, in.flags());
        assertTrue((in.flags() & InitFlags.INIT_EXT) != 0);
        FuseLimits l = c.limits();
        assertEquals(36, l.minor());
        assertEquals(1 << 20, l.maxWrite());
        assertEquals(256, l.maxPages());
        assertEquals(1 << 20, l.maxReadChunk());
        assertEquals(1 << 20, l.maxWriteChunk());
        assertTrue(l.granted(InitFlags.DO_READDIRPLUS));
        assertFalse(l.granted(InitFlags.INIT_EXT));
    }

    @Test
    void withoutMaxPagesChunksAre128KiB() {
        t.initFlags = 0x44f039 & ~InitFlags.MAX_PAGES;
        t.initMaxWrite = 128 * 1024;
        t.initMaxPages = 0;
        FuseLimits l = client().limits();
        assertEquals(0, l.maxPages());
        assertEquals(128 * 1024, l.maxReadChunk(), "32 default pages × 4 KiB");
        assertEquals(128 * 1024, l.maxWriteChunk());
    }

    @Test
    void chunksAreBoundedByTheTransport() {
        t.maxRequestBytes = 32 * 1024 + 80;
        t.maxReplyBytes = 16 * 1024 + 16;
        FuseClient c = client();
        FuseLimits l = c.limits();
        assertEquals(16 * 1024, l.maxReadChunk());
        assertEquals(32 * 1024, l.maxWriteChunk());
        t.script = r -> ScriptedTransport.ok(r);
        assertEquals(List.of(), c.readdirplus(1, 0, 0), "the default directory buffer shrinks to fit");
        assertEquals(16 * 1024, ReadIn.decode(t.of(Opcode.READDIRPLUS).get(0).body()).size());
        assertThrows(IllegalArgumentException.class, () -> c.readdir(1, 0, 0, 32 * 1024));
    }

    @Test
    void initRefusesOldMinorAndOtherMajor() {
        t.initMinor = 30;
        FuseProtocolException e = assertThrows(FuseProtocolException.class, this::client);
        assertTrue(e.getMessage().contains("7.30"), e.getMessage());
        assertFalse(t.closed, "a failed init leaves the transport to the caller");
        t.initScript = r -> {
            ByteBuffer b = ScriptedTransport.body(InitOut.SIZE);
            new InitOut(8, 0, 0, 0, 0, 0, 4096, 1, 0, 0, 0).encode(b);
            return ScriptedTransport.reply(r.unique(), 0, b.flip());
        };
        e = assertThrows(FuseProtocolException.class, this::client);
        assertTrue(e.getMessage().contains("FUSE 8.0"), e.getMessage());
    }

    @Test
    void initErrorIsErrno() {
        t.initScript = r -> ScriptedTransport.error(r, Errno.EPROTO.number());
        FuseErrnoException e = assertThrows(FuseErrnoException.class, this::client);
        assertEquals("EPROTO (71) from INIT on node 0", e.getMessage());
    }

    // ---------------------------------------------------------------- request bytes

    @Test
    void lookupRequestAndUniqueCounter() {
        FuseClient c = client();
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, entryBody(5));
        EntryOut e = c.lookup(1, "dir é");
        assertEquals(5, e.nodeId());
        assertEquals(FILE, e.attr());
        Request r = t.requests.get(1);
        assertSame(Opcode.LOOKUP, r.opcode());
        assertEquals(1, r.header().nodeId());
        int nameLen = "dir é".getBytes(StandardCharsets.UTF_8).length;
        assertEquals(InHeader.SIZE + nameLen + 1, r.header().len());
        assertEquals("dir é", cstring(r.body()));
        assertEquals(t.requests.get(0).unique() + 1, r.unique());
        assertEquals(OutHeader.SIZE + EntryOut.SIZE, r.replyCapacity());
    }

    @Test
    void getattrWithAndWithoutHandle() {
        FuseClient c = client();
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, attrBody());
        assertEquals(FILE, c.getattr(5).attr());
        assertEquals(FILE, c.getattr(5, 0).attr());
        GetattrIn plain = GetattrIn.decode(t.requests.get(1).body());
        GetattrIn withFh = GetattrIn.decode(t.requests.get(2).body());
        assertEquals(0, plain.getattrFlags());
        assertEquals(FuseFlags.GETATTR_FH, withFh.getattrFlags());
        assertEquals(0, withFh.fh(), "fh 0 is a valid handle");
    }

    @Test
    void symlinkLinkRenameAndXattrLayouts() {
        FuseClient c = client();
        t.script = r -> switch (r.opcode()) {
            case SYMLINK, LINK -> ScriptedTransport.reply(r.unique(), 0, entryBody(9));
            default -> ScriptedTransport.ok(r);
        };
        c.symlink(3, "link", "../target");
        Request s = t.of(Opcode.SYMLINK).get(0);
        assertEquals(3, s.header().nodeId());
        ByteBuffer sb = s.body();
        assertEquals("link", cstring(sb), "the new name first");
        assertEquals("../target", cstring(sb), "then the target");
        c.link(9, 4, "hard");
        Request l = t.of(Opcode.LINK).get(0);
        assertEquals(4, l.header().nodeId(), "header nodeid is the new parent");
        ByteBuffer lb = l.body();
        assertEquals(9, LinkIn.decode(lb).oldNodeId());
        assertEquals("hard", cstring(lb));
        c.rename(3, "a", 4, "b", FuseFlags.RENAME_NOREPLACE);
        Request rn = t.of(Opcode.RENAME2).get(0);
        ByteBuffer rb = rn.body();
        Rename2In in = Rename2In.decode(rb);
        assertEquals(4, in.newDir());
        assertEquals(FuseFlags.RENAME_NOREPLACE, in.flags());
        assertEquals("a", cstring(rb));
        assertEquals("b", cstring(rb));
        c.setxattr(9, "user.k", new byte[] {1, 2, 3}, FuseFlags.XATTR_CREATE);
        Request sx = t.of(Opcode.SETXATTR).get(0);
        ByteBuffer xb = sx.body();
        SetxattrIn si = SetxattrIn.decode(xb);
        assertEquals(3, si.size());
        assertEquals(FuseFlags.XATTR_CREATE, si.flags());
        assertEquals("user.k", cstring(xb));
        assertEquals(3, xb.remaining(), "exactly the value follows the name");
    }

    // ---------------------------------------------------------------- malformed replies

    private FuseProtocolException malformedGetattr(java.util.function.Function<Request, ByteBuffer> reply) {
        FuseClient c = client();
        t.script = reply;
        return assertThrows(FuseProtocolException.class, () -> c.getattr(5));
    }

    @Test
    void replyShorterThanHeader() {
        FuseProtocolException e = malformedGetattr(r -> ByteBuffer.allocate(10));
        assertTrue(e.getMessage().contains("GETATTR reply has 10 bytes, shorter than fuse_out_header"), e.getMessage());
        e = malformedGetattr(r -> ByteBuffer.allocate(0));
        assertTrue(e.getMessage().contains("has 0 bytes"), e.getMessage());
    }

    @Test
    void lenLargerThanBytesWritten() {
        FuseProtocolException e = malformedGetattr(r -> {
            ByteBuffer b = ScriptedTransport.reply(r.unique(), 0, attrBody());
            b.putInt(0, 200);
            return b;
        });
        assertTrue(e.getMessage().contains("says len 200 but 120 bytes were written (len past the end)"),
                e.getMessage());
    }

    @Test
    void lenSmallerThanBytesWritten() {
        FuseProtocolException e = malformedGetattr(r -> {
            ByteBuffer b = ScriptedTransport.reply(r.unique(), 0, attrBody());
            b.putInt(0, 100);
            return b;
        });
        assertTrue(e.getMessage().contains("says len 100 but 120 bytes were written"), e.getMessage());
    }

    @Test
    void wrongUnique() {
        FuseProtocolException e = malformedGetattr(r -> ScriptedTransport.reply(r.unique() + 1000, 0, attrBody()));
        assertTrue(e.getMessage().contains("GETATTR reply has unique " + (t.requests.get(1).unique() + 1000)),
                e.getMessage());
    }

    @Test
    void positiveError() {
        FuseProtocolException e = malformedGetattr(r -> ScriptedTransport.reply(r.unique(), 2, null));
        assertTrue(e.getMessage().contains("positive error 2"), e.getMessage());
    }

    @Test
    void errorBeyondMaxErrnoAndErrorWithBody() {
        FuseProtocolException e = malformedGetattr(r -> ScriptedTransport.reply(r.unique(), Integer.MIN_VALUE, null));
        assertTrue(e.getMessage().contains("beyond -MAX_ERRNO"), e.getMessage());
        e = malformedGetattr(r -> ScriptedTransport.reply(r.unique(), -2, attrBody()));
        assertTrue(e.getMessage().contains("error reply (ENOENT (2)) carries 104 body bytes"), e.getMessage());
    }

    @Test
    void replyTooShortOrTooLongForItsStruct() {
        FuseProtocolException e = malformedGetattr(r -> ScriptedTransport.reply(r.unique(), 0,
                ScriptedTransport.body(50)));
        assertEquals("GETATTR reply body is 50 bytes, fuse_attr_out is 104", e.getMessage());
        t.overfill = true; // more than the 120 bytes offered: only a broken transport could do it
        e = malformedGetattr(r -> ScriptedTransport.reply(r.unique(), 0, ScriptedTransport.body(112)));
        assertEquals("GETATTR reply body is 112 bytes, fuse_attr_out is 104", e.getMessage());
        FuseClient c = client();
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, ScriptedTransport.body(8));
        e = assertThrows(FuseProtocolException.class, () -> c.unlink(1, "x"));
        assertEquals("UNLINK reply body is 8 bytes, no body is 0", e.getMessage());
    }

    @Test
    void direntNameLengthPastTheEnd() {
        FuseClient c = client();
        t.script = r -> {
            ByteBuffer b = ScriptedTransport.body(160);
            new DirentPlus(new EntryOut(7, 0, 1, 1, 0, 0, FILE), new Dirent(100, 1, FileMode.DT_REG, "abcdef"))
                    .encode(b);
            b.putInt(128 + 16, 50); // namelen claims 50 bytes, the reply has 8 after the fixed part
            return ScriptedTransport.reply(r.unique(), 0, b.flip());
        };
        FuseProtocolException e = assertThrows(FuseProtocolException.class, () -> c.readdirplus(1, 0, 0));
        assertTrue(e.getMessage().contains("namelen 50 runs past the end"), e.getMessage());
        assertEquals(0, c.nodes().lookups(7), "nothing recorded from a reply that failed to decode");
    }

    @Test
    void truncatedDirentplusFixedPart() {
        FuseClient c = client();
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, ScriptedTransport.body(100));
        FuseProtocolException e = assertThrows(FuseProtocolException.class, () -> c.readdirplus(1, 0, 0));
        assertTrue(e.getMessage().contains("fuse_direntplus needs 152 bytes, reply has 100"), e.getMessage());
    }

    @Test
    void readLongerThanAskedAndWriteCountLargerThanSent() {
        FuseClient c = client();
        t.overfill = true;
        t.script = r -> r.opcode() == Opcode.READ ? ScriptedTransport.reply(r.unique(), 0, ScriptedTransport.body(64))
                : null;
        FuseProtocolException e = assertThrows(FuseProtocolException.class,
                () -> c.read(5, 1, 0, ByteBuffer.allocate(32)));
        assertTrue(e.getMessage().contains("READ reply carries 64 bytes, more than the 32 asked"), e.getMessage());
        t.script = r -> {
            ByteBuffer b = ScriptedTransport.body(8);
            new WriteOut(11).encode(b);
            return ScriptedTransport.reply(r.unique(), 0, b.flip());
        };
        e = assertThrows(FuseProtocolException.class, () -> c.write(5, 1, 0, ByteBuffer.allocate(10)));
        assertTrue(e.getMessage().contains("says 11 bytes written, request carried 10"), e.getMessage());
    }

    @Test
    void listxattrWithoutFinalNul() {
        FuseClient c = client();
        t.script = r -> {
            GetxattrIn in = GetxattrIn.decode(r.body());
            if (in.size() == 0) {
                ByteBuffer b = ScriptedTransport.body(8);
                new GetxattrOut(5).encode(b);
                return ScriptedTransport.reply(r.unique(), 0, b.flip());
            }
            return ScriptedTransport.reply(r.unique(), 0, ByteBuffer.wrap("a\0bcd".getBytes()));
        };
        FuseProtocolException e = assertThrows(FuseProtocolException.class, () -> c.listxattr(5));
        assertTrue(e.getMessage().contains("does not end with NUL"), e.getMessage());
    }

    @Test
    void errnoReplyNamesOpAndNodeAndKeepsUnknownNumbers() {
        FuseClient c = client();
        t.script = r -> ScriptedTransport.error(r, 2);
        FuseErrnoException e = assertThrows(FuseErrnoException.class, () -> c.lookup(1, "missing"));
        assertEquals("ENOENT (2) from LOOKUP on node 1", e.getMessage());
        t.script = r -> ScriptedTransport.error(r, 300);
        e = assertThrows(FuseErrnoException.class, () -> c.getattr(8));
        assertEquals(300, e.errnoNumber());
        assertEquals(null, e.errno());
        assertEquals("errno 300 from GETATTR on node 8", e.getMessage());
    }

    // ---------------------------------------------------------------- RENAME2 → RENAME

    @Test
    void renameFallsBackOnEinvalOnlyWithoutFlags() {
        FuseClient c = client();
        t.script = r -> r.opcode() == Opcode.RENAME2 ? ScriptedTransport.error(r, Errno.EINVAL.number())
                : ScriptedTransport.ok(r);
        c.rename(1, "a", 1, "b", 0);
        assertEquals(List.of(Opcode.INIT, Opcode.RENAME2, Opcode.RENAME), t.opcodes());
        ByteBuffer plain = t.of(Opcode.RENAME).get(0).body();
        assertEquals(1, RenameIn.decode(plain).newDir());
        assertEquals("a", cstring(plain));
        assertEquals("b", cstring(plain));

        FuseErrnoException e = assertThrows(FuseErrnoException.class,
                () -> c.rename(1, "a", 1, "b", FuseFlags.RENAME_NOREPLACE));
        assertSame(Errno.EINVAL, e.errno());
        assertEquals(1, t.of(Opcode.RENAME).size(), "no plain RENAME when NOREPLACE was asked for");
        // EINVAL does not disable RENAME2 for later calls
        c.rename(1, "c", 1, "d", 0);
        assertEquals(3, t.of(Opcode.RENAME2).size());
    }

    @Test
    void renameEnosysIsRemembered() {
        FuseClient c = client();
        t.script = r -> r.opcode() == Opcode.RENAME2 ? ScriptedTransport.error(r, Errno.ENOSYS.number())
                : ScriptedTransport.ok(r);
        c.rename(1, "a", 1, "b", 0);
        c.rename(1, "c", 1, "d", 0);
        assertEquals(List.of(Opcode.INIT, Opcode.RENAME2, Opcode.RENAME, Opcode.RENAME), t.opcodes());
        FuseErrnoException e = assertThrows(FuseErrnoException.class,
                () -> c.rename(1, "a", 1, "b", FuseFlags.RENAME_EXCHANGE));
        assertSame(Errno.ENOSYS, e.errno(), "with flags the daemon's answer is reported");
    }

    @Test
    void renameOtherErrorsAreNotRetried() {
        FuseClient c = client();
        t.script = r -> ScriptedTransport.error(r, Errno.EXDEV.number());
        FuseErrnoException e = assertThrows(FuseErrnoException.class, () -> c.rename(1, "a", 2, "b", 0));
        assertSame(Errno.EXDEV, e.errno());
        assertEquals(List.of(Opcode.INIT, Opcode.RENAME2), t.opcodes());
    }

    // ---------------------------------------------------------------- READ / WRITE splitting

    /** A file of {@code size} bytes whose byte at offset i is (byte) i. */
    private void scriptFile(long size) {
        t.script = r -> {
            if (r.opcode() == Opcode.READ) {
                ReadIn in = ReadIn.decode(r.body());
                int n = (int) Math.max(0, Math.min(in.size(), size - in.offset()));
                ByteBuffer b = ScriptedTransport.body(n);
                for (int i = 0; i < n; i++) {
                    b.put((byte) (in.offset() + i));
                }
                return ScriptedTransport.reply(r.unique(), 0, b.flip());
            }
            if (r.opcode() == Opcode.WRITE) {
                WriteIn in = WriteIn.decode(r.body());
                ByteBuffer b = ScriptedTransport.body(8);
                new WriteOut(in.size()).encode(b);
                return ScriptedTransport.reply(r.unique(), 0, b.flip());
            }
            return null;
        };
    }

    @Test
    void readSplitsAtChunkAndStopsAtEof() {
        t.initFlags &= ~InitFlags.MAX_PAGES;
        t.initMaxWrite = 128 * 1024;
        FuseClient c = client();
        scriptFile(300 * 1024 + 5);
        ByteBuffer dst = ByteBuffer.allocate(400 * 1024);
        int n = c.read(5, 7, 0, dst);
        assertEquals(300 * 1024 + 5, n);
        assertEquals(n, dst.position());
        List<Request> reads = t.of(Opcode.READ);
        assertEquals(3, reads.size(), "128 KiB + 128 KiB + short last chunk");
        long[] offsets = reads.stream().mapToLong(r -> ReadIn.decode(r.body()).offset()).toArray();
        assertArrayEquals(new long[] {0, 131072, 262144}, offsets);
        int[] sizes = reads.stream().mapToInt(r -> ReadIn.decode(r.body()).size()).toArray();
        assertArrayEquals(new int[] {131072, 131072, 131072}, sizes, "the third comes back short: EOF");
        for (Request r : reads) {
            ReadIn in = ReadIn.decode(r.body());
            assertEquals(7, in.fh());
            assertEquals(OutHeader.SIZE + in.size(), r.replyCapacity());
        }
        for (int i = 0; i < n; i += 4099) {
            assertEquals((byte) i, dst.get(i), "byte " + i);
        }
        // exactly at EOF: one request, 0 bytes
        assertEquals(0, c.read(5, 7, 300 * 1024 + 5, ByteBuffer.allocate(10)));
    }

    @Test
    void zeroCopyReadHandsEachChunk() {
        FuseClient c = client();
        scriptFile(3 * 1024 * 1024 + 100);
        List<long[]> chunks = new ArrayList<>();
        long total = c.read(5, 7, 100, 10L * 1024 * 1024, (off, data) -> {
            assertTrue(data.isReadOnly());
            assertEquals((byte) off, data.get(0));
            chunks.add(new long[] {off, data.remaining()});
        });
        assertEquals(3 * 1024 * 1024, total);
        assertEquals(3, chunks.size(), "1 MiB chunks; the fourth request returns 0 bytes and is not handed on");
        assertArrayEquals(new long[] {100, 1 << 20}, chunks.get(0));
        assertArrayEquals(new long[] {100 + 2 * (1 << 20), 1 << 20}, chunks.get(2));
        assertEquals(4, t.of(Opcode.READ).size());
    }

    @Test
    void writeSplitsWithoutCopyAndCarriesExactData() {
        t.initFlags &= ~InitFlags.MAX_PAGES;
        t.initMaxWrite = 128 * 1024;
        FuseClient c = client();
        scriptFile(0);
        byte[] data = new byte[300 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        ByteBuffer src = ByteBuffer.wrap(data);
        assertEquals(data.length, c.write(5, 7, 1000, src));
        assertFalse(src.hasRemaining());
        List<Request> writes = t.of(Opcode.WRITE);
        assertEquals(3, writes.size());
        int pos = 0;
        for (Request r : writes) {
            ByteBuffer body = r.body();
            WriteIn in = WriteIn.decode(body);
            assertEquals(1000 + pos, in.offset());
            assertEquals(InHeader.SIZE + WriteIn.SIZE + in.size(), r.header().len());
            assertEquals(in.size(), body.remaining(), "exactly size data bytes follow fuse_write_in");
            byte[] got = new byte[in.size()];
            body.get(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, pos, pos + in.size()), got);
            pos += in.size();
        }
        assertArrayEquals(new int[] {131072, 131072, 300 * 1024 - 262144},
                writes.stream().mapToInt(r -> WriteIn.decode(r.body()).size()).toArray());
    }

    /**
     * viofs.sys on a host with a short queue refuses a large request with ERROR_GEN_FAILURE; the transport
     * lowers its limits and throws RequestTooLargeException before anything reached the daemon.
     */
    private void refuseAbove(int maxData) {
        java.util.function.Function<Request, ByteBuffer> file = t.script;
        t.script = r -> {
            int size = r.opcode() == Opcode.READ ? ReadIn.decode(r.body()).size()
                    : r.opcode() == Opcode.WRITE ? WriteIn.decode(r.body()).size() : 0;
            if (size > maxData) {
                t.maxReplyBytes = OutHeader.SIZE + maxData;
                t.maxRequestBytes = InHeader.SIZE + WriteIn.SIZE + maxData;
                throw new org.viofs.bridge.RequestTooLargeException("device refused " + size + " bytes",
                        t.maxRequestBytes, t.maxReplyBytes);
            }
            return file.apply(r);
        };
    }

    @Test
    void readAndWriteRetryInSmallerPiecesWhenTheDeviceRefusesTheirSize() {
        FuseClient c = client();
        scriptFile(1 << 20);
        refuseAbove(256 * 1024);
        ByteBuffer dst = ByteBuffer.allocate(1 << 20);
        assertEquals(1 << 20, c.read(5, 7, 0, dst), "the whole MiB arrives despite the refusal");
        for (int i = 0; i < dst.limit(); i += 4093) {
            assertEquals((byte) i, dst.get(i), "byte " + i);
        }
        int[] sizes = t.of(Opcode.READ).stream().mapToInt(r -> ReadIn.decode(r.body()).size()).toArray();
        assertArrayEquals(new int[] {1 << 20, 262144, 262144, 262144, 262144}, sizes,
                "one refused 1 MiB READ, then four that fit the lowered limit");
        assertEquals(256 * 1024, c.limits().maxReadChunk(), "the lowered size is remembered");

        ByteBuffer src = ByteBuffer.allocate(600 * 1024);
        assertEquals(600 * 1024, c.write(5, 7, 0, src));
        assertArrayEquals(new int[] {262144, 262144, 600 * 1024 - 524288},
                t.of(Opcode.WRITE).stream().mapToInt(r -> WriteIn.decode(r.body()).size()).toArray(),
                "WRITE uses the lowered size from the start");
    }

    @Test
    void aDeviceThatKeepsRefusingIsNotRetriedForever() {
        FuseClient c = client();
        scriptFile(1 << 20);
        t.script = r -> {
            throw new org.viofs.bridge.RequestTooLargeException("device refused", t.maxRequestBytes, t.maxReplyBytes);
        };
        assertThrows(org.viofs.bridge.RequestTooLargeException.class, () -> c.read(5, 7, 0, ByteBuffer.allocate(4096)),
                "limits that would not shrink the request end the retry");
        assertEquals(1, t.of(Opcode.READ).size(), "sent once, not looped");
    }

    @Test
    void shortWriteStopsAndReportsCount() {
        FuseClient c = client();
        t.script = r -> {
            ByteBuffer b = ScriptedTransport.body(8);
            new WriteOut(1000).encode(b);
            return ScriptedTransport.reply(r.unique(), 0, b.flip());
        };
        ByteBuffer src = ByteBuffer.allocate(5000);
        assertEquals(1000, c.write(5, 7, 0, src));
        assertEquals(1000, src.position(), "position advances by what was written");
        assertEquals(1, t.of(Opcode.WRITE).size());
        assertEquals(0, c.write(5, 7, 0, ByteBuffer.allocate(0)), "nothing to write, nothing sent");
        assertEquals(1, t.of(Opcode.WRITE).size());
    }

    @Test
    void oversizedRequestsAreRefusedBeforeSending() {
        t.maxRequestBytes = 8192;
        FuseClient c = client();
        assertThrows(IllegalArgumentException.class, () -> c.setxattr(5, "user.big", new byte[9000], 0));
        assertThrows(IllegalArgumentException.class, () -> c.setxattr(5, "user.big", new byte[70000], 0));
        assertThrows(IllegalArgumentException.class, () -> c.lookup(1, "x".repeat(5000)));
        assertThrows(IllegalArgumentException.class, () -> c.lookup(1, "nul\0inside"));
        assertEquals(List.of(Opcode.INIT), t.opcodes());
    }

    // ---------------------------------------------------------------- close

    @Test
    void closeSendsDestroyThenClosesTransport() {
        FuseClient c = client();
        t.script = r -> ScriptedTransport.ok(r);
        c.close();
        assertEquals(List.of("exchange INIT", "exchange DESTROY", "close"), t.events);
        c.close();
        assertEquals(3, t.events.size(), "idempotent");
        TransportException e = assertThrows(TransportException.class, () -> c.getattr(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(c.isClosed());
    }

    @Test
    void closeStillClosesTransportWhenDestroyFails() {
        FuseClient c = client();
        t.script = r -> {
            throw new TransportException("daemon exited");
        };
        c.close();
        assertEquals(List.of("exchange INIT", "exchange DESTROY", "close"), t.events);
        t.closed = false;
        FuseClient c2 = client();
        t.script = r -> ScriptedTransport.error(r, Errno.EIO.number());
        c2.close();
        assertTrue(t.closed);
    }
}
