package org.viofs.conformance;

/** A restated ASSERT failed; the message is the ASSERT line. */
public final class CaseFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaseFailure(String message) {
        super(message);
    }
}
