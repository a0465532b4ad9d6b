package org.viofs.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs a task after a delay: the retry timer of the share manager, injectable so tests drive time. */
public interface Scheduler extends AutoCloseable {
    /** A scheduled task that can be called off. */
    interface Cancellable {
        void cancel();
    }

    Cancellable schedule(Duration delay, Runnable task);

    @Override
    void close();

    /** A real timer on one daemon thread. */
    static Scheduler system() {
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "viofs-retry-timer");
            t.setDaemon(true);
            return t;
        });
        return new Scheduler() {
            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> f = ses.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                ses.shutdownNow();
            }
        };
    }
}
