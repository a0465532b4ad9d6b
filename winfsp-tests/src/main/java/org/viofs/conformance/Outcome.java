package org.viofs.conformance;

/** The verdict on one case in one mode. */
public enum Outcome {
    /** Ran and passed, and is not in the registry. */
    PASS,
    /** Ran and failed, and the registry lists it for this mode with a reason. */
    KNOWN_UNSUPPORTED,
    /**
     * Failed unlisted, hung, or passed although the registry lists it (the entry must go).
     */
    FAIL,
    /** Needs a Windows kernel facility; not restated, with the reason. */
    NOT_PORTABLE,
    /**
     * Not judged: the run stopped because the daemon or its transport was lost before or while the
     * case ran (the reason names the loss). Never counted as KNOWN_UNSUPPORTED or FAIL.
     */
    NOT_RUN
}
