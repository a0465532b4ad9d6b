<#
.SYNOPSIS
Installs viofs (or upgrades it in place) and starts the service ViofsSvc.

.DESCRIPTION
Run from the unpacked viofs-VERSION-windows-x64.zip, in an administrator PowerShell
(Windows PowerShell 5.1 or PowerShell 7). It checks, each with one message naming what is missing
and where to get it: administrator rights, 64-bit Windows, WinFsp (registry key and DLL), virtio-win's
viofs.sys (service VirtioFsDrv) and Java 17 or newer. Then it copies the files to -InstallDir, runs
"viofs install" (the SCM service and its registry values, printed beforehand by
"viofs install --dry-run"), makes sure the Event Log source "viofs" exists and starts the service.
Run again, it upgrades: stop, replace the files, install, start. The configuration under
HKLM\Software\VirtIO-FS is never touched.

Exit codes: 0 done, 1 a step failed, 5 something needed is missing.

.PARAMETER InstallDir
Where the files go (default: "$env:ProgramFiles\viofs").

.PARAMETER NoDriver
For a machine without virtio-fs (a test machine, CI): skips the viofs.sys check and registers the
service without its dependency on VirtioFsDrv, which could then never start. The service runs and
waits for devices.

.PARAMETER NoStart
Installs without starting the service.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File .\install.ps1 -WhatIf
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$InstallDir = (Join-Path $env:ProgramFiles 'viofs'),
    [switch]$NoDriver,
    [switch]$NoStart
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$ServiceName = 'ViofsSvc'
$EventSource = 'viofs'
$DriverService = 'VirtioFsDrv'
$WinFspKey = 'HKLM:\SOFTWARE\WOW6432Node\WinFsp'
$Package = $PSScriptRoot
$ServiceWait = [TimeSpan]::FromSeconds(90)

function Stop-Missing([string]$What) {
    [Console]::Error.WriteLine("install.ps1: $What")
    exit 5
}

function Stop-Failed([string]$What) {
    [Console]::Error.WriteLine("install.ps1: $What")
    exit 1
}

# Runs viofs.cmd with the given arguments; native stderr must not become a PowerShell error.
function Invoke-Viofs([string]$Cmd, [string[]]$Arguments) {
    $saved = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        & $Cmd @Arguments | Out-Host
        return $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $saved
    }
}

# The java.specification.version major of a java.exe, or 0.
function Get-JavaMajor([string]$Java) {
    if (-not (Test-Path -LiteralPath $Java -PathType Leaf)) { return 0 }
    $saved = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $lines = & $Java -XshowSettings:properties -version 2>&1 | ForEach-Object { "$_" }
    } finally {
        $ErrorActionPreference = $saved
    }
    foreach ($line in $lines) {
        if ($line -match '^\s*java\.specification\.version\s*=\s*(\d+)') { return [int]$Matches[1] }
    }
    return 0
}

# --- checks -----------------------------------------------------------------------------------
$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Stop-Missing 'needs administrator rights: run it from a PowerShell started with "Run as administrator"'
}
if (-not [Environment]::Is64BitOperatingSystem) {
    Stop-Missing 'needs 64-bit Windows (this package is windows-x64)'
}
if (-not [Environment]::Is64BitProcess) {
    Stop-Missing 'runs in a 32-bit PowerShell: start the 64-bit one (%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe)'
}
$winfspDir = $null
$winfspItem = Get-ItemProperty -Path $WinFspKey -Name InstallDir -ErrorAction SilentlyContinue
if ($null -ne $winfspItem) { $winfspDir = $winfspItem.InstallDir }
if (-not $winfspDir) {
    Stop-Missing "WinFsp is not installed (no InstallDir under $WinFspKey): install WinFsp 2.x from https://winfsp.dev/rel/"
}
$winfspDll = Join-Path $winfspDir 'bin\winfsp-x64.dll'
if (-not (Test-Path -LiteralPath $winfspDll -PathType Leaf)) {
    Stop-Missing "WinFsp is incomplete ($winfspDll is missing): reinstall WinFsp 2.x from https://winfsp.dev/rel/"
}
if (-not $NoDriver) {
    if ($null -eq (Get-Service -Name $DriverService -ErrorAction SilentlyContinue)) {
        Stop-Missing "virtio-win's viofs.sys is not installed (no service $DriverService): install the viofs driver from virtio-win (virtio-win-guest-tools.exe, or the viofs folder of virtio-win.iso)"
    }
}
foreach ($dir in 'lib', 'bin') {
    if (-not (Test-Path -LiteralPath (Join-Path $Package $dir))) {
        Stop-Failed "run install.ps1 from the unpacked viofs zip: $Package\$dir is missing"
    }
}
if ((Test-Path -LiteralPath $InstallDir) -and ((Resolve-Path -LiteralPath $Package).Path -eq (Resolve-Path -LiteralPath $InstallDir).Path)) {
    Stop-Failed "run install.ps1 from the unpacked viofs zip, not from $InstallDir"
}
$javaFound = $null
$bundled = Join-Path $Package 'runtime\bin\java.exe'
if (Test-Path -LiteralPath $bundled -PathType Leaf) {
    $javaFound = $bundled
} else {
    $candidates = @()
    if ($env:JAVA_HOME) { $candidates += (Join-Path $env:JAVA_HOME 'bin\java.exe') }
    $candidates += @(Get-Command java.exe -CommandType Application -All -ErrorAction SilentlyContinue | ForEach-Object { $_.Path })
    foreach ($c in $candidates) {
        if ((Get-JavaMajor $c) -ge 17) { $javaFound = $c; break }
    }
}
if (-not $javaFound) {
    Stop-Missing 'needs Java 17 or newer: this package has no runtime\ and neither JAVA_HOME nor PATH has one; install e.g. Eclipse Temurin 17 (https://adoptium.net) and set JAVA_HOME'
}
Write-Host "install.ps1: WinFsp at $winfspDir, Java $javaFound"

# --- the plan ---------------------------------------------------------------------------------
$packageViofs = Join-Path $Package 'bin\viofs.cmd'
$installedViofs = Join-Path $InstallDir 'bin\viofs.cmd'
$existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($WhatIfPreference) {
    Write-Host "install.ps1: what viofs install would do to the SCM and the registry:"
    $code = Invoke-Viofs $packageViofs @('install', '--dry-run')
    if ($code -ne 0) { Stop-Failed "viofs install --dry-run failed (exit $code)" }
}

# --- upgrade: stop what runs ------------------------------------------------------------------
if ($null -ne $existing -and $existing.Status -ne 'Stopped') {
    if ($PSCmdlet.ShouldProcess($ServiceName, 'stop the service for the upgrade')) {
        $code = Invoke-Viofs $installedViofs @('stop')
        if ($code -ne 0) { Stop-Failed "viofs stop failed (exit $code)" }
        $existing.Refresh()
        $existing.WaitForStatus('Stopped', $ServiceWait)
    }
}

# --- files: lib\ and runtime\ are replaced whole, so no jar of an older version stays ----------
if ($PSCmdlet.ShouldProcess($InstallDir, 'copy lib\, runtime\, bin\, the scripts and licences')) {
    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    foreach ($dir in 'lib', 'runtime', 'bin', 'licences') {
        $target = Join-Path $InstallDir $dir
        if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
        $source = Join-Path $Package $dir
        if (Test-Path -LiteralPath $source) { Copy-Item -LiteralPath $source -Destination $target -Recurse -Force }
    }
    foreach ($file in 'install.ps1', 'uninstall.ps1', 'QUICKSTART.txt') {
        Copy-Item -LiteralPath (Join-Path $Package $file) -Destination $InstallDir -Force
    }
}

# --- the service ------------------------------------------------------------------------------
if ($PSCmdlet.ShouldProcess($ServiceName, 'viofs install (SCM service, Event Log and configuration keys)')) {
    $code = Invoke-Viofs $installedViofs @('install')
    if ($code -ne 0) { Stop-Failed "viofs install failed (exit $code)" }
    if ($NoDriver) {
        # the plan's dependencies without the driver's service
        $planText = (& $installedViofs install --dry-run --json | Out-String)
        if ($LASTEXITCODE -ne 0) { Stop-Failed "viofs install --dry-run --json failed (exit $LASTEXITCODE)" }
        $plan = $planText | ConvertFrom-Json
        $deps = @($plan.dependencies | Where-Object { $_ -ne $DriverService })
        $depend = if ($deps.Count -gt 0) { $deps -join '/' } else { '/' }
        Write-Host "install.ps1: -NoDriver: the service depends on $depend only"
        & sc.exe config $ServiceName depend= $depend | Out-Host
        if ($LASTEXITCODE -ne 0) { Stop-Failed "sc.exe config $ServiceName depend= $depend failed (exit $LASTEXITCODE)" }
    }
}
if ($PSCmdlet.ShouldProcess($EventSource, 'register the Event Log source (Application log) if viofs install did not')) {
    if (-not [System.Diagnostics.EventLog]::SourceExists($EventSource)) {
        [System.Diagnostics.EventLog]::CreateEventSource($EventSource, 'Application')
    }
    if (-not [System.Diagnostics.EventLog]::SourceExists($EventSource)) {
        Stop-Failed "the Event Log source $EventSource could not be registered"
    }
}
if (-not $NoStart) {
    if ($PSCmdlet.ShouldProcess($ServiceName, 'start the service')) {
        $code = Invoke-Viofs $installedViofs @('start')
        if ($code -ne 0) { Stop-Failed "viofs start failed (exit $code); see the Application log, source $EventSource" }
        $svc = Get-Service -Name $ServiceName
        $svc.WaitForStatus('Running', $ServiceWait)
    }
}
if (-not $WhatIfPreference) {
    $verb = 'installed'
    if ($null -ne $existing) { $verb = 'upgraded' }
    Write-Host "install.ps1: viofs $verb in $InstallDir; service $ServiceName; configuration: HKLM\Software\VirtIO-FS"
}
exit 0
