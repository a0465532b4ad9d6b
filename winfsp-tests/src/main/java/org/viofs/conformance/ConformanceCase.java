package org.viofs.conformance;

import java.util.Objects;

/**
 * One winfsp-tests case (docs/winfsp-native.md §4.2), keeping the upstream name. Either it has a body
 * that restates the upstream assertions over {@link Win32Facade}, or it is NOT_PORTABLE with the
 * reason (it needs a Windows kernel facility the facade does not model).
 *
 * @param name               the upstream test name ({@code create_test})
 * @param upstreamFile       the file under {@code tst/winfsp-tests/} that defines it
 * @param availability       how it runs under {@code --external} (§4.2 last column)
 * @param body               the restatement, or null when not portable
 * @param notPortableReason  why there is no restatement, or null
 */
public record ConformanceCase(String name, String upstreamFile, Availability availability, Body body,
                              String notPortableReason) {

    /** The §4.2 "--external" column. */
    public enum Availability {
        /** Y: a regular test that runs under --external. */
        REGULAR,
        /** Y*: registered but returns at once under --external. */
        NOOP_EXTERNAL,
        /** C: registered only under some options. */
        CONDITIONAL,
        /** OPT: optional, runs when selected with {@code +name}. */
        OPTIONAL
    }

    /** A restated case body; throws {@link CaseFailure} when an assertion fails. */
    @FunctionalInterface
    public interface Body {
        void run(CaseContext c) throws Exception;
    }

    public ConformanceCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstreamFile, "upstreamFile");
        Objects.requireNonNull(availability, "availability");
        if ((body == null) == (notPortableReason == null)) {
            throw new IllegalArgumentException(name + ": exactly one of body and notPortableReason");
        }
    }

    public static ConformanceCase portable(String name, String file, Availability a, Body body) {
        return new ConformanceCase(name, file, a, body, null);
    }

    public static ConformanceCase notPortable(String name, String file, Availability a, String reason) {
        return new ConformanceCase(name, file, a, null, reason);
    }

    public boolean isPortable() {
        return body != null;
    }
}
