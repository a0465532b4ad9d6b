package org.viofs.volume;

/**
 * Attributes as the {@link NodeCache} keeps them: the nano time (on the cache's clock) they stop being
 * trusted, and the operation whose reply brought them (0: none; {@link CallbackScopes}): within that
 * operation they stay valid whatever the timeout.
 */
record CachedStat(HostStat stat, long expiry, long op) {
    CachedStat(HostStat stat, long expiry) {
        this(stat, expiry, 0);
    }
}
