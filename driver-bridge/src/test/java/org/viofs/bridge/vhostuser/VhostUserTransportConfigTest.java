package org.viofs.bridge.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.bridge.TransportException;
import org.viofs.bridge.vhostuser.VhostUserTransport.Config;

/** Configuration limits (named after their sources) and connecting to nothing. */
class VhostUserTransportConfigTest {
    @TempDir
    Path dir;

    private static String invalid(Config c) {
        return assertThrows(IllegalArgumentException.class, () -> VhostUserTransport.connect(Path.of("/nonexistent.sock"), c))
                .getMessage();
    }

    @Test
    void defaultsCarryOneMebibyteIo() {
        Config c = Config.defaults();
        assertEquals((1 << 20) + 4096, c.maxRequestBytes(), "max_write + 4 KiB (§7.1)");
        assertEquals(16 + (1 << 20) + 4096, c.maxReplyBytes(), "out header + 1 MiB + a page");
        assertTrue(2 * c.maxInFlight() <= c.queueSize(), "two descriptors per request fit the queue");
        assertEquals(Duration.ofSeconds(30), c.timeout());
    }

    @Test
    void limitsAreCheckedBeforeConnecting() {
        assertTrue(invalid(Config.defaults().withQueueSize(48)).contains("power of two"));
        assertTrue(invalid(Config.defaults().withQueueSize(2048)).contains("1024"));
        assertTrue(invalid(Config.defaults().withQueueSize(64).withMaxInFlight(33)).contains("maxInFlight"));
        assertTrue(invalid(Config.defaults().withMaxInFlight(0)).contains("maxInFlight"));
        assertTrue(invalid(Config.defaults().withMaxRequestBytes(VhostUserTransport.DAEMON_MAX_REQUEST_BYTES + 1))
                .contains("virtiofsd aborts"));
        assertTrue(invalid(Config.defaults().withMaxReplyBytes(79)).contains("INIT"));
        assertTrue(invalid(Config.defaults().withTimeout(Duration.ZERO)).contains("timeout"));
        assertTrue(invalid(Config.defaults().withSpinNanos(-1)).contains("spinNanos"));
        assertTrue(invalid(Config.defaults().withQueueSize(1024).withMaxInFlight(512).withMaxReplyBytes(8 << 20)).contains("2 GiB"));
    }

    @Test
    void connectingToAMissingSocketNamesIt() {
        Path sock = dir.resolve("nobody.sock");
        TransportException e = assertThrows(TransportException.class, () -> VhostUserTransport.connect(sock, Config.defaults()));
        assertTrue(e.getMessage().contains(sock.toString()) && e.getMessage().contains("No such file"), e.getMessage());
    }

    @Test
    void socketPathOverTheSunPathLimitIsRejected() {
        Path sock = dir.resolve("x".repeat(120));
        assertThrows(IllegalArgumentException.class, () -> VhostUserTransport.connect(sock, Config.defaults()));
    }
}
