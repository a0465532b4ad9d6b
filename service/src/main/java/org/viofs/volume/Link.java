package org.viofs.volume;

/** Where a node was last seen: its directory and host name (both null once it has no name). */
record Link(Node parent, String name) {
}
