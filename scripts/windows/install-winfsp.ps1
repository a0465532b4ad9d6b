<#
.SYNOPSIS
Installs the pinned WinFsp release and unpacks the winfsp-tests of the same release.

.DESCRIPTION
Downloads winfsp-VERSION.msi and winfsp-tests-VERSION.zip from the WinFsp release TAG on GitHub,
checks both against their SHA-256, installs the MSI silently (default features: Core) and unpacks
winfsp-tests-x64.exe into -TestsDir. Then it checks that WinFsp's registry key and DLL are there and
that Windows lists WinFsp at exactly VERSION. .github/workflows/windows.yml passes the same pins.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File scripts\windows\install-winfsp.ps1 -TestsDir C:\winfsp-tests
#>
[CmdletBinding()]
param(
    [string]$Tag = 'v2.1',
    [string]$Version = '2.1.25156',
    [string]$MsiHash = '073a70e00f77423e34bed98b86e600def93393ba5822204fac57a29324db9f7a',
    [string]$TestsHash = '0cfc68791703c80f96c729ebd38b63187de53e19baa1c603a7059d6ea87c5f52',
    [string]$TestsDir = (Join-Path ([IO.Path]::GetTempPath()) 'winfsp-tests'),
    [string]$Downloads = ([IO.Path]::GetTempPath())
)
. (Join-Path $PSScriptRoot 'smoke-common.ps1')
$ProgressPreference = 'SilentlyContinue'

function Get-Verified([string]$Url, [string]$File, [string]$Sha256) {
    Write-Host "downloading $Url"
    Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $File
    $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath $File).Hash.ToLowerInvariant()
    if ($actual -ne $Sha256.ToLowerInvariant()) { throw "SHA-256 of $Url is $actual, expected $Sha256" }
}

$base = "https://github.com/winfsp/winfsp/releases/download/$Tag"
$msi = Join-Path $Downloads "winfsp-$Version.msi"
$zip = Join-Path $Downloads "winfsp-tests-$Version.zip"
Get-Verified "$base/winfsp-$Version.msi" $msi $MsiHash
Get-Verified "$base/winfsp-tests-$Version.zip" $zip $TestsHash

$log = Join-Path $Downloads "winfsp-$Version-install.log"
$p = Start-Process -FilePath msiexec.exe -ArgumentList @('/i', "`"$msi`"", '/qn', '/norestart', '/l*v', "`"$log`"") -Wait -PassThru
# 3010: success, a restart is pending (the driver is usable without it)
if ($p.ExitCode -ne 0 -and $p.ExitCode -ne 3010) {
    if (Test-Path -LiteralPath $log) { Get-Content -LiteralPath $log -Tail 40 | Out-Host }
    throw "msiexec /i winfsp-$Version.msi failed with exit code $($p.ExitCode) (log: $log)"
}
$bin = Get-WinFspBin
Write-Host "WinFsp installed: $bin"
$listed = @(Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*' -ErrorAction SilentlyContinue |
    Where-Object { $_.PSObject.Properties['DisplayName'] -and $_.DisplayName -like 'WinFsp*' } |
    ForEach-Object { $v = $_.PSObject.Properties['DisplayVersion']; if ($v) { "$($_.DisplayName) $($v.Value)" } else { "$($_.DisplayName)" } })
Write-Host "installed programs named WinFsp: $($listed -join '; ')"
Assert-True (@($listed | Where-Object { $_ -like "* $Version" }).Count -ge 1) "WinFsp $Version is installed"

New-Item -ItemType Directory -Force -Path $TestsDir | Out-Null
Expand-Archive -LiteralPath $zip -DestinationPath $TestsDir -Force
$exe = Join-Path $TestsDir 'winfsp-tests-x64.exe'
Assert-True (Test-Path -LiteralPath $exe -PathType Leaf) "winfsp-tests-x64.exe of $Version is at $exe"
exit 0
