package org.viofs.volume;

/**
 * What GetSecurityByName found (docs/winfsp-native.md §2.2).
 *
 * @param status             {@link NtStatus#SUCCESS}, or {@link NtStatus#REPARSE} when a
 *                           non-final path component is a reparse point
 * @param fileAttributes     the file's attributes; with REPARSE, the index of the reparse component
 * @param securityDescriptor self-relative security descriptor bytes (never null on SUCCESS)
 */
public record SecurityByName(int status, int fileAttributes, byte[] securityDescriptor) {
}
