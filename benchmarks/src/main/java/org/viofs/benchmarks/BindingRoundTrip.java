package org.viofs.benchmarks;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.viofs.bridge.vhostuser.VirtiofsdLauncher;
import org.viofs.service.ShareStack;
import org.viofs.volume.CreateOptions;
import org.viofs.volume.FileContext;
import org.viofs.volume.NtStatus;
import org.viofs.volume.PosixSecurity;
import org.viofs.volume.VolumeConfig;
import org.viofs.volume.VolumeOperations;
import org.viofs.winfsp.FileContextTable;
import org.viofs.winfsp.FspCallbacks;
import org.viofs.winfsp.FspFsctlFileInfo;
import org.viofs.winfsp.FspInterface;
import org.viofs.winfsp.PortableInfoBuffer;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * What the WinFsp binding adds to a request: one Read (4 KiB) and one GetFileInfo, each three ways.
 *
 * <ul>
 * <li>{@code *Direct}: the {@link VolumeOperations} method called from Java, with the buffer as the
 *     trampoline would make it (a direct buffer over native memory);</li>
 * <li>{@code *ThroughTable}: the function pointer in {@link FspCallbacks#table()}'s slot called from
 *     native code, as WinFsp's dispatcher calls it: JNA's callback stub converts the arguments and runs
 *     the trampoline, which decodes them, calls the volume and writes the results to native memory;</li>
 * <li>{@code *EmptyCallback}: a JNA callback of the same signature that returns at once, called the same
 *     way: the cost of getting from native code into Java and back (and of the native call JNA's
 *     {@link Function} makes from Java to start it, which the DLL does not pay).</li>
 * </ul>
 *
 * The binding's own share is {@code ThroughTable − Direct}; of that, {@code EmptyCallback} is JNA's
 * transition. On Linux the native caller is JNA's {@code Function.invoke} (ffi), standing in for the
 * dispatcher thread of winfsp-x64.dll; the calling convention differs from Windows x64, the work does not.
 *
 * <p>{@code volume=fixed} answers from fixed data (the binding alone); {@code volume=virtiofsd} is a
 * {@code FuseVolume} over our own virtiofsd on a temporary directory, so the binding's share of a real
 * request (a 4 KiB READ round trip; GetFileInfo as the volume answers it) shows next to it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BindingRoundTrip {
    private static final int LENGTH = 4096;

    @Param({"fixed", "virtiofsd"})
    public String volume;

    private VolumeOperations ops;
    private ShareStack share;
    private Path dir;
    private FileContext file;
    private FspCallbacks callbacks;
    private Pointer fc;
    private Function readSlot;
    private Function getFileInfoSlot;
    private Function emptyRead;
    private Function emptyFileInfo;
    // strongly held while their function pointers are in use
    private FspInterface.Read emptyReadCallback;
    private FspInterface.FileInfoOnly emptyFileInfoCallback;
    private Memory buffer;
    private ByteBuffer directBuffer;
    private Memory pBytes;
    private Memory fileInfo;
    private Object[] readArgs;
    private Object[] fileInfoArgs;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (volume.equals("fixed")) {
            ops = new FixedVolume();
            file = FixedVolume.FILE;
        } else {
            dir = Files.createTempDirectory("viofs-jmh-");
            Files.write(dir.resolve("file.bin"), new byte[LENGTH]);
            share = ShareStack.builder().launch(dir, VirtiofsdLauncher.Options.builder().build())
                    .volume(VolumeConfig.builder().build()).open();
            ops = share.volume();
            ops.getSecurityByName("\\file.bin");
            file = ops.open("\\file.bin", CreateOptions.FILE_OPEN << 24, PosixSecurity.FILE_GENERIC_READ).context();
        }
        FileContextTable contexts = new FileContextTable();
        callbacks = new FspCallbacks(ops, contexts, new PortableInfoBuffer());
        fc = new Pointer(contexts.add(file));
        readSlot = slot(FspInterface.SLOT_READ);
        getFileInfoSlot = slot(FspInterface.SLOT_GET_FILE_INFO);
        emptyReadCallback = (fs, context, buf, offset, length, p) -> NtStatus.SUCCESS;
        emptyFileInfoCallback = (fs, context, info) -> NtStatus.SUCCESS;
        emptyRead = function(emptyReadCallback);
        emptyFileInfo = function(emptyFileInfoCallback);
        buffer = new Memory(LENGTH);
        directBuffer = buffer.getByteBuffer(0, LENGTH);
        pBytes = new Memory(8);
        fileInfo = new Memory(FspFsctlFileInfo.SIZE);
        readArgs = new Object[] {Pointer.NULL, fc, buffer, 0L, LENGTH, pBytes};
        fileInfoArgs = new Object[] {Pointer.NULL, fc, fileInfo};
        // a binding that got the call wrong would be timing an error path: check both slots once
        check(readSlot.invokeInt(readArgs), "Read");
        if (pBytes.getInt(0) != LENGTH) {
            throw new IllegalStateException("Read through the table returned " + pBytes.getInt(0) + " bytes");
        }
        check(getFileInfoSlot.invokeInt(fileInfoArgs), "GetFileInfo");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (share != null) {
            ops.cleanup(file, null, 0);
            ops.close(file);
            share.close();
            Files.deleteIfExists(dir.resolve("file.bin"));
            Files.deleteIfExists(dir);
        }
    }

    private Function slot(int slot) {
        return Function.getFunction(callbacks.table().getPointer(8L * slot));
    }

    private static Function function(Callback cb) {
        return Function.getFunction(CallbackReference.getFunctionPointer(cb));
    }

    private static void check(int status, String what) {
        if (status != NtStatus.SUCCESS) {
            throw new IllegalStateException(what + " through the table failed: " + NtStatus.describe(status));
        }
    }

    @Benchmark
    public int readDirect() {
        return ops.read(file, directBuffer, 0, LENGTH);
    }

    @Benchmark
    public int readThroughTable() {
        return readSlot.invokeInt(readArgs);
    }

    @Benchmark
    public int readEmptyCallback() {
        return emptyRead.invokeInt(readArgs);
    }

    @Benchmark
    public Object getFileInfoDirect() {
        return ops.getFileInfo(file);
    }

    @Benchmark
    public int getFileInfoThroughTable() {
        return getFileInfoSlot.invokeInt(fileInfoArgs);
    }

    @Benchmark
    public int getFileInfoEmptyCallback() {
        return emptyFileInfo.invokeInt(fileInfoArgs);
    }
}
