/**
 * The {@code viofs} command line (picocli), started by {@code bin/viofs} and {@code bin\viofs.cmd}.
 *
 * <p>{@link org.viofs.cli.ViofsCommand} is the root; its Linux subcommands talk to a real virtiofsd,
 * one the user started ({@code --socket}) or one they start themselves on a directory
 * ({@link org.viofs.cli.ShareOptions}): {@link org.viofs.cli.ProbeCommand} reports what a share offers
 * after FUSE_INIT, {@link org.viofs.cli.BenchCommand} measures the transport and the client, and its
 * {@code ops} workload counts the FUSE requests per Windows operation. Other modules add subcommands
 * through {@link org.viofs.cli.CommandPlugin} ({@code conformance} comes from winfsp-tests).
 * {@link org.viofs.cli.ExitCodes} is the one place that turns failures into exit codes; only
 * {@code main} exits the JVM.
 */
package org.viofs.cli;
