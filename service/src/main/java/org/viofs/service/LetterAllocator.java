package org.viofs.service;

import java.util.Optional;
import java.util.Set;

/**
 * Chooses a share's drive letter (issue 8 §1), pure: the configured letter; with none configured the
 * tag's last letter; if that is taken, the first free letter counting down from Z: (as the anchor and
 * WinFsp's "*" count, docs/viofs-anchor.md §12), with a warning, unless the configuration is strict. Letters
 * another share was configured with or last used are avoided while other letters are free, so a share
 * that arrives later still finds its own letter.
 */
public final class LetterAllocator {
    private LetterAllocator() {
    }

    /**
     * @param letter  "X:"
     * @param warning why it is not the configured or remembered letter, or null
     */
    public record Choice(String letter, String warning) {
    }

    /** Thrown when no letter can be had; the share fails and is retried. */
    public static final class NoLetterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoLetterException(String message) {
            super(message);
        }
    }

    /**
     * @param configured   "X:" or null for any
     * @param strict       fail rather than take another letter than the configured one
     * @param remembered   the tag's last letter, if any
     * @param inUse        letters taken now (by Windows or by other shares), upper case
     * @param claimedByOthers letters other tags are configured with or remember
     */
    public static Choice choose(String configured, boolean strict, Optional<String> remembered, Set<Character> inUse,
                                Set<Character> claimedByOthers) {
        if (configured != null) {
            char c = Character.toUpperCase(configured.charAt(0));
            if (!inUse.contains(c)) {
                return new Choice(c + ":", null);
            }
            if (strict) {
                throw new NoLetterException("drive " + c + ": is in use and StrictMountPoint is set");
            }
            char free = firstFree(inUse, claimedByOthers);
            return new Choice(free + ":", "drive " + c + ": is in use; mounted on " + free + ": instead");
        }
        if (remembered.isPresent() && remembered.get().matches("[A-Za-z]:")) {
            char r = Character.toUpperCase(remembered.get().charAt(0));
            if (!inUse.contains(r)) {
                return new Choice(r + ":", null);
            }
            char free = firstFree(inUse, claimedByOthers);
            return new Choice(free + ":", "drive " + r + ": (used last time) is in use; mounted on " + free
                    + ": instead");
        }
        return new Choice(firstFree(inUse, claimedByOthers) + ":", null);
    }

    private static char firstFree(Set<Character> inUse, Set<Character> claimed) {
        for (char c = 'Z'; c >= 'D'; c--) {
            if (!inUse.contains(c) && !claimed.contains(c)) {
                return c;
            }
        }
        for (char c = 'Z'; c >= 'D'; c--) {
            if (!inUse.contains(c)) {
                return c;
            }
        }
        throw new NoLetterException("no free drive letter from Z: to D:");
    }
}
