package org.viofs.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Recorded winfsp-tests outputs under {@code src/test/resources/org/viofs/conformance/winfsp-tests}. */
final class Recorded {
    private Recorded() {
    }

    static String read(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("winfsp-tests/" + name)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
