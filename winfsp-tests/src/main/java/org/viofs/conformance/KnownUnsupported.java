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
 * The known-unsupported registry: cases that fail over viofs for a stated reason, per mode, each
 * with the failure it is expected to fail with. Read from one data file, {@value #RESOURCE}, with
 * one entry a line, one case an entry (no patterns):
 *
 * <pre>
 * case  TAB  modes (plain, xattr, plain+xattr)  TAB  expected failure  TAB  reason
 * </pre>
 *
 * The expected failure is the case's failure text as the Java suite reports it, without the
 * status name in brackets: the ASSERT line with the NTSTATUS and Win32 error behind it, e.g.
 * {@code ASSERT(INVALID_HANDLE_VALUE != Handle) failed (err=0xC0000033:123)}, or {@code hang} for
 * a case that is expected to hang. Blank lines and lines starting with {@code #} are comments
 * (removed entries stay there as notes).
 *
 * <p>It is strict ({@link ConformanceSuite}): a listed case that passes is a FAIL until its entry
 * is removed; a listed case that fails differently from its entry is a FAIL (the entry is stale, or
 * the volume broke in a new way); an unlisted case that fails is a FAIL. Immutable, thread-safe.
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

    /**
     * One registry line.
     *
     * @param caseName the upstream case name
     * @param expected the failure it is expected to fail with (see the class comment)
     */
    public record Entry(String caseName, Set<Mode> modes, String expected, String reason, int line) {

        /**
         * Whether a case's failure is the recorded one. The Java suite compares the whole text (the
         * ASSERT and the status and error behind it; a trailing status name is ignored); the real
         * winfsp-tests prints the ASSERT with its own source location and error format, so for its
         * output ({@code assertionOnly}) the ASSERT expression alone is compared.
         */
        public boolean expects(String failure, boolean assertionOnly) {
            if (failure == null) {
                return false;
            }
            if (assertionOnly) {
                return assertionOf(failure).equals(assertionOf(expected));
            }
            return failure.equals(expected) || failure.startsWith(expected + " [");
        }

        /** The text up to " failed" ({@code ASSERT(expr)}), or a hang's first word, or the whole text. */
        static String assertionOf(String failure) {
            int f = failure.indexOf(") failed");
            if (failure.startsWith("ASSERT(") && f > 0) {
                return failure.substring(0, f + 1);
            }
            return failure.startsWith("hang") ? "hang" : failure;
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
                if (f.length != 4 || f[0].isBlank() || f[2].isBlank() || f[3].isBlank()) {
                    throw new IllegalArgumentException("registry line " + n
                            + ": want case<TAB>modes<TAB>expected failure<TAB>reason: " + line);
                }
                String name = f[0].strip();
                if (!name.matches("[a-z0-9_]+")) {
                    throw new IllegalArgumentException("registry line " + n + ": bad case name " + name
                            + " (one case a line, no patterns)");
                }
                String expected = f[2].strip();
                if (!expected.startsWith("ASSERT(") && !expected.equals("hang")) {
                    throw new IllegalArgumentException("registry line " + n
                            + ": the expected failure is an ASSERT(...) line or hang: " + expected);
                }
                Set<Mode> modes = EnumSet.noneOf(Mode.class);
                for (String m : f[1].split("\\+")) {
                    try {
                        modes.add(Mode.parse(m));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("registry line " + n + ": unknown mode " + m, e);
                    }
                }
                for (Entry e : entries) {
                    if (e.caseName().equals(name) && !java.util.Collections.disjoint(e.modes(), modes)) {
                        throw new IllegalArgumentException("registry line " + n + ": " + name
                                + " is listed again for a mode of line " + e.line());
                    }
                }
                entries.add(new Entry(name, modes, expected, f[3].strip(), n));
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
            if (e.modes().contains(mode) && e.caseName().equals(caseName)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The cases listed for a mode, in file order (the Windows runner's exclusions). */
    public List<String> cases(Mode mode) {
        List<String> p = new ArrayList<>();
        for (Entry e : entries) {
            if (e.modes().contains(mode)) {
                p.add(e.caseName());
            }
        }
        return p;
    }
}
