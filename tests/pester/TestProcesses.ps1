# Dot-sourced by TestSupport.psm1 (its functions are the module's): running things as a user sees them, in a child
# pwsh of this version (its output, or its exit when it kills itself), in this process with the host's own output
# read back from a transcript, or in a runspace of this process stopped as Ctrl+C stops it (with a temp folder of its
# own, in which to look for what a stopped download left).

function Get-TestPowerShellCommand {
    <#
    How to start a pwsh of this version: the executable, then the arguments before pwsh's own (none, or pwsh.dll when
    this is 'dotnet pwsh', whose process is dotnet itself). Written as two values for one assignment:
        $process, $prefix = Get-TestPowerShellCommand
    #>
    $process = (Get-Process -Id $PID).Path
    $process
    , @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
}

function Invoke-TestChildUntilKilled {
    <#
    Runs -Script in a child pwsh process of this version, the real pwsh (not a 'dotnet pwsh' launcher), for scripts that
    end themselves with kill -9 at some point; returns its exit code (137 for SIGKILL). Its output goes to a file.
    #>
    param([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string] $WorkDirectory, [int] $TimeoutSec = 120)
    $file = Join-Path $WorkDirectory ('killed-' + [guid]::NewGuid().ToString('n').Substring(0, 8) + '.ps1')
    Set-Content -LiteralPath $file -Value $Script
    $process, $prefix = Get-TestPowerShellCommand
    $child = Start-Process -FilePath $process -ArgumentList (@($prefix) + @('-NoProfile', '-NonInteractive', '-File', $file)) -PassThru -RedirectStandardOutput "$file.out"
    if (-not $child.WaitForExit($TimeoutSec * 1000)) {
        Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue
        throw "The child PowerShell did not end within $TimeoutSec s."
    }
    $child.ExitCode
}

function Invoke-TestChildPowerShell {
    <#
    Runs a script in a new PowerShell process of the same version (-NoProfile -NonInteractive) and returns the last
    line it wrote to the output, parsed from JSON; throws with everything it wrote when it exits non-zero.
    -Environment sets variables for the child only.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        # Return every line the child wrote (output and error streams) instead of parsing the last one.
        [switch] $AllOutput
    )
    $file = Join-Path ([IO.Path]::GetTempPath()) ('codat-child-' + [guid]::NewGuid().ToString('n') + '.ps1')
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8NoBOM
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try {
        $process, $prefix = Get-TestPowerShellCommand
        $output = & $process @prefix -NoProfile -NonInteractive -File $file @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The child PowerShell failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
        if ($AllOutput) { return $output | ForEach-Object { "$_" } }
        ($output | Where-Object { $_ -is [string] } | Select-Object -Last 1) | ConvertFrom-Json
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    }
}

function Get-TestHostOutput {
    <#
    Runs -ScriptBlock in this process under a transcript and returns the lines the host showed (what a console would
    show: "What if:" lines, the summary, which no redirection catches); the script block's own output is discarded.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $transcript = Join-Path ([IO.Path]::GetTempPath()) ('codat-host-' + [guid]::NewGuid().ToString('n') + '.txt')
    Start-Transcript -LiteralPath $transcript | Out-Null
    try { $null = & $ScriptBlock } finally { Stop-Transcript | Out-Null }
    try { Get-Content -LiteralPath $transcript } finally { Remove-Item -LiteralPath $transcript -Force -ErrorAction SilentlyContinue }
}

function Start-InRunspace {
    <#
    Starts a script in a fresh [powershell] of this process that has imported the module under test; returns the
    instance (PowerShell: stop it with Stop-InRunspace, dispose it), its async result (Async) and its Output.
    #>
    param([scriptblock] $ScriptBlock, [hashtable] $Parameters)
    $ps = [powershell]::Create()
    $ps.AddCommand('Import-Module').AddParameter('Name', (Get-TestModulePath)).AddParameter('ErrorAction', 'Stop').Invoke() | Out-Null
    $ps.Commands.Clear()
    $ps.AddScript($ScriptBlock.ToString()).AddParameters($Parameters) | Out-Null
    $output = [Management.Automation.PSDataCollection[psobject]]::new()
    $async = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
    [pscustomobject]@{ PowerShell = $ps; Async = $async; Output = $output }
}

function Stop-InRunspace {
    <# Stops the pipeline of a Start-InRunspace run as Ctrl+C does; returns how long Stop() took (TimeSpan). #>
    param($Run)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $Run.PowerShell.Stop()
    $watch.Stop()
    $watch.Elapsed
}

function Wait-InRunspaceRequest {
    <#
    Waits until the emulator has received a request of -Operation (-Held: one it holds on a delay fault) from a
    Start-InRunspace run, so the command is really inside the call when the test stops it; fails the test at once
    when the run ended instead (an error, say), naming its state and errors.
    #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string] $Operation,
        [switch] $Held, [int] $TimeoutMs = 10000)
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
    while ([DateTime]::UtcNow -lt $deadline) {
        $received = @(Get-TestRequestLog $Emulator -Operation $Operation | Where-Object { -not $Held -or $_.fault -eq 'delay' })
        if ($received.Count -gt 0) { return }
        if ($Run.Async.IsCompleted) { break }
        Start-Sleep -Milliseconds 20
    }
    $errors = @($Run.PowerShell.Streams.Error) + @($Run.PowerShell.InvocationStateInfo.Reason | Where-Object { $_ })
    $what = if ($Held) { "held $Operation" } else { $Operation }
    throw "No $what request reached the emulator; state $($Run.PowerShell.InvocationStateInfo.State); errors: $($errors -join ' | ')"
}

function Enter-TestPrivateTemp {
    <#
    Points this process's temp folder (TMPDIR, TEMP and TMP) at a new folder of its own, for tests that assert a stopped
    Save-CodatFiles left no temporary archive there: the machine's shared temp folder also holds the archives of any
    other download running at the same time (another test run, a script using CodatFiles), which such an assertion
    would take for the test's leftovers. Returns what Exit-TestPrivateTemp needs to undo it.
    #>
    $shared = @{}
    foreach ($name in 'TMPDIR', 'TEMP', 'TMP') { $shared[$name] = [Environment]::GetEnvironmentVariable($name) }
    $folder = New-TestDirectory -Name ('cancel-temp-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    foreach ($name in $shared.Keys) { [Environment]::SetEnvironmentVariable($name, $folder.FullName) }
    if ([IO.Path]::GetTempPath().TrimEnd('/', '\') -ne $folder.FullName.TrimEnd('/', '\')) { throw "The private temp folder did not take effect: $([IO.Path]::GetTempPath())" }
    [pscustomobject]@{ Folder = $folder; Shared = $shared }
}

function Exit-TestPrivateTemp {
    <# Undoes Enter-TestPrivateTemp (nothing when given nothing): the shared temp folder again, the private one deleted. #>
    param($Temp)
    if ($null -eq $Temp) { return }
    foreach ($name in $Temp.Shared.Keys) { [Environment]::SetEnvironmentVariable($name, $Temp.Shared[$name]) }
    Remove-Item -LiteralPath $Temp.Folder.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

function Get-TemporaryDownload {
    <#
    The temporary archives of Save-CodatFiles in the temp folder (a private one after Enter-TestPrivateTemp): it streams
    an archive to extract to <temp>/.<companyId>[_<day>].zip.<8 hex>.partial, the module's one temporary name.
    #>
    Get-ChildItem -LiteralPath ([IO.Path]::GetTempPath()) -File -Force -ErrorAction SilentlyContinue |
        Where-Object Name -CMatch '^\.[0-9a-f-]{36}(_\d{4}-\d{2}-\d{2})?\.zip\.[0-9a-f]{8}\.partial$' | ForEach-Object FullName
}
