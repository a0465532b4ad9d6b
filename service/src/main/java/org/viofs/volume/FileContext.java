package org.viofs.volume;

/**
 * A per-handle context handed out by Create/Open and passed back to every later callback until
 * Close (WinFsp's FileContext in UmFileContextIsUserContext2 mode). Opaque to callers: only the
 * {@link VolumeOperations} that created it may look inside.
 */
public interface FileContext {
}
