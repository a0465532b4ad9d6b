package org.viofs.volume;

/** A child the {@link NodeCache} holds with valid name and attributes. */
record CachedChild(Node node, HostStat stat) {
}
