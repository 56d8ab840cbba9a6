# Starts and stops the Codat Files emulator as a child process on a free loopback port.
# Used by build.ps1 (Demo, Emulator), the Pester suites and anyone scripting against the emulator offline.
Set-StrictMode -Version 3.0

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:DevelopmentApiKey = 'codat-emulator-dev-key'

function Get-CodatEmulatorPath {
    <# The published emulator built by `build.ps1 -Task Build`. #>
    $dll = Join-Path $script:RepoRoot 'out/emulator/CodatFiles.Emulator.dll'
    if (-not (Test-Path -LiteralPath $dll)) {
        throw "The emulator is not built: $dll is missing. Run 'dotnet pwsh ./build.ps1 -Task Build' first."
    }
    $dll
}

function Start-CodatEmulator {
    <#
    .SYNOPSIS
    Starts the emulator on 127.0.0.1 (a free port unless -Port is given) and returns once it listens.
    .OUTPUTS
    A PSCustomObject with BaseUrl, ApiKey, DataDirectory, Process and the log file paths; pass it to Stop-CodatEmulator.
    #>
    [CmdletBinding()]
    param(
        [int] $Port = 0,
        [string] $ApiKey = $script:DevelopmentApiKey,
        [string] $DataDirectory,
        [string[]] $AdditionalArguments = @(),
        [int] $StartTimeoutSec = 60
    )
    $dll = Get-CodatEmulatorPath
    $work = Join-Path ([IO.Path]::GetTempPath()) ("codat-emulator-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $ownsData = -not $DataDirectory
    if ($ownsData) { $DataDirectory = Join-Path $work 'data' }
    $readyFile = Join-Path $work 'ready.txt'
    $stdout = Join-Path $work 'stdout.log'
    $stderr = Join-Path $work 'stderr.log'
    # --parent-pid: the emulator stops by itself if this PowerShell dies without calling Stop-CodatEmulator (e.g. killed).
    $arguments = @($dll, '--urls', "http://127.0.0.1:$Port", '--api-key', $ApiKey, '--data-dir', $DataDirectory, '--ready-file', $readyFile,
        '--parent-pid', $PID) + $AdditionalArguments
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
        DataDirectory = $DataDirectory
        Process       = $process
        WorkDirectory = $work
        OwnsData      = $ownsData
        StdoutPath    = $stdout
        StderrPath    = $stderr
    }
}

function Stop-CodatEmulator {
    <# Stops an emulator started by Start-CodatEmulator and removes its temporary folder. #>
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

function Invoke-CodatEmulatorControl {
    <# Calls an emulator control endpoint (/_emulator/...), e.g. to inject faults or read the request log. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [ValidateSet('GET', 'POST', 'PUT', 'DELETE')] [string] $Method,
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $uri = $Emulator.BaseUrl.TrimEnd('/') + '/_emulator/' + $Path.TrimStart('/')
    $parameters = @{ Method = $Method; Uri = $uri }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $parameters.Body = ($Body | ConvertTo-Json -Depth 5 -Compress)
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

Export-ModuleMember -Function Start-CodatEmulator, Stop-CodatEmulator, Invoke-CodatEmulatorControl, Get-CodatEmulatorPath
