package org.viofs.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.viofs.cli.ViofsCommand;
import org.viofs.service.StatusReport;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import picocli.CommandLine;

/**
 * What the scripts rely on in the plan of {@code viofs install --dry-run --json} (the names they
 * hard-code, the dependency install.ps1 -NoDriver drops, the Event Log key uninstall.ps1 checks),
 * and the status line smoke-service.ps1 looks for.
 */
class ScmPlanTest {
    private static JsonObject plan(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = ViofsCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(args), String.join(" ", args));
        return JsonParser.parseString(out.toString()).getAsJsonObject();
    }

    private static String script(String path) throws Exception {
        return Files.readString(Repo.root().resolve(path));
    }

    private static String assigned(String text, String variable) {
        Matcher m = Pattern.compile("\\$" + variable + " = '([^']*)'").matcher(text);
        assertTrue(m.find(), "$" + variable + " is assigned");
        return m.group(1);
    }

    @Test
    void theScriptsNamesAreThePlans() throws Exception {
        JsonObject install = plan("install", "--dry-run", "--json");
        List<String> deps = new ArrayList<>();
        install.getAsJsonArray("dependencies").forEach(e -> deps.add(e.getAsString()));
        List<String> keys = new ArrayList<>();
        for (JsonElement e : install.getAsJsonArray("registry")) {
            keys.add(e.getAsJsonObject().get("key").getAsString());
        }
        for (String s : List.of("installer/src/main/dist/install.ps1", "installer/src/main/dist/uninstall.ps1",
                "scripts/windows/smoke-service.ps1")) {
            String text = script(s);
            assertEquals(install.get("serviceName").getAsString(), assigned(text, "ServiceName"), s);
            String source = assigned(text, "EventSource");
            assertTrue(keys.contains("HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + source),
                    s + ": the plan registers the Event Log source " + source + ": " + keys);
        }
        String driver = assigned(script("installer/src/main/dist/install.ps1"), "DriverService");
        assertTrue(deps.contains(driver), "install.ps1 -NoDriver drops " + driver + " from " + deps);
        assertTrue(deps.size() > 1, "-NoDriver keeps the other dependencies: " + deps);
        String config = assigned(script("installer/src/main/dist/uninstall.ps1"), "ConfigKey").replace("HKLM:\\", "HKLM\\");
        assertTrue(keys.contains(config), "uninstall.ps1 keeps the key the plan creates: " + config + " in " + keys);
        assertTrue(install.get("binaryPath").getAsString().contains("org.viofs.cli.ViofsCommand service"),
                "the service runs viofs service");
    }

    @Test
    void smokeServiceLooksForWhatStatusSaysWithoutDevices() throws Exception {
        String text = script("scripts/windows/smoke-service.ps1");
        Matcher m = Pattern.compile("\\$status -match '([^']*)'").matcher(text);
        assertTrue(m.find(), "smoke-service.ps1 matches viofs status against a pattern");
        String lines = String.join("\n", new StatusReport("running", Instant.EPOCH, List.of()).toLines());
        assertTrue(Pattern.compile(m.group(1)).matcher(lines).find(), m.group(1) + " in: " + lines);
    }
}
