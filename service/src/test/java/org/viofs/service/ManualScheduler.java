package org.viofs.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Scheduler} on a clock the test moves: a task runs when {@link #advance} passes its time,
 * on the test's thread. Records every delay asked for.
 */
final class ManualScheduler implements Scheduler {
    private record Task(long dueNanos, Runnable run, boolean[] cancelled) {
    }

    private final List<Task> tasks = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();
    private long now;

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        delays.add(delay);
        boolean[] cancelled = {false};
        tasks.add(new Task(now + delay.toNanos(), task, cancelled));
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves the clock and runs what came due, in order. */
    void advance(Duration d) {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            now += d.toNanos();
            for (Task t : new ArrayList<>(tasks)) {
                if (t.dueNanos() <= now) {
                    tasks.remove(t);
                    if (!t.cancelled()[0]) {
                        due.add(t);
                    }
                }
            }
        }
        due.forEach(t -> t.run().run());
    }

    /** Tasks waiting and not cancelled. */
    synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled()[0]).count();
    }

    @Override
    public void close() {
    }
}
