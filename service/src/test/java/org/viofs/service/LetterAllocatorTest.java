package org.viofs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Letters (issue 8 §1) and back-off, both pure. */
class LetterAllocatorTest {
    private static final Set<Character> NONE = Set.of();

    @Test
    void theConfiguredLetterWhenFree() {
        assertEquals(new LetterAllocator.Choice("F:", null),
                LetterAllocator.choose("F:", false, Optional.of("G:"), Set.of('C'), NONE));
    }

    @Test
    void aTakenLetterFallsBackCountingDownFromZWithAWarning() {
        LetterAllocator.Choice c = LetterAllocator.choose("F:", false, Optional.empty(), Set.of('C', 'F', 'Z'), NONE);
        assertEquals("Y:", c.letter());
        assertEquals("drive F: is in use; mounted on Y: instead", c.warning());
    }

    @Test
    void strictRefusesAnotherLetter() {
        LetterAllocator.NoLetterException e = assertThrows(LetterAllocator.NoLetterException.class,
                () -> LetterAllocator.choose("F:", true, Optional.empty(), Set.of('F'), NONE));
        assertEquals("drive F: is in use and StrictMountPoint is set", e.getMessage());
    }

    @Test
    void withoutConfigurationTheLastLetterStays() {
        assertEquals("G:", LetterAllocator.choose(null, false, Optional.of("G:"), Set.of('C'), NONE).letter());
        LetterAllocator.Choice c = LetterAllocator.choose(null, false, Optional.of("G:"), Set.of('G'), NONE);
        assertEquals("Z:", c.letter());
        assertEquals("drive G: (used last time) is in use; mounted on Z: instead", c.warning());
    }

    @Test
    void lettersOtherSharesClaimAreAvoidedWhileOthersAreFree() {
        assertEquals("X:", LetterAllocator.choose(null, false, Optional.empty(), Set.of('Z'), Set.of('Y')).letter());
        Set<Character> allButY = new HashSet<>();
        for (char c = 'D'; c <= 'Z'; c++) {
            if (c != 'Y') {
                allButY.add(c);
            }
        }
        assertEquals("Y:", LetterAllocator.choose(null, false, Optional.empty(), allButY, Set.of('Y')).letter(),
                "a claimed letter is still better than none");
    }

    @Test
    void noFreeLetterFails() {
        Set<Character> all = new HashSet<>();
        for (char c = 'A'; c <= 'Z'; c++) {
            all.add(c);
        }
        assertThrows(LetterAllocator.NoLetterException.class,
                () -> LetterAllocator.choose(null, false, Optional.empty(), all, NONE));
    }

    @Test
    void backOffDoublesFromOneSecondToAMinute() {
        assertEquals(Duration.ofSeconds(1), Backoff.delay(1));
        assertEquals(Duration.ofSeconds(2), Backoff.delay(2));
        assertEquals(Duration.ofSeconds(32), Backoff.delay(6));
        assertEquals(Duration.ofSeconds(60), Backoff.delay(7));
        assertEquals(Duration.ofSeconds(60), Backoff.delay(1000));
        assertThrows(IllegalArgumentException.class, () -> Backoff.delay(0));
    }
}
