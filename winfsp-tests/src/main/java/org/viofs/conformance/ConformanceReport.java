package org.viofs.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;

import org.viofs.bridge.vhostuser.VirtiofsdBinary;
import org.viofs.conformance.ConformanceSuite.ModeReport;

/**
 * Renders mode reports: a plain per-case table with totals (terminal), Markdown, JUnit XML and the
 * JSON of {@code viofs conformance --json}. Stateless.
 */
public final class ConformanceReport {
    private ConformanceReport() {
    }

    /** The per-case table and totals a terminal shows, one block per mode. */
    public static String text(List<ModeReport> reports) {
        StringBuilder s = new StringBuilder();
        for (ModeReport r : reports) {
            s.append("mode ").append(r.mode().label());
            if (r.daemon() != null) {
                s.append(" — virtiofsd ").append(r.daemon().describe());
            }
            s.append('\n');
            int width = 0;
            for (CaseResult c : r.results()) {
                width = Math.max(width, c.name().length());
            }
            for (CaseResult c : r.results()) {
                s.append(String.format(Locale.ROOT, "  %-" + width + "s  %-17s %s", c.name(), c.outcome(),
                        c.reason() == null ? "" : c.reason()).stripTrailing()).append('\n');
            }
            s.append("  totals ").append(totalsLine(r)).append("\n\n");
        }
        return s.toString();
    }

    static String totalsLine(ModeReport r) {
        StringBuilder s = new StringBuilder();
        r.totals().forEach((o, n) -> s.append(o).append(' ').append(n).append("  "));
        return s.toString().strip();
    }

    /** A Markdown section per mode: a table of case, result, reason, then the totals. */
    public static String markdown(List<ModeReport> reports) {
        StringBuilder s = new StringBuilder("# viofs conformance (winfsp-tests)\n\n");
        for (ModeReport r : reports) {
            s.append("## mode ").append(r.mode().label());
            if (r.daemon() != null) {
                s.append(" — virtiofsd ").append(r.daemon().describe());
            }
            s.append("\n\n");
            s.append("| case | result | reason |\n| --- | --- | --- |\n");
            for (CaseResult c : r.results()) {
                s.append("| ").append(c.name()).append(" | ").append(c.outcome()).append(" | ")
                        .append(c.reason() == null ? "" : md(c.reason())).append(" |\n");
            }
            s.append("\nTotals: ").append(totalsLine(r)).append("\n\n");
        }
        return s.toString();
    }

    private static String md(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /**
     * JUnit XML: one testsuite per mode (named {@code winfsp-tests.<flavour>.<mode>}, or {@code winfsp-tests.<mode>} when the daemon is unknown), FAIL as failure,
     * KNOWN_UNSUPPORTED and NOT_PORTABLE as skipped with the reason.
     */
    public static String junitXml(List<ModeReport> reports) {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for (ModeReport r : reports) {
            Map<Outcome, Integer> t = r.totals();
            double seconds = r.results().stream().mapToLong(CaseResult::millis).sum() / 1000.0;
            s.append(String.format(Locale.ROOT,
                    "  <testsuite name=\"winfsp-tests.%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
                    suiteName(r), r.results().size(), t.get(Outcome.FAIL),
                    t.get(Outcome.KNOWN_UNSUPPORTED) + t.get(Outcome.NOT_PORTABLE), seconds));
            for (CaseResult c : r.results()) {
                s.append(String.format(Locale.ROOT, "    <testcase classname=\"winfsp-tests.%s\" name=\"%s\" time=\"%.3f\"",
                        suiteName(r), xml(c.name()), c.millis() / 1000.0));
                switch (c.outcome()) {
                    case PASS -> s.append("/>\n");
                    case FAIL -> s.append(">\n      <failure message=\"").append(xml(c.reason())).append("\"/>\n    </testcase>\n");
                    case KNOWN_UNSUPPORTED, NOT_PORTABLE -> s.append(">\n      <skipped message=\"")
                            .append(xml(c.outcome() + ": " + c.reason())).append("\"/>\n    </testcase>\n");
                }
            }
            s.append("  </testsuite>\n");
        }
        return s.append("</testsuites>\n").toString();
    }

    /** {@code plain}, or {@code rust.plain} when the daemon is known (four suites: two flavours × two modes). */
    static String suiteName(ModeReport r) {
        return r.daemon() == null ? r.mode().label() : r.daemon().flavour().label() + "." + r.mode().label();
    }

    static String xml(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&apos;");
                default -> {
                    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                        s.append(' ');
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.toString();
    }

    /**
     * The JSON document of {@code --json}:
     * {@code {"modes":[{"mode":"plain","daemon":{"flavour","version","path"},"cases":[{"name","result","reason"}],
     * "totals":{"PASS":n,...}}]}}; {@code daemon} is null when the daemon could not be seen.
     */
    static Map<String, Object> daemonJson(VirtiofsdBinary d) {
        if (d == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flavour", d.flavour().label());
        m.put("version", d.version());
        m.put("path", d.path().toString());
        return m;
    }

    public static String json(List<ModeReport> reports) {
        List<Map<String, Object>> modes = new ArrayList<>();
        for (ModeReport r : reports) {
            List<Map<String, Object>> cases = new ArrayList<>();
            for (CaseResult c : r.results()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("result", c.outcome().name());
                m.put("reason", c.reason());
                cases.add(m);
            }
            Map<String, Object> totals = new LinkedHashMap<>();
            r.totals().forEach((o, n) -> totals.put(o.name(), n));
            Map<String, Object> mode = new LinkedHashMap<>();
            mode.put("mode", r.mode().label());
            mode.put("daemon", daemonJson(r.daemon()));
            mode.put("cases", cases);
            mode.put("totals", totals);
            modes.add(mode);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("modes", modes);
        return new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc);
    }
}
