package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.viofs.fuse.ScriptedTransport.Request;
import org.viofs.fuse.abi.Attr;
import org.viofs.fuse.abi.AttrOut;
import org.viofs.fuse.abi.BatchForgetIn;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.abi.ForgetOne;
import org.viofs.fuse.abi.GetxattrIn;
import org.viofs.fuse.abi.GetxattrOut;

/**
 * Names, node ids and fields from the host are judged where they enter the client (issue 12 item 2):
 * replies a real daemon never sends, injected through a scripted transport. Before the checks, each of
 * these reached the caller and failed later (an IllegalArgumentException in the next LOOKUP, a node
 * cached under the root's id, a time that Instant refuses).
 */
class HostNamesTest {
    private final ScriptedTransport t = new ScriptedTransport();
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(FuseClient.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(r);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    /** One {@code fuse_direntplus} with raw name bytes. */
    private static void plus(ByteBuffer b, long nodeId, long off, byte[] name) {
        new EntryOut(nodeId, 0, 1, 1, 0, 0, FuseClientTest.FILE).encode(b);
        b.putLong(100 + off).putLong(off).putInt(name.length).putInt(FileMode.DT_REG).put(name);
        for (int i = Dirent.SIZE + name.length; i % 8 != 0; i++) {
            b.put((byte) 0);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[][] BAD = {
        utf8("a\0b"), utf8("x/y"), {(byte) 0xff, (byte) 0xfe, 'z'}, utf8("n".repeat(256)),
    };

    private ByteBuffer listing(Request r) {
        ByteBuffer body = ScriptedTransport.body(8192);
        plus(body, 0, 1, utf8("."));
        plus(body, 0, 2, utf8(".."));
        plus(body, 10, 3, utf8("ok"));
        long id = 11;
        long off = 4;
        for (byte[] bad : BAD) {
            plus(body, id++, off++, bad);
        }
        plus(body, 20, off++, utf8(".")); // "." a second time
        plus(body, 21, off++, utf8("..")); // ".." with a node id
        plus(body, FuseFlags.ROOT_ID, off++, utf8("root-again"));
        plus(body, 22, off, utf8("é".repeat(127))); // 254 bytes: fits NAME_MAX
        return ScriptedTransport.reply(r.unique(), 0, body.flip());
    }

    @Test
    void readdirplusSkipsBadNamesReturnsTheirReferencesAndWarnsOncePerDirectory() {
        FuseClient c = FuseClient.init(t);
        t.script = r -> r.opcode() == Opcode.READDIRPLUS ? listing(r) : null;
        DirPage<DirentPlus> page = c.readdirplus(7, 0, 0);
        List<String> names = page.stream().map(DirentPlus::name).toList();
        assertEquals(List.of(".", "..", "ok", "é".repeat(127)), names);
        assertEquals(11, page.nextCookie(), "the off of the last entry");
        assertEquals(11, page.decoded());
        assertEquals(7, page.skipped());
        assertFalse(page.atEnd());
        assertEquals(1, c.nodes().lookups(10));
        assertEquals(1, c.nodes().lookups(22));
        for (long skipped = 11; skipped <= 21; skipped++) {
            assertEquals(0, c.nodes().lookups(skipped), "node " + skipped + " holds no reference");
        }
        List<Request> forgets = t.of(Opcode.BATCH_FORGET);
        assertEquals(1, forgets.size(), "the skipped entries' references go back in one batch");
        ByteBuffer f = forgets.get(0).body();
        BatchForgetIn batch = BatchForgetIn.decode(f);
        assertEquals(6, batch.count(), "11..14 (bad names), 20 (\".\" again), 21 (\"..\" with an id)");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < batch.count(); i++) {
            ForgetOne one = ForgetOne.decode(f);
            assertEquals(1, one.nlookup());
            ids.add(one.nodeId());
        }
        assertEquals(List.of(11L, 12L, 13L, 14L, 20L, 21L), ids);
        c.readdirplus(7, 0, 0);
        assertEquals(1, warnings.size(), "one warning for directory 7, not one per reply or entry");
        assertTrue(warnings.get(0).getMessage().contains("skipped"), warnings.get(0).getMessage());
        c.readdirplus(8, 0, 0);
        assertEquals(2, warnings.size(), "another directory gets its own warning");
    }

    @Test
    void readdirSkipsTheSameNames() {
        FuseClient c = FuseClient.init(t);
        t.script = r -> {
            ByteBuffer body = ScriptedTransport.body(4096);
            long off = 1;
            for (byte[] bad : BAD) {
                int len = Dirent.SIZE + bad.length;
                body.putLong(50 + off).putLong(off++).putInt(bad.length).putInt(FileMode.DT_REG).put(bad);
                for (int i = len; i % 8 != 0; i++) {
                    body.put((byte) 0);
                }
            }
            new Dirent(60, off, FileMode.DT_DIR, "fine").encode(body);
            return ScriptedTransport.reply(r.unique(), 0, body.flip());
        };
        DirPage<Dirent> page = c.readdir(7, 0, 0);
        assertEquals(List.of("fine"), page.stream().map(Dirent::name).toList());
        assertEquals(5, page.nextCookie());
    }

    @Test
    void aPageOfOnlySkippedEntriesIsNotTheEnd() {
        FuseClient c = FuseClient.init(t);
        t.script = r -> {
            ByteBuffer body = ScriptedTransport.body(4096);
            plus(body, 30, 9, utf8("a\0b"));
            return ScriptedTransport.reply(r.unique(), 0, body.flip());
        };
        DirPage<DirentPlus> page = c.readdirplus(7, 0, 0);
        assertTrue(page.isEmpty());
        assertFalse(page.atEnd(), "the caller continues from cookie 9");
        assertEquals(9, page.nextCookie());
        assertEquals(List.of(Opcode.INIT, Opcode.READDIRPLUS, Opcode.FORGET), t.opcodes());
    }

    @Test
    void readlinkTargetWithNulIsAProtocolError() {
        FuseClient c = FuseClient.init(t);
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, ByteBuffer.wrap(utf8("/etc\0/passwd")));
        FuseProtocolException e = assertThrows(FuseProtocolException.class, () -> c.readlink(5));
        assertTrue(e.getMessage().contains("NUL byte at 4"), e.getMessage());
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, ByteBuffer.allocate(0));
        assertThrows(FuseProtocolException.class, () -> c.readlink(5), "an empty target");
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, ByteBuffer.wrap(utf8("../target")));
        assertEquals("../target", c.readlink(5));
    }

    @Test
    void lookupAnsweringNodeZeroOrTheRootForAChildIsAProtocolError() {
        FuseClient c = FuseClient.init(t);
        for (long lie : new long[] {0, FuseFlags.ROOT_ID}) {
            t.script = r -> ScriptedTransport.reply(r.unique(), 0, FuseClientTest.entryBody(lie));
            FuseProtocolException e = assertThrows(FuseProtocolException.class, () -> c.lookup(3, "child"));
            assertTrue(e.getMessage().contains("node id " + lie + " for the child \"child\""), e.getMessage());
            assertThrows(FuseProtocolException.class, () -> c.mkdir(3, "d", 0755, 0), "MKDIR, node " + lie);
            assertThrows(FuseProtocolException.class, () -> c.create(3, "f", OpenFlags.O_RDWR, 0644, 0),
                    "CREATE, node " + lie);
        }
        assertEquals(0, c.nodes().size(), "nothing recorded from a lying reply");
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, FuseClientTest.entryBody(FuseFlags.ROOT_ID));
        assertEquals(FuseFlags.ROOT_ID, c.lookup(FuseFlags.ROOT_ID, "..").nodeId(), "\"..\" may be the root");
    }

    @Test
    void nanosecondsOutOfRangeAreClampedToTheLastNanosecondOfTheSecond() {
        FuseClient c = FuseClient.init(t);
        t.script = r -> {
            ByteBuffer b = ScriptedTransport.body(AttrOut.SIZE);
            new AttrOut(1, -1, new Attr(100, 5, 8, 1, 2, 3, -1, 1_000_000_000, 999_999_999, 0100644, 1, 0, 0, 0,
                    4096, 0)).encode(b);
            return ScriptedTransport.reply(r.unique(), 0, b.flip());
        };
        AttrOut a = c.getattr(5);
        assertEquals(999_999_999, a.attrValidNsec(), "u32 0xffffffff");
        assertEquals(999_999_999, a.attr().atimeNsec(), "u32 0xffffffff");
        assertEquals(999_999_999, a.attr().mtimeNsec(), "exactly one second");
        assertEquals(999_999_999, a.attr().ctimeNsec(), "in range: unchanged");
        t.script = r -> {
            ByteBuffer b = ScriptedTransport.body(EntryOut.SIZE);
            new EntryOut(9, 0, 1, 1, Integer.MIN_VALUE, 7, FuseClientTest.FILE).encode(b);
            return ScriptedTransport.reply(r.unique(), 0, b.flip());
        };
        EntryOut e = c.lookup(1, "x");
        assertEquals(999_999_999, e.entryValidNsec());
        assertEquals(7, e.attrValidNsec());
    }

    @Test
    void listxattrSkipsNamesLongerThanXattrNameMax() {
        FuseClient c = FuseClient.init(t);
        byte[] longName = utf8("user." + "x".repeat(251)); // 256 bytes
        ByteBuffer list = ByteBuffer.allocate(300);
        list.put(utf8("user.a")).put((byte) 0).put(longName).put((byte) 0).put(utf8("user.b")).put((byte) 0).flip();
        t.script = r -> {
            if (GetxattrIn.decode(r.body()).size() == 0) {
                ByteBuffer b = ScriptedTransport.body(GetxattrOut.SIZE);
                new GetxattrOut(list.remaining()).encode(b);
                return ScriptedTransport.reply(r.unique(), 0, b.flip());
            }
            return ScriptedTransport.reply(r.unique(), 0, list.duplicate());
        };
        assertEquals(List.of("user.a", "user.b"), c.listxattr(5));
        assertEquals(List.of(Opcode.INIT, Opcode.LISTXATTR, Opcode.LISTXATTR), t.opcodes(),
                "no GETXATTR is ever sent for the long name");
    }
}
