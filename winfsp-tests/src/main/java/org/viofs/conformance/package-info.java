/**
 * Conformance: WinFsp's winfsp-tests cases ({@code docs/winfsp-native.md §4.2}) restated in Java and
 * run against the volume on Linux, plus the runner for the real {@code winfsp-tests-x64.exe} on Windows.
 *
 * <ul>
 *   <li>{@link org.viofs.conformance.Win32Facade}: the Win32 calls the cases make (CreateFileW,
 *       MoveFileExW, FindFirstFileW, …), each turned into the callback sequence WinFsp's DLL and FSD
 *       would issue to {@link org.viofs.volume.VolumeOperations}, with the checks the FSD makes itself
 *       (share modes, access, delete-pending, name rules).</li>
 *   <li>The cases, one class per winfsp-tests source file ({@code CreateCases}, {@code InfoCases},
 *       {@code RdwrCases}, {@code DirctlCases}, …), listed in {@link org.viofs.conformance.ConformanceCatalog}
 *       under their upstream names.</li>
 *   <li>{@link org.viofs.conformance.ConformanceSuite} runs them, each in a fresh directory with a bound
 *       on its time; {@link org.viofs.conformance.KnownUnsupported} records which cases are expected to
 *       fail and how; {@link org.viofs.conformance.ConformanceReport} is the result.</li>
 *   <li>{@link org.viofs.conformance.ConformanceCommand}: {@code viofs conformance}.
 *       {@link org.viofs.conformance.WinfspTestsRunner} and {@link org.viofs.conformance.WinfspTestsOutput}
 *       start the real program and read its output ({@code docs/winfsp-native.md §4.1}).</li>
 * </ul>
 */
package org.viofs.conformance;
