package org.viofs.conformance;

/**
 * The result of one case in one mode.
 *
 * @param name    the upstream case name
 * @param outcome the verdict
 * @param reason  the registry's or NOT_PORTABLE reason, or the failure (the ASSERT line), or null on PASS
 * @param millis  how long the case ran (0 when it did not run)
 */
public record CaseResult(String name, Outcome outcome, String reason, long millis) {
}
