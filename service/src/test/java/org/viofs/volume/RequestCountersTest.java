package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.viofs.fuse.Opcode;
import org.junit.jupiter.api.Test;

class RequestCountersTest {

    @Test
    void requestsGoToTheCallbackRunningOnTheThread() throws Exception {
        RequestCounters c = new RequestCounters();
        String prev = c.enter("Open");
        c.requestSent(Opcode.GETATTR);
        String inner = c.enter("DropCaches");
        c.requestSent(Opcode.GETATTR);
        c.leave(inner);
        c.requestSent(Opcode.GETATTR);
        c.leave(prev);
        c.requestSent(Opcode.GETATTR);
        Thread t = new Thread(() -> {
            String p = c.enter("Read");
            c.requestSent(Opcode.GETATTR);
            c.leave(p);
        });
        t.start();
        t.join(10_000);
        assertEquals(Map.of("Open", 2L, "DropCaches", 1L, "(none)", 1L, "Read", 1L), c.snapshot());
        assertEquals(5, c.total());
        c.reset();
        assertEquals(0, c.total());
        assertEquals(0, c.get("Open"));
    }
}
