/**
 * Test support shared by every module through driver-bridge's test-jar: a real virtiofsd on a
 * temporary directory with a connected vhost-user transport ({@link org.viofs.bridge.testing.VirtiofsdFixture}),
 * hand-built FUSE request bytes for transport tests that must not depend on the service's codec
 * ({@link org.viofs.bridge.testing.RawFuse}), and the JNA field offsets that layout tests compare with
 * the tables in {@code docs/} ({@link org.viofs.bridge.testing.StructLayout}).
 */
package org.viofs.bridge.testing;
