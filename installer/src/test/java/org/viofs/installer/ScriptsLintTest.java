package org.viofs.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.viofs.installer.ViofsCalls.Arg;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The Linux-side checks of the Windows scripts and the workflows (issue 9, item 6): actionlint, every
 * .ps1 parses (tree-sitter-powershell), every viofs call parses against the real picocli model, every
 * script call uses declared parameters, every referenced path exists, every action is pinned to an
 * exact version, the WinFsp pins agree, and the MSI's custom actions call existing commands. Needs the
 * tools of scripts/checks/tools.sh (scripts/dev.sh test installs them); without them it fails.
 */
class ScriptsLintTest {
    private static final Set<String> COMMON_PARAMETERS = Set.of("Verbose", "Debug", "ErrorAction", "WarningAction",
            "InformationAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable",
            "OutBuffer", "PipelineVariable");
    private static final Pattern EXACT_PIN = Pattern.compile("[\\w.-]+/[\\w.-]+(/[\\w./-]+)?@v\\d+\\.\\d+\\.\\d+");

    private static Path repo;
    private static Path tools;
    private static JsonObject scan;

    @BeforeAll
    static void scanRepository() {
        repo = Repo.root();
        tools = Repo.tools();
        Processes.Result r = Processes.run(List.of("node", "--liftoff-only", repo.resolve("scripts/checks/scan.cjs").toString(),
                repo.toString(), tools.resolve("node").toString()), repo, 120);
        assertEquals(0, r.exitCode(), "scan.cjs: " + r.stderr());
        scan = JsonParser.parseString(r.stdout()).getAsJsonObject();
    }

    private static List<JsonObject> list(String key) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : scan.getAsJsonArray(key)) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    private static String where(JsonObject o) {
        return o.get("file").getAsString() + ":" + o.get("line").getAsInt();
    }

    @Test
    void theScanSawEveryScriptAndWorkflow() {
        List<String> scripts = new ArrayList<>();
        scan.getAsJsonArray("scripts").forEach(e -> scripts.add(e.getAsString()));
        for (String s : List.of("installer/src/main/dist/install.ps1", "installer/src/main/dist/uninstall.ps1",
                "scripts/windows/smoke-binding.ps1", "scripts/windows/smoke-winfsp-tests.ps1",
                "scripts/windows/smoke-service.ps1")) {
            assertTrue(scripts.contains(s), s + " was scanned: " + scripts);
        }
        List<String> workflows = new ArrayList<>();
        scan.getAsJsonArray("workflows").forEach(e -> workflows.add(e.getAsString()));
        assertEquals(List.of(".github/workflows/linux.yml", ".github/workflows/windows.yml"), workflows);
    }

    @Test
    void everyPowerShellScriptAndWorkflowParses() {
        List<String> errors = new ArrayList<>();
        for (JsonObject e : list("parseErrors")) {
            errors.add(where(e) + ": " + e.get("text").getAsString());
        }
        assertEquals(List.of(), errors, "tree-sitter-powershell / YAML parse errors");
    }

    @Test
    void actionlintPasses(@TempDir Path dir) throws IOException {
        Path wf = repo.resolve(".github/workflows");
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(wf)) {
            s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(p -> files.add(p.toString()));
        }
        List<String> cmd = new ArrayList<>(List.of(tools.resolve("bin/actionlint").toString(), "-no-color"));
        cmd.addAll(files);
        Processes.Result r = Processes.run(cmd, repo, 120);
        assertEquals(0, r.exitCode(), "actionlint:\n" + r.stdout() + r.stderr());
        // actionlint knows the inputs of popular actions by major tag only: check them once more
        // with each exact pin cut to its major version
        Path copyDir = Files.createDirectories(dir.resolve(".github/workflows"));
        List<String> copies = new ArrayList<>(List.of(tools.resolve("bin/actionlint").toString(), "-no-color"));
        for (String f : files) {
            Path copy = copyDir.resolve(Path.of(f).getFileName());
            Files.writeString(copy, Files.readString(Path.of(f)).replaceAll("@v(\\d+)\\.\\d+\\.\\d+", "@v$1"));
            copies.add(copy.toString());
        }
        Processes.Result majors = Processes.run(copies, dir, 120);
        assertEquals(0, majors.exitCode(), "actionlint (inputs by major tag):\n" + majors.stdout() + majors.stderr());
    }

    @Test
    void everyActionIsPinnedToAnExactVersion() {
        List<JsonObject> actions = list("actions");
        assertTrue(actions.size() >= 4, "the workflows use actions: " + actions.size());
        for (JsonObject a : actions) {
            String uses = a.get("uses").getAsString();
            assertTrue(EXACT_PIN.matcher(uses).matches(), where(a) + ": " + uses + " is not pinned to vX.Y.Z");
        }
    }

    @Test
    void everyViofsCallIsACommandTheCommandLineHas() {
        List<JsonObject> calls = list("viofsCalls");
        assertTrue(calls.size() >= 10, "viofs calls found: " + calls.size());
        List<String> problems = new ArrayList<>();
        for (JsonObject c : calls) {
            List<Arg> args = new ArrayList<>();
            for (JsonElement e : c.getAsJsonArray("args")) {
                JsonObject a = e.getAsJsonObject();
                args.add(new Arg(a.get("text").getAsString(), a.get("literal").getAsBoolean()));
            }
            String problem = ViofsCalls.problem(args);
            if (problem != null) {
                problems.add(where(c) + ": viofs " + args.stream().map(Arg::value).toList() + ": " + problem);
            }
        }
        assertEquals(List.of(), problems, "viofs calls the command line would refuse");
    }

    @Test
    void scriptCallsUseDeclaredParameters() throws IOException {
        Map<String, Set<String>> declared = new HashMap<>();
        for (JsonObject p : list("parameters")) {
            declared.computeIfAbsent(p.get("file").getAsString(), k -> new HashSet<>()).add(p.get("name").getAsString());
        }
        List<JsonObject> calls = list("scriptCalls");
        assertTrue(calls.size() >= 6, "script calls found: " + calls.size());
        for (JsonObject c : calls) {
            String script = c.get("script").getAsString().replace('\\', '/');
            String file = resolveScript(script);
            assertTrue(file != null, where(c) + ": " + script + " exists");
            String text = Files.readString(repo.resolve(file), StandardCharsets.UTF_8);
            boolean advanced = text.contains("[CmdletBinding(");
            boolean shouldProcess = text.contains("SupportsShouldProcess = $true");
            for (JsonElement e : c.getAsJsonArray("parameters")) {
                String p = e.getAsString();
                boolean ok = declared.getOrDefault(file, Set.of()).contains(p)
                        || (advanced && COMMON_PARAMETERS.contains(p))
                        || (shouldProcess && (p.equals("WhatIf") || p.equals("Confirm")));
                assertTrue(ok, where(c) + ": " + file + " has no parameter -" + p);
            }
        }
    }

    /** A script named by path from the repository root, or by its bare name when only one has it. */
    private static String resolveScript(String script) {
        List<String> scripts = new ArrayList<>();
        scan.getAsJsonArray("scripts").forEach(e -> scripts.add(e.getAsString()));
        if (scripts.contains(script)) {
            return script;
        }
        List<String> byName = scripts.stream().filter(s -> s.endsWith("/" + script)).toList();
        return byName.size() == 1 ? byName.get(0) : null;
    }

    @Test
    void everyReferencedPathExists() {
        List<JsonObject> refs = list("pathRefs");
        assertTrue(refs.size() >= 10, "path references found: " + refs.size());
        for (JsonObject r : refs) {
            String path = r.get("path").getAsString();
            Path base = r.get("base").getAsString().equals("repo") ? repo
                    : repo.resolve(r.get("file").getAsString()).getParent();
            String first = path.split("/")[0];
            // a path into the repository (not an output the script creates, such as winfsp-tests-report)
            if (r.get("base").getAsString().equals("script") || Files.exists(repo.resolve(first))) {
                assertTrue(Files.exists(base.resolve(path)), where(r) + ": " + path + " exists");
            }
        }
        List<JsonObject> runs = list("runPaths");
        assertTrue(runs.size() >= 6, "paths in workflow run steps: " + runs.size());
        for (JsonObject r : runs) {
            String path = r.get("path").getAsString();
            assertTrue(Files.exists(repo.resolve(path)), r.get("file").getAsString() + ": " + path + " exists");
        }
    }

    @Test
    void uploadedArtifactsAreWhatTheBuildAndScriptsMake() throws IOException {
        String zipName = Repo.zip().getFileName().toString();
        String msiName = zipName.replaceAll("\\.zip$", ".msi");
        int checked = 0;
        for (JsonObject a : list("actions")) {
            if (!a.get("uses").getAsString().startsWith("actions/upload-artifact@")) {
                continue;
            }
            for (String p : a.getAsJsonObject("with").get("path").getAsString().split("\n")) {
                p = p.trim();
                if (p.isEmpty()) {
                    continue;
                }
                checked++;
                if (p.startsWith("installer/target/")) {
                    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p.substring("installer/target/".length()));
                    assertTrue(m.matches(Path.of(zipName)) || m.matches(Path.of(msiName)), p + " matches " + zipName + " or " + msiName);
                } else {
                    // a report directory: a smoke script writes it when the workflow passes it as -Report
                    String wf = Files.readString(repo.resolve(a.get("file").getAsString()));
                    assertTrue(wf.contains("-Report " + p), p + " is passed to a script as -Report");
                }
            }
        }
        assertTrue(checked >= 2, "artifact paths checked: " + checked);
    }

    @Test
    void theWinFspPinsOfTheWorkflowAndTheScriptAgree() throws IOException {
        JsonObject env = scan.getAsJsonObject("env").getAsJsonObject(".github/workflows/windows.yml");
        String script = Files.readString(repo.resolve("scripts/windows/install-winfsp.ps1"));
        Map<String, String> pins = Map.of("WINFSP_TAG", "Tag", "WINFSP_VERSION", "Version", "WINFSP_MSI_SHA256", "MsiHash",
                "WINFSP_TESTS_SHA256", "TestsHash");
        for (Map.Entry<String, String> pin : pins.entrySet()) {
            String value = env.get(pin.getKey()).getAsString();
            Matcher m = Pattern.compile("\\[string\\]\\$" + pin.getValue() + " = '([^']*)'").matcher(script);
            assertTrue(m.find(), "install-winfsp.ps1 declares -" + pin.getValue());
            assertEquals(value, m.group(1), pin.getKey() + " in windows.yml and -" + pin.getValue() + "'s default");
        }
        assertTrue(env.get("WINFSP_VERSION").getAsString().matches("\\d+\\.\\d+\\.\\d+"), "a full WinFsp version");
        assertTrue(env.get("WINFSP_MSI_SHA256").getAsString().matches("[0-9a-f]{64}"));
        assertTrue(env.get("WINFSP_TESTS_SHA256").getAsString().matches("[0-9a-f]{64}"));
        String wf = Files.readString(repo.resolve(".github/workflows/windows.yml"));
        for (String param : pins.values()) {
            assertTrue(wf.contains("-" + param + " $env:"), "windows.yml passes -" + param + " from its env");
        }
    }

    @Test
    void theMsisCustomActionsCallCommandsThatExist() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(repo.resolve("installer/src/main/wix/viofs.wxs").toFile());
        NodeList actions = d.getElementsByTagNameNS("http://wixtoolset.org/schemas/v4/wxs", "CustomAction");
        Set<String> commands = new HashSet<>();
        Pattern call = Pattern.compile("\\\\viofs\\.cmd\" ([\\w-]+(?: [\\w-]+)*)\"$");
        for (int i = 0; i < actions.getLength(); i++) {
            Element a = (Element) actions.item(i);
            Matcher m = call.matcher(a.getAttribute("ExeCommand"));
            assertTrue(m.find(), a.getAttribute("Id") + " runs viofs.cmd: " + a.getAttribute("ExeCommand"));
            List<Arg> args = Stream.of(m.group(1).split(" ")).map(s -> new Arg(s, true)).toList();
            assertEquals(null, ViofsCalls.problem(args), a.getAttribute("Id") + ": viofs " + m.group(1));
            commands.add(m.group(1));
            assertEquals("no", a.getAttribute("Impersonate"), a.getAttribute("Id") + " runs as LocalSystem");
        }
        assertEquals(Set.of("install", "start", "stop", "uninstall"), commands);
    }
}
