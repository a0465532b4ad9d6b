package org.viofs.volume;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.viofs.fuse.RequestCounter;
import org.viofs.bridge.testing.VirtiofsdFixture;
import org.viofs.bridge.FuseTransport;
import org.viofs.bridge.vhostuser.VhostUserConfig;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.service.ShareStack;

/**
 * A real virtiofsd on a directory, a {@link RequestCounter} and a {@link FuseVolume} over it (one
 * {@link ShareStack}), plus
 * the callback sequences WinFsp issues for common Windows operations (open = GetSecurityByName +
 * Open, close = Cleanup + Close, …). Closing stops everything.
 */
final class VolumeHarness implements AutoCloseable {
    /** GENERIC_READ | GENERIC_WRITE as the DLL would grant them to an owner. */
    static final int RW = PosixSecurity.FILE_GENERIC_READ | PosixSecurity.FILE_GENERIC_WRITE | PosixSecurity.DELETE;
    static final int R = PosixSecurity.FILE_GENERIC_READ;

    final ShareStack stack;
    final RequestCounter counting;
    final FuseVolume volume;
    final Path dir;

    private VolumeHarness(ShareStack stack, RequestCounter counting, Path dir) {
        this.stack = stack;
        this.counting = counting;
        this.volume = stack.volume();
        this.dir = dir;
    }

    static VolumeHarness start(Path dir, VolumeConfig config) {
        return start(dir, config, VirtiofsdFixture.options().logLevel(VirtiofsdLauncher.LogLevel.WARN).build());
    }

    /** The daemon under test ({@link VirtiofsdFixture#options()}) with these options, assembled by a {@link ShareStack}. */
    static VolumeHarness start(Path dir, VolumeConfig config, VirtiofsdLauncher.Options options) {
        return start(dir, config, options, VirtiofsdFixture.TEST_CONFIG);
    }

    static VolumeHarness start(Path dir, VolumeConfig config, VirtiofsdLauncher.Options options,
                               VhostUserConfig transportConfig) {
        return start(dir, config, options, transportConfig, UnaryOperator.identity());
    }

    /** With the daemon's transport seen through {@code wrap} (e.g. a host that lies in some replies). */
    static VolumeHarness start(Path dir, VolumeConfig config, VirtiofsdLauncher.Options options,
                               VhostUserConfig transportConfig, UnaryOperator<FuseTransport> wrap) {
        RequestCounter c = new RequestCounter();
        ShareStack s = ShareStack.builder().launch(dir, options).transportConfig(transportConfig).interpose(wrap)
                .listener(c).volume(config).open();
        return new VolumeHarness(s, c, dir);
    }

    /** As {@link #start(Path, VolumeConfig, VirtiofsdLauncher.Options)} with the real transport wrapped first. */
    static VolumeHarness start(Path dir, VolumeConfig config, VirtiofsdLauncher.Options options,
                               UnaryOperator<FuseTransport> wrap) {
        return start(dir, config, options, VirtiofsdFixture.TEST_CONFIG, wrap);
    }

    /** CreateFile(OPEN_EXISTING): GetSecurityByName + Open. */
    FileContext open(String path, int access) {
        volume.getSecurityByName(path);
        return volume.open(path, CreateOptions.FILE_OPEN << 24, access).context();
    }

    FileContext openDir(String path) {
        volume.getSecurityByName(path);
        return volume.open(path, (CreateOptions.FILE_OPEN << 24) | CreateOptions.FILE_DIRECTORY_FILE, R).context();
    }

    /** CreateFile(CREATE_NEW): GetSecurityByName on the parent + Create. */
    FileContext create(String path) {
        volume.getSecurityByName(parentOf(path));
        return volume.create(path, (CreateOptions.FILE_CREATE << 24) | CreateOptions.FILE_NON_DIRECTORY_FILE, RW,
                FileAttributes.NORMAL, null, 0).context();
    }

    FileContext mkdir(String path) {
        volume.getSecurityByName(parentOf(path));
        return volume.create(path, (CreateOptions.FILE_CREATE << 24) | CreateOptions.FILE_DIRECTORY_FILE, RW,
                FileAttributes.DIRECTORY, null, 0).context();
    }

    /** CloseHandle: Cleanup + Close. */
    void close(FileContext c) {
        volume.cleanup(c, null, 0);
        volume.close(c);
    }

    /** CloseHandle after writing: Cleanup with the time flags the FSD sets for a modified file. */
    void closeModified(FileContext c) {
        volume.cleanup(c, null, CleanupFlags.SET_ARCHIVE_BIT | CleanupFlags.SET_LAST_WRITE_TIME | CleanupFlags.SET_CHANGE_TIME);
        volume.close(c);
    }

    /** DeleteFile: Open + SetDelete + Cleanup(Delete) + Close. */
    void delete(String path) {
        FileContext c = open(path, PosixSecurity.DELETE | PosixSecurity.FILE_READ_ATTRIBUTES);
        try {
            volume.setDelete(c, path, true);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
        volume.cleanup(c, path, CleanupFlags.DELETE);
        volume.close(c);
    }

    /** MoveFileEx: Open(DELETE) + Rename + Cleanup + Close. */
    void rename(String from, String to, boolean replace) {
        FileContext c = open(from, PosixSecurity.DELETE | PosixSecurity.FILE_READ_ATTRIBUTES);
        try {
            volume.rename(c, from, to, replace);
        } finally {
            close(c);
        }
    }

    /** WriteFile: the data in a read-only direct buffer, as the binding hands over WinFsp's buffer. */
    int write(FileContext c, long offset, byte[] data) {
        ByteBuffer b = ByteBuffer.allocateDirect(data.length).put(data).flip().asReadOnlyBuffer();
        return volume.write(c, b, offset, data.length, false, false).bytesTransferred();
    }

    /** ReadFile into a direct buffer, as the binding passes WinFsp's buffer (the production read path). */
    byte[] read(FileContext c, long offset, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        int n = volume.read(c, b, offset, length);
        byte[] out = new byte[n];
        b.get(0, out);
        return out;
    }

    /** Every entry of a directory, with a small sink to exercise markers (FindFirstFile/FindNextFile). */
    List<DirInfo> list(FileContext dirCtx, int perCall) {
        List<DirInfo> all = new ArrayList<>();
        String marker = null;
        for (int calls = 0; calls < 1_000_000; calls++) {
            List<DirInfo> got = new ArrayList<>();
            boolean end = volume.readDirectory(dirCtx, null, marker, e -> {
                if (got.size() >= perCall) {
                    return false;
                }
                got.add(e);
                return true;
            });
            all.addAll(got);
            if (end) {
                return all;
            }
            if (got.isEmpty()) {
                fail("ReadDirectory returned no entry and no end of listing");
            }
            marker = got.get(got.size() - 1).fileName();
        }
        throw new AssertionError("listing did not end");
    }

    static String parentOf(String path) {
        int i = path.lastIndexOf('\\');
        return i <= 0 ? "\\" : path.substring(0, i);
    }

    @Override
    public void close() {
        stack.close();
    }
}
