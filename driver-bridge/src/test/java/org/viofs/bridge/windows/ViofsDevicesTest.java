package org.viofs.bridge.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Device choice as in docs/viofs-anchor.md §1.3. */
class ViofsDevicesTest {
    private final Map<String, FakeViofsDevice> opened = new HashMap<>();

    private ViofsDevices.Opener opener(Map<String, String> tags) {
        return path -> {
            FakeViofsDevice d = new FakeViofsDevice() {
                @Override
                public String path() {
                    return path;
                }
            };
            String tag = tags.get(path);
            d.behaviour = (code, in, out, outLength) -> {
                if (tag == null) {
                    throw new Win32CallException("DeviceIoControl", Win32Error.ERROR_GEN_FAILURE);
                }
                byte[] b = (tag + "\0").getBytes(StandardCharsets.UTF_16LE);
                out.write(0, b, 0, b.length);
                return b.length;
            };
            opened.put(path, d);
            return d;
        };
    }

    private ViofsTransport connect(List<String> paths, Map<String, String> tags, String tag) {
        return ViofsDevices.connect(paths, opener(tags), tag, new ChunkPolicy(), Duration.ofSeconds(1));
    }

    @Test
    void withoutATagTheFirstDeviceIsUsed() {
        ViofsTransport t = connect(List.of("a", "b"), Map.of("a", "one", "b", "two"), null);
        assertEquals("one", t.device().tag());
        assertEquals("a", t.device().path());
        assertFalse(opened.containsKey("b"));
    }

    @Test
    void withATagTheMatchingDeviceIsUsedAndOthersClosed() {
        ViofsTransport t = connect(List.of("a", "b"), Map.of("a", "one", "b", "two"), "two");
        assertEquals("b", t.device().path());
        assertTrue(opened.get("a").closed);
        assertFalse(opened.get("b").closed);
    }

    @Test
    void tagsCompareCaseSensitively() {
        ViofsDeviceNotFoundException e = assertThrows(ViofsDeviceNotFoundException.class,
                () -> connect(List.of("a"), Map.of("a", "Share"), "share"));
        assertTrue(e.getMessage().contains("[Share]"), e.getMessage());
    }

    @Test
    void anUnreadableTagIsCalledDefault() {
        Map<String, String> tags = new HashMap<>();
        ViofsTransport t = connect(List.of("a"), tags, "Default");
        assertEquals("Default", t.device().tag());
    }

    @Test
    void noDeviceSaysWhatToInstall() {
        ViofsDeviceNotFoundException e = assertThrows(ViofsDeviceNotFoundException.class,
                () -> connect(List.of(), Map.of(), null));
        assertTrue(e.getMessage().contains("{A1B0CBF2-F488-4B29-B89F-16C78E68C737}"), e.getMessage());
    }

    @Test
    void unopenableDevicesAreSkipped() {
        ViofsDevices.Opener failing = path -> {
            throw new Win32CallException("CreateFile(" + path + ")", Win32Error.ERROR_ACCESS_DENIED);
        };
        ViofsDeviceNotFoundException e = assertThrows(ViofsDeviceNotFoundException.class,
                () -> ViofsDevices.connect(List.of("a"), failing, null, new ChunkPolicy(), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("ERROR_ACCESS_DENIED"), e.getMessage());
    }
}
