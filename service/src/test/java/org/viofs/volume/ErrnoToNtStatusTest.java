package org.viofs.volume;

import static org.viofs.volume.NtAssert.assertStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.viofs.fuse.Errno;

class ErrnoToNtStatusTest {

    @Test
    void requiredEntriesUseLinuxNumbers() {
        int[][] expected = {
            {1, NtStatus.ACCESS_DENIED}, {2, NtStatus.OBJECT_NAME_NOT_FOUND}, {5, NtStatus.IO_DEVICE_ERROR},
            {9, NtStatus.INVALID_HANDLE}, {12, NtStatus.INSUFFICIENT_RESOURCES}, {13, NtStatus.ACCESS_DENIED},
            {16, NtStatus.SHARING_VIOLATION}, {17, NtStatus.OBJECT_NAME_COLLISION}, {18, NtStatus.NOT_SAME_DEVICE},
            {20, NtStatus.NOT_A_DIRECTORY}, {21, NtStatus.FILE_IS_A_DIRECTORY}, {22, NtStatus.INVALID_PARAMETER},
            {24, NtStatus.TOO_MANY_OPENED_FILES}, {27, NtStatus.FILE_TOO_LARGE}, {28, NtStatus.DISK_FULL},
            {30, NtStatus.MEDIA_WRITE_PROTECTED}, {31, NtStatus.TOO_MANY_LINKS}, {36, NtStatus.NAME_TOO_LONG},
            // the anchor's MSVC numbers turned 38 into NAME_TOO_LONG and 40 into NOT_IMPLEMENTED (§3.4)
            {38, NtStatus.NOT_IMPLEMENTED}, {39, NtStatus.DIRECTORY_NOT_EMPTY},
            {40, NtStatus.REPARSE_POINT_NOT_RESOLVED}, {61, NtStatus.NONEXISTENT_EA_ENTRY},
            {95, NtStatus.NOT_SUPPORTED}, {122, NtStatus.DISK_QUOTA_EXCEEDED}, {116, NtStatus.FILE_INVALID},
        };
        for (int[] e : expected) {
            assertStatus(e[1], ErrnoToNtStatus.toNtStatus(e[0]), "errno " + e[0]);
        }
    }

    @Test
    void everyErrnoTheClientKnowsHasItsOwnEntry() {
        for (Errno e : Errno.values()) {
            assertTrue(ErrnoToNtStatus.isMapped(e.number()), e + " (" + e.number() + ") has no entry in the table");
            int s = ErrnoToNtStatus.toNtStatus(e.number());
            assertTrue(!NtStatus.isSuccess(s) && NtStatus.name(s) != null,
                    e + " maps to " + NtStatus.describe(s) + ", which is not a named failure");
        }
        // the table's own constants use the same Linux numbers as the client's enum
        assertEquals(Errno.ENOSYS.number(), ErrnoToNtStatus.ENOSYS);
        assertEquals(Errno.ELOOP.number(), ErrnoToNtStatus.ELOOP);
        assertEquals(Errno.EOPNOTSUPP.number(), ErrnoToNtStatus.EOPNOTSUPP);
        assertEquals(Errno.EDQUOT.number(), ErrnoToNtStatus.EDQUOT);
        assertEquals(Errno.ESTALE.number(), ErrnoToNtStatus.ESTALE);
    }

    @Test
    void unknownNumbersAreNamedFailuresNotSuccess() {
        assertStatus(ErrnoToNtStatus.UNMAPPED, ErrnoToNtStatus.toNtStatus(4095), "errno 4095");
        for (int s : ErrnoToNtStatus.table().values()) {
            if (NtStatus.isSuccess(s) || NtStatus.name(s) == null) {
                throw new AssertionError("table holds " + NtStatus.describe(s));
            }
        }
    }
}
