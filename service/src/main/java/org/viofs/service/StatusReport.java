package org.viofs.service;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code viofs status} and {@code viofs list} show of a running service, and its JSON form on
 * the status channel. Pure.
 *
 * @param service the service name, or "console" for {@code viofs service --console} / {@code viofs mount}
 * @param since   when it started
 * @param shares  every device it knows
 */
public record StatusReport(String service, Instant since, List<ShareStatus> shares) {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    /** The JSON the channel carries and {@code status --json} prints. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("service", service);
        o.addProperty("since", since.toString());
        JsonArray arr = new JsonArray();
        for (ShareStatus s : shares) {
            JsonObject j = new JsonObject();
            j.addProperty("tag", s.tag());
            j.addProperty("path", s.path());
            j.addProperty("letter", s.letter());
            j.addProperty("state", s.state().name());
            j.addProperty("since", s.since() == null ? null : s.since().toString());
            JsonObject req = new JsonObject();
            s.requests().forEach(req::addProperty);
            j.add("requests", req);
            j.addProperty("errors", s.errors());
            j.addProperty("lastError", s.lastError());
            JsonArray settings = new JsonArray();
            s.settings().forEach(settings::add);
            j.add("settings", settings);
            arr.add(j);
        }
        o.add("shares", arr);
        return GSON.toJson(o);
    }

    /**
     * Reads the JSON back (as the client does).
     *
     * @throws IllegalArgumentException when it is not a status report
     */
    public static StatusReport fromJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            List<ShareStatus> shares = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("shares")) {
                JsonObject j = e.getAsJsonObject();
                Map<String, Long> req = new LinkedHashMap<>();
                j.getAsJsonObject("requests").entrySet().forEach(en -> req.put(en.getKey(), en.getValue().getAsLong()));
                List<String> settings = new ArrayList<>();
                j.getAsJsonArray("settings").forEach(x -> settings.add(x.getAsString()));
                shares.add(new ShareStatus(text(j, "path"), text(j, "tag"), text(j, "letter"),
                        ShareState.valueOf(text(j, "state")), instant(text(j, "since")), req,
                        j.get("errors").getAsLong(), text(j, "lastError"), settings));
            }
            return new StatusReport(text(o, "service"), instant(text(o, "since")), shares);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a viofs status report: " + e.getMessage(), e);
        }
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    /** One line per share for people: tag, letter, state and since, requests, errors. */
    public List<String> toLines() {
        List<String> out = new ArrayList<>();
        out.add(service + " running since " + since + "; " + shares.size() + " device(s)"
                + (shares.isEmpty() ? ", waiting for a virtio-fs device" : ""));
        for (ShareStatus s : shares) {
            long total = s.requests().values().stream().mapToLong(Long::longValue).sum();
            StringBuilder sb = new StringBuilder();
            sb.append("  ").append(s.tag() == null ? "(tag unknown)" : s.tag())
                    .append("  ").append(s.letter() == null ? "--" : s.letter())
                    .append("  ").append(s.state()).append(" since ").append(s.since())
                    .append("  requests ").append(total)
                    .append("  errors ").append(s.errors());
            if (s.lastError() != null) {
                sb.append(" (last: ").append(s.lastError()).append(')');
            }
            out.add(sb.toString());
            if (!s.requests().isEmpty()) {
                out.add("      by opcode: " + s.requests());
            }
        }
        return out;
    }
}
