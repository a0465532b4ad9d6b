package org.viofs.conformance;

import java.util.Locale;

/**
 * The FSD's wildcard rule for directory listings: FsRtlIsNameInExpression restricted to {@code *}
 * (any run of characters, also none) and {@code ?} (exactly one character). kernelbase has already
 * turned {@code *.*} into {@code *} before the pattern reaches the FSD; the DOS wildcards
 * ({@code <}, {@code >}, {@code "}) are not modelled. Pure and thread-safe.
 */
final class Wildcard {

    private Wildcard() {
    }

    /**
     * Whether {@code name} matches {@code pattern}; a null pattern or {@code *} matches everything.
     *
     * @param ignoreCase compare upper-cased (a case-insensitive volume)
     */
    static boolean matches(String pattern, String name, boolean ignoreCase) {
        if (pattern == null || pattern.equals("*")) {
            return true;
        }
        String p = ignoreCase ? pattern.toUpperCase(Locale.ROOT) : pattern;
        String n = ignoreCase ? name.toUpperCase(Locale.ROOT) : name;
        return match(p, 0, n, 0);
    }

    /** Whether a pattern has any wildcard at all (an exact name is looked up, not listed). */
    static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    private static boolean match(String p, int i, String n, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= n.length(); k++) {
                    if (match(p, i + 1, n, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (j >= n.length() || (c != '?' && c != n.charAt(j))) {
                return false;
            }
            i++;
            j++;
        }
        return j == n.length();
    }
}
