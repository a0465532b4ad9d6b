package org.viofs.conformance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.viofs.volume.OpenResult;
import org.viofs.winfsp.MountOptions;
import org.viofs.winfsp.WinFspHost;

/**
 * The Windows smoke jobs' volume (scripts/windows/smoke-binding.ps1 and smoke-winfsp-tests.ps1): the
 * in-memory volume mounted through the real {@link WinFspHost} and winfsp-x64.dll, so that PowerShell
 * and winfsp-tests-x64.exe exercise the JNA binding without a virtio-fs device. Windows only.
 *
 * <p>Usage: {@code InMemoryMount [MOUNTPOINT] [SECONDS]} (default {@code *} and 1800). It prints one
 * line {@code MOUNTED X:} once WinFsp has the volume, then unmounts when a line {@code unmount} arrives
 * on stdin, when stdin ends, or after SECONDS (the bound), prints {@code UNMOUNTED} and exits 0.
 */
public final class InMemoryMount {
    /**
     * The root's descriptor: full control for SYSTEM, Administrators and Everyone, inherited by what is
     * created below it. The volume's own default (a made-up owner, Everyone read) would let the FSD's
     * access check refuse every create on a real machine.
     */
    static final String ROOT_SDDL = "O:BAG:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;WD)";

    private InMemoryMount() {
    }

    /** A case-insensitive volume with EAs whose root anyone may change. */
    static InMemoryVolume newVolume() {
        InMemoryVolume volume = new InMemoryVolume(true, true);
        OpenResult root = volume.open("\\", 0, Win32.FILE_ALL_ACCESS);
        try {
            // OWNER | GROUP | DACL
            volume.setSecurity(root.context(), 7, SecurityDescriptor.fromSddl(ROOT_SDDL).toBytes());
        } finally {
            volume.close(root.context());
        }
        return volume;
    }

    static MountOptions options(String mountPoint) {
        return MountOptions.builder().mountPoint(mountPoint).caseSensitive(false).namedStreams(true).build();
    }

    public static void main(String[] args) throws Exception {
        String mountPoint = args.length > 0 ? args[0] : "*";
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 1800;
        CountDownLatch stop = new CountDownLatch(1);
        try (WinFspHost host = WinFspHost.mount(newVolume(), options(mountPoint))) {
            System.out.println("MOUNTED " + host.mountPoint());
            System.out.flush();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null && !line.trim().equals("unmount")) {
                        System.err.println("InMemoryMount: ignored input: " + line);
                    }
                } catch (Exception e) {
                    System.err.println("InMemoryMount: stdin: " + e);
                }
                stop.countDown();
            }, "stdin");
            reader.setDaemon(true);
            reader.start();
            if (!stop.await(seconds, TimeUnit.SECONDS)) {
                System.err.println("InMemoryMount: " + seconds + " s passed; unmounting");
            }
        }
        System.out.println("UNMOUNTED");
        System.out.flush();
    }
}
