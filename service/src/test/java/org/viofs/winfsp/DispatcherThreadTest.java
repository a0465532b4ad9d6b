package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.viofs.volume.NtStatus;
import org.viofs.volume.NtStatusException;
import org.viofs.volume.VolumeInfo;

/**
 * A callback called from a thread the JVM did not start, as WinFsp's dispatcher threads call it, runs
 * on a daemon thread named {@value WinFspHost#DISPATCHER_THREAD_NAME} (issue 8 §6): JNA reads a
 * callback's CallbackThreadInitializer when the function pointer is made, so WinFspHost must hand it
 * to FspCallbacks before the table exists. Before the fix the thread was a non-daemon "Thread-N".
 */
class DispatcherThreadTest {
    /** glibc's thread creation; the new thread starts at the given function pointer. */
    interface PThread extends Library {
        PThread INSTANCE = Native.load("c", PThread.class);

        /** {@code int pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *)}. */
        int pthread_create(LongByReference thread, Pointer attr, Pointer startRoutine, Pointer arg);

        /** {@code int pthread_join(pthread_t, void **)}. */
        int pthread_join(long thread, PointerByReference result);
    }

    /** Records the thread GetVolumeInfo runs on, then fails, so the trampoline writes nothing back. */
    static final class ThreadRecordingVolume extends FakeVolume {
        final AtomicReference<Thread> thread = new AtomicReference<>();

        @Override
        public VolumeInfo getVolumeInfo() {
            thread.set(Thread.currentThread());
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "recorded");
        }
    }

    @Test
    void aCallbackFromANativeThreadRunsOnANamedDaemonThread() {
        ThreadRecordingVolume volume = new ThreadRecordingVolume();
        RecordingWinFsp dll = new RecordingWinFsp();
        WinFspHost host = WinFspHost.mount(dll, volume, MountOptions.builder().mountPoint("X:").build(), 1L);
        assertEquals(WinFspHost.DISPATCHER_THREAD_NAME, threadOfACallFromANativeThread(dll, volume, host));
    }

    @Test
    void aShareNamesItsDispatcherThreads() {
        ThreadRecordingVolume volume = new ThreadRecordingVolume();
        RecordingWinFsp dll = new RecordingWinFsp();
        WinFspHost host = WinFspHost.mount(dll, volume, MountOptions.builder().mountPoint("X:").build(), 1L, "home");
        assertEquals("winfsp-dispatcher-home", threadOfACallFromANativeThread(dll, volume, host),
                "log lines from the thread can say which share they are about");
    }

    private static String threadOfACallFromANativeThread(RecordingWinFsp dll, ThreadRecordingVolume volume,
                                                         WinFspHost host) {
        try {
            // GetVolumeInfo(FileSystem, VolumeInfo) started as a thread routine: FileSystem = the routine's
            // argument; VolumeInfo is never touched because the volume fails first
            Pointer getVolumeInfo = dll.interfaceTable.getPointer(8L * FspInterface.SLOT_GET_VOLUME_INFO);
            LongByReference tid = new LongByReference();
            assertEquals(0, PThread.INSTANCE.pthread_create(tid, Pointer.NULL, getVolumeInfo, Pointer.NULL));
            assertEquals(0, PThread.INSTANCE.pthread_join(tid.getValue(), new PointerByReference()));
            Thread t = volume.thread.get();
            assertTrue(t != null, "the callback ran");
            assertTrue(t != Thread.currentThread(), "on the native thread, not the test's");
            assertTrue(t.isDaemon(), "a dispatcher thread must not keep the JVM alive");
            return t.getName();
        } finally {
            host.close();
        }
    }
}
