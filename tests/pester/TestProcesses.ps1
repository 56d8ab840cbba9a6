# Dot-sourced by TestSupport.psm1 (its functions are the module's): running things as a user sees them, in a child
# pwsh of this version (its output, or its exit when it kills itself) or in this process with the host's own output
# read back from a transcript.

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
