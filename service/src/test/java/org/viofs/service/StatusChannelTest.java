package org.viofs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        StatusChannel.Server s = StatusChannel.listenOnSocket(socket, () -> REPORT);
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(REPORT, StatusChannel.query(socket.toString()));
            assertEquals(REPORT, StatusChannel.query(socket.toString()), "one exchange per connection, again");
        } finally {
            s.close();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StatusChannel.query(socket.toString()));
        assertEquals("no viofs service is listening on " + socket, e.getMessage());
    }

    @Test
    void anythingButTheRequestGetsAnError() {
        assertEquals("28\n{\"error\": \"unknown request\"}",
                new String(StatusChannel.answer("shutdown", () -> REPORT), StandardCharsets.UTF_8));
        String framed = new String(StatusChannel.answer("status", () -> REPORT), StandardCharsets.UTF_8);
        int nl = framed.indexOf('\n');
        assertEquals(REPORT.toJson().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(framed.substring(0, nl)),
                "the length header counts the JSON's UTF-8 bytes");
    }

    @Test
    void aClientReadsExactlyTheFramedLengthAndRefusesAnythingElse() throws IOException {
        byte[] framed = "5\nhelloTRAILING".getBytes(StandardCharsets.US_ASCII);
        assertEquals("hello", new String(StatusChannel.readFramed(new DataInputStream(new ByteArrayInputStream(framed))),
                StandardCharsets.US_ASCII));
        for (String bad : List.of("x\n{}", "\n{}", "99999999999\n", "4194305\n")) {
            assertThrows(IllegalStateException.class, () -> StatusChannel.readFramed(
                    new DataInputStream(new ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII)))), bad);
        }
        assertThrows(EOFException.class, () -> StatusChannel.readFramed(
                new DataInputStream(new ByteArrayInputStream("9\nshort".getBytes(StandardCharsets.US_ASCII)))));
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
