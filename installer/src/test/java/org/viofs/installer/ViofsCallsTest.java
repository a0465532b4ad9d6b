package org.viofs.installer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.viofs.installer.ViofsCalls.Arg;

/** The script-call check accepts what the command line accepts and names what it does not. */
class ViofsCallsTest {
    private static Arg lit(String s) {
        return new Arg(s, true);
    }

    private static Arg computed(String s) {
        return new Arg(s, false);
    }

    @Test
    void aCallTheCommandLineTakesPasses() {
        assertNull(ViofsCalls.problem(List.of(lit("conformance"), lit("--winfsp-tests"), computed("$exe"),
                lit("--dir"), computed("$dir"), lit("--mode"), lit("xattr"))));
        assertNull(ViofsCalls.problem(List.of(lit("probe"), lit("--json"))));
    }

    @Test
    void anUnknownSubcommandOrOptionIsNamed() {
        String sub = ViofsCalls.problem(List.of(lit("conformence")));
        assertNotNull(sub);
        assertTrue(sub.contains("conformence"), sub);
        String opt = ViofsCalls.problem(List.of(lit("conformance"), lit("--winfsp-test"), computed("$exe")));
        assertNotNull(opt);
        assertTrue(opt.contains("--winfsp-test"), opt);
        String missing = ViofsCalls.problem(List.of(lit("conformance"), lit("--dir")));
        assertNotNull(missing, "an option without its value");
        assertNotNull(ViofsCalls.problem(List.of()), "a bare viofs is no command");
    }

    @Test
    void theModelHasThePluginsCommands() {
        assertTrue(ViofsCalls.subcommands().contains("conformance"), ViofsCalls.subcommands().toString());
    }
}
