package org.viofs.conformance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.viofs.bridge.TransportException;
import org.viofs.volume.VolumeOperations;

/**
 * Watches every callback of a volume for the loss of its transport: the first callback that fails
 * because of a {@link TransportException} (the daemon exited, closed the socket, or did not answer
 * within the transport's timeout — the volume hands it on as the cause of its NTSTATUS) completes
 * {@link #lost()}. The suite stops at that point instead of judging the remaining cases against a
 * daemon that is gone. Thread-safe.
 */
final class TransportWatch {

    /** Where the transport was lost: the callback and the transport's exception. */
    record Loss(String callback, TransportException cause) {
        /**
         * One line naming the cause, e.g. "DaemonExitedException in Open: virtiofsd exited (signal 9)";
         * the lines of a message that quotes the daemon's log are joined with " / ".
         */
        String describe() {
            String message = String.valueOf(cause.getMessage()).lines().map(String::strip).filter(l -> !l.isEmpty())
                    .collect(Collectors.joining(" / "));
            return cause.getClass().getSimpleName() + " in " + callback + ": " + message;
        }
    }

    private final CompletableFuture<Loss> lost = new CompletableFuture<>();
    private final VolumeOperations watched;

    TransportWatch(VolumeOperations volume) {
        this.watched = (VolumeOperations) Proxy.newProxyInstance(VolumeOperations.class.getClassLoader(),
                new Class<?>[] {VolumeOperations.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(volume, args);
                    } catch (InvocationTargetException e) {
                        Throwable t = e.getCause();
                        TransportException cause = transportCause(t);
                        if (cause != null) {
                            lost.complete(new Loss(method.getName(), cause));
                        }
                        throw t;
                    }
                });
    }

    /** The volume to run against, every call watched. */
    VolumeOperations volume() {
        return watched;
    }

    /** Completes at the first transport loss; never completes exceptionally. */
    CompletableFuture<Loss> lost() {
        return lost;
    }

    /** The loss, or null while the transport is fine. */
    Loss loss() {
        return lost.getNow(null);
    }

    /** The TransportException in a cause chain (bounded: a chain is followed at most 16 deep), or null. */
    static TransportException transportCause(Throwable t) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof TransportException te) {
                return te;
            }
        }
        return null;
    }
}
