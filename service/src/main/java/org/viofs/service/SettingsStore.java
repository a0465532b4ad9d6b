package org.viofs.service;

import java.util.List;
import java.util.Optional;

/**
 * Where the service's settings and its per-tag memory live: the registry on Windows
 * ({@link RegistrySettingsStore}), a file for tests and Linux ({@link FileSettingsStore}).
 * Implementations are thread-safe.
 */
public interface SettingsStore {
    /** The global layer ({@code HKLM\Software\VirtIO-FS}). */
    SettingsLayer global();

    /** The layer of one mount tag (its subkey); empty when there is none. */
    SettingsLayer forTag(String tag);

    /** The letter this tag was last mounted on ("X:"), if remembered. */
    Optional<String> lastMountPoint(String tag);

    /** Remembers the letter a tag is mounted on, so it gets it again after a restart. */
    void rememberMountPoint(String tag, String drive);

    /** Tags that have a layer of their own, for {@code viofs list}. */
    List<String> configuredTags();

    /**
     * The merged settings of a share: defaults < global < the tag's layer < {@code commandLine}.
     *
     * @throws IllegalArgumentException when a stored value is bad (the message names it and its source)
     */
    default ShareSettings settingsFor(String tag, SettingsLayer commandLine) {
        return ShareSettings.merge(tag, List.of(global(), forTag(tag), commandLine));
    }
}
