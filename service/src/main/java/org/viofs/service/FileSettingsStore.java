package org.viofs.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings from a text file laid out like the registry: {@code Name = value} lines for the global
 * values, then a {@code [tag]} section per mount tag; {@code #} starts a comment. Read once when
 * created. The remembered letters go to a separate state file ({@code Properties}, one line per tag),
 * written atomically. For tests and Linux; the service on Windows reads the registry.
 *
 * <pre>
 * CaseInsensitive = 1
 * [myshare]
 * MountPoint = F:
 * [config]
 * Disabled = 1
 * </pre>
 */
public final class FileSettingsStore implements SettingsStore {
    private final Path file;
    private final Path stateFile;
    private final SettingsLayer global;
    private final Map<String, SettingsLayer> tags;

    private FileSettingsStore(Path file, Path stateFile, SettingsLayer global, Map<String, SettingsLayer> tags) {
        this.file = file;
        this.stateFile = stateFile;
        this.global = global;
        this.tags = tags;
    }

    /**
     * Reads the settings file (a missing file means no settings).
     *
     * @param stateFile where remembered letters are kept, or null to remember nothing across runs
     * @throws IllegalArgumentException with the file, line and problem for every bad line or value
     */
    public static FileSettingsStore read(Path file, Path stateFile) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        sections.put(null, new LinkedHashMap<>());
        StringBuilder problems = new StringBuilder();
        if (file != null && Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read settings file " + file, e);
            }
            String section = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]") && line.length() > 2) {
                    section = line.substring(1, line.length() - 1);
                    sections.putIfAbsent(section, new LinkedHashMap<>());
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    problems.append("; line ").append(i + 1).append(": expected Name = value or [tag], was \"")
                            .append(line).append('"');
                    continue;
                }
                sections.get(section).put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        if (problems.length() > 0) {
            throw new IllegalArgumentException("settings file " + file + ": " + problems.substring(2));
        }
        SettingsLayer global = SettingsLayer.parse("file " + file, sections.get(null), false);
        Map<String, SettingsLayer> tags = new LinkedHashMap<>();
        sections.forEach((tag, values) -> {
            if (tag != null) {
                tags.put(tag, SettingsLayer.parse("file " + file + " [" + tag + "]", values, false));
            }
        });
        return new FileSettingsStore(file, stateFile, global, tags);
    }

    @Override
    public SettingsLayer global() {
        return global;
    }

    @Override
    public SettingsLayer forTag(String tag) {
        SettingsLayer l = tags.get(tag);
        return l != null ? l : SettingsLayer.empty("file " + file + " [" + tag + "]");
    }

    @Override
    public List<String> configuredTags() {
        return new ArrayList<>(tags.keySet());
    }

    @Override
    public synchronized Optional<String> lastMountPoint(String tag) {
        return Optional.ofNullable(loadState().getProperty(tag));
    }

    @Override
    public synchronized void rememberMountPoint(String tag, String drive) {
        if (stateFile == null) {
            return;
        }
        Properties p = loadState();
        if (drive.equals(p.getProperty(tag))) {
            return;
        }
        p.setProperty(tag, drive);
        try {
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "viofs: the drive each mount tag was last mounted on");
            }
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile, e);
        }
    }

    private Properties loadState() {
        Properties p = new Properties();
        if (stateFile != null && Files.exists(stateFile)) {
            try (var in = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + stateFile, e);
            }
        }
        return p;
    }
}
