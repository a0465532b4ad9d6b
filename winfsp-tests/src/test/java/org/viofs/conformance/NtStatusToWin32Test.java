package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.viofs.volume.NtStatus;

/** The NTSTATUS → Win32 pairs the restated assertions depend on (RtlNtStatusToDosError). */
class NtStatusToWin32Test {
    @Test
    void theCodesTheCasesAssertOn() {
        assertEquals(2, NtStatusToWin32.map(NtStatus.OBJECT_NAME_NOT_FOUND));
        assertEquals(3, NtStatusToWin32.map(NtStatus.OBJECT_PATH_NOT_FOUND));
        assertEquals(5, NtStatusToWin32.map(NtStatus.ACCESS_DENIED));
        assertEquals(5, NtStatusToWin32.map(NtStatus.DELETE_PENDING));
        assertEquals(5, NtStatusToWin32.map(NtStatus.CANNOT_DELETE));
        assertEquals(5, NtStatusToWin32.map(NtStatus.FILE_IS_A_DIRECTORY));
        assertEquals(32, NtStatusToWin32.map(NtStatus.SHARING_VIOLATION));
        assertEquals(183, NtStatusToWin32.map(NtStatus.OBJECT_NAME_COLLISION));
        assertEquals(145, NtStatusToWin32.map(NtStatus.DIRECTORY_NOT_EMPTY));
        assertEquals(123, NtStatusToWin32.map(NtStatus.OBJECT_NAME_INVALID));
        assertEquals(267, NtStatusToWin32.map(NtStatus.NOT_A_DIRECTORY));
        assertEquals(38, NtStatusToWin32.map(NtStatus.END_OF_FILE));
        assertEquals(18, NtStatusToWin32.map(NtStatus.NO_MORE_FILES));
        assertEquals(2, NtStatusToWin32.map(NtStatus.NO_SUCH_FILE));
        assertEquals(234, NtStatusToWin32.map(NtStatus.BUFFER_OVERFLOW));
        assertEquals(122, NtStatusToWin32.map(NtStatus.BUFFER_TOO_SMALL));
        assertEquals(4390, NtStatusToWin32.map(NtStatus.NOT_A_REPARSE_POINT));
        assertEquals(1921, NtStatusToWin32.map(NtStatus.REPARSE_POINT_NOT_RESOLVED));
        assertEquals(1920, NtStatusToWin32.map(Win32Facade.STATUS_IO_REPARSE_TAG_NOT_HANDLED));
        assertEquals(0, NtStatusToWin32.map(NtStatus.SUCCESS));
    }

    @Test
    void anUnknownCodeIsMrMidNotFoundAsInNtdll() {
        assertEquals(317, NtStatusToWin32.map(0xC0DEC0DE));
        assertTrue(NtStatusToWin32.table().size() > 40);
    }
}
