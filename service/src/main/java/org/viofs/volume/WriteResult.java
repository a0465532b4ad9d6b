package org.viofs.volume;

/** What Write reports: bytes written and the file's information afterwards. */
public record WriteResult(int bytesTransferred, FileInfo fileInfo) {
}
