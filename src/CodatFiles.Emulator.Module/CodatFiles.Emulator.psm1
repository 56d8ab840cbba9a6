# CodatFiles.Emulator: runs the local Codat Files API emulator that ships in this module (a self-contained server per
# OS and architecture under server/<rid>/, so no .NET SDK or ASP.NET Core runtime is needed) and steers it through its
# control endpoints. Works in Windows PowerShell 5.1 and PowerShell 7.
Set-StrictMode -Version 3.0

$script:DevelopmentApiKey = 'codat-emulator-dev-key'
$script:ServerName = 'CodatFiles.Emulator'
# The emulators this session started, oldest first: the default of Invoke-CodatEmulatorControl and Stop-CodatEmulator.
$script:Started = New-Object System.Collections.Generic.List[object]

function Get-EmulatorRuntimeId {
    # The .NET runtime identifier of this machine, which names the server's folder (win-x64, linux-arm64, osx-arm64...).
    $architecture = "$([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture)".ToLowerInvariant()
    $platform = [System.Runtime.InteropServices.OSPlatform]
    $os = if ([System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform($platform::Windows)) { 'win' }
    elseif ([System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform($platform::OSX)) { 'osx' }
    else { 'linux' }
    "$os-$architecture"
}

function Get-EmulatorServerPath {
    # The server for this machine; names the ones shipped when there is none for it.
    $rid = Get-EmulatorRuntimeId
    $name = if ($rid.StartsWith('win-')) { "$script:ServerName.exe" } else { $script:ServerName }
    $path = Join-Path $PSScriptRoot "server/$rid/$name"
    if (-not (Test-Path -LiteralPath $path)) {
        $shipped = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'server') -Directory -ErrorAction SilentlyContinue | ForEach-Object Name)
        throw "CodatFiles.Emulator has no server for this machine ($rid); it ships servers for: $($shipped -join ', ')."
    }
    $path
}

function Set-EmulatorExecuteBit {
    # A package is a zip: unpacking it (Save-PSResource, Install-PSResource) drops the Unix execute bit. Set it where
    # the server was unpacked, or say how when this user may not change the file (an all-users install).
    param([Parameter(Mandatory)] [string] $Path)
    if ([System.IO.Path]::DirectorySeparatorChar -eq '\') { return }
    $mode = [System.IO.File]::GetUnixFileMode($Path)
    if ($mode -band [System.IO.UnixFileMode]::UserExecute) { return }
    try {
        [System.IO.File]::SetUnixFileMode($Path, $mode -bor [System.IO.UnixFileMode]'UserExecute, GroupExecute, OtherExecute')
    }
    catch {
        throw "The emulator server $Path is not executable and this user cannot make it so ($($_.Exception.Message)). Run: chmod +x '$Path'"
    }
}

function New-EmulatorToken {
    # 32 random hex characters from the system's cryptographic generator.
    $bytes = New-Object byte[] 16
    $generator = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $generator.GetBytes($bytes) } finally { $generator.Dispose() }
    -join ($bytes | ForEach-Object { $_.ToString('x2') })
}

function ConvertTo-EmulatorArgumentText {
    # Start-Process joins its arguments with spaces: quote the ones that hold a space or a quote.
    param([string[]] $Arguments)
    foreach ($argument in $Arguments) {
        if ($argument -match '[\s"]' -or $argument -eq '') { '"' + ($argument -replace '"', '\"') + '"' } else { $argument }
    }
}

function Start-CodatEmulator {
    <#
    .SYNOPSIS
    Starts a local Codat Files API emulator on 127.0.0.1 and returns once it listens and has answered a first request.
    .DESCRIPTION
    Runs the emulator server shipped in this module for this OS and architecture as a child process listening on
    loopback only (a free port unless -Port is given). Point CodatFiles at its BaseUrl with its ApiKey. Its control
    endpoints (faults, latency, quota, clock, reset, request log) need its ControlToken, which
    Invoke-CodatEmulatorControl sends for you. The emulator stops with Stop-CodatEmulator, or by itself when this
    PowerShell session ends. The spec's example company 8a210b68-6988-11ed-a1eb-0242ac120002 with connection
    2e9d2c44-f675-40ba-8049-353bfcb5e171 is always there.
    .PARAMETER Port
    The loopback port to listen on; 0 (default) takes a free one.
    .PARAMETER ApiKey
    The API key the emulator accepts (default: codat-emulator-dev-key). It is not a secret: it only opens this emulator.
    .PARAMETER ControlToken
    The token its control endpoints require (default: a new random one, returned as the ControlToken property).
    .PARAMETER DataDirectory
    Keep uploaded files in this folder across restarts. Default: a temporary folder, deleted by Stop-CodatEmulator.
    .PARAMETER LatencyMs
    Answer every API request no sooner than this many milliseconds after it arrived, like a hosted API's round trip.
    .PARAMETER DailyQuota
    Requests allowed per UTC day (default: Codat's 1000 x (1 + companies)).
    .PARAMETER Company
    More companies, each 'companyId:connectionId[=Integration][,connectionId[=Integration]...]'.
    .PARAMETER StartTimeoutSec
    How long to wait for the server to listen (default 60).
    .OUTPUTS
    CodatFiles.EmulatorInstance: BaseUrl, ApiKey, SecureApiKey, ControlToken, ProcessId, DataDirectory, LogDirectory.
    .EXAMPLE
    $emulator = Start-CodatEmulator
    Connect-Codat -ApiKey $emulator.SecureApiKey -ServerUrl $emulator.BaseUrl
    .EXAMPLE
    Start-CodatEmulator -LatencyMs 150 -DataDirectory ./emulator-data
    #>
    [CmdletBinding()]
    [OutputType('CodatFiles.EmulatorInstance')]
    param(
        [ValidateRange(0, 65535)] [int] $Port = 0,
        [ValidateNotNullOrEmpty()] [string] $ApiKey = $script:DevelopmentApiKey,
        [ValidateNotNullOrEmpty()] [string] $ControlToken = (New-EmulatorToken),
        [string] $DataDirectory,
        [ValidateRange(0, [int]::MaxValue)] [int] $LatencyMs = 0,
        [ValidateRange(0, [int]::MaxValue)] [int] $DailyQuota,
        [string[]] $Company = @(),
        [ValidateRange(1, 3600)] [int] $StartTimeoutSec = 60
    )
    $server = Get-EmulatorServerPath
    Set-EmulatorExecuteBit -Path $server
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('codat-emulator-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $ownsData = -not $DataDirectory
    if ($ownsData) { $DataDirectory = Join-Path $work 'data' }
    $readyFile = Join-Path $work 'ready.txt'
    # --parent-pid: the server stops by itself when this PowerShell ends without Stop-CodatEmulator.
    $arguments = @('--urls', "http://127.0.0.1:$Port", '--api-key', $ApiKey, '--control-token', $ControlToken,
        '--data-dir', $DataDirectory, '--ready-file', $readyFile, '--parent-pid', $PID, '--latency-ms', $LatencyMs)
    if ($PSBoundParameters.ContainsKey('DailyQuota')) { $arguments += @('--daily-quota', $DailyQuota) }
    foreach ($entry in $Company) { $arguments += @('--company', $entry) }
    $process = Start-Process -FilePath $server -ArgumentList (ConvertTo-EmulatorArgumentText $arguments) -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $work 'stdout.log') -RedirectStandardError (Join-Path $work 'stderr.log')
    $started = [DateTime]::UtcNow
    $baseUrl = Wait-EmulatorReady -Process $process -ReadyFile $readyFile -LogDirectory $work -TimeoutSec $StartTimeoutSec
    # The server unpacks and compiles its request pipeline on its first request: seconds on a busy machine. Take that
    # here, within -StartTimeoutSec, so the caller's first call (Connect-Codat's 10 s check) meets a warm server.
    Invoke-EmulatorWarmUp -BaseUrl $baseUrl -ControlToken $ControlToken -TimeoutSec ([Math]::Max(1, $StartTimeoutSec - ([DateTime]::UtcNow - $started).TotalSeconds))
    $emulator = [pscustomobject]@{
        PSTypeName    = 'CodatFiles.EmulatorInstance'
        BaseUrl       = $baseUrl
        ApiKey        = $ApiKey
        SecureApiKey  = ConvertTo-SecureString -String $ApiKey -AsPlainText -Force
        ControlToken  = $ControlToken
        ProcessId     = $process.Id
        DataDirectory = $DataDirectory
        LogDirectory  = $work
        Process       = $process
        OwnsData      = $ownsData
    }
    $script:Started.Add($emulator)
    $emulator
}

function Invoke-EmulatorWarmUp {
    # One control request (not in the request log, so it counts against nothing); an answer of any kind will do.
    param([string] $BaseUrl, [string] $ControlToken, [double] $TimeoutSec)
    try {
        Invoke-WebRequest -Uri "$BaseUrl/_emulator/requests" -Headers @{ Authorization = "Bearer $ControlToken" } -UseBasicParsing `
            -TimeoutSec ([int][Math]::Ceiling($TimeoutSec)) | Out-Null
    } catch {
        Write-Verbose "The emulator's first request failed ($($_.Exception.Message)); it listens, so it is returned anyway."
    }
}

function Wait-EmulatorReady {
    # Waits for the ready file the server writes once it listens; returns the base URL in it.
    param($Process, [string] $ReadyFile, [string] $LogDirectory, [int] $TimeoutSec)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not ((Test-Path -LiteralPath $ReadyFile) -and (Get-Content -LiteralPath $ReadyFile -Raw))) {
        if ($Process.HasExited) {
            $log = (Get-ChildItem -LiteralPath $LogDirectory -Filter '*.log' | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }) -join ' '
            Remove-Item -LiteralPath $LogDirectory -Recurse -Force -ErrorAction SilentlyContinue
            throw "The emulator exited with code $($Process.ExitCode) before listening: $log"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            Stop-Process -Id $Process.Id -Force -ErrorAction SilentlyContinue
            throw "The emulator did not start listening within $TimeoutSec s; its logs are in $LogDirectory."
        }
        Start-Sleep -Milliseconds 100
    }
    (Get-Content -LiteralPath $ReadyFile -Raw).Trim()
}

function Stop-CodatEmulator {
    <#
    .SYNOPSIS
    Stops emulators started by Start-CodatEmulator.
    .DESCRIPTION
    Stops the emulator given (or, without -Emulator, every one this session started) and deletes its temporary
    folder, with the uploaded files unless Start-CodatEmulator was given -DataDirectory.
    .PARAMETER Emulator
    What Start-CodatEmulator returned. Default: every emulator this session started and has not stopped.
    .EXAMPLE
    $emulator | Stop-CodatEmulator
    .EXAMPLE
    Stop-CodatEmulator
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(ValueFromPipeline)] [object[]] $Emulator)
    process {
        $targets = if ($PSBoundParameters.ContainsKey('Emulator')) { $Emulator } else { $script:Started.ToArray() }
        foreach ($target in $targets) {
            if (-not $PSCmdlet.ShouldProcess($target.BaseUrl, 'Stop the Codat Files emulator')) { continue }
            if (-not $target.Process.HasExited) {
                Stop-Process -Id $target.ProcessId -Force -ErrorAction SilentlyContinue
                $target.Process.WaitForExit(10000) | Out-Null
            }
            Remove-Item -LiteralPath $target.LogDirectory -Recurse -Force -ErrorAction SilentlyContinue
            for ($i = $script:Started.Count - 1; $i -ge 0; $i--) {
                if ($script:Started[$i].ProcessId -eq $target.ProcessId) { $script:Started.RemoveAt($i) }
            }
        }
    }
}

function Invoke-CodatEmulatorControl {
    <#
    .SYNOPSIS
    Steers an emulator through its control endpoints: faults, latency, quota, clock, companies, reset, request log.
    .DESCRIPTION
    Sends Method Path (under /_emulator/) with Body as JSON and the emulator's control token, and returns the answer.
    The endpoints: POST reset; POST companies {companyId, connections}; PUT latency {latencyMs}; PUT quota
    {remaining, resetsAt}; POST faults {operation, kind, status, count, retryAfter, delayMs, probability};
    DELETE faults; GET requests; DELETE requests; POST clock {now}; DELETE clock; POST archive-layout {folders, copies}.
    The project's README (ProjectUri in this module's manifest) describes every field.
    .PARAMETER Method
    GET, POST, PUT or DELETE.
    .PARAMETER Path
    The endpoint under /_emulator/, e.g. faults.
    .PARAMETER Body
    A hashtable or object sent as JSON.
    .PARAMETER Emulator
    What Start-CodatEmulator returned. Default: the emulator this session started last.
    .PARAMETER ControlToken
    The token to send instead of the emulator's own (for an emulator started with a token of your choosing).
    .EXAMPLE
    Invoke-CodatEmulatorControl POST faults @{ operation = 'upload-files'; kind = 'status'; status = 503; count = 2; retryAfter = '1' }
    .EXAMPLE
    Invoke-CodatEmulatorControl PUT latency @{ latencyMs = 200 }
    .EXAMPLE
    Invoke-CodatEmulatorControl GET requests | Format-Table operation, status, receivedAt
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [ValidateSet('GET', 'POST', 'PUT', 'DELETE')] [string] $Method,
        [Parameter(Mandatory, Position = 1)] [string] $Path,
        [Parameter(Position = 2)] [object] $Body,
        [Parameter(ValueFromPipeline)] [PSTypeName('CodatFiles.EmulatorInstance')] [object] $Emulator,
        [ValidateNotNullOrEmpty()] [string] $ControlToken
    )
    process {
        if (-not $Emulator) {
            if ($script:Started.Count -eq 0) { throw 'No emulator is running in this session: start one with Start-CodatEmulator, or pass -Emulator.' }
            $Emulator = $script:Started[$script:Started.Count - 1]
        }
        $token = if ($ControlToken) { $ControlToken } else { $Emulator.ControlToken }
        $parameters = @{
            Method = $Method; Uri = $Emulator.BaseUrl.TrimEnd('/') + '/_emulator/' + $Path.TrimStart('/')
            Headers = @{ Authorization = "Bearer $token" }; UseBasicParsing = $true
        }
        if ($PSBoundParameters.ContainsKey('Body')) {
            $parameters.Body = [System.Text.Encoding]::UTF8.GetBytes(($Body | ConvertTo-Json -Depth 5 -Compress))
            $parameters.ContentType = 'application/json; charset=utf-8'
        }
        # Invoke-RestMethod writes a JSON array as one object; its items go down the pipeline one by one instead, so
        # GET requests | Format-Table or Where-Object work on the entries.
        Invoke-RestMethod @parameters | ForEach-Object { $_ }
    }
}

Export-ModuleMember -Function Start-CodatEmulator, Stop-CodatEmulator, Invoke-CodatEmulatorControl
