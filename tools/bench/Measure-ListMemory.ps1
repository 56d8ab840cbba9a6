#Requires -Version 7.2
<#
.SYNOPSIS
Peak memory of Get-CodatFileList on a list of about -ListMB megabytes: the module against a buffered baseline.

.DESCRIPTION
Not a test: a benchmark that reports figures and fails only when a run fails. It starts its own emulator on
127.0.0.1, registers a company and gives it a synthetic list (PUT /_emulator/synthetic-list: entries made up while
the answer is written, so the emulator holds none of them) sized to about -ListMB megabytes of JSON, and counts the
answer's real size once. Then, for each module (-ModulePath, and -BaselineModulePath when given, for example a
build of the commit before streaming), -Repetitions fresh processes of this pwsh each run

    Get-CodatFileList -CompanyId <company> | Measure-Object

after importing the module and listing an empty company once (so the client and its dependencies are loaded and
the first connection made), then a full garbage collection. Each child reports its working set at that point
("after import") and its peak working set during the list. On Linux the peak is VmHWM from /proc/self/status,
reset just before the list by writing 5 to /proc/self/clear_refs, so the peak is the list's, not the import's;
elsewhere it is Process.PeakWorkingSet64 over the process's life. The figure that matters is the peak above
the level after import (the issue's goal: under 64 MB for a 300 MB list).

.EXAMPLE
dotnet pwsh ./tools/bench/Measure-ListMemory.ps1 -BaselineModulePath /tmp/baseline/out/CodatFiles/CodatFiles.psd1
#>
[CmdletBinding(DefaultParameterSetName = 'Run')]
param(
    [Parameter(ParameterSetName = 'Run')] [ValidateRange(1, 2000)] [int] $ListMB = 300,
    # Characters in each synthetic file name: longer names make fewer, larger entries.
    [Parameter(ParameterSetName = 'Run')] [ValidateRange(20, 255)] [int] $NameLength = 100,
    [Parameter(ParameterSetName = 'Run')] [ValidateRange(1, 10)] [int] $Repetitions = 1,
    [Parameter(ParameterSetName = 'Run')] [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/CodatFiles/CodatFiles.psd1'),
    [Parameter(ParameterSetName = 'Run')] [string] $BaselineModulePath,
    [Parameter(ParameterSetName = 'Run')] [string] $OutputPath = 'out/bench/list-memory.json',
    [Parameter(ParameterSetName = 'Run')] [ValidateRange(30, 3600)] [int] $RunTimeoutSec = 900,

    # Internal: one measured run in a fresh process.
    [Parameter(Mandatory, ParameterSetName = 'Child')] [switch] $Child,
    [Parameter(Mandatory, ParameterSetName = 'Child')] [string] $ServerUrl,
    [Parameter(Mandatory, ParameterSetName = 'Child')] [string] $ApiKey,
    [Parameter(Mandatory, ParameterSetName = 'Child')] [string] $CompanyId,
    [Parameter(Mandatory, ParameterSetName = 'Child')] [string] $WarmUpCompanyId,
    [Parameter(Mandatory, ParameterSetName = 'Child')] [string] $ChildModulePath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Get-PeakWorkingSet {
    if (Test-Path -LiteralPath '/proc/self/status') {
        $line = (Get-Content -LiteralPath '/proc/self/status') -match '^VmHWM:' | Select-Object -First 1
        return [long]($line -replace '[^0-9]', '') * 1024
    }
    [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
}

if ($Child) {
    Import-Module $ChildModulePath
    $bounds = @{ ServerUrl = $ServerUrl; ApiKey = (ConvertTo-SecureString $ApiKey -AsPlainText -Force); TimeoutSec = 120; MaximumRetryCount = 0 }
    Get-CodatFileList -CompanyId $WarmUpCompanyId @bounds | Out-Null
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    [GC]::Collect()
    $self = [Diagnostics.Process]::GetCurrentProcess()
    $self.Refresh()
    $afterImport = $self.WorkingSet64
    $peakReset = $false
    if (Test-Path -LiteralPath '/proc/self/clear_refs') {
        [IO.File]::WriteAllText('/proc/self/clear_refs', '5')
        $peakReset = $true
    }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $count = (Get-CodatFileList -CompanyId $CompanyId @bounds | Measure-Object).Count
    $watch.Stop()
    [pscustomobject]@{
        Entries               = $count
        ElapsedSec            = [math]::Round($watch.Elapsed.TotalSeconds, 1)
        WorkingSetAfterImport = $afterImport
        PeakWorkingSet        = Get-PeakWorkingSet
        PeakReset             = $peakReset
    } | ConvertTo-Json -Compress
    return
}

$repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
if (-not [IO.Path]::IsPathRooted($OutputPath)) { $OutputPath = Join-Path $repoRoot $OutputPath }
Import-Module (Join-Path $repoRoot 'tools/CodatDevEmulator.psm1') -Force
$modules = [ordered]@{ streamed = (Resolve-Path -LiteralPath $ModulePath).Path }
if ($BaselineModulePath) { $modules = [ordered]@{ baseline = (Resolve-Path -LiteralPath $BaselineModulePath).Path; streamed = $modules.streamed } }

$process = (Get-Process -Id $PID).Path
# Under 'dotnet pwsh' the process is dotnet itself, which needs pwsh.dll as its first argument.
$prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })

function Get-ListBytes {
    # The answer's real size, read once and thrown away as it arrives.
    param($Emulator, [guid] $Company)
    $http = [Net.Http.HttpClient]::new()
    try {
        $http.Timeout = [TimeSpan]::FromSeconds($RunTimeoutSec)
        $key = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Emulator.ApiKey))
        $http.DefaultRequestHeaders.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Basic', $key)
        $response = $http.GetAsync("$($Emulator.BaseUrl.TrimEnd('/'))/companies/$Company/files", [Net.Http.HttpCompletionOption]::ResponseHeadersRead).GetAwaiter().GetResult()
        $body = $response.Content.ReadAsStream()
        $buffer = [byte[]]::new(1MB)
        $total = 0L
        while (($read = $body.Read($buffer, 0, $buffer.Length)) -gt 0) { $total += $read }
        $body.Dispose()
        $response.Dispose()
        $total
    } finally { $http.Dispose() }
}

function Invoke-Child {
    param([string] $Module, $Emulator, [guid] $Company, [guid] $WarmUp)
    $arguments = @($prefix) + @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-Child', '-ChildModulePath', $Module,
        '-ServerUrl', $Emulator.BaseUrl, '-ApiKey', $Emulator.ApiKey, '-CompanyId', $Company, '-WarmUpCompanyId', $WarmUp)
    $out = Join-Path $Emulator.WorkDirectory ("child-" + [guid]::NewGuid().ToString('n') + '.txt')
    $child = Start-Process -FilePath $process -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput $out -RedirectStandardError "$out.err"
    if (-not $child.WaitForExit($RunTimeoutSec * 1000)) {
        Stop-Process -Id $child.Id -Force
        throw "A run of $Module did not end within $RunTimeoutSec s."
    }
    $json = (Get-Content -LiteralPath $out) | Where-Object { $_ -like '{*' } | Select-Object -Last 1
    if ($child.ExitCode -ne 0 -or -not $json) { throw "A run of $Module failed ($($child.ExitCode)): $(Get-Content -LiteralPath "$out.err" -Raw) $(Get-Content -LiteralPath $out -Raw)" }
    $json | ConvertFrom-Json
}

$emulator = Start-CodatDevEmulator
try {
    $company = [guid]::NewGuid()
    $warmUp = [guid]::NewGuid()
    foreach ($id in $company, $warmUp) {
        Invoke-CodatDevEmulatorControl -Emulator $emulator -Method POST -Path 'companies' -Body @{
            companyId = "$id"; connections = @(@{ connectionId = "$([guid]::NewGuid())"; integration = 'Accounting' }) } | Out-Null
    }
    # Size one entry from a small list, then make the list the size asked for.
    Invoke-CodatDevEmulatorControl -Emulator $emulator -Method PUT -Path 'synthetic-list' -Body @{ companyId = "$company"; count = 1000; nameLength = $NameLength } | Out-Null
    $perEntry = (Get-ListBytes $emulator $company) / 1000
    $count = [int][math]::Ceiling($ListMB * 1MB / $perEntry)
    Invoke-CodatDevEmulatorControl -Emulator $emulator -Method PUT -Path 'synthetic-list' -Body @{ companyId = "$company"; count = $count; nameLength = $NameLength } | Out-Null
    $listBytes = Get-ListBytes $emulator $company
    Write-Host ("List: {0:N0} entries, {1:N1} MB of JSON" -f $count, ($listBytes / 1MB))

    $runs = foreach ($repetition in 1..$Repetitions) {
        foreach ($name in $modules.Keys) {
            $r = Invoke-Child $modules[$name] $emulator $company $warmUp
            if ($r.Entries -ne $count) { throw "$name wrote $($r.Entries) entries, not $count." }
            [pscustomobject]@{
                Module          = $name
                Entries         = $r.Entries
                ElapsedSec      = $r.ElapsedSec
                AfterImportMB   = [math]::Round($r.WorkingSetAfterImport / 1MB, 1)
                PeakMB          = [math]::Round($r.PeakWorkingSet / 1MB, 1)
                PeakAboveImportMB = [math]::Round(($r.PeakWorkingSet - $r.WorkingSetAfterImport) / 1MB, 1)
                PeakReset       = $r.PeakReset
            }
        }
    }
    $runs | Format-Table -AutoSize | Out-Host
    New-Item -ItemType Directory -Force -Path (Split-Path $OutputPath) | Out-Null
    [pscustomobject]@{
        Date = [DateTime]::UtcNow.ToString('o'); ListEntries = $count; ListBytes = $listBytes; NameLength = $NameLength
        Modules = $modules; Runs = @($runs)
    } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $OutputPath
    Write-Host "Wrote $OutputPath"
}
finally {
    Stop-CodatDevEmulator $emulator
}
