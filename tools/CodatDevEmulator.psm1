# Starts and stops the emulator built in this clone (out/emulator, run with `dotnet`) as a child process on a free
# loopback port, for build.ps1 (Demo), the Pester suites and the benchmarks. Users get the same from the Gallery package
# CodatFiles.Emulator (Start-CodatEmulator and friends); these names differ so both can be loaded side by side.
Set-StrictMode -Version 3.0

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:DevelopmentApiKey = 'codat-emulator-dev-key'

function Get-CodatDevEmulatorPath {
    <# The published emulator built by `build.ps1 -Task Build`. #>
    $dll = Join-Path $script:RepoRoot 'out/emulator/CodatFiles.Emulator.dll'
    if (-not (Test-Path -LiteralPath $dll)) {
        throw "The emulator is not built: $dll is missing. Run 'dotnet pwsh ./build.ps1 -Task Build' first."
    }
    $dll
}

function Start-CodatDevEmulator {
    <#
    .SYNOPSIS
    Starts the emulator on 127.0.0.1 (a free port unless -Port is given) and returns once it listens.
    .OUTPUTS
    A PSCustomObject with BaseUrl, ApiKey, ControlToken, DataDirectory, Process and the log file paths; pass it to
    Stop-CodatDevEmulator.
    #>
    [CmdletBinding()]
    param(
        [int] $Port = 0,
        [string] $ApiKey = $script:DevelopmentApiKey,
        [string] $DataDirectory,
        [string[]] $AdditionalArguments = @(),
        [int] $StartTimeoutSec = 60
    )
    $dll = Get-CodatDevEmulatorPath
    $controlToken = [guid]::NewGuid().ToString('n')
    $work = Join-Path ([IO.Path]::GetTempPath()) ("codat-emulator-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $ownsData = -not $DataDirectory
    if ($ownsData) { $DataDirectory = Join-Path $work 'data' }
    $readyFile = Join-Path $work 'ready.txt'
    $stdout = Join-Path $work 'stdout.log'
    $stderr = Join-Path $work 'stderr.log'
    # --parent-pid: the emulator stops by itself if this PowerShell dies without calling Stop-CodatDevEmulator (e.g. killed).
    $arguments = @($dll, '--urls', "http://127.0.0.1:$Port", '--api-key', $ApiKey, '--control-token', $controlToken, '--data-dir', $DataDirectory,
        '--ready-file', $readyFile, '--parent-pid', $PID) + $AdditionalArguments
    $quoted = $arguments | ForEach-Object { if ($_ -match '[\s"]') { '"' + ($_ -replace '"', '\"') + '"' } else { $_ } }
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $quoted -PassThru -NoNewWindow `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    while (-not ((Test-Path -LiteralPath $readyFile) -and (Get-Content -LiteralPath $readyFile -Raw))) {
        if ($process.HasExited) {
            throw "The emulator exited with code $($process.ExitCode) before listening: $(Get-Content -LiteralPath $stderr -Raw) $(Get-Content -LiteralPath $stdout -Raw)"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            throw "The emulator did not start listening within $StartTimeoutSec s."
        }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{
        BaseUrl       = (Get-Content -LiteralPath $readyFile -Raw).Trim()
        ApiKey        = $ApiKey
        ControlToken  = $controlToken
        DataDirectory = $DataDirectory
        Process       = $process
        WorkDirectory = $work
        OwnsData      = $ownsData
        StdoutPath    = $stdout
        StderrPath    = $stderr
    }
}

function Stop-CodatDevEmulator {
    <# Stops an emulator started by Start-CodatDevEmulator and removes its temporary folder. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if (-not $Emulator.Process.HasExited) {
            Stop-Process -Id $Emulator.Process.Id -Force -ErrorAction SilentlyContinue
            $Emulator.Process.WaitForExit(10000) | Out-Null
        }
        Remove-Item -LiteralPath $Emulator.WorkDirectory -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-CodatDevEmulatorControl {
    <# Calls an emulator control endpoint (/_emulator/...), e.g. to inject faults or read the request log. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [ValidateSet('GET', 'POST', 'PUT', 'DELETE')] [string] $Method,
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $uri = $Emulator.BaseUrl.TrimEnd('/') + '/_emulator/' + $Path.TrimStart('/')
    $parameters = @{ Method = $Method; Uri = $uri; Headers = @{ Authorization = "Bearer $($Emulator.ControlToken)" } }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $parameters.Body = ($Body | ConvertTo-Json -Depth 5 -Compress)
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

Export-ModuleMember -Function Start-CodatDevEmulator, Stop-CodatDevEmulator, Invoke-CodatDevEmulatorControl, Get-CodatDevEmulatorPath
