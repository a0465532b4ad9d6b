package org.viofs.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a process and waits for it, bounded: the seam between {@link WinfspTestsRunner} and the
 * operating system, so the runner is tested with a fake.
 */
@FunctionalInterface
public interface ProcessLauncher {

    /**
     * What a run produced.
     *
     * @param exitCode the exit code, or null when the process was killed because its time ran out
     */
    record Result(Integer exitCode, String stdout, String stderr) {
        public boolean timedOut() {
            return exitCode == null;
        }
    }

    /** Runs {@code command} in {@code directory}; kills it (and its children) after {@code timeout}. */
    Result run(List<String> command, Path directory, Duration timeout);

    /** The real launcher: ProcessBuilder, output captured on two threads, destroyForcibly on timeout. */
    static ProcessLauncher system() {
        return (command, directory, timeout) -> {
            ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command.get(0), e);
            }
            Drain out = new Drain(p.getInputStream());
            Drain err = new Drain(p.getErrorStream());
            out.start();
            err.start();
            try {
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                out.join(10_000);
                err.join(10_000);
                return new Result(done ? p.exitValue() : null, out.text(), err.text());
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + command.get(0), e);
            }
        };
    }

    /** Copies a stream into memory on its own daemon thread. */
    final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                in.transferTo(buf);
            } catch (IOException e) {
                // the process went away: keep what was read
            }
        }

        synchronized String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
