package org.viofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The root command's own options. */
class ViofsCommandTest {
    @Test
    void versionIsTheMavenProjectVersion() {
        // Surefire passes ${project.version} from the pom, so this is the build's number, not the code's
        String expected = System.getProperty("viofs.project.version");
        assertNotNull(expected, "run through Maven: the pom sets viofs.project.version");
        CommandLine cl = ViofsCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"), "exit code");
        assertEquals("viofs " + expected + System.lineSeparator(), out.toString());
    }
}
