package org.viofs.winfsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FspLoad (docs/winfsp-native.md §3.2) with a scripted loader and registry. */
class WinFspDllLocatorTest {
    private final List<String> tried = new ArrayList<>();

    private String loader(String name, String works) {
        tried.add(name);
        if (!name.equals(works)) {
            throw new UnsatisfiedLinkError("cannot load " + name);
        }
        return name;
    }

    @Test
    void theDllNameHasAHyphen() {
        assertEquals("winfsp-x64.dll", WinFspDllLocator.dllName("amd64"));
        assertEquals("winfsp-a64.dll", WinFspDllLocator.dllName("aarch64"));
        assertEquals("winfsp-x86.dll", WinFspDllLocator.dllName("x86"));
    }

    @Test
    void theProductKeyIsUnderWow6432NodeOnX64() {
        assertEquals("Software\\WOW6432Node\\WinFsp", WinFspDllLocator.registryKey("amd64"));
        assertEquals("Software\\WinFsp", WinFspDllLocator.registryKey("x86"));
    }

    @Test
    void theSearchPathComesFirst() {
        assertEquals("winfsp-x64.dll", WinFspDllLocator.load("amd64", n -> loader(n, "winfsp-x64.dll"), () -> {
            throw new AssertionError("registry must not be read");
        }));
    }

    @Test
    void thenInstallDirPlusBin() {
        String path = "C:\\Program Files (x86)\\WinFsp\\bin\\winfsp-x64.dll";
        assertEquals(path, WinFspDllLocator.load("amd64", n -> loader(n, path),
                () -> "C:\\Program Files (x86)\\WinFsp\\"));
        assertEquals(List.of("winfsp-x64.dll", path), tried);
        assertEquals(path, WinFspDllLocator.pathFromInstallDir("C:\\Program Files (x86)\\WinFsp", "winfsp-x64.dll"));
    }

    @Test
    void aMissingInstallationSaysSo() {
        WinFspNotInstalledException e = assertThrows(WinFspNotInstalledException.class,
                () -> WinFspDllLocator.load("amd64", n -> loader(n, "none"), () -> null));
        assertTrue(e.getMessage().startsWith("WinFsp is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("HKLM\\Software\\WOW6432Node\\WinFsp\\InstallDir"), e.getMessage());
    }

    @Test
    void aBrokenInstallationSaysWhatWasTried() {
        WinFspNotInstalledException e = assertThrows(WinFspNotInstalledException.class,
                () -> WinFspDllLocator.load("amd64", n -> loader(n, "none"), () -> "D:\\WinFsp\\"));
        assertTrue(e.getMessage().contains("D:\\WinFsp\\bin\\winfsp-x64.dll"), e.getMessage());
    }
}
