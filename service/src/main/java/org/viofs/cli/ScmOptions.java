package org.viofs.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run} and {@code --json}, shared by install, uninstall, start and stop. */
public final class ScmOptions {
    @Option(names = "--dry-run",
            description = "Print what would be done to the SCM and the registry, touch nothing (works on any system).")
    boolean dryRun;

    @Option(names = "--json", description = "Print the plan (or the result) as JSON.")
    boolean json;
}
