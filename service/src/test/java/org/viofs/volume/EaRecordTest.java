package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.viofs.volume.NtAssert.assertThrowsStatus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The EA rules ({@link EaList}) and the EA section of the stored record ({@link XattrAttributes}), without a daemon. */
class EaRecordTest {
    private static final HostStat FILE = new HostStat(1, 0, 0, 0, 0, 0, 0, 0, 0, HostStat.S_IFREG | 01644, 1, 0, 0);

    private static Ea ea(String name, String value) {
        return new Ea(name, 0, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<String> names(List<Ea> set) {
        return set.stream().map(Ea::name).toList();
    }

    // ------------------------------------------------------------------ rules

    @Test
    void namesAreUpperCasedReplacedWhateverTheirCaseAndDeletedByAnEmptyValue() {
        List<Ea> set = EaList.apply(List.of(), List.of(ea("alpha", "1"), ea("Beta", "22")));
        assertEquals(List.of("ALPHA", "BETA"), names(set), "stored upper-case, in insertion order");
        set = EaList.apply(set, List.of(ea("ALPHa", "333")));
        assertEquals(List.of("ALPHA", "BETA"), names(set), "a replaced EA keeps its place");
        assertArrayEquals("333".getBytes(StandardCharsets.US_ASCII), set.get(0).value());
        set = EaList.apply(set, List.of(ea("beta", ""), ea("gone", "")));
        assertEquals(List.of("ALPHA"), names(set), "empty value deletes; deleting an absent one is no error");
        assertEquals(5 + 5 + 3, EaList.eaSize(set), "EaSize = 5 + name + value per EA");
    }

    @Test
    void onlyFileNeedEaSurvivesInTheFlags() {
        List<Ea> set = EaList.apply(List.of(), List.of(new Ea("n", Ea.FILE_NEED_EA | 0x01, new byte[] {1})));
        assertEquals(Ea.FILE_NEED_EA, set.get(0).flags());
        assertTrue(EaList.needEa(set));
        assertFalse(EaList.needEa(EaList.apply(List.of(), List.of(ea("n", "v")))));
    }

    @Test
    void invalidNamesAreRefused() {
        for (String bad : new String[] {"", "a*b", "a\"", "semi;", "sl/ash", "back\\slash", "ctl\u001f", "nul\u0000",
                "wide\u0100", "x".repeat(256), "[", "|", "+", ",", ":", "<", "=", ">", "?", "]"}) {
            assertThrowsStatus(NtStatus.INVALID_EA_NAME, () -> EaList.check(List.of(ea("ok", "1"),
                    new Ea(bad, 0, new byte[] {1}))), "name \"" + bad + "\"");
        }
        EaList.check(List.of(ea("x".repeat(255), "v"), ea(".A_b-1 $~\u00e9", "v")));
        assertThrowsStatus(NtStatus.INVALID_PARAMETER, () -> EaList.check(List.of(new Ea("big", 0,
                new byte[Ea.MAX_VALUE_BYTES + 1]))), "value over a USHORT");
    }

    // ------------------------------------------------------------------ record

    private static XattrAttributes.Stored storedWith(List<Ea> eas, byte[] sd, byte[] reparse) {
        return new XattrAttributes.Stored(FileAttributes.HIDDEN, 0x1234L, 0644, 1000, 1000, sd, reparse, eas);
    }

    @Test
    void theEaSectionRoundTripsBehindEveryOtherPart() {
        List<Ea> eas = EaList.apply(List.of(), List.of(ea("one", "1"), new Ea("two", Ea.FILE_NEED_EA, new byte[] {0, 2})));
        byte[] sd = {1, 0, 4, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] rp = {0x34, 0x12, 0, 0, 0, 0, 0, 0};
        for (XattrAttributes.Stored s : List.of(storedWith(eas, null, null), storedWith(eas, sd, null),
                storedWith(eas, null, rp), storedWith(eas, sd, rp))) {
            byte[] v = XattrAttributes.encode(s);
            assertEquals(XattrAttributes.encodedSize(s), v.length);
            XattrAttributes.Stored back = XattrAttributes.decode(v, FILE);
            assertEquals(eas, back.eas());
            assertEquals(FileAttributes.HIDDEN, back.attributes());
            assertEquals(0x1234L, back.creationTime());
            assertArrayEquals(s.descriptor(), back.descriptor());
            assertArrayEquals(s.reparse(), back.reparse());
        }
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        List<Ea> eas = EaList.apply(List.of(), List.of(new Ea("Ab", Ea.FILE_NEED_EA, new byte[] {9, 8, 7})));
        byte[] v = XattrAttributes.encode(storedWith(eas, null, null));
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(XattrAttributes.SIZE + 4 + 4 + 4 + 2 + 3, v.length);
        int at = XattrAttributes.SIZE;
        assertEquals(0, b.getInt(at - 4), "no descriptor");
        assertEquals(0, b.getInt(at), "no reparse data");
        assertEquals(4 + 2 + 3, b.getInt(at + 4), "EA section length");
        assertArrayEquals(new byte[] {(byte) 0x80, 2, 3, 0, 'A', 'B', 9, 8, 7}, Arrays.copyOfRange(v, at + 8, v.length));
    }

    @Test
    void noEasWritesTheOldFormatAndOldValuesReadAsNoEas() {
        XattrAttributes.Stored s = storedWith(List.of(), null, null);
        byte[] v = XattrAttributes.encode(s);
        assertEquals(XattrAttributes.SIZE + 4, v.length, "no EA section without EAs");
        assertEquals(List.of(), XattrAttributes.decode(v, FILE).eas());
        // the oldest values stop after the creation time or the descriptor
        assertEquals(List.of(), XattrAttributes.decode(Arrays.copyOf(v, 12), FILE).eas());
        assertEquals(List.of(), XattrAttributes.decode(Arrays.copyOf(v, XattrAttributes.SIZE), FILE).eas());
        assertTrue(XattrAttributes.Stored.NONE.isEmpty());
        assertFalse(s.isEmpty());
        assertFalse(XattrAttributes.Stored.NONE.withEas(EaList.apply(List.of(), List.of(ea("a", "b")))).isEmpty());
    }

    @Test
    void everyTruncationDecodesWithoutFailingAndNeverInventsEas() {
        List<Ea> eas = EaList.apply(List.of(), List.of(ea("one", "1"), ea("two", "22")));
        byte[] v = XattrAttributes.encode(storedWith(eas, null, new byte[] {1, 0, 0, (byte) 0x80, 0, 0, 0, 0}));
        for (int len = 0; len < v.length; len++) {
            XattrAttributes.Stored s = XattrAttributes.decode(Arrays.copyOf(v, len), FILE);
            assertEquals(List.of(), s.eas(), "a value cut to " + len + " bytes");
        }
        assertEquals(eas, XattrAttributes.decode(v, FILE).eas());
    }

    @Test
    void aCorruptSectionCountsAsNoEas() {
        List<Ea> eas = EaList.apply(List.of(), List.of(ea("one", "1"), ea("two", "22")));
        byte[] good = XattrAttributes.encode(storedWith(eas, null, null));
        int section = XattrAttributes.SIZE + 4;
        int first = section + 4;
        record Case(String what, int offset, byte value) {
        }
        for (Case c : List.of(
                new Case("section length past the end", section, (byte) 0x7F),
                new Case("negative section length", section + 3, (byte) 0x80),
                new Case("section length short of the last entry", section, (byte) 9),
                new Case("zero-length name", first + 1, (byte) 0),
                new Case("name length past the section", first + 1, (byte) 0xFF),
                new Case("zero-length value", first + 2, (byte) 0),
                new Case("value length past the section", first + 3, (byte) 0x40),
                new Case("lower-case name", first + 4, (byte) 'o'),
                new Case("forbidden character", first + 4, (byte) '*'),
                new Case("control character", first + 4, (byte) 0x01),
                new Case("reparse length past the end", XattrAttributes.SIZE, (byte) 0x70),
                new Case("descriptor length past the end", 24, (byte) 0x70))) {
            byte[] v = good.clone();
            v[c.offset()] = c.value();
            assertEquals(List.of(), XattrAttributes.decode(v, FILE).eas(), c.what());
        }
        byte[] twice = good.clone();
        System.arraycopy("ONE".getBytes(StandardCharsets.US_ASCII), 0, twice, first + 4 + 3 + 1 + 4, 3);
        twice[first + 4 + 3 + 1 + 1] = 3; // second entry renamed to ONE: the same name twice
        twice[first + 4 + 3 + 1 + 2] = 1;
        ByteBuffer.wrap(twice).order(ByteOrder.LITTLE_ENDIAN).putInt(section, 4 + 3 + 1 + 4 + 3 + 1);
        assertEquals(List.of(), XattrAttributes.decode(Arrays.copyOf(twice, first + 16), FILE).eas(), "a repeated name");
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertEquals(eas, XattrAttributes.decode(longer, FILE).eas(), "bytes after the section are left for later parts");
    }

    @Test
    void aRecordOverTheHostLimitIsEaTooLarge() {
        List<Ea> big = EaList.apply(List.of(), List.of(new Ea("BIG", 0, new byte[Ea.MAX_VALUE_BYTES])));
        assertThrowsStatus(NtStatus.EA_TOO_LARGE, () -> XattrAttributes.checkFits(big), "65,535 bytes plus the record");
        XattrAttributes.checkFits(EaList.apply(List.of(), List.of(new Ea("FITS", 0, new byte[60_000]))));
        assertNull(EaList.parse(new byte[] {0, 1, 1}, 0, 3), "an entry header cut short");
    }

    // ------------------------------------------------------------------ the times section behind it

    @Test
    void timePinsRoundTripWithAndWithoutEasAndACutSectionReadsAsNone() {
        XattrAttributes.TimePin access = new XattrAttributes.TimePin(0x4100000041L, 94969899520000000L);
        XattrAttributes.TimePin write = new XattrAttributes.TimePin(0x4200000042L, 94969899520000000L);
        XattrAttributes.Stored pinsOnly = XattrAttributes.Stored.NONE.withTimes(access, null);
        assertFalse(pinsOnly.isEmpty(), "a pin alone is worth storing");
        byte[] b = XattrAttributes.encode(pinsOnly);
        assertEquals(XattrAttributes.encodedSize(pinsOnly), b.length);
        XattrAttributes.Stored back = XattrAttributes.decode(b, FILE);
        assertEquals(access, back.accessTime());
        assertNull(back.writeTime());
        assertEquals(List.of(), back.eas(), "an empty EA section stands in front of the times");

        XattrAttributes.Stored both = XattrAttributes.Stored.NONE.withEas(List.of(ea("A", "1"))).withTimes(access, write);
        back = XattrAttributes.decode(XattrAttributes.encode(both), FILE);
        assertEquals(List.of("A"), names(back.eas()));
        assertEquals(access, back.accessTime());
        assertEquals(write, back.writeTime());

        byte[] cut = Arrays.copyOf(XattrAttributes.encode(both), XattrAttributes.encodedSize(both) - 1);
        back = XattrAttributes.decode(cut, FILE);
        assertNull(back.accessTime(), "a cut times section is absent");
        assertEquals(List.of("A"), names(back.eas()), "and the EAs in front of it still read");

        byte[] noTimes = XattrAttributes.encode(XattrAttributes.Stored.NONE.withEas(List.of(ea("A", "1"))));
        assertNull(XattrAttributes.decode(noTimes, FILE).writeTime(), "older values have no times section");
        assertEquals(0x4100000041L, access.show(94969899520000000L), "the wanted time shows while the host is clamped");
        assertEquals(5L, access.show(5L), "any other host time shows as it is");
    }
}
