package org.viofs.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The known-unsupported registry: cases (or {@code prefix*} patterns) that fail over viofs for a
 * stated reason, per mode. Read from one data file, {@value #RESOURCE}, with one entry a line:
 *
 * <pre>
 * case-or-prefix*  TAB  modes (plain, xattr, plain+xattr)  TAB  reason
 * </pre>
 *
 * Blank lines and lines starting with {@code #} are comments (removed entries stay there as notes).
 *
 * <p>It is strict ({@link ConformanceSuite}): a listed case that passes is a FAIL until its entry
 * is removed, and an unlisted case that fails is a FAIL. Immutable, thread-safe.
 */
public final class KnownUnsupported {

    /** The registry's classpath location. */
    public static final String RESOURCE = "/org/viofs/conformance/known-unsupported.tsv";

    /** The modes the Linux suite runs in: virtiofsd without and with {@code -o xattr}. */
    public enum Mode {
        PLAIN, XATTR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** One registry line. */
    public record Entry(String pattern, Set<Mode> modes, String reason, int line) {
        public boolean matches(String caseName) {
            return pattern.endsWith("*") ? caseName.startsWith(pattern.substring(0, pattern.length() - 1))
                    : caseName.equals(pattern);
        }
    }

    private final List<Entry> entries;

    private KnownUnsupported(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The registry shipped in this module. */
    public static KnownUnsupported load() {
        try (InputStream in = KnownUnsupported.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("registry missing from the classpath: " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses registry text; a malformed line throws with its number. */
    public static KnownUnsupported parse(String text) {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3 || f[0].isBlank() || f[2].isBlank()) {
                    throw new IllegalArgumentException("registry line " + n + ": want case<TAB>modes<TAB>reason: " + line);
                }
                String pattern = f[0].strip();
                if (!pattern.matches("[a-z0-9_]+\\*?")) {
                    throw new IllegalArgumentException("registry line " + n + ": bad case name " + pattern);
                }
                Set<Mode> modes = EnumSet.noneOf(Mode.class);
                for (String m : f[1].split("\\+")) {
                    try {
                        modes.add(Mode.parse(m));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("registry line " + n + ": unknown mode " + m, e);
                    }
                }
                entries.add(new Entry(pattern, modes, f[2].strip(), n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KnownUnsupported(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The first entry that lists this case for this mode. */
    public Optional<Entry> lookup(String caseName, Mode mode) {
        for (Entry e : entries) {
            if (e.modes().contains(mode) && e.matches(caseName)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The patterns listed for a mode, in file order (the Windows runner's exclusions). */
    public List<String> patterns(Mode mode) {
        List<String> p = new ArrayList<>();
        for (Entry e : entries) {
            if (e.modes().contains(mode) && !p.contains(e.pattern())) {
                p.add(e.pattern());
            }
        }
        return p;
    }
}
