# Helpers for the Windows smoke scripts (dot-sourced: . "$PSScriptRoot\smoke-common.ps1").
# Windows PowerShell 5.1 and PowerShell 7. Every wait has a bound; every failure throws with a message.

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

function Assert-True([bool]$Condition, [string]$What) {
    if (-not $Condition) { throw "smoke check failed: $What" }
    Write-Host "ok: $What"
}

# java.exe of JAVA_HOME, else the first java.exe on PATH.
function Find-Java {
    if ($env:JAVA_HOME) {
        $j = Join-Path $env:JAVA_HOME 'bin\java.exe'
        if (Test-Path -LiteralPath $j -PathType Leaf) { return $j }
    }
    $c = Get-Command java.exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $c) { throw 'no Java: set JAVA_HOME to a JDK 17 or put java.exe on PATH' }
    return $c.Path
}

# WinFsp's bin directory (HKLM\SOFTWARE\WOW6432Node\WinFsp InstallDir + bin), which winfsp-tests needs on PATH.
function Get-WinFspBin {
    $item = Get-ItemProperty -Path 'HKLM:\SOFTWARE\WOW6432Node\WinFsp' -Name InstallDir -ErrorAction SilentlyContinue
    if ($null -eq $item) { throw 'WinFsp is not installed (no HKLM\SOFTWARE\WOW6432Node\WinFsp InstallDir): run scripts\windows\install-winfsp.ps1' }
    $bin = Join-Path $item.InstallDir 'bin'
    if (-not (Test-Path -LiteralPath (Join-Path $bin 'winfsp-x64.dll'))) { throw "winfsp-x64.dll is missing in $bin" }
    return $bin
}

# A drive letter nobody uses, counting down from Z: (as WinFsp's "*" does).
function Get-FreeDriveLetter {
    $used = @([IO.DriveInfo]::GetDrives() | ForEach-Object { $_.Name.Substring(0, 1).ToUpperInvariant() })
    foreach ($c in [char[]]'ZYXWVUTSRQPONMLKJIHGFED') {
        $l = [string]$c
        if ($used -notcontains $l) { return "${l}:" }
    }
    throw 'no free drive letter'
}

# Mounts the conformance suite's in-memory volume through WinFspHost (org.viofs.conformance.InMemoryMount,
# from winfsp-tests\target\test-classes: build first with mvn verify or mvn -DskipTests package).
# Returns @{ Process; Drive } once the drive answers.
function Start-InMemoryMount([string]$Repo, [int]$Seconds = 1800) {
    $classes = Join-Path $Repo 'winfsp-tests\target\test-classes'
    $lib = Join-Path $Repo 'installer\target\lib'
    foreach ($p in $classes, $lib) {
        if (-not (Test-Path -LiteralPath $p)) { throw "$p is missing: build first (mvn -B -DskipTests package)" }
    }
    $drive = Get-FreeDriveLetter
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = Find-Java
    $psi.Arguments = "-cp `"$classes;$lib\*`" org.viofs.conformance.InMemoryMount $drive $Seconds"
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    Write-Host "mounting the in-memory volume on $drive ($($psi.FileName) $($psi.Arguments))"
    $proc = [System.Diagnostics.Process]::Start($psi)
    $read = $proc.StandardOutput.ReadLineAsync()
    if (-not $read.Wait(120000)) {
        $proc.Kill()
        throw 'InMemoryMount printed nothing within 120 s'
    }
    $line = $read.Result
    if ($null -eq $line -or -not $line.StartsWith('MOUNTED ')) {
        $proc.WaitForExit(10000) | Out-Null
        throw "InMemoryMount did not mount: first line '$line', exit code $(if ($proc.HasExited) { $proc.ExitCode } else { 'none yet' })"
    }
    Write-Host "InMemoryMount: $line"
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (Test-Path -LiteralPath "$drive\")) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "$drive\ did not appear within 30 s after $line" }
        Start-Sleep -Milliseconds 200
    }
    return @{ Process = $proc; Drive = $drive }
}

# Asks InMemoryMount to unmount and checks that it did.
function Stop-InMemoryMount($Mount) {
    $proc = $Mount.Process
    if ($proc.HasExited) { throw "InMemoryMount had already exited with code $($proc.ExitCode)" }
    $proc.StandardInput.WriteLine('unmount')
    $proc.StandardInput.Close()
    if (-not $proc.WaitForExit(60000)) {
        $proc.Kill()
        throw 'InMemoryMount did not unmount within 60 s'
    }
    $rest = $proc.StandardOutput.ReadToEnd()
    Assert-True ($proc.ExitCode -eq 0) "InMemoryMount exited with 0 (was $($proc.ExitCode))"
    Assert-True ($rest -match 'UNMOUNTED') 'InMemoryMount reported UNMOUNTED'
    Assert-True (-not (Test-Path -LiteralPath "$($Mount.Drive)\")) "$($Mount.Drive) is gone after the unmount"
}

# Runs a viofs.cmd with arguments; native stderr must not become a PowerShell error. Returns the exit code.
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
