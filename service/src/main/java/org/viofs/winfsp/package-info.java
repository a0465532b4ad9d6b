/**
 * The JNA binding to WinFsp's native API in winfsp-x64.dll (docs/winfsp-native.md), adapting
 * {@link org.viofs.volume.VolumeOperations} to {@code FSP_FILE_SYSTEM_INTERFACE}.
 *
 * <h2>Split</h2>
 * Pure Java, tested on Linux with JNA memory: {@link org.viofs.winfsp.FspCallbacks} (trampolines and the
 * 512-byte table), {@link org.viofs.winfsp.StatusPolicy}, {@link org.viofs.winfsp.FileContextTable},
 * {@link org.viofs.winfsp.VolumeParamsBuilder}, {@link org.viofs.winfsp.VolumeFlag},
 * {@link org.viofs.winfsp.MountPoint}, {@link org.viofs.winfsp.MountOptions},
 * {@link org.viofs.winfsp.WinFspDllLocator}, {@link org.viofs.winfsp.Utf16},
 * {@link org.viofs.winfsp.SelfRelativeSecurityDescriptor}, {@link org.viofs.winfsp.PortableInfoBuffer},
 * {@link org.viofs.winfsp.FullEaInformation} (EA lists) and the {@code Fsp*} structures. {@link org.viofs.winfsp.WinFspHost} is tested against a recording
 * stand-in for the DLL. Windows-only: {@link org.viofs.winfsp.WinFspLibrary#load()}, and the
 * {@code WinFspHost.mount(volume, options)} entry point that uses it.
 *
 * <h2>Type mapping</h2>
 * ULONG/UINT32/NTSTATUS → int, UINT64/SIZE_T → long, BOOLEAN → byte, WCHAR[n] → byte[2n], PWSTR →
 * Pointer read and written by {@link org.viofs.winfsp.Utf16}; no NativeLong, no WString.
 */
package org.viofs.winfsp;
