<#
.SYNOPSIS
Windows smoke "service": the package's install.ps1 and uninstall.ps1 with the real SCM.

.DESCRIPTION
Unpacks viofs-VERSION-windows-x64.zip (installer\target), runs install.ps1 -WhatIf (nothing may
change), install.ps1 -NoDriver (this machine has no viofs.sys), checks that ViofsSvc runs with no
virtio-fs device and that "viofs status" says it is waiting for devices, runs install.ps1 again (an
upgrade in place), stops the service with "viofs stop", runs uninstall.ps1 and checks that no
service, no files and no Event Log source are left, and that the configuration key is kept until
uninstall.ps1 -RemoveConfiguration. Each script runs in Windows PowerShell 5.1, as an administrator
would run it. Needs administrator rights and WinFsp. Exit code 0 when every check held.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File scripts\windows\smoke-service.ps1
#>
[CmdletBinding()]
param(
    [string]$Repo = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path,
    [string]$InstallDir = (Join-Path $env:ProgramFiles 'viofs')
)
. (Join-Path $PSScriptRoot 'smoke-common.ps1')

$ServiceName = 'ViofsSvc'
$EventSource = 'viofs'
$ConfigKey = 'HKLM:\Software\VirtIO-FS'
$powershell = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'

function Invoke-Script([string]$Script, [string[]]$Arguments) {
    Write-Host "> $Script $($Arguments -join ' ')"
    $saved = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        & $powershell -NoProfile -ExecutionPolicy Bypass -File $Script @Arguments | Out-Host
        return $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $saved
    }
}

Get-WinFspBin | Out-Null
Assert-True ($null -eq (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) "no $ServiceName before the test"
$zip = @(Get-ChildItem -Path (Join-Path $Repo 'installer\target') -Filter 'viofs-*-windows-x64.zip')
Assert-True ($zip.Count -eq 1) "one package in installer\target ($($zip.Count) found)"
$package = Join-Path ([IO.Path]::GetTempPath()) 'viofs-package'
if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package -Recurse -Force }
Expand-Archive -LiteralPath $zip[0].FullName -DestinationPath $package

$code = Invoke-Script (Join-Path $package 'install.ps1') @('-WhatIf', '-NoDriver', '-InstallDir', $InstallDir)
Assert-True ($code -eq 0) "install.ps1 -WhatIf exited with 0 (was $code)"
Assert-True ($null -eq (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) '-WhatIf registered no service'
Assert-True (-not (Test-Path -LiteralPath $InstallDir)) '-WhatIf copied no files'

$code = Invoke-Script (Join-Path $package 'install.ps1') @('-NoDriver', '-InstallDir', $InstallDir)
Assert-True ($code -eq 0) "install.ps1 exited with 0 (was $code)"
$svc = Get-Service -Name $ServiceName
Assert-True ($svc.Status -eq 'Running') "$ServiceName is running with no virtio-fs device (status $($svc.Status))"
Assert-True ([System.Diagnostics.EventLog]::SourceExists($EventSource)) "the Event Log source $EventSource exists"
Assert-True (Test-Path -LiteralPath $ConfigKey) "$ConfigKey exists"

$viofs = Join-Path $InstallDir 'bin\viofs.cmd'
$saved = $ErrorActionPreference
$ErrorActionPreference = 'Continue'
$status = (& $viofs status 2>&1 | ForEach-Object { "$_" }) -join "`n"
$statusCode = $LASTEXITCODE
$ErrorActionPreference = $saved
Write-Host $status
Assert-True ($statusCode -eq 0) "viofs status exited with 0 (was $statusCode)"
Assert-True ($status -match 'waiting for a virtio-fs device') 'viofs status says the service is waiting for devices'

$code = Invoke-Script (Join-Path $package 'install.ps1') @('-NoDriver', '-InstallDir', $InstallDir)
Assert-True ($code -eq 0) "install.ps1 again (upgrade in place) exited with 0 (was $code)"
$svc.Refresh()
Assert-True ($svc.Status -eq 'Running') "$ServiceName runs again after the upgrade"

$code = Invoke-Viofs $viofs @('stop')
Assert-True ($code -eq 0) "viofs stop exited with 0 (was $code)"
$svc.Refresh()
$svc.WaitForStatus('Stopped', [TimeSpan]::FromSeconds(90))
Assert-True ($svc.Status -eq 'Stopped') "$ServiceName is stopped"

$code = Invoke-Script (Join-Path $InstallDir 'uninstall.ps1') @('-InstallDir', $InstallDir)
Assert-True ($code -eq 0) "uninstall.ps1 exited with 0 (was $code)"
Assert-True ($null -eq (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) "no service $ServiceName is left"
Assert-True (-not (Test-Path -LiteralPath $InstallDir)) "no files are left in $InstallDir"
Assert-True (-not [System.Diagnostics.EventLog]::SourceExists($EventSource)) "no Event Log source $EventSource is left"
Assert-True (Test-Path -LiteralPath $ConfigKey) "$ConfigKey is kept without -RemoveConfiguration"

$code = Invoke-Script (Join-Path $package 'uninstall.ps1') @('-InstallDir', $InstallDir, '-RemoveConfiguration')
Assert-True ($code -eq 0) "uninstall.ps1 -RemoveConfiguration exited with 0 (was $code)"
Assert-True (-not (Test-Path -LiteralPath $ConfigKey)) "$ConfigKey is gone with -RemoveConfiguration"
Write-Host 'smoke-service: passed'
exit 0
