package org.viofs.fuse;

/**
 * Told about every request a {@link FuseClient} hands to its transport, replied or not, once, just
 * before it is handed over (a retry in smaller pieces is a new request). Counting requests per Windows
 * operation is viofs's main efficiency metric; {@link RequestCounter} is the counting listener.
 *
 * <p>Called on the thread that sends the request, so a listener can attribute it to what that thread
 * is doing. Must be thread-safe, quick and must not throw.
 */
@FunctionalInterface
public interface RequestListener {
    /** One request with this opcode is about to be sent. */
    void requestSent(Opcode opcode);
}
