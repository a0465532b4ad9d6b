package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.util.List;
import org.junit.jupiter.api.Test;

class WinPathTest {

    @Test
    void splitsOnBackslashesAndIgnoresEmptyComponents() {
        assertTrue(WinPath.parse("\\").isRoot());
        assertEquals(List.of("a", "b", "c.txt"), WinPath.parse("\\a\\b\\c.txt").names());
        assertEquals(List.of("a", "b"), WinPath.parse("\\a\\\\b\\").names());
        assertEquals("c.txt", WinPath.parse("\\a\\b\\c.txt").leaf());
        assertEquals(List.of("a", "b"), WinPath.parse("\\a\\b\\c.txt").parent().names());
        assertTrue(WinPath.parse("\\a").parent().isRoot());
    }

    @Test
    void everyReservedCharacterTravelsThroughThePrivateUseArea() {
        String reserved = "\"*:<>?\\|";
        for (char c = 1; c < 128; c++) {
            boolean expected = c < 32 || reserved.indexOf(c) >= 0;
            assertEquals(expected, WinPath.isReservedOnWindows(c), "reserved? U+" + Integer.toHexString(c));
            if (expected) {
                String win = "x" + (char) (0xF000 + c) + "y";
                assertEquals("x" + c + "y", WinPath.toHostName(win), "Windows→host of U+F0" + Integer.toHexString(c));
                assertEquals(win, WinPath.toWindowsName("x" + c + "y"), "host→Windows of U+" + Integer.toHexString(c));
            }
        }
        // a private-use character that does not stand for a reserved one passes unchanged both ways
        assertEquals("a\uF041b", WinPath.toHostName("a\uF041b"));
        assertEquals("a\uF041b", WinPath.toWindowsName("a\uF041b"));
        // "/" in private use stays private use: it must never become a separator on the host
        assertEquals("a\uF02Fb", WinPath.toHostName("a\uF02Fb"));
    }

    @Test
    void slashNulAndRawReservedCharactersAreRefused() {
        for (String bad : new String[] {"\\a/b", "\\a\0b", "\\a*b", "\\a?b", "\\a<b", "\\a|b", "\\a\"b", "\\a\u0001b"}) {
            assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse(bad), "parse " + bad.replace("\0", "\\0"));
        }
    }

    @Test
    void dotComponentsNeverLeaveTheShare() {
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse("\\a\\..\\..\\etc"), "..");
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse("\\.."), "\\..");
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse("\\a\\.\\b"), ".");
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse("a\\b"), "relative path");
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse(""), "empty path");
        // "..." is an ordinary name on POSIX
        assertEquals(List.of("..."), WinPath.parse("\\...").names());
    }

    @Test
    void namesUpTo255AndPathsUpTo32767Units() {
        String n255 = "n".repeat(255);
        assertEquals(n255, WinPath.parse("\\" + n255).leaf());
        assertThrowsStatus(NtStatus.NAME_TOO_LONG, () -> WinPath.parse("\\" + n255 + "x"), "256-unit name");
        StringBuilder sb = new StringBuilder();
        while (sb.length() + 101 <= WinPath.MAX_PATH_UTF16) {
            sb.append('\\').append("d".repeat(100));
        }
        String longPath = sb.toString();
        assertEquals(32_767, WinPath.MAX_PATH_UTF16, "the longest NT path in UTF-16 units");
        assertEquals(324 * 101, longPath.length(), "324 components of a backslash and 100 characters");
        assertEquals(324, WinPath.parse(longPath).depth());
        String tooLong = longPath + "\\" + "e".repeat(WinPath.MAX_PATH_UTF16 - longPath.length());
        assertThrowsStatus(NtStatus.NAME_TOO_LONG, () -> WinPath.parse(tooLong), "32,768-unit path");
        // no 259-byte limit (anchor §4.9): 300 UTF-8 bytes of non-ASCII in a short path are fine
        assertEquals(2, WinPath.parse("\\" + "é".repeat(100) + "\\" + "ü".repeat(100)).depth());
    }

    @Test
    void nonBmpCharactersSurvive() {
        String name = "emoji-\uD83D\uDE00-\uD840\uDC00";
        assertEquals(name, WinPath.parse("\\" + name).leaf());
        assertEquals(name, WinPath.toWindowsName(name));
    }

    @Test
    void streamSuffixes() {
        WinPath p = WinPath.parse("\\dir\\file.txt:meta");
        assertEquals(List.of("dir", "file.txt"), p.names());
        assertEquals("meta", p.streamName());
        assertTrue(p.isNamedStream());
        assertEquals("meta", WinPath.parse("\\f:meta:$DATA").streamName());
        WinPath main = WinPath.parse("\\f::$DATA");
        assertEquals("", main.streamName());
        assertFalse(main.isNamedStream());
        assertNull(WinPath.parse("\\f").streamName());
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse("\\d:s\\f"), "stream on a directory component");
        assertThrowsStatus(NtStatus.OBJECT_NAME_INVALID, () -> WinPath.parse("\\f:s:$INDEX_ALLOCATION"), "bad type");
    }

    @Test
    void windowsSpellingRoundTrips() {
        String w = "\\d\uF03Ax\\f\uF02A";
        assertEquals(List.of("d:x", "f*"), WinPath.parse(w).names());
        assertEquals(w, WinPath.parse(w).toWindowsPath());
    }

    @Test
    void caseKeyUpperCasesEachUnitAlone() {
        assertEquals(WinPath.caseKey("Readme.TXT"), WinPath.caseKey("README.txt"));
        assertEquals("STRASSE", WinPath.caseKey("strasse"));
        // ß has no single-unit upper case: it stays, unlike String.toUpperCase ("SS")
        assertEquals("STRAßE", WinPath.caseKey("straße"));
    }

    @Test
    void componentOffsetsPointAtEachComponentInTheParsedString() {
        String path = "\\dir\\\\sub\\file.txt";
        WinPath p = WinPath.parse(path);
        assertEquals(1, p.componentOffset(0));
        assertEquals(path.indexOf("sub"), p.componentOffset(1), "doubled backslashes are counted");
        assertEquals(path.indexOf("file"), p.componentOffset(2));
    }
}
