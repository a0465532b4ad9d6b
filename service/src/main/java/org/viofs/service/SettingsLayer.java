package org.viofs.service;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The values one source sets (defaults, the registry key, a tag's subkey, a settings file, the command
 * line), already checked by {@link Setting#check}. Immutable.
 *
 * @param source where the values come from, e.g. {@code registry HKLM\Software\VirtIO-FS\share}
 * @param values the values set there; a setting not in the map is left to the layers below
 */
public record SettingsLayer(String source, Map<Setting, String> values) {
    public SettingsLayer {
        EnumMap<Setting, String> copy = new EnumMap<>(Setting.class);
        copy.putAll(values);
        values = Collections.unmodifiableMap(copy);
    }

    /** An empty layer. */
    public static SettingsLayer empty(String source) {
        return new SettingsLayer(source, Map.of());
    }

    /** The defaults, each from {@link Setting#defaultValue()}. */
    public static SettingsLayer defaults() {
        EnumMap<Setting, String> m = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            m.put(s, s.defaultValue());
        }
        return new SettingsLayer("default", m);
    }

    /**
     * Checks raw values by their value names (registry or file), collecting every problem.
     *
     * @throws IllegalArgumentException listing every bad or unknown value, with the source
     */
    public static SettingsLayer parse(String source, Map<String, String> raw, boolean ignoreUnknown) {
        EnumMap<Setting, String> m = new EnumMap<>(Setting.class);
        StringBuilder problems = new StringBuilder();
        raw.forEach((name, value) -> {
            Setting s = Setting.byValueName(name);
            if (s == null) {
                if (!ignoreUnknown) {
                    problems.append("; unknown value ").append(name);
                }
                return;
            }
            try {
                m.put(s, s.check(value));
            } catch (IllegalArgumentException e) {
                problems.append("; ").append(e.getMessage());
            }
        });
        if (problems.length() > 0) {
            throw new IllegalArgumentException(source + ": " + problems.substring(2));
        }
        return new SettingsLayer(source, m);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
