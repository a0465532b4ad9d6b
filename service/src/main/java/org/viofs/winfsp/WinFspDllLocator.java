package org.viofs.winfsp;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * FspLoad restated (docs/winfsp-native.md §3.2): load the DLL by name from the normal search path; if
 * that fails, read REG_SZ {@code InstallDir} from the WinFsp product key under HKLM, append
 * {@code bin\} and the DLL name, and load that. Pure Java: the loader and the registry read are given.
 */
public final class WinFspDllLocator {
    private WinFspDllLocator() {
    }

    /** The registry value holding WinFsp's install directory. */
    public static final String INSTALL_DIR_VALUE = "InstallDir";

    /** The DLL of the JVM's architecture: {@code winfsp-x64.dll} (hyphen), -a64 or -x86. */
    public static String dllName(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        if (a.equals("amd64") || a.equals("x86_64")) {
            return "winfsp-x64.dll";
        }
        if (a.equals("aarch64") || a.equals("arm64")) {
            return "winfsp-a64.dll";
        }
        if (a.equals("x86") || a.equals("i386") || a.equals("i686")) {
            return "winfsp-x86.dll";
        }
        throw new WinFspNotInstalledException("WinFsp has no DLL for architecture " + osArch, null);
    }

    /** {@code FSP_FSCTL_PRODUCT_FULL_REGKEY} under HKLM: WOW6432Node except for the x86 build. */
    public static String registryKey(String osArch) {
        return dllName(osArch).equals("winfsp-x86.dll") ? "Software\\WinFsp" : "Software\\WOW6432Node\\WinFsp";
    }

    /** {@code InstallDir + bin\ + dll}, with the separator InstallDir may lack. */
    public static String pathFromInstallDir(String installDir, String dllName) {
        String dir = installDir.endsWith("\\") || installDir.endsWith("/") ? installDir : installDir + "\\";
        return dir + "bin\\" + dllName;
    }

    /**
     * @param osArch     {@code System.getProperty("os.arch")}
     * @param loader     loads a DLL by name or absolute path; throws {@link UnsatisfiedLinkError} on failure
     * @param installDir reads InstallDir from {@link #registryKey}; null when the value is missing
     * @throws WinFspNotInstalledException saying what was tried
     */
    public static <T> T load(String osArch, Function<String, T> loader, Supplier<String> installDir) {
        String dll = dllName(osArch);
        UnsatisfiedLinkError first;
        try {
            return loader.apply(dll);
        } catch (UnsatisfiedLinkError e) {
            first = e;
        }
        String dir = installDir.get();
        if (dir == null || dir.isBlank()) {
            WinFspNotInstalledException missing = new WinFspNotInstalledException("WinFsp is not installed: " + dll
                    + " is not on the DLL search path and HKLM\\" + registryKey(osArch) + "\\" + INSTALL_DIR_VALUE
                    + " is missing. Install WinFsp from https://winfsp.dev/rel/ (viofs needs its native API DLL)",
                    first);
            throw missing;
        }
        String path = pathFromInstallDir(dir, dll);
        try {
            return loader.apply(path);
        } catch (UnsatisfiedLinkError e) {
            e.addSuppressed(first);
            throw new WinFspNotInstalledException("WinFsp looks installed (HKLM\\" + registryKey(osArch) + "\\"
                    + INSTALL_DIR_VALUE + " = " + dir + ") but " + path + " could not be loaded: " + e.getMessage()
                    + ". Repair or reinstall WinFsp", e);
        }
    }
}
