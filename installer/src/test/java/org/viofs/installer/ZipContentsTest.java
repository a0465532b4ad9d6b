package org.viofs.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** viofs-VERSION-windows-x64.zip as the build made it (issue 9, item 1). */
class ZipContentsTest {
    private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");
    private static final Map<String, byte[]> FILES = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (ZipFile z = new ZipFile(Repo.zip().toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                if (!e.isDirectory()) {
                    try (InputStream in = z.getInputStream(e)) {
                        FILES.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
    }

    private static String text(String name) {
        assertTrue(FILES.containsKey(name), name + " is in the zip");
        return new String(FILES.get(name), StandardCharsets.UTF_8);
    }

    @Test
    void theNameCarriesVersionAndPlatform() {
        assertTrue(Repo.zip().getFileName().toString().matches("viofs-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?-windows-x64\\.zip"),
                Repo.zip().getFileName().toString());
    }

    @Test
    void topLevelHoldsExactlyThePackage() {
        Set<String> top = FILES.keySet().stream().map(n -> n.contains("/") ? n.substring(0, n.indexOf('/') + 1) : n)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(List.of("QUICKSTART.txt", "bin/", "install.ps1", "lib/", "licences/",
                "uninstall.ps1"));
        if (WINDOWS) {
            expected.add("runtime/");
        }
        assertEquals(expected, top);
        assertEquals(Set.of("bin/viofs.cmd"), FILES.keySet().stream().filter(n -> n.startsWith("bin/"))
                .collect(Collectors.toSet()));
        assertEquals(Set.of("licences/Apache-2.0.txt", "licences/JNA-LICENSE.txt", "licences/LGPL-2.1.txt",
                "licences/THIRD-PARTY.txt"), FILES.keySet().stream().filter(n -> n.startsWith("licences/"))
                .collect(Collectors.toSet()));
    }

    @Test
    void libHoldsEveryRuntimeJarAndNothingElse() throws IOException {
        Set<String> lib = FILES.keySet().stream().filter(n -> n.startsWith("lib/")).map(n -> n.substring(4))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> runtime;
        try (Stream<Path> s = Files.list(Repo.root().resolve("installer/target/lib"))) {
            runtime = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(runtime, lib, "lib\\ is the runtime class path bin/viofs runs with");
        for (String prefix : List.of("viofs-service-", "viofs-driver-bridge-", "viofs-winfsp-tests-", "jna-",
                "jna-platform-", "picocli-", "gson-")) {
            assertTrue(lib.stream().anyMatch(j -> j.startsWith(prefix) && j.endsWith(".jar")), prefix + "*.jar in lib\\");
        }
    }

    @Test
    void everyBundledLibraryHasItsLicence() {
        String thirdParty = text("licences/THIRD-PARTY.txt");
        for (String jar : FILES.keySet()) {
            if (jar.startsWith("lib/") && !jar.startsWith("lib/viofs-")) {
                assertTrue(thirdParty.contains(jar.substring(4)), jar + " is listed in THIRD-PARTY.txt with its licence");
            }
        }
        assertTrue(text("licences/Apache-2.0.txt").contains("Apache License"), "the Apache-2.0 text");
        assertTrue(text("licences/LGPL-2.1.txt").contains("LESSER GENERAL PUBLIC LICENSE"), "the LGPL-2.1 text");
    }

    @Test
    void windowsTextFilesHaveCrlfLineEndings() {
        for (String name : List.of("bin/viofs.cmd", "install.ps1", "uninstall.ps1", "QUICKSTART.txt", "licences/THIRD-PARTY.txt")) {
            String t = text(name);
            long lf = t.chars().filter(c -> c == '\n').count();
            long crlf = t.split("\r\n", -1).length - 1;
            assertTrue(lf > 0, name + " has lines");
            assertEquals(lf, crlf, name + ": every line ends in CRLF (cmd.exe misreads labels in LF files)");
        }
    }

    @Test
    void theLauncherLooksForJavaInTheIssuesOrder() {
        String cmd = text("bin/viofs.cmd");
        int runtime = cmd.indexOf("%VIOFS_RUNTIME%\\bin\\java.exe");
        int javaHome = cmd.indexOf("%JAVA_HOME%\\bin\\java.exe");
        int path = cmd.indexOf("where java.exe");
        assertTrue(runtime > 0 && runtime < javaHome && javaHome < path, "runtime\\, then JAVA_HOME, then PATH");
        assertTrue(cmd.contains("exit /b 5"), "no Java 17: exit code 5");
        assertTrue(cmd.contains("GEQ 17"), "17 or newer");
        assertTrue(cmd.contains("org.viofs.cli.ViofsCommand"), "the main class");
    }

    @Test
    void bundledRuntimeOnlyFromAWindowsBuild() {
        boolean hasJava = FILES.containsKey("runtime/bin/java.exe");
        assertEquals(WINDOWS, hasJava, WINDOWS ? "a Windows build bundles runtime\\ (jlink)" : "a Linux build has no runtime\\");
        if (WINDOWS) {
            assertTrue(FILES.keySet().stream().anyMatch(n -> n.startsWith("runtime/legal/")), "the runtime's own licences");
        }
    }

    @Test
    void theZipsJarsRunTheCommandLineWithEveryCommand(@TempDir Path dir) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            if (e.getKey().startsWith("lib/")) {
                Path jar = dir.resolve(e.getKey().substring(4));
                Files.write(jar, e.getValue());
                urls.add(jar.toUri().toURL());
            }
        }
        // the zip's jars alone (parent: the platform loader), so nothing leaks in from the test class path
        try (URLClassLoader cl = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> main = Class.forName("org.viofs.cli.ViofsCommand", true, cl);
            Thread t = Thread.currentThread();
            ClassLoader saved = t.getContextClassLoader();
            Object commandLine;
            t.setContextClassLoader(cl); // ServiceLoader finds the plugins through it
            try {
                commandLine = main.getMethod("commandLine").invoke(null);
            } finally {
                t.setContextClassLoader(saved);
            }
            Method sub = commandLine.getClass().getMethod("getSubcommands");
            Set<String> names = ((Map<?, ?>) sub.invoke(commandLine)).keySet().stream().map(Object::toString)
                    .collect(Collectors.toSet());
            assertTrue(names.containsAll(ViofsCalls.subcommands()), "the zip's command line has " + names
                    + ", the build's " + ViofsCalls.subcommands());
        }
    }
}
