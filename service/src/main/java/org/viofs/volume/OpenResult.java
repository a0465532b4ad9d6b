package org.viofs.volume;

/** What Create and Open return: the per-handle context and the file's information. */
public record OpenResult(FileContext context, OpenFileInfo openFileInfo) {
}
