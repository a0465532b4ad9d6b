package org.viofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.viofs.fuse.ScriptedTransport.Request;
import org.viofs.fuse.abi.BatchForgetIn;
import org.viofs.fuse.abi.CreateOut;
import org.viofs.fuse.abi.Dirent;
import org.viofs.fuse.abi.DirentPlus;
import org.viofs.fuse.abi.EntryOut;
import org.viofs.fuse.abi.ForgetIn;
import org.viofs.fuse.abi.ForgetOne;
import org.viofs.fuse.abi.OpenOut;

/** Lookup counting through FuseClient and the FORGET / BATCH_FORGET requests it produces. */
class NodeTableTest {
    private final ScriptedTransport t = new ScriptedTransport();
    private final FuseClient c = FuseClient.init(t);

    private static ByteBuffer dirents(Object... idsAndNames) {
        ByteBuffer b = ScriptedTransport.body(4096);
        for (int i = 0; i < idsAndNames.length; i += 2) {
            long id = (Long) idsAndNames[i];
            String name = (String) idsAndNames[i + 1];
            new DirentPlus(new EntryOut(id, 0, 1, 1, 0, 0, FuseClientTest.FILE), new Dirent(id + 100, i + 1,
                    FileMode.DT_REG, name)).encode(b);
        }
        return b.flip();
    }

    @Test
    void everyNamingReplyIsCountedExceptRootAndDots() {
        t.script = r -> switch (r.opcode()) {
            case LOOKUP -> ScriptedTransport.reply(r.unique(), 0, FuseClientTest.entryBody(r.header().nodeId() == 1
                    && r.body().get(0) == '.' ? 1 : 5));
            case MKDIR, SYMLINK, LINK -> ScriptedTransport.reply(r.unique(), 0, FuseClientTest.entryBody(6));
            case CREATE -> {
                ByteBuffer b = ScriptedTransport.body(CreateOut.SIZE);
                new CreateOut(new EntryOut(7, 0, 1, 1, 0, 0, FuseClientTest.FILE), new OpenOut(0, 0)).encode(b);
                yield ScriptedTransport.reply(r.unique(), 0, b.flip());
            }
            case READDIRPLUS -> ScriptedTransport.reply(r.unique(), 0, dirents(0L, ".", 0L, "..", 5L, "a", 8L, "b"));
            default -> null;
        };
        c.lookup(1, "a");
        c.lookup(1, "a");
        c.lookup(1, ".");
        c.mkdir(1, "d", 0755, 0);
        c.symlink(1, "s", "t");
        c.link(5, 1, "h");
        c.create(1, "f", OpenFlags.O_RDWR, 0644, 0);
        List<DirentPlus> entries = c.readdirplus(1, 0, 0);
        assertEquals(4, entries.size());
        assertEquals(0, entries.get(0).nodeId());
        NodeTable n = c.nodes();
        assertEquals(Map.of(5L, 3L, 6L, 3L, 7L, 1L, 8L, 1L), n.snapshot());
        assertEquals(0, n.lookups(1), "the root is never counted");
        assertEquals(8, n.totalLookups());
        assertEquals(4, n.size());
    }

    @Test
    void forgetSendsOneForgetOnHiprio() {
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, FuseClientTest.entryBody(5));
        c.lookup(1, "a");
        c.lookup(1, "a");
        c.forget(5, 2);
        Request f = t.of(Opcode.FORGET).get(0);
        assertTrue(f.noReply(), "FORGET goes through sendNoReply");
        assertEquals(5, f.header().nodeId());
        assertEquals(2, ForgetIn.decode(f.body()).nlookup());
        assertEquals(0, c.nodes().lookups(5));
        assertEquals(0, c.nodes().size());
    }

    @Test
    void forgetMoreThanHeldIsRefusedAndRootIsNeverForgotten() {
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, FuseClientTest.entryBody(5));
        c.lookup(1, "a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forget(5, 2));
        assertTrue(e.getMessage().contains("holds 1"), e.getMessage());
        assertEquals(1, c.nodes().lookups(5), "a refused forget changes nothing");
        assertThrows(IllegalArgumentException.class, () -> c.forget(5, 0));
        assertThrows(IllegalArgumentException.class, () -> c.forget(99, 1));
        c.forget(FuseFlags.ROOT_ID, 3);
        assertEquals(0, c.nodes().forgetAll(FuseFlags.ROOT_ID));
        assertEquals(1, c.nodes().forgetAll(5));
        assertEquals(0, c.nodes().forgetAll(5));
        assertEquals(List.of(Opcode.INIT, Opcode.LOOKUP, Opcode.FORGET), t.opcodes());
    }

    @Test
    void queuedForgetsGoAsOneBatch() {
        t.script = r -> ScriptedTransport.reply(r.unique(), 0, dirents(10L, "a", 11L, "b", 12L, "c"));
        c.readdirplus(1, 0, 0);
        NodeTable n = c.nodes();
        n.forgetLater(10, 1);
        n.forgetLater(11, 1);
        n.forgetLater(12, 1);
        assertEquals(3, n.pendingForgets());
        assertEquals(0, n.size(), "counts drop at once");
        assertEquals(0, t.of(Opcode.BATCH_FORGET).size());
        n.flush();
        List<Request> batches = t.of(Opcode.BATCH_FORGET);
        assertEquals(1, batches.size());
        Request b = batches.get(0);
        assertTrue(b.noReply());
        assertEquals(0, b.header().nodeId());
        ByteBuffer body = b.body();
        assertEquals(3, BatchForgetIn.decode(body).count());
        assertEquals(new ForgetOne(10, 1), ForgetOne.decode(body));
        assertEquals(new ForgetOne(11, 1), ForgetOne.decode(body));
        assertEquals(new ForgetOne(12, 1), ForgetOne.decode(body));
        assertEquals(0, body.remaining());
        n.flush();
        assertEquals(1, t.of(Opcode.BATCH_FORGET).size(), "nothing queued, nothing sent");
    }

    @Test
    void aFullQueueIsSentWithoutWaitingForFlush() {
        int count = NodeTable.MAX_BATCH + 10;
        for (int i = 0; i < count; i++) {
            c.nodes().record(1000 + i);
        }
        for (int i = 0; i < count; i++) {
            c.nodes().forgetLater(1000 + i, 1);
        }
        assertEquals(1, t.of(Opcode.BATCH_FORGET).size());
        ByteBuffer body = t.of(Opcode.BATCH_FORGET).get(0).body();
        assertEquals(NodeTable.MAX_BATCH, BatchForgetIn.decode(body).count());
        assertEquals(10, c.nodes().pendingForgets());
        c.nodes().forget(FuseFlags.ROOT_ID, 1); // root: no-op, sends nothing
        assertEquals(10, c.nodes().pendingForgets());
        c.nodes().flush();
        assertEquals(2, t.of(Opcode.BATCH_FORGET).size());
        assertEquals(0, c.nodes().pendingForgets());
    }

    @Test
    void closeClearsWithoutForgets() {
        t.script = r -> r.opcode() == Opcode.LOOKUP ? ScriptedTransport.reply(r.unique(), 0,
                FuseClientTest.entryBody(5)) : ScriptedTransport.ok(r);
        c.lookup(1, "a");
        c.close();
        assertEquals(0, c.nodes().size());
        assertEquals(List.of(Opcode.INIT, Opcode.LOOKUP, Opcode.DESTROY), t.opcodes());
    }
}
