package org.viofs.cli;

import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import org.viofs.bridge.vhostuser.VirtiofsdBinary;

/**
 * How the Linux commands name the virtiofsd they talked to: one text line and a JSON object
 * {@code {"flavour","version","path"}} (null when the daemon behind a socket cannot be seen). Stateless.
 */
final class DaemonReport {
    private DaemonReport() {
    }

    /** {@code virtiofsd: rust 1.14.0 (/path)}, or that it is not known. */
    static String line(Optional<VirtiofsdBinary> daemon) {
        return "virtiofsd: " + daemon.map(VirtiofsdBinary::describe)
                .orElse("unknown (the process behind the socket is not visible from here)");
    }

    static JsonElement json(Optional<VirtiofsdBinary> daemon) {
        if (daemon.isEmpty()) {
            return JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.addProperty("flavour", daemon.get().flavour().label());
        o.addProperty("version", daemon.get().version());
        o.addProperty("path", daemon.get().path().toString());
        return o;
    }

    /** {@code result} as a JSON object with {@code daemon} added first. */
    static JsonObject withDaemon(JsonElement result, Optional<VirtiofsdBinary> daemon) {
        JsonObject o = new JsonObject();
        o.add("daemon", json(daemon));
        result.getAsJsonObject().entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        return o;
    }
}
