package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.testing.RawFuse;
import org.viofs.bridge.testing.VirtiofsdFixture;

/** The transport against a real virtiofsd: bring-up, INIT, GETATTR, READ, checked on the host directory. */
class VhostUserTransportIT {
    @TempDir
    static Path dir;
    static VirtiofsdFixture fixture;
    static byte[] content;

    @BeforeAll
    static void start() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x--x"));
        content = new byte[(3 << 20) + 12345];
        new Random(42).nextBytes(content);
        Files.write(dir.resolve("data.bin"), content);
        fixture = VirtiofsdFixture.start(dir);
        ByteBuffer init = RawFuse.init();
        ByteBuffer reply = fixture.transport().exchange(RawFuse.of(init), RawFuse.INIT_REPLY,
                r -> RawFuse.copy(RawFuse.checkReply(init, r)));
        assertEquals(0, RawFuse.outError(reply), "INIT error");
        assertEquals(7, reply.getInt(16), "INIT major");
        assertEquals(1 << 20, reply.getInt(16 + 20), "max_write after INIT with MAX_PAGES");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void getattrOfRootMatchesHostDirectoryMode() throws Exception {
        ByteBuffer req = RawFuse.getattr(RawFuse.ROOT_ID);
        int mode = fixture.transport().exchange(RawFuse.of(req), RawFuse.GETATTR_REPLY, r -> {
            RawFuse.checkReply(req, r);
            assertEquals(0, RawFuse.outError(r), "GETATTR error");
            assertTrue(r.isReadOnly(), "reply view must be read-only");
            return r.getInt(RawFuse.OUT_HEADER_SIZE + RawFuse.ATTR_OUT_ATTR_OFF + RawFuse.ATTR_MODE_OFF);
        });
        int hostMode = (Integer) Files.getAttribute(dir, "unix:mode");
        assertEquals(Integer.toOctalString(hostMode), Integer.toOctalString(mode), "root mode (octal)");
    }

    @Test
    void readReturnsTheHostFileBytes() {
        ByteBuffer lookup = RawFuse.lookup(RawFuse.ROOT_ID, "data.bin");
        long node = fixture.transport().exchange(RawFuse.of(lookup), RawFuse.LOOKUP_REPLY, r -> {
            RawFuse.checkReply(lookup, r);
            assertEquals(0, RawFuse.outError(r), "LOOKUP error");
            assertEquals(content.length, r.getLong(16 + RawFuse.ENTRY_OUT_ATTR_OFF + RawFuse.ATTR_SIZE_OFF), "size");
            return r.getLong(16);
        });
        ByteBuffer open = RawFuse.open(node);
        long fh = fixture.transport().exchange(RawFuse.of(open), RawFuse.OPEN_REPLY, r -> {
            assertEquals(0, RawFuse.outError(RawFuse.checkReply(open, r)), "OPEN error");
            return r.getLong(16);
        });
        byte[] got = new byte[content.length];
        int chunk = 1 << 20;
        for (int off = 0; off < content.length; off += chunk) {
            ByteBuffer read = RawFuse.read(node, fh, off, chunk);
            int at = off;
            int n = fixture.transport().exchange(RawFuse.of(read), 16 + chunk, r -> {
                assertEquals(0, RawFuse.outError(RawFuse.checkReply(read, r)), "READ error");
                int len = r.limit() - 16;
                r.get(16, got, at, len);
                return len;
            });
            assertEquals(Math.min(chunk, content.length - off), n, "bytes read at offset " + off);
        }
        assertArrayEquals(content, got, "file content read through the transport");
        ByteBuffer rel = RawFuse.release(node, fh);
        fixture.transport().exchange(RawFuse.of(rel), 16, r -> RawFuse.checkReply(rel, r));
        fixture.transport().sendNoReply(RawFuse.of(RawFuse.forget(node, 1)));
    }
}
