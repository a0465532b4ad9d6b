<#
.SYNOPSIS
Windows smoke "winfsp-tests": WinFsp's own test program against the binding.

.DESCRIPTION
Mounts the conformance suite's in-memory volume through WinFspHost on a free drive letter and runs
the real winfsp-tests-x64.exe (of the installed WinFsp release: scripts\windows\install-winfsp.ps1)
in a fresh directory on it, one process per case, through "viofs conformance --winfsp-tests",
judged by the known-unsupported registry (mode xattr: the in-memory volume keeps streams and EAs).
The report (JSON, Markdown, JUnit XML) goes to -Report. Exit code 0 when no case FAILs.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File scripts\windows\smoke-winfsp-tests.ps1 -WinFspTests C:\winfsp-tests\winfsp-tests-x64.exe
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$WinFspTests,
    [string]$Repo = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path,
    [string]$Report = (Join-Path (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path 'winfsp-tests-report')
)
. (Join-Path $PSScriptRoot 'smoke-common.ps1')

if (-not (Test-Path -LiteralPath $WinFspTests -PathType Leaf)) { throw "no winfsp-tests at $WinFspTests: run scripts\windows\install-winfsp.ps1" }
# winfsp-tests-x64.exe loads winfsp-x64.dll, which the WinFsp MSI does not put on PATH
$env:PATH = "$(Get-WinFspBin);$env:PATH"
New-Item -ItemType Directory -Force -Path $Report | Out-Null
$viofs = Join-Path $Repo 'bin\viofs.cmd'

$mount = Start-InMemoryMount -Repo $Repo -Seconds 3000
try {
    $dir = Join-Path "$($mount.Drive)\" 'winfsp-tests'
    New-Item -ItemType Directory -Path $dir | Out-Null
    $code = Invoke-Viofs $viofs @('conformance', '--winfsp-tests', $WinFspTests, '--dir', $dir, '--mode', 'xattr',
        '--markdown', (Join-Path $Report 'winfsp-tests.md'), '--junit', (Join-Path $Report 'winfsp-tests.xml'))
} finally {
    Stop-InMemoryMount $mount
}
Assert-True (Test-Path -LiteralPath (Join-Path $Report 'winfsp-tests.md')) "the report is in $Report"
if ($code -eq 4) { throw 'winfsp-tests: cases FAILed that the known-unsupported registry does not excuse (see the report)' }
Assert-True ($code -eq 0) "viofs conformance --winfsp-tests exited with 0 (was $code)"
Write-Host 'smoke-winfsp-tests: passed'
exit 0
