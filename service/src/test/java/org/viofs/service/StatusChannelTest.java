package org.viofs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status channel's exchange and report over a Unix socket (the Windows pipe carries the same bytes). */
class StatusChannelTest {
    @TempDir
    Path dir;

    static final StatusReport REPORT = new StatusReport("ViofsSvc", Instant.parse("2026-12-03T10:00:00Z"), List.of(
            new ShareStatus("\\\\?\\pci#a", "home", "F:", ShareState.MOUNTED, Instant.parse("2026-12-03T10:00:01Z"),
                    Map.of("INIT", 1L, "LOOKUP", 7L), 0, null, List.of("MountPoint=F: (registry x)")),
            new ShareStatus("\\\\?\\pci#b", "data", null, ShareState.LOST, Instant.parse("2026-12-03T10:05:00Z"),
                    Map.of(), 2, "DaemonExitedException: gone", List.of())));

    @Test
    void theReportSurvivesJson() {
        StatusReport back = StatusReport.fromJson(REPORT.toJson());
        assertEquals(REPORT, back);
        assertThrows(IllegalArgumentException.class, () -> StatusReport.fromJson("{\"error\": \"unknown request\"}"));
    }

    @Test
    void aClientReadsTheReportAndOnlyTheOwnerMayConnect() throws Exception {
        Path socket = dir.resolve("status.sock");
        try (StatusChannel.Server s = StatusChannel.listenOnSocket(socket, () -> REPORT)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(REPORT, StatusChannel.query(socket.toString()));
            assertEquals(REPORT, StatusChannel.query(socket.toString()), "one exchange per connection, again");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StatusChannel.query(socket.toString()));
        assertEquals("no viofs service is listening on " + socket, e.getMessage());
    }

    @Test
    void anythingButTheRequestGetsAnError() {
        assertEquals("{\"error\": \"unknown request\"}\n",
                new String(StatusChannel.answer("shutdown", () -> REPORT), java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(new String(StatusChannel.answer("status", () -> REPORT), java.nio.charset.StandardCharsets.UTF_8)
                .contains("\"tag\": \"home\""));
    }

    @Test
    void linesForPeople() {
        List<String> lines = REPORT.toLines();
        assertEquals("ViofsSvc running since 2026-12-03T10:00:00Z; 2 device(s)", lines.get(0));
        assertEquals("  home  F:  MOUNTED since 2026-12-03T10:00:01Z  requests 8  errors 0", lines.get(1));
        assertTrue(lines.get(3).startsWith("  data  --  LOST since 2026-12-03T10:05:00Z  requests 0  errors 2 (last:"
                + " DaemonExitedException: gone)"), lines.get(3));
    }
}
