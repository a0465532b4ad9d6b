package org.viofs.cli;

/**
 * A subcommand contributed by another module (found with {@link java.util.ServiceLoader}, listed in
 * {@code META-INF/services/org.viofs.cli.CommandPlugin}). The winfsp-tests module adds
 * {@code conformance} this way, since it depends on the service module and not the reverse.
 */
public interface CommandPlugin {
    /** The subcommand's name on the command line. */
    String name();

    /** A new picocli command object (annotated with {@code @Command}). */
    Object newCommand();
}
