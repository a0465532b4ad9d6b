package org.viofs.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what {@code winfsp-tests-x64.exe} prints in its default mode (docs/winfsp-native.md §4.1):
 *
 * <pre>
 * create_test............................ OK 0.01s
 * create_fileattr_test................... KO
 *     ASSERT(FILE_ATTRIBUTE_ARCHIVE == FileAttributes) failed at create-test.c:201:create_fileattr_dotest (err=0:0)
 * --- COMPLETE ---
 * </pre>
 *
 * The name is printed before the test runs, padded with dots to 39 characters, so a test that
 * aborts (no {@code --no-abort}: {@code abort()}, exit code 3, no summary) or hangs leaves its
 * name without a verdict. {@code ABORT("…")} goes to stderr as {@code ABORT: func: msg}.
 * Stateless and thread-safe.
 */
public final class WinfspTestsOutput {
    private WinfspTestsOutput() {
    }

    /** The line after the last test. */
    public static final String COMPLETE = "--- COMPLETE ---";
    /** Names are padded with dots to this width (tlib). */
    public static final int NAME_WIDTH = 39;

    private static final Pattern VERDICT = Pattern.compile("^(\\w+?)\\.* (OK (\\d+\\.\\d{2})s|KO)$");
    private static final Pattern STARTED = Pattern.compile("^(\\w+?)\\.*\\s*$");
    private static final Pattern ASSERT = Pattern.compile("^ {4}(ASSERT\\(.*)$");
    private static final Pattern ABORT = Pattern.compile("^ABORT: (.*)$");

    /** What happened to one test in the output. */
    public enum Verdict {
        /** "OK n.nns". */
        OK,
        /** "KO" with an ASSERT line. */
        KO,
        /** The name was printed, then the process died without a verdict (abort, crash). */
        ABORTED,
        /** The name was printed and the process was still running when its time ran out. */
        HUNG
    }

    /**
     * One test's outcome.
     *
     * @param seconds the reported duration for OK, else 0
     * @param detail  the ASSERT line for KO, the ABORT message or exit code for ABORTED, null for OK
     */
    public record TestOutcome(String name, Verdict verdict, double seconds, String detail) {
    }

    /**
     * Everything one run printed.
     *
     * @param complete the {@value #COMPLETE} line was printed (and nothing was aborted)
     */
    public record Parsed(List<TestOutcome> tests, boolean complete) {
        public Parsed {
            tests = List.copyOf(tests);
        }
    }

    /**
     * Parses one run.
     *
     * @param exitCode the process exit code, or null when the process was killed after its timeout
     */
    public static Parsed parse(String stdout, String stderr, Integer exitCode) {
        List<TestOutcome> tests = new ArrayList<>();
        boolean complete = false;
        String pendingKo = null;
        String started = null;
        for (String raw : stdout.split("\\R", -1)) {
            String line = raw;
            Matcher a = ASSERT.matcher(line);
            if (pendingKo != null && a.matches()) {
                tests.add(new TestOutcome(pendingKo, Verdict.KO, 0, a.group(1)));
                pendingKo = null;
                continue;
            }
            if (pendingKo != null) {
                tests.add(new TestOutcome(pendingKo, Verdict.KO, 0, null));
                pendingKo = null;
            }
            String trimmed = line.stripTrailing();
            if (trimmed.equals(COMPLETE)) {
                complete = true;
                continue;
            }
            Matcher v = VERDICT.matcher(trimmed);
            if (v.matches()) {
                started = null;
                if (v.group(2).equals("KO")) {
                    pendingKo = v.group(1);
                } else {
                    tests.add(new TestOutcome(v.group(1), Verdict.OK, Double.parseDouble(v.group(3)), null));
                }
                continue;
            }
            Matcher s = STARTED.matcher(trimmed);
            if (s.matches() && !trimmed.isEmpty()) {
                started = s.group(1);
            }
        }
        if (pendingKo != null) {
            tests.add(new TestOutcome(pendingKo, Verdict.KO, 0, null));
        }
        if (started != null) {
            if (exitCode == null) {
                tests.add(new TestOutcome(started, Verdict.HUNG, 0, "no verdict before the time ran out"));
            } else {
                tests.add(new TestOutcome(started, Verdict.ABORTED, 0, abortDetail(stderr, exitCode)));
            }
        }
        boolean aborted = tests.stream().anyMatch(t -> t.verdict() == Verdict.ABORTED || t.verdict() == Verdict.HUNG);
        return new Parsed(tests, complete && !aborted && exitCode != null && exitCode == 0);
    }

    private static String abortDetail(String stderr, int exitCode) {
        for (String line : stderr.split("\\R")) {
            Matcher m = ABORT.matcher(line.strip());
            if (m.matches()) {
                return "ABORT: " + m.group(1) + " (exit code " + exitCode + ")";
            }
        }
        return "aborted without a verdict (exit code " + exitCode + ")";
    }

    /** The line tlib prints for a passing test, for recorded outputs and tests. */
    public static String okLine(String name, double seconds) {
        return pad(name) + String.format(java.util.Locale.ROOT, " OK %.2fs", seconds);
    }

    /** The line tlib prints for a failing test (the ASSERT line follows). */
    public static String koLine(String name) {
        return pad(name) + " KO";
    }

    static String pad(String name) {
        StringBuilder s = new StringBuilder(name);
        while (s.length() < NAME_WIDTH) {
            s.append('.');
        }
        return s.length() > NAME_WIDTH ? s.substring(0, NAME_WIDTH) : s.toString();
    }
}
