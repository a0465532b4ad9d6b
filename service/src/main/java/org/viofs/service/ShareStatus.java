package org.viofs.service;

import java.time.Instant;
import java.util.Map;

/**
 * One share as {@code viofs list} and {@code viofs status} show it.
 *
 * @param path      the device interface path (or socket)
 * @param tag       the mount tag, or null before the device was opened
 * @param letter    the drive ("X:"), or null when not mounted
 * @param state     where it stands
 * @param since     when it entered that state
 * @param requests  FUSE requests sent by opcode name, over every mount of this device
 * @param errors    failed attempts and losses so far
 * @param lastError the last of them, or null
 * @param settings  settings not at their default, each with its source ("MountPoint=F: (registry …)")
 */
public record ShareStatus(String path, String tag, String letter, ShareState state, Instant since,
                          Map<String, Long> requests, long errors, String lastError, java.util.List<String> settings) {
}
