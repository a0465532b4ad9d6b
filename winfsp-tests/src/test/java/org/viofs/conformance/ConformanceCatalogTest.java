package org.viofs.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.viofs.conformance.ConformanceCase.Availability;

/** Every case of docs/winfsp-native.md §4.2 that runs under --external is there, once, with a result path. */
class ConformanceCatalogTest {
    /** §4.2 names with Y, Y*, C or OPT, as the reference lists them. */
    static final Set<String> EXTERNAL = Set.of(
            "create_test", "create_fileattr_test", "create_readonlydir_test", "create_related_test",
            "create_allocation_test", "create_sd_test", "create_notraverse_test", "create_backup_test",
            "create_restore_test", "create_share_test", "create_curdir_test", "create_namelen_test",
            "getfileattr_test", "getfileinfo_test", "getfileinfo_name_test", "setfileinfo_test", "delete_test",
            "delete_access_test", "delete_pending_test", "delete_mmap_test", "delete_standby_test", "delete_ex_test",
            "rename_test", "rename_backslash_test", "rename_open_test", "rename_caseins_test", "rename_flipflop_test",
            "rename_mmap_test", "rename_standby_test", "rename_ex_test", "getvolinfo_test", "setvolinfo_test",
            "getsecurity_test", "setsecurity_test", "security_stress_meta_test",
            "rdwr_noncached_test", "rdwr_noncached_overlapped_test", "rdwr_cached_test", "rdwr_cached_append_test",
            "rdwr_cached_overlapped_test", "rdwr_writethru_test", "rdwr_writethru_append_test",
            "rdwr_writethru_overlapped_test", "rdwr_mmap_test", "rdwr_mixed_test", "flush_test", "flush_volume_test",
            "lock_noncached_test", "lock_noncached_overlapped_test", "lock_cached_test", "lock_cached_overlapped_test",
            "querydir_test", "querydir_nodup_test", "querydir_single_test", "querydir_expire_cache_test",
            "querydir_buffer_overflow_test", "querydir_namelen_test", "dirnotify_test",
            "exec_test", "exec_delete_test", "exec_rename_test", "exec_rename_dir_test",
            "reparse_guid_test", "reparse_nfs_test", "reparse_symlink_test", "reparse_symlink_relative_test",
            "ea_create_test", "ea_overwrite_test", "ea_getset_test",
            "stream_create_test", "stream_create_overwrite_test", "stream_create_related_test", "stream_create_sd_test",
            "stream_create_share_test", "stream_getfileinfo_test", "stream_setfileinfo_test", "stream_delete_test",
            "stream_delete_pending_test", "stream_rename_flipflop_test", "stream_getsecurity_test",
            "stream_setsecurity_test", "stream_getstreaminfo_test", "stream_getstreaminfo_expire_cache_test",
            "stream_dirnotify_test",
            "oplock_level1_test", "oplock_level2_test", "oplock_batch_test", "oplock_filter_test", "oplock_rwh_test",
            "oplock_rw_test", "oplock_rh_test", "oplock_r_test", "oplock_not_granted_test", "wsl_stat_test");

    @Test
    void theCatalogIsExactlyTheExternalCases() {
        List<ConformanceCase> all = ConformanceCatalog.all();
        assertEquals(ConformanceCatalog.EXTERNAL_CASES, EXTERNAL.size());
        assertEquals(EXTERNAL, all.stream().map(ConformanceCase::name).collect(Collectors.toSet()));
        assertEquals(all.size(), EXTERNAL.size());
        assertEquals(16, all.stream().filter(c -> c.availability() == Availability.OPTIONAL).count());
        assertEquals(78, all.stream().filter(c -> c.availability() != Availability.OPTIONAL).count());
    }

    @Test
    void notPortableCasesSayWhy() {
        for (ConformanceCase c : ConformanceCatalog.all()) {
            assertTrue(c.isPortable() || c.notPortableReason().length() > 30, c.name());
            assertFalse(c.upstreamFile().isBlank());
        }
    }

    @Test
    void theKernelOnlyCasesAreTheNotPortableOnes() {
        Set<String> notPortable = ConformanceCatalog.all().stream().filter(c -> !c.isPortable())
                .map(ConformanceCase::name).collect(Collectors.toSet());
        for (String n : notPortable) {
            assertTrue(n.contains("mmap") || n.contains("standby") || n.contains("flipflop") || n.startsWith("lock_")
                    || n.startsWith("exec_") || n.startsWith("oplock_") || n.contains("notify") || n.contains("expire_cache")
                    || n.equals("querydir_buffer_overflow_test") || n.equals("wsl_stat_test") || n.endsWith("_ex_test"), n);
        }
    }
}
