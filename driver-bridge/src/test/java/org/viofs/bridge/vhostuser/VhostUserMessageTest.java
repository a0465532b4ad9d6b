package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.viofs.bridge.vhostuser.VhostUserMessage.Header;
import org.viofs.bridge.vhostuser.VhostUserMessage.MemoryRegion;
import org.viofs.bridge.vhostuser.VhostUserMessage.Request;

/** Encodings against docs/vhost-user-frontend.md §2 (vhost-user.rst). */
class VhostUserMessageTest {
    private static String hex(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return HexFormat.of().formatHex(a);
    }

    @Test
    void codesAreTheSpecNumbers() {
        int[][] expected = {{1, 1}, {2, 2}, {3, 3}, {5, 5}, {8, 8}, {9, 9}, {10, 10}, {11, 11}, {12, 12}, {13, 13},
                {15, 15}, {16, 16}, {17, 17}, {18, 18}};
        Request[] rs = {Request.GET_FEATURES, Request.SET_FEATURES, Request.SET_OWNER, Request.SET_MEM_TABLE,
                Request.SET_VRING_NUM, Request.SET_VRING_ADDR, Request.SET_VRING_BASE, Request.GET_VRING_BASE,
                Request.SET_VRING_KICK, Request.SET_VRING_CALL, Request.GET_PROTOCOL_FEATURES,
                Request.SET_PROTOCOL_FEATURES, Request.GET_QUEUE_NUM, Request.SET_VRING_ENABLE};
        for (int i = 0; i < rs.length; i++) {
            assertEquals(expected[i][1], rs[i].code, rs[i].name());
            assertEquals(rs[i], Request.of(rs[i].code));
        }
        assertEquals(null, Request.of(4), "4 (RESET_OWNER) is not used here");
    }

    @Test
    void headerIsRequestFlagsSizeLittleEndian() {
        ByteBuffer m = VhostUserMessage.encode(Request.SET_VRING_NUM, true, VhostUserMessage.vringState(1, 256));
        // request 8, flags version 1 | NEED_REPLY 0x8, size 8, then {index 1, num 256}
        assertEquals("08000000" + "09000000" + "08000000" + "01000000" + "00010000", hex(m));
        ByteBuffer plain = VhostUserMessage.encode(Request.GET_FEATURES, false, null);
        assertEquals("01000000" + "01000000" + "00000000", hex(plain));
    }

    @Test
    void headerDecodeRecognisesReplies() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1).putInt(4, 0x5).putInt(8, 8);
        Header h = Header.decode(b, 0);
        assertTrue(h.isReply());
        assertEquals(1, h.version());
        assertEquals("GET_FEATURES", h.requestName());
        assertEquals("code 99", new Header(99, 5, 0).requestName());
    }

    @Test
    void vringAddrOrderIsDescUsedAvail() {
        ByteBuffer p = VhostUserMessage.vringAddr(1, 0x1000, 0x3000, 0x2000);
        assertEquals(VhostUserMessage.VRING_ADDR_SIZE, p.remaining());
        assertEquals(1, p.getInt(0), "index");
        assertEquals(0, p.getInt(4), "flags");
        assertEquals(0x1000, p.getLong(8), "desc");
        assertEquals(0x3000, p.getLong(16), "used comes second (pitfall 1)");
        assertEquals(0x2000, p.getLong(24), "avail third");
        assertEquals(0, p.getLong(32), "log");
    }

    @Test
    void vringFileCarriesIndexAndNofd() {
        assertEquals(1, VhostUserMessage.vringFile(1, false).getLong(0));
        assertEquals(0x101, VhostUserMessage.vringFile(1, true).getLong(0));
        assertThrows(IllegalArgumentException.class, () -> VhostUserMessage.vringFile(256, false));
    }

    @Test
    void memTableLayout() {
        ByteBuffer p = VhostUserMessage.memTable(List.of(new MemoryRegion(0x1_0000_0000L, 0x20_0000, 0x7f00_0000_0000L, 0)));
        assertEquals(8 + 32, p.remaining());
        assertEquals(1, p.getInt(0), "nregions");
        assertEquals(0, p.getInt(4), "padding");
        assertEquals(0x1_0000_0000L, p.getLong(8), "guest_phys_addr");
        assertEquals(0x20_0000, p.getLong(16), "memory_size");
        assertEquals(0x7f00_0000_0000L, p.getLong(24), "userspace_addr");
        assertEquals(0, p.getLong(32), "mmap_offset");
        assertThrows(IllegalArgumentException.class, () -> VhostUserMessage.memTable(List.of()));
    }

    @Test
    void featureBitsToAck() {
        assertEquals(0x1_4000_0000L, VhostUserMessage.VIRTIO_F_VERSION_1 | VhostUserMessage.VHOST_USER_F_PROTOCOL_FEATURES,
                "§2.3: VERSION_1 | PROTOCOL_FEATURES");
        assertEquals(0x9, VhostUserMessage.PROTOCOL_F_MQ | VhostUserMessage.PROTOCOL_F_REPLY_ACK, "MQ | REPLY_ACK");
        assertEquals(1L << 24, VhostUserMessage.VIRTIO_F_NOTIFY_ON_EMPTY);
    }
}
