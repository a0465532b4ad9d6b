package org.viofs.bridge.windows;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.viofs.bridge.TransportException;

/**
 * Chooses and opens the virtio-fs device to use, the way the anchor does (docs/viofs-anchor.md §1.3):
 * without a tag the first present device; with a tag the first whose GET_VOLUME_NAME equals it exactly
 * (case-sensitive). Devices not chosen are closed. A device whose tag cannot be read is known by
 * {@link MountTag#FALLBACK}, as in the anchor. Pure Java: the paths and the opener come from the
 * Windows shell ({@link ViofsDeviceFinder}) or from a test.
 */
public final class ViofsDevices {
    private static final System.Logger LOG = System.getLogger(ViofsDevices.class.getName());

    private ViofsDevices() {
    }

    /** Opens a device interface path (CreateFile on Windows). */
    @FunctionalInterface
    public interface Opener {
        ViofsDeviceHandle open(String devicePath) throws Win32CallException;
    }

    /**
     * The device's mount tag (GET_VOLUME_NAME), or {@link MountTag#FALLBACK} with a warning when it
     * cannot be read, as the anchor does.
     */
    public static String tagOf(ViofsDeviceHandle handle, String path) {
        try {
            return ViofsTransport.readTag(handle);
        } catch (Win32CallException e) {
            LOG.log(Level.WARNING, "cannot read the mount tag of {0} ({1}); calling it \"{2}\"", path,
                    Win32Error.describe(e.error()), MountTag.FALLBACK);
            return MountTag.FALLBACK;
        }
    }

    /**
     * @param devicePaths present virtio-fs interface paths, in enumeration order
     * @param wantedTag   the mount tag, or null for the first device
     * @param policy      the size policy for the chosen device
     * @param lockTimeout see {@link ViofsTransport}
     * @throws ViofsDeviceNotFoundException if no device (or none with the tag) could be opened
     */
    public static ViofsTransport connect(List<String> devicePaths, Opener opener, String wantedTag,
                                         ChunkPolicy policy, Duration lockTimeout) {
        if (devicePaths.isEmpty()) {
            throw new ViofsDeviceNotFoundException("no virtio-fs device is present (device interface "
                    + ViofsDeviceFinder.GUID_DEVINTERFACE_VIRT_FS_STRING + "): add a vhost-user-fs-pci device to the VM"
                    + " and install viofs.sys from virtio-win");
        }
        List<String> seen = new ArrayList<>();
        TransportException firstFailure = null;
        for (String path : devicePaths) {
            ViofsDeviceHandle handle;
            try {
                handle = opener.open(path);
            } catch (Win32CallException e) {
                TransportException mapped = Win32ErrorMapper.map(e, path);
                LOG.log(Level.WARNING, "cannot open virtio-fs device " + path, mapped);
                if (firstFailure == null) {
                    firstFailure = mapped;
                }
                continue;
            }
            String tag = tagOf(handle, path);
            if (wantedTag == null || wantedTag.equals(tag)) {
                return new ViofsTransport(handle, tag, policy, lockTimeout);
            }
            seen.add(tag);
            handle.close();
        }
        if (seen.isEmpty() && firstFailure != null) {
            throw new ViofsDeviceNotFoundException("no virtio-fs device could be opened: "
                    + firstFailure.getMessage());
        }
        throw new ViofsDeviceNotFoundException("no virtio-fs device has the mount tag \"" + wantedTag
                + "\" (tags are case-sensitive); present: " + seen);
    }
}
