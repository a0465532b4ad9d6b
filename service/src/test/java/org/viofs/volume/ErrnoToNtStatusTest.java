package org.viofs.volume;

import static org.viofs.volume.NtAssert.assertStatus;

import org.junit.jupiter.api.Test;

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
    void unknownNumbersAreNamedFailuresNotSuccess() {
        assertStatus(ErrnoToNtStatus.UNMAPPED, ErrnoToNtStatus.toNtStatus(4095), "errno 4095");
        for (int s : ErrnoToNtStatus.table().values()) {
            if (NtStatus.isSuccess(s) || NtStatus.name(s) == null) {
                throw new AssertionError("table holds " + NtStatus.describe(s));
            }
        }
    }
}
