/** glibc declarations (JNA direct mapping) for the vhost-user transport; no logic. */
package org.viofs.bridge.linux;
