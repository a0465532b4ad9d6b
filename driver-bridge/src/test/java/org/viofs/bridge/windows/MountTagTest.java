package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** GET_VOLUME_NAME replies (docs/viofs-anchor.md §1.5): 37-WCHAR buffer, BytesReturned includes the NUL. */
class MountTagTest {

    private static byte[] reply(String tag) {
        byte[] b = new byte[74];
        byte[] s = tag.getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(s, 0, b, 0, s.length);
        return b;
    }

    @Test
    void bufferIs37Wchar() {
        assertEquals(74, MountTag.BUFFER_BYTES);
        assertEquals(36, MountTag.MAX_CHARS);
    }

    @Test
    void decodesUpToTheNul() {
        assertEquals("myfs", MountTag.decode(reply("myfs"), 10));
    }

    @Test
    void nonAsciiTagsSurvive() {
        assertEquals("Daten-ü", MountTag.decode(reply("Daten-ü"), 16));
    }

    @Test
    void aFull36CharTagFillsTheBuffer() {
        String tag = "abcdefghijklmnopqrstuvwxyz0123456789";
        assertEquals(tag, MountTag.decode(reply(tag), 74));
    }

    @Test
    void bytesReturnedBoundsTheRead() {
        assertEquals("my", MountTag.decode(reply("myfs"), 4));
        assertEquals("", MountTag.decode(reply("myfs"), 0));
    }
}
