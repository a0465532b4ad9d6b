package org.viofs.winfsp;

import com.sun.jna.Structure;

/** Reads a JNA structure's computed field offset (fieldOffset is protected). */
final class Layout {
    private Layout() {
    }

    static int offsetOf(Structure s, String field) {
        try {
            var m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
            m.setAccessible(true);
            return (Integer) m.invoke(s, field);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
