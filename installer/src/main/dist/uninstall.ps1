<#
.SYNOPSIS
Removes viofs: the service ViofsSvc, the files and the Event Log source "viofs".

.DESCRIPTION
Run in an administrator PowerShell (Windows PowerShell 5.1 or PowerShell 7). It stops the service,
runs "viofs uninstall" (which removes it from the SCM), waits until the SCM has let it go, removes
the Event Log source and the files. The configuration under HKLM\Software\VirtIO-FS stays unless
-RemoveConfiguration is given.

Exit codes: 0 done, 1 a step failed, 5 not run as administrator.

.PARAMETER InstallDir
Where viofs was installed (default: "$env:ProgramFiles\viofs").

.PARAMETER RemoveConfiguration
Also deletes HKLM\Software\VirtIO-FS (the configuration virtio-win's VirtioFsSvc reads too).

.EXAMPLE
powershell -ExecutionPolicy Bypass -File "C:\Program Files\viofs\uninstall.ps1" -WhatIf
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$InstallDir = (Join-Path $env:ProgramFiles 'viofs'),
    [switch]$RemoveConfiguration
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$ServiceName = 'ViofsSvc'
$EventSource = 'viofs'
$ConfigKey = 'HKLM:\Software\VirtIO-FS'
$ServiceWait = [TimeSpan]::FromSeconds(90)

function Stop-Failed([string]$What, [int]$Code = 1) {
    [Console]::Error.WriteLine("uninstall.ps1: $What")
    exit $Code
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

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Stop-Failed 'needs administrator rights: run it from a PowerShell started with "Run as administrator"' 5
}

$viofs = Join-Path $InstallDir 'bin\viofs.cmd'
$haveViofs = Test-Path -LiteralPath $viofs -PathType Leaf
$svc = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue

if ($null -ne $svc) {
    if ($WhatIfPreference -and $haveViofs) {
        Write-Host "uninstall.ps1: what viofs uninstall would do to the SCM and the registry:"
        $code = Invoke-Viofs $viofs @('uninstall', '--dry-run')
        if ($code -ne 0) { Stop-Failed "viofs uninstall --dry-run failed (exit $code)" }
    }
    if ($svc.Status -ne 'Stopped' -and $PSCmdlet.ShouldProcess($ServiceName, 'stop the service')) {
        if ($haveViofs) {
            $code = Invoke-Viofs $viofs @('stop')
            if ($code -ne 0) { Stop-Failed "viofs stop failed (exit $code)" }
        } else {
            $svc.Stop()
        }
        $svc.Refresh()
        $svc.WaitForStatus('Stopped', $ServiceWait)
    }
    if ($PSCmdlet.ShouldProcess($ServiceName, 'remove the service from the SCM')) {
        if ($haveViofs) {
            $code = Invoke-Viofs $viofs @('uninstall')
            if ($code -ne 0) { Stop-Failed "viofs uninstall failed (exit $code)" }
        } else {
            # the files are gone already: the SCM's own tool
            & sc.exe delete $ServiceName | Out-Host
            if ($LASTEXITCODE -ne 0) { Stop-Failed "sc.exe delete $ServiceName failed (exit $LASTEXITCODE)" }
        }
        # DeleteService only marks the service; it goes when the last handle to it closes
        $deadline = [DateTime]::UtcNow.Add($ServiceWait)
        while ($null -ne (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) {
            if ([DateTime]::UtcNow -gt $deadline) {
                Stop-Failed "the SCM still lists $ServiceName after $($ServiceWait.TotalSeconds) s: close every program that has it open (services.msc, Event Viewer) and run uninstall.ps1 again"
            }
            Start-Sleep -Milliseconds 500
        }
    }
} else {
    Write-Host "uninstall.ps1: no service $ServiceName"
}

if ([System.Diagnostics.EventLog]::SourceExists($EventSource)) {
    if ($PSCmdlet.ShouldProcess($EventSource, 'remove the Event Log source')) {
        [System.Diagnostics.EventLog]::DeleteEventSource($EventSource)
    }
}

if (Test-Path -LiteralPath $InstallDir) {
    if ($PSCmdlet.ShouldProcess($InstallDir, 'remove the files')) {
        # a shell whose current directory is inside would keep the folder
        Set-Location -LiteralPath ([IO.Path]::GetTempPath())
        Remove-Item -LiteralPath $InstallDir -Recurse -Force
    }
}

if ($RemoveConfiguration) {
    if ((Test-Path -LiteralPath $ConfigKey) -and $PSCmdlet.ShouldProcess($ConfigKey, 'remove the configuration')) {
        Remove-Item -LiteralPath $ConfigKey -Recurse -Force
    }
} elseif (Test-Path -LiteralPath $ConfigKey) {
    Write-Host "uninstall.ps1: kept the configuration $ConfigKey (-RemoveConfiguration deletes it)"
}
if (-not $WhatIfPreference) {
    Write-Host "uninstall.ps1: viofs removed"
}
exit 0
