<#
.SYNOPSIS
Windows smoke "binding": the JNA binding against the real WinFsp.

.DESCRIPTION
Mounts the conformance suite's in-memory volume through WinFspHost on a free drive letter, then
creates, writes, reads, renames, lists and deletes files, a directory and a named stream on it
with PowerShell, and unmounts. Needs WinFsp and a build (mvn -B -DskipTests package, or mvn verify).
Exit code 0 when every step did what it should.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File scripts\windows\smoke-binding.ps1
#>
[CmdletBinding()]
param(
    [string]$Repo = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
)
. (Join-Path $PSScriptRoot 'smoke-common.ps1')

Get-WinFspBin | Out-Null
$mount = Start-InMemoryMount -Repo $Repo -Seconds 900
try {
    $root = "$($mount.Drive)\"
    $file = Join-Path $root 'smoke.txt'

    Set-Content -LiteralPath $file -Value 'hello viofs' -NoNewline -Encoding Ascii
    Assert-True (Test-Path -LiteralPath $file -PathType Leaf) 'created smoke.txt'
    Assert-True ((Get-Content -LiteralPath $file -Raw) -eq 'hello viofs') 'read back what was written'
    Add-Content -LiteralPath $file -Value ', again' -NoNewline -Encoding Ascii
    Assert-True ((Get-Item -LiteralPath $file).Length -eq 18) 'an append grew the file to 18 bytes'
    $bytes = [IO.File]::ReadAllBytes($file)
    Assert-True ([Text.Encoding]::ASCII.GetString($bytes) -eq 'hello viofs, again') 'read the whole file with .NET'

    $dir = Join-Path $root 'dir'
    New-Item -ItemType Directory -Path $dir | Out-Null
    foreach ($i in 1..5) { Set-Content -LiteralPath (Join-Path $dir "f$i.txt") -Value "n$i" -Encoding Ascii }
    $names = @(Get-ChildItem -LiteralPath $dir | ForEach-Object { $_.Name } | Sort-Object)
    Assert-True (($names -join ',') -eq 'f1.txt,f2.txt,f3.txt,f4.txt,f5.txt') "listed dir: $($names -join ',')"
    $top = @(Get-ChildItem -LiteralPath $root | ForEach-Object { $_.Name } | Sort-Object)
    Assert-True (($top -join ',') -eq 'dir,smoke.txt') "listed the root: $($top -join ',')"

    $renamed = Join-Path $root 'renamed.txt'
    Rename-Item -LiteralPath $file -NewName 'renamed.txt'
    Assert-True (-not (Test-Path -LiteralPath $file)) 'the old name is gone after the rename'
    Assert-True ((Get-Content -LiteralPath $renamed -Raw) -eq 'hello viofs, again') 'the new name has the content'
    Move-Item -LiteralPath (Join-Path $dir 'f5.txt') -Destination (Join-Path $root 'moved.txt')
    Assert-True (Test-Path -LiteralPath (Join-Path $root 'moved.txt')) 'moved a file to another directory'

    Set-Content -LiteralPath $renamed -Stream 'viofs' -Value 'stream data' -Encoding Ascii
    Assert-True ((Get-Content -LiteralPath $renamed -Stream 'viofs' -Raw).TrimEnd() -eq 'stream data') 'read the named stream back'
    $streams = @(Get-Item -LiteralPath $renamed -Stream * | ForEach-Object { $_.Stream })
    Assert-True ($streams -contains 'viofs') "the stream is listed: $($streams -join ',')"
    Assert-True ((Get-Content -LiteralPath $renamed -Raw) -eq 'hello viofs, again') 'the main stream is unchanged'
    Remove-Item -LiteralPath $renamed -Stream 'viofs'
    $streams = @(Get-Item -LiteralPath $renamed -Stream * | ForEach-Object { $_.Stream })
    Assert-True (-not ($streams -contains 'viofs')) 'the stream is gone after deleting it'

    Remove-Item -LiteralPath $renamed
    Remove-Item -LiteralPath (Join-Path $root 'moved.txt')
    Remove-Item -LiteralPath $dir -Recurse
    Assert-True (@(Get-ChildItem -LiteralPath $root -Force).Count -eq 0) 'the root is empty after the deletes'
} finally {
    Stop-InMemoryMount $mount
}
Write-Host 'smoke-binding: passed'
exit 0
