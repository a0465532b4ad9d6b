package org.viofs.volume;

/** A name found in a directory by the {@link NodeCache}: the node and its host spelling. */
record Found(Node node, String hostName) {
}
