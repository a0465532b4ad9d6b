<#
.SYNOPSIS
Builds viofs-VERSION-windows-x64.msi from the zip with WiX v5 (installer\src\main\wix\viofs.wxs).

.DESCRIPTION
Unpacks installer\target\viofs-VERSION-windows-x64.zip, writes files.wxs (one component per file),
installs the WiX .NET tool at the pinned version if "wix" is missing, and builds the MSI into
installer\target. Needs the .NET SDK (dotnet) and a zip built on Windows (with runtime\).

.EXAMPLE
powershell -ExecutionPolicy Bypass -File scripts\windows\build-msi.ps1
#>
[CmdletBinding()]
param(
    [string]$Repo = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path,
    [string]$WixVersion = '5.0.2'
)
. (Join-Path $PSScriptRoot 'smoke-common.ps1')

$target = Join-Path $Repo 'installer\target'
$zip = @(Get-ChildItem -Path $target -Filter 'viofs-*-windows-x64.zip')
Assert-True ($zip.Count -eq 1) "one package in $target ($($zip.Count) found)"
$name = [IO.Path]::GetFileNameWithoutExtension($zip[0].Name)
# the MSI's ProductVersion is numeric: 0.1.0-SNAPSHOT becomes 0.1.0
$version = ($name -replace '^viofs-', '' -replace '-windows-x64$', '' -replace '-.*$', '')
Assert-True ($version -match '^\d+\.\d+\.\d+$') "MSI version $version"
$staging = Join-Path $target 'msi-staging'
if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
Expand-Archive -LiteralPath $zip[0].FullName -DestinationPath $staging
Assert-True (Test-Path -LiteralPath (Join-Path $staging 'runtime\bin\java.exe')) 'the zip carries runtime\ (built on Windows)'

$xml = New-Object System.Text.StringBuilder
[void]$xml.AppendLine('<?xml version="1.0" encoding="UTF-8"?>')
[void]$xml.AppendLine('<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs"><Fragment><ComponentGroup Id="ViofsFiles" Directory="INSTALLFOLDER">')
foreach ($f in Get-ChildItem -LiteralPath $staging -Recurse -File) {
    $rel = $f.FullName.Substring($staging.Length + 1)
    $sub = Split-Path -Parent $rel
    $src = [Security.SecurityElement]::Escape($f.FullName)
    if ($sub) {
        [void]$xml.AppendLine("<Component Subdirectory=`"$([Security.SecurityElement]::Escape($sub))`"><File Source=`"$src`" /></Component>")
    } else {
        [void]$xml.AppendLine("<Component><File Source=`"$src`" /></Component>")
    }
}
[void]$xml.AppendLine('</ComponentGroup></Fragment></Wix>')
$files = Join-Path $target 'files.wxs'
[IO.File]::WriteAllText($files, $xml.ToString())

if ($null -eq (Get-Command wix -ErrorAction SilentlyContinue)) {
    & dotnet tool install --global wix --version $WixVersion | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet tool install wix $WixVersion failed" }
    $env:PATH = "$env:PATH;$(Join-Path $env:USERPROFILE '.dotnet\tools')"
}
$msi = Join-Path $target "$name.msi"
& wix build -arch x64 -d "Version=$version" -o $msi (Join-Path $Repo 'installer\src\main\wix\viofs.wxs') $files | Out-Host
if ($LASTEXITCODE -ne 0) { throw "wix build failed (exit $LASTEXITCODE)" }
Assert-True (Test-Path -LiteralPath $msi) "built $msi"
exit 0
