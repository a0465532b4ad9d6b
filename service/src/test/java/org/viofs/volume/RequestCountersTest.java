package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestCountersTest {

    @Test
    void requestsGoToTheCallbackRunningOnTheThread() throws Exception {
        RequestCounters c = new RequestCounters();
        String prev = c.enter("Open");
        c.countRequest();
        String inner = c.enter("DropCaches");
        c.countRequest();
        c.leave(inner);
        c.countRequest();
        c.leave(prev);
        c.countRequest();
        Thread t = new Thread(() -> {
            String p = c.enter("Read");
            c.countRequest();
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
