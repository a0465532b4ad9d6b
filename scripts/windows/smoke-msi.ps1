<#
.SYNOPSIS
Windows smoke "msi": the MSI installs and removes viofs the way install.ps1 / uninstall.ps1 do.

.DESCRIPTION
Installs installer\target\viofs-VERSION-windows-x64.msi silently with NOSTART=1 (this machine has no
viofs.sys, so the service's dependency could not start), checks that ViofsSvc is registered, the
files are in "Program Files\viofs" and the Event Log source exists, removes the MSI and checks that
nothing is left. Needs administrator rights. Exit code 0 when every check held.
#>
[CmdletBinding()]
param(
    [string]$Repo = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
)
. (Join-Path $PSScriptRoot 'smoke-common.ps1')

$msi = @(Get-ChildItem -Path (Join-Path $Repo 'installer\target') -Filter 'viofs-*-windows-x64.msi')
Assert-True ($msi.Count -eq 1) "one MSI in installer\target ($($msi.Count) found)"
$dir = Join-Path $env:ProgramFiles 'viofs'
$log = Join-Path ([IO.Path]::GetTempPath()) 'viofs-msi.log'

function Invoke-Msiexec([string[]]$Arguments) {
    $p = Start-Process -FilePath msiexec.exe -ArgumentList $Arguments -Wait -PassThru
    if ($p.ExitCode -ne 0) {
        if (Test-Path -LiteralPath $log) { Get-Content -LiteralPath $log -Tail 60 | Out-Host }
        throw "msiexec $($Arguments -join ' ') failed with exit code $($p.ExitCode)"
    }
}

Invoke-Msiexec @('/i', "`"$($msi[0].FullName)`"", '/qn', 'NOSTART=1', '/l*v', "`"$log`"")
Assert-True ($null -ne (Get-Service -Name 'ViofsSvc' -ErrorAction SilentlyContinue)) 'the MSI registered ViofsSvc'
Assert-True (Test-Path -LiteralPath (Join-Path $dir 'bin\viofs.cmd')) "the MSI put the files in $dir"
Assert-True ([System.Diagnostics.EventLog]::SourceExists('viofs')) 'the Event Log source viofs exists'

Invoke-Msiexec @('/x', "`"$($msi[0].FullName)`"", '/qn', '/l*v', "`"$log`"")
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while ($null -ne (Get-Service -Name 'ViofsSvc' -ErrorAction SilentlyContinue)) {
    if ([DateTime]::UtcNow -gt $deadline) { throw 'ViofsSvc is still listed 60 s after the MSI was removed' }
    Start-Sleep -Milliseconds 500
}
Write-Host 'ok: removing the MSI removed ViofsSvc'
Assert-True (-not (Test-Path -LiteralPath (Join-Path $dir 'bin\viofs.cmd'))) "removing the MSI removed the files"
Assert-True (-not [System.Diagnostics.EventLog]::SourceExists('viofs')) 'removing the MSI removed the Event Log source'
Write-Host 'smoke-msi: passed'
exit 0
