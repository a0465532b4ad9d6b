package org.viofs.winfsp;

import com.sun.jna.Pointer;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;

/**
 * Length of a self-relative SECURITY_DESCRIPTOR in native memory, which WinFsp hands over without a
 * size (SetSecurity's ModificationDescriptor, Create's SecurityDescriptor). Layout (winnt.h):
 * Revision @0, Sbz1 @1, Control UINT16 @2, OffsetOwner @4, OffsetGroup @8, OffsetSacl @12,
 * OffsetDacl @16, all offsets from the start; a SID is 8 + 4 × SubAuthorityCount (byte @1) bytes, an
 * ACL's size is its AclSize (UINT16 @2). This is what advapi32's GetSecurityDescriptorLength computes.
 */
public final class SelfRelativeSecurityDescriptor {
    private SelfRelativeSecurityDescriptor() {
    }

    /** {@code SECURITY_DESCRIPTOR_RELATIVE} header size. */
    public static final int HEADER_BYTES = 20;
    /** winnt.h {@code SE_SELF_RELATIVE}. */
    public static final int SE_SELF_RELATIVE = 0x8000;
    /** winnt.h {@code SE_DACL_PRESENT}. */
    public static final int SE_DACL_PRESENT = 0x0004;
    /** winnt.h {@code SE_SACL_PRESENT}. */
    public static final int SE_SACL_PRESENT = 0x0010;

    /**
     * @return the descriptor's length in bytes
     * @throws NtStatusException INVALID_PARAMETER (0xC000000D) when it is not self-relative
     */
    public static int length(Pointer sd) {
        int control = sd.getShort(2) & 0xFFFF;
        if ((control & SE_SELF_RELATIVE) == 0) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "security descriptor is not self-relative");
        }
        int end = HEADER_BYTES;
        end = Math.max(end, sidEnd(sd, sd.getInt(4)));
        end = Math.max(end, sidEnd(sd, sd.getInt(8)));
        if ((control & SE_SACL_PRESENT) != 0) {
            end = Math.max(end, aclEnd(sd, sd.getInt(12)));
        }
        if ((control & SE_DACL_PRESENT) != 0) {
            end = Math.max(end, aclEnd(sd, sd.getInt(16)));
        }
        return end;
    }

    private static int sidEnd(Pointer sd, int offset) {
        return offset == 0 ? 0 : offset + 8 + 4 * (sd.getByte(offset + 1) & 0xFF);
    }

    private static int aclEnd(Pointer sd, int offset) {
        return offset == 0 ? 0 : offset + (sd.getShort(offset + 2) & 0xFFFF);
    }
}
