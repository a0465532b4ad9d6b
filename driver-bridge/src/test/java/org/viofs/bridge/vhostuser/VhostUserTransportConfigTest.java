package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.vhostuser.VhostUserConfig;

/** Configuration limits (named after their sources) and connecting to nothing. */
class VhostUserTransportConfigTest {
    @TempDir
    Path dir;

    private static String invalid(VhostUserConfig c) {
        return assertThrows(IllegalArgumentException.class, () -> VhostUserTransport.connect(Path.of("/nonexistent.sock"), c))
                .getMessage();
    }

    @Test
    void defaultsCarryOneMebibyteIo() {
        VhostUserConfig c = VhostUserConfig.defaults();
        assertEquals((1 << 20) + 4096, c.maxRequestBytes(), "max_write + 4 KiB (§7.1)");
        assertEquals(16 + (1 << 20) + 4096, c.maxReplyBytes(), "out header + 1 MiB + a page");
        assertTrue(2 * c.maxInFlight() <= c.queueSize(), "two descriptors per request fit the queue");
        assertEquals(Duration.ofSeconds(30), c.timeout());
    }

    @Test
    void limitsAreCheckedBeforeConnecting() {
        assertTrue(invalid(VhostUserConfig.builder().queueSize(48).build()).contains("power of two"));
        assertTrue(invalid(VhostUserConfig.builder().queueSize(2048).build()).contains("1024"));
        assertTrue(invalid(VhostUserConfig.builder().queueSize(64).maxInFlight(33).build()).contains("maxInFlight"));
        assertTrue(invalid(VhostUserConfig.builder().maxInFlight(0).build()).contains("maxInFlight"));
        assertTrue(invalid(VhostUserConfig.builder().maxRequestBytes(VhostUserConfig.DAEMON_MAX_REQUEST_BYTES + 1).build())
                .contains("virtiofsd aborts"));
        assertTrue(invalid(VhostUserConfig.builder().maxReplyBytes(79).build()).contains("INIT"));
        assertTrue(invalid(VhostUserConfig.builder().timeout(Duration.ZERO).build()).contains("timeout"));
        assertTrue(invalid(VhostUserConfig.builder().spinNanos(-1).build()).contains("spinNanos"));
        assertTrue(invalid(VhostUserConfig.builder().queueSize(1024).maxInFlight(512).maxReplyBytes(8 << 20).build()).contains("2 GiB"));
    }

    @Test
    void connectingToAMissingSocketNamesIt() {
        Path sock = dir.resolve("nobody.sock");
        TransportException e = assertThrows(TransportException.class, () -> VhostUserTransport.connect(sock, VhostUserConfig.defaults()));
        assertTrue(e.getMessage().contains(sock.toString()) && e.getMessage().contains("No such file"), e.getMessage());
    }

    @Test
    void socketPathOverTheSunPathLimitIsRejected() {
        Path sock = dir.resolve("x".repeat(120));
        assertThrows(IllegalArgumentException.class, () -> VhostUserTransport.connect(sock, VhostUserConfig.defaults()));
    }
}
