package org.viofs.bridge.testing;

import com.sun.jna.Structure;

/**
 * Reads the field offsets JNA computes for a {@link Structure} ({@code fieldOffset} is protected), so
 * layout tests can assert them against the reference tables. With fixed-width fields JNA lays structs
 * out on Linux x86-64 as MSVC does on Windows x64.
 */
public final class StructLayout {
    private StructLayout() {
    }

    /** The byte offset of {@code field} in {@code s}. */
    public static int offsetOf(Structure s, String field) {
        try {
            var m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
            m.setAccessible(true);
            return (Integer) m.invoke(s, field);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the offset of " + field + " in " + s.getClass().getName(), e);
        }
    }
}
