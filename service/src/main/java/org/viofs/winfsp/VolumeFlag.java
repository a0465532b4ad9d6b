package org.viofs.winfsp;

/**
 * The bits of {@code FSP_FSCTL_VOLUME_PARAMS} flags word 0 (offset 36) and, for the V1 timeouts,
 * word 1 (offset 456), in the order of docs/winfsp-native.md §1.2. {@link #mask()} is the bit in its word.
 */
public enum VolumeFlag {
    CASE_SENSITIVE_SEARCH(0, 0),
    CASE_PRESERVED_NAMES(0, 1),
    UNICODE_ON_DISK(0, 2),
    PERSISTENT_ACLS(0, 3),
    REPARSE_POINTS(0, 4),
    REPARSE_POINTS_ACCESS_CHECK(0, 5),
    NAMED_STREAMS(0, 6),
    /** Unimplemented in WinFsp; leave 0. */
    HARD_LINKS(0, 7),
    EXTENDED_ATTRIBUTES(0, 8),
    READ_ONLY_VOLUME(0, 9),
    POST_CLEANUP_WHEN_MODIFIED_ONLY(0, 10),
    PASS_QUERY_DIRECTORY_PATTERN(0, 11),
    ALWAYS_USE_DOUBLE_BUFFERING(0, 12),
    PASS_QUERY_DIRECTORY_FILE_NAME(0, 13),
    FLUSH_AND_PURGE_ON_CLEANUP(0, 14),
    DEVICE_CONTROL(0, 15),
    UM_FILE_CONTEXT_IS_USER_CONTEXT2(0, 16),
    UM_FILE_CONTEXT_IS_FULL_CONTEXT(0, 17),
    UM_NO_REPARSE_POINTS_DIR_CHECK(0, 18),
    ALLOW_OPEN_IN_KERNEL_MODE(0, 24),
    CASE_PRESERVED_EXTENDED_ATTRIBUTES(0, 25),
    WSL_FEATURES(0, 26),
    DIRECTORY_MARKER_AS_NEXT_OFFSET(0, 27),
    REJECT_IRP_PRIOR_TO_TRANSACT0(0, 28),
    SUPPORTS_POSIX_UNLINK_RENAME(0, 29),
    POST_DISPOSITION_WHEN_NECESSARY_ONLY(0, 30),

    VOLUME_INFO_TIMEOUT_VALID(1, 0),
    DIR_INFO_TIMEOUT_VALID(1, 1),
    SECURITY_TIMEOUT_VALID(1, 2),
    STREAM_INFO_TIMEOUT_VALID(1, 3),
    EA_TIMEOUT_VALID(1, 4);

    private final int word;
    private final int bit;

    VolumeFlag(int word, int bit) {
        this.word = word;
        this.bit = bit;
    }

    /** 0 for the kernel flags word at offset 36, 1 for the V1 Valid word at offset 456. */
    public int word() {
        return word;
    }

    /** Bit number, 0 = least significant. */
    public int bit() {
        return bit;
    }

    /** The bit as a mask within its word. */
    public int mask() {
        return 1 << bit;
    }
}
