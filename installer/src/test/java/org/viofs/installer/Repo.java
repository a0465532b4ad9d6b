package org.viofs.installer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checks find the repository, the built zip and the check tools. */
final class Repo {
    private Repo() {
    }

    /** The repository root (system property viofs.repo, set by the installer's pom). */
    static Path root() {
        String p = System.getProperty("viofs.repo");
        Path root = p != null ? Path.of(p) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    /** The package the build made (system property viofs.zip, set by the installer's pom). */
    static Path zip() {
        String p = System.getProperty("viofs.zip");
        if (p == null) {
            throw new IllegalStateException("system property viofs.zip is not set: run the installer module's tests through Maven (mvn verify)");
        }
        Path zip = Path.of(p);
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: the package checks run in verify, after package built it");
        }
        return zip;
    }

    /**
     * The pinned check tools (scripts/checks/tools.sh): VIOFS_TOOLS or ~/.cache/viofs-tools. Missing
     * tools fail the check with the command that installs them; they are never skipped.
     */
    static Path tools() {
        String env = System.getenv("VIOFS_TOOLS");
        Path tools = env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "viofs-tools");
        if (!Files.isExecutable(tools.resolve("bin/actionlint")) || !Files.isDirectory(tools.resolve("node/node_modules/web-tree-sitter"))) {
            throw new IllegalStateException("the package checks need actionlint and tree-sitter-powershell in " + tools
                    + ": run scripts/checks/tools.sh (scripts/dev.sh test runs it)");
        }
        return tools;
    }
}
