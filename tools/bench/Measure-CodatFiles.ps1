#Requires -Version 7.2
<#
.SYNOPSIS
Benchmarks the built CodatFiles module against its own local emulator.

.DESCRIPTION
Starts an emulator (tools/CodatEmulator.psm1) on a free loopback port, imports out/CodatFiles/CodatFiles.psd1 into
this pwsh session and measures:

  1. Upload throughput of -FileCount random files with Send-CodatFile at four -BatchSize/-ThrottleLimit settings,
     and a baseline Invoke-RestMethod loop (one multipart request per file). Each configuration runs
     -Repetitions times (interleaved) and the median is reported, with the request count from the emulator's
     request log. After every run the emulator must list exactly -FileCount files, else the script fails.
  2. Progress throttling of Send-CodatFile and Save-CodatFiles: progress records are captured in a nested
     [powershell] (same process) with their arrival time, and checked against "updated at most every 250 ms,
     always completed". Also the number of records with $ProgressPreference = 'SilentlyContinue' (expected 0).
  3. Download throughput of Save-CodatFiles (extracted) and Save-CodatFiles -AsArchive, median of -Repetitions.
  4. Concurrency sanity: Send-CodatFile -ThrottleLimit 10 -BatchSize 1 with every request held by a delay fault,
     against the emulator's 10-concurrent-requests-per-company limit, must get no 429.

Prints a table and writes everything to -OutputPath as JSON. Build first:
  dotnet tool restore && dotnet pwsh ./build.ps1 -Task Build

Throughput runs use $ProgressPreference = 'SilentlyContinue' in this session (so the console host's progress
rendering is not measured). MB means 2^20 bytes. Only 127.0.0.1 is contacted.

.EXAMPLE
dotnet pwsh ./tools/bench/Measure-CodatFiles.ps1 -FileCount 100 -FileSizeKB 256 -OutputPath out/bench/results.json
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000)]
    [int] $FileCount = 100,

    # Size of each random file; at most 10 MB, Codat's limit per file.
    [ValidateRange(1, 10240)]
    [int] $FileSizeKB = 256,

    [string] $OutputPath = 'out/bench/results.json',

    [ValidateRange(1, 9)]
    [int] $Repetitions = 3,

    # The script stops with an error when it is still running after this many seconds (checked between runs;
    # each cmdlet call is bounded by -TimeoutSec and -MaximumRetryCount below).
    [ValidateRange(10, 3600)]
    [int] $TimeBudgetSec = 180
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$ModulePath = Join-Path $RepoRoot 'out/CodatFiles/CodatFiles.psd1'
$CompanyId = '8a210b68-6988-11ed-a1eb-0242ac120002'     # seeded in the emulator
$ConnectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171'  # its Accounting connection
$MB = 1MB
# Bounds of every cmdlet call: per-attempt timeout and retries (worst case ~ (1 + retries) x timeout).
$CallBounds = @{ TimeoutSec = 30; MaximumRetryCount = 2; RetryIntervalSec = 0.5 }
$ProgressWaitSec = 60
$Clock = [Diagnostics.Stopwatch]::StartNew()

if (-not [IO.Path]::IsPathRooted($OutputPath)) { $OutputPath = Join-Path $RepoRoot $OutputPath }
if (-not (Test-Path -LiteralPath $ModulePath)) {
    throw "The module is not built: $ModulePath is missing. Run 'dotnet tool restore && dotnet pwsh ./build.ps1 -Task Build' first."
}

#region helpers

function Assert-TimeBudget([string] $Before) {
    if ($Clock.Elapsed.TotalSeconds -gt $TimeBudgetSec) {
        throw "Time budget of $TimeBudgetSec s exceeded before '$Before' (elapsed $([int]$Clock.Elapsed.TotalSeconds) s)."
    }
}

function Get-LoadAverage {
    if (Test-Path -LiteralPath '/proc/loadavg') { ((Get-Content -LiteralPath '/proc/loadavg' -Raw) -split ' ')[0..2] -join ' ' } else { 'n/a' }
}

function Get-Median([double[]] $Values) {
    if (-not $Values -or $Values.Count -eq 0) { return $null }
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Invoke-Control([string] $Method, [string] $Path, $Body) {
    $parameters = @{ Emulator = $script:Emulator; Method = $Method; Path = $Path }
    if ($PSBoundParameters.ContainsKey('Body')) { $parameters.Body = $Body }
    Invoke-CodatEmulatorControl @parameters
}

function Reset-Emulator { Invoke-Control POST 'reset' | Out-Null }

function Add-DelayFault([string] $Operation, [int] $Count, [int] $DelayMs) {
    Invoke-Control POST 'faults' @{ operation = $Operation; count = $Count; kind = 'delay'; delayMs = $DelayMs } | Out-Null
}

function Get-RequestLog {
    # Entries get their status when the request ends, which can be just after the client saw the answer:
    # wait (bounded) until none is still 0, then return them.
    $deadline = [DateTime]::UtcNow.AddSeconds(3)
    while ($true) {
        $entries = @(Invoke-Control GET 'requests' | ForEach-Object { $_ })
        $open = @($entries | Where-Object status -EQ 0)
        if ($open.Count -eq 0 -or [DateTime]::UtcNow -gt $deadline) { return , $entries }
        Start-Sleep -Milliseconds 50
    }
}

function Get-RequestSummary {
    $entries = Get-RequestLog
    [pscustomobject]@{
        Requests        = $entries.Count
        Uploads         = @($entries | Where-Object operation -EQ 'upload-files').Count
        Status429       = @($entries | Where-Object status -EQ 429).Count
        OtherNon200     = @($entries | Where-Object { $_.status -ne 200 -and $_.status -ne 429 }).Count
        StatusHistogram = ($entries | Group-Object status | ForEach-Object { "$($_.Name)x$($_.Count)" }) -join ' '
    }
}

function Assert-StoredFiles([string] $Label) {
    # The emulator must list exactly the benchmark's files, once each.
    $listed = @(Get-CodatFileList -CompanyId $CompanyId @CallBounds)
    $names = @($listed | ForEach-Object FileName | Sort-Object -Unique)
    if ($listed.Count -ne $FileCount -or $names.Count -ne $FileCount) {
        throw "$Label : the emulator lists $($listed.Count) file(s) ($($names.Count) distinct names) after the run; expected $FileCount."
    }
}

function New-BenchFiles([string] $Directory) {
    New-Item -ItemType Directory -Path $Directory -Force | Out-Null
    $random = [Random]::new(20240305)
    $buffer = [byte[]]::new($FileSizeKB * 1KB)
    for ($i = 1; $i -le $FileCount; $i++) {
        $random.NextBytes($buffer)
        [IO.File]::WriteAllBytes((Join-Path $Directory ('bench-{0:d4}.pdf' -f $i)), $buffer)
    }
    @(Get-ChildItem -LiteralPath $Directory -File | Sort-Object Name)
}

function Measure-Upload {
    # One timed run of a configuration; returns elapsed time and the request log summary.
    param([Parameter(Mandatory)] $Config, [Parameter(Mandatory)] [IO.FileInfo[]] $Files, [switch] $Verify)
    Reset-Emulator
    $errors = $null
    $watch = [Diagnostics.Stopwatch]::StartNew()
    if ($Config.Kind -eq 'Send-CodatFile') {
        $results = @($Files | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId `
                -BatchSize $Config.BatchSize -ThrottleLimit $Config.ThrottleLimit @CallBounds `
                -ErrorAction SilentlyContinue -ErrorVariable errors)
        $watch.Stop()
        if ($errors) { throw "$($Config.Name): Send-CodatFile failed: $($errors[0]) ($($errors.Count) error(s))" }
        if ($results.Count -ne $Files.Count) { throw "$($Config.Name): $($results.Count) result(s) for $($Files.Count) file(s)." }
    }
    else {
        foreach ($file in $Files) {
            Invoke-RestMethod -Method Post -Uri $script:UploadUri -Headers $script:AuthHeader `
                -Form @{ file = $file } -TimeoutSec $CallBounds.TimeoutSec | Out-Null
        }
        $watch.Stop()
    }
    $summary = Get-RequestSummary
    if ($Verify) { Assert-StoredFiles $Config.Name }
    [pscustomobject]@{ ElapsedSec = $watch.Elapsed.TotalSeconds; Requests = $summary }
}

function Get-ProgressRecorderType {
    if (-not ('CodatFilesBench.ProgressArrivalRecorder' -as [type])) {
        Add-Type -TypeDefinition @'
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;

namespace CodatFilesBench
{
    public sealed class ProgressArrival
    {
        public double AtMs { get; set; }
        public int ActivityId { get; set; }
        public int ParentActivityId { get; set; }
        public string RecordType { get; set; }
        public string Activity { get; set; }
        public string Status { get; set; }
        public int PercentComplete { get; set; }
    }

    /// <summary>Stamps each progress record with a Stopwatch time on the thread that adds it (the writer's).</summary>
    public sealed class ProgressArrivalRecorder
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<ProgressArrival> _arrivals = new List<ProgressArrival>();

        public ProgressArrivalRecorder(PSDataCollection<ProgressRecord> stream)
        {
            stream.DataAdded += OnDataAdded;
        }

        public double NowMs { get { return _clock.Elapsed.TotalMilliseconds; } }

        private void OnDataAdded(object sender, DataAddedEventArgs e)
        {
            var at = _clock.Elapsed.TotalMilliseconds;
            var record = ((PSDataCollection<ProgressRecord>)sender)[e.Index];
            var arrival = new ProgressArrival
            {
                AtMs = at,
                ActivityId = record.ActivityId,
                ParentActivityId = record.ParentActivityId,
                RecordType = record.RecordType.ToString(),
                Activity = record.Activity,
                Status = record.StatusDescription,
                PercentComplete = record.PercentComplete,
            };
            lock (_arrivals) _arrivals.Add(arrival);
        }

        public ProgressArrival[] GetArrivals()
        {
            lock (_arrivals) return _arrivals.ToArray();
        }
    }
}
'@
    }
    [CodatFilesBench.ProgressArrivalRecorder]
}

function Invoke-NestedWithProgress {
    # Runs $Script in a nested [powershell] on $Runspace (module already imported there) and returns the
    # progress records with their arrival times. Bounded by $ProgressWaitSec; stopped when it overruns.
    param([Parameter(Mandatory)] $Runspace, [Parameter(Mandatory)] [string] $Script, [hashtable] $Parameters = @{})
    $ps = [powershell]::Create()
    try {
        $ps.Runspace = $Runspace
        $recorder = (Get-ProgressRecorderType)::new($ps.Streams.Progress)
        $null = $ps.AddScript($Script)
        foreach ($key in $Parameters.Keys) { $null = $ps.AddParameter($key, $Parameters[$key]) }
        $startMs = $recorder.NowMs
        $async = $ps.BeginInvoke()
        if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($ProgressWaitSec))) {
            $ps.Stop()
            throw "The nested run did not finish within $ProgressWaitSec s."
        }
        $output = $ps.EndInvoke($async)
        $endMs = $recorder.NowMs
        if ($ps.Streams.Error.Count -gt 0) { throw "The nested run failed: $($ps.Streams.Error[0])" }
        [pscustomobject]@{
            DurationMs = $endMs - $startMs
            Output     = @($output)
            Arrivals   = @($recorder.GetArrivals() | ForEach-Object { $_.AtMs -= $startMs; $_ })
        }
    }
    finally {
        $ps.Dispose()
    }
}

function Measure-ProgressArrivals([object[]] $Arrivals) {
    # Per ActivityId: updates (non-Completed records), min/median interval between consecutive updates, Completed.
    $minimumMs = 250
    foreach ($group in ($Arrivals | Group-Object ActivityId | Sort-Object { [int] $_.Name })) {
        $records = @($group.Group | Sort-Object AtMs)
        $updates = @($records | Where-Object RecordType -NE 'Completed')
        $intervals = [Collections.Generic.List[double]]::new()
        for ($i = 1; $i -lt $updates.Count; $i++) { $intervals.Add($updates[$i].AtMs - $updates[$i - 1].AtMs) }
        $completed = @($records | Where-Object RecordType -EQ 'Completed')
        $min = if ($intervals.Count) { ($intervals | Measure-Object -Minimum).Minimum } else { $null }
        [pscustomobject]@{
            ActivityId        = [int] $group.Name
            Activity          = ($updates + $records | Select-Object -First 1).Activity
            Updates           = $updates.Count
            MinIntervalMs     = if ($null -ne $min) { [math]::Round($min, 1) } else { $null }
            MedianIntervalMs  = if ($intervals.Count) { [math]::Round((Get-Median $intervals.ToArray()), 1) } else { $null }
            MaxIntervalMs     = if ($intervals.Count) { [math]::Round(($intervals | Measure-Object -Maximum).Maximum, 1) } else { $null }
            UnderMinimum      = @($intervals | Where-Object { $_ -lt $minimumMs }).Count
            CompletedRecords  = $completed.Count
            Completed         = $completed.Count -gt 0
            LastIsCompleted   = $records[-1].RecordType -eq 'Completed'
            FirstMs           = [math]::Round($records[0].AtMs, 1)
            LastMs            = [math]::Round($records[-1].AtMs, 1)
        }
    }
}

#endregion

$report = [ordered]@{}
$bugs = [Collections.Generic.List[string]]::new()
$workDir = Join-Path ([IO.Path]::GetTempPath()) ('codatfiles-bench-' + [guid]::NewGuid().ToString('n'))
$script:Emulator = $null
$nestedRunspace = $null

try {
    Import-Module (Join-Path $RepoRoot 'tools/CodatEmulator.psm1') -Force
    Import-Module $ModulePath -Force
    $module = Get-Module CodatFiles

    # The default quota (1000 x (1 + companies) a day) is too small for every run of a benchmark.
    $script:Emulator = Start-CodatEmulator -AdditionalArguments @('--daily-quota', '100000000')
    $apiKey = ConvertTo-SecureString $Emulator.ApiKey -AsPlainText -Force
    Connect-Codat -ApiKey $apiKey -ServerUrl $Emulator.BaseUrl
    $script:UploadUri = "$($Emulator.BaseUrl)/companies/$CompanyId/connections/$ConnectionId/files"
    $script:AuthHeader = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Emulator.ApiKey)) }

    $files = New-BenchFiles (Join-Path $workDir 'upload')
    $totalBytes = ($files | Measure-Object Length -Sum).Sum
    $totalMB = $totalBytes / $MB

    $environment = [ordered]@{
        Date              = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
        ProcessorCount    = [Environment]::ProcessorCount
        OS                = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        Runtime           = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell        = $PSVersionTable.PSVersion.ToString()
        ModuleVersion     = $module.Version.ToString()
        ModulePath        = $ModulePath
        GitCommit         = (& git -C $RepoRoot rev-parse --short HEAD 2>$null)
        # Other work on the machine skews the figures; the 1/5/15-minute load averages (Linux) tell how busy it was.
        LoadAverageAtStart = Get-LoadAverage
        EmulatorUrl       = $Emulator.BaseUrl
        FileCount         = $FileCount
        FileSizeKB        = $FileSizeKB
        TotalMB           = [math]::Round($totalMB, 2)
        Repetitions       = $Repetitions
    }
    $report.Environment = $environment
    Write-Host 'Environment' -ForegroundColor Cyan
    Write-Host ([pscustomobject]$environment | Format-List | Out-String).TrimEnd()

    #region 1. Upload throughput
    $configs = @(
        [pscustomobject]@{ Name = 'Send-CodatFile -BatchSize 20 -ThrottleLimit 4 (defaults)'; Kind = 'Send-CodatFile'; BatchSize = 20; ThrottleLimit = 4 }
        [pscustomobject]@{ Name = 'Send-CodatFile -BatchSize 20 -ThrottleLimit 1'; Kind = 'Send-CodatFile'; BatchSize = 20; ThrottleLimit = 1 }
        [pscustomobject]@{ Name = 'Send-CodatFile -BatchSize 1 -ThrottleLimit 1'; Kind = 'Send-CodatFile'; BatchSize = 1; ThrottleLimit = 1 }
        [pscustomobject]@{ Name = 'Send-CodatFile -BatchSize 1 -ThrottleLimit 10'; Kind = 'Send-CodatFile'; BatchSize = 1; ThrottleLimit = 10 }
        [pscustomobject]@{ Name = 'Invoke-RestMethod loop, 1 file per request (baseline)'; Kind = 'Invoke-RestMethod'; BatchSize = 1; ThrottleLimit = 1 }
    )

    Write-Host "`n[1/4] Upload throughput: $FileCount files x $FileSizeKB KB, $Repetitions runs per configuration" -ForegroundColor Cyan
    # Warm-up (not measured): JIT, connection pools, the emulator's first requests.
    $warmFiles = @($files | Select-Object -First ([math]::Min($FileCount, 10)))
    Measure-Upload -Config $configs[0] -Files $warmFiles | Out-Null
    Measure-Upload -Config $configs[-1] -Files $warmFiles | Out-Null

    $runs = @{}
    foreach ($config in $configs) { $runs[$config.Name] = [Collections.Generic.List[object]]::new() }
    for ($rep = 1; $rep -le $Repetitions; $rep++) {
        foreach ($config in $configs) {
            Assert-TimeBudget "upload run $rep of $($config.Name)"
            $run = Measure-Upload -Config $config -Files $files -Verify
            $runs[$config.Name].Add($run)
            Write-Host ('  run {0}: {1,-56} {2,7:n3} s  {3,4} requests  {4} x 429' -f $rep, $config.Name, $run.ElapsedSec, $run.Requests.Requests, $run.Requests.Status429)
        }
    }
    # The list request of Assert-StoredFiles comes after the request log was read, so Requests counts uploads only.
    $uploadRows = foreach ($config in $configs) {
        $configRuns = $runs[$config.Name]
        $median = Get-Median @($configRuns | ForEach-Object ElapsedSec)
        [pscustomobject]@{
            Configuration   = $config.Name
            BatchSize       = $config.BatchSize
            ThrottleLimit   = $config.ThrottleLimit
            MedianSec       = [math]::Round($median, 3)
            FilesPerSec     = [math]::Round($FileCount / $median, 1)
            MBPerSec        = [math]::Round($totalMB / $median, 1)
            Requests        = [int](Get-Median @($configRuns | ForEach-Object { $_.Requests.Requests }))
            Status429       = [int]($configRuns | ForEach-Object { $_.Requests.Status429 } | Measure-Object -Sum).Sum
            RunsSec         = @($configRuns | ForEach-Object { [math]::Round($_.ElapsedSec, 4) })
            RunsRequests    = @($configRuns | ForEach-Object { $_.Requests.Requests })
            RunsStatuses    = @($configRuns | ForEach-Object { $_.Requests.StatusHistogram })
        }
    }
    $report.Upload = $uploadRows
    foreach ($row in $uploadRows) {
        $expected = if ($row.Configuration -like 'Invoke-RestMethod*') { $FileCount } else { [math]::Ceiling($FileCount / $row.BatchSize) }
        if ($row.Requests -ne $expected) {
            $bugs.Add("Upload '$($row.Configuration)': $($row.Requests) requests per run, expected $expected ($($row.RunsStatuses -join '; ')).")
        }
    }
    #endregion

    #region 3. Download throughput (before the progress runs, so their fault injection cannot interfere)
    Write-Host "`n[2/4] Download throughput: Save-CodatFiles of $FileCount files, $Repetitions runs each" -ForegroundColor Cyan
    Reset-Emulator
    $null = $files | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId @CallBounds
    Assert-StoredFiles 'download setup'
    $downloadModes = @(
        [pscustomobject]@{ Name = 'Save-CodatFiles (extracted)'; AsArchive = $false }
        [pscustomobject]@{ Name = 'Save-CodatFiles -AsArchive'; AsArchive = $true }
    )
    $downloadRuns = @{}
    foreach ($mode in $downloadModes) { $downloadRuns[$mode.Name] = [Collections.Generic.List[object]]::new() }
    # Warm-up of each mode, then interleaved measured runs.
    for ($rep = 0; $rep -le $Repetitions; $rep++) {
        foreach ($mode in $downloadModes) {
            Assert-TimeBudget "download run $rep of $($mode.Name)"
            $destination = Join-Path $workDir ('download-' + [guid]::NewGuid().ToString('n'))
            Invoke-Control DELETE 'requests' | Out-Null
            $errors = $null
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $saved = @(Save-CodatFiles -CompanyId $CompanyId -DestinationPath $destination -AsArchive:$mode.AsArchive `
                    @CallBounds -ErrorAction SilentlyContinue -ErrorVariable errors)
            $watch.Stop()
            if ($errors) { throw "$($mode.Name): $($errors[0])" }
            $expectedItems = if ($mode.AsArchive) { 1 } else { $FileCount }
            if ($saved.Count -ne $expectedItems) { throw "$($mode.Name): $($saved.Count) item(s) saved, expected $expectedItems." }
            $onDisk = @(Get-ChildItem -LiteralPath $destination -File -Recurse)
            $savedBytes = ($onDisk | Measure-Object Length -Sum).Sum
            if (-not $mode.AsArchive -and ($onDisk.Count -ne $FileCount -or $savedBytes -ne $totalBytes)) {
                throw "$($mode.Name): $($onDisk.Count) file(s), $savedBytes bytes on disk; expected $FileCount, $totalBytes."
            }
            $summary = Get-RequestSummary
            Remove-Item -LiteralPath $destination -Recurse -Force
            if ($rep -gt 0) {
                $downloadRuns[$mode.Name].Add([pscustomobject]@{ ElapsedSec = $watch.Elapsed.TotalSeconds; SavedBytes = $savedBytes; Requests = $summary })
                Write-Host ('  run {0}: {1,-30} {2,7:n3} s  {3,6:n1} MB on disk  {4} request(s)' -f $rep, $mode.Name, $watch.Elapsed.TotalSeconds, ($savedBytes / $MB), $summary.Requests)
            }
        }
    }
    $downloadRows = foreach ($mode in $downloadModes) {
        $modeRuns = $downloadRuns[$mode.Name]
        $median = Get-Median @($modeRuns | ForEach-Object ElapsedSec)
        [pscustomobject]@{
            Mode            = $mode.Name
            MedianSec       = [math]::Round($median, 3)
            MBPerSec        = [math]::Round($totalMB / $median, 1)  # payload (the files' bytes), the same for both modes
            SavedMB         = [math]::Round(($modeRuns[0].SavedBytes) / $MB, 2)
            Requests        = [int](Get-Median @($modeRuns | ForEach-Object { $_.Requests.Requests }))
            RunsSec         = @($modeRuns | ForEach-Object { [math]::Round($_.ElapsedSec, 4) })
        }
    }
    $report.Download = $downloadRows
    #endregion

    #region 4. Concurrency limit sanity
    Write-Host "`n[3/4] Concurrency: Send-CodatFile -BatchSize 1 -ThrottleLimit 10, every request held 100 ms by a delay fault" -ForegroundColor Cyan
    Assert-TimeBudget 'concurrency check'
    $holdMs = 100
    Reset-Emulator
    Add-DelayFault -Operation 'upload-files' -Count $FileCount -DelayMs $holdMs
    $errors = $null
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $results = @($files | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -BatchSize 1 -ThrottleLimit 10 `
            @CallBounds -ErrorAction SilentlyContinue -ErrorVariable errors)
    $watch.Stop()
    $summary = Get-RequestSummary
    Assert-StoredFiles 'concurrency check'
    # Control: the same count must see 429s when the limit really is exceeded: 12 uploads at once (two more than
    # the emulator allows per company), each held 500 ms, sent by ForEach-Object -Parallel.
    Reset-Emulator
    $controlCount = 12
    Add-DelayFault -Operation 'upload-files' -Count $controlCount -DelayMs 500
    $uploadUri = $script:UploadUri; $authHeader = $script:AuthHeader
    $controlStatuses = @($files | Select-Object -First $controlCount | ForEach-Object -ThrottleLimit $controlCount -TimeoutSeconds 60 -Parallel {
            try {
                Invoke-RestMethod -Method Post -Uri $using:uploadUri -Headers $using:authHeader -Form @{ file = $_ } -TimeoutSec 30 | Out-Null
                200
            }
            catch { [int] $_.Exception.Response.StatusCode }
        })
    $control = Get-RequestSummary
    # Each request holds an emulator slot >= holdMs, so (requests x holdMs) / elapsed is a lower bound of the
    # average number of requests in flight.
    $concurrency = [pscustomobject]@{
        Configuration       = "Send-CodatFile -BatchSize 1 -ThrottleLimit 10, delay fault $holdMs ms on each upload"
        ElapsedSec          = [math]::Round($watch.Elapsed.TotalSeconds, 3)
        Requests            = $summary.Requests
        Status429           = $summary.Status429
        Errors              = @($errors).Count
        Results             = $results.Count
        AverageInFlightMin  = [math]::Round(($FileCount * $holdMs / 1000) / $watch.Elapsed.TotalSeconds, 2)
        Control429          = "$($control.Status429) x 429 of $($control.Requests) when $controlCount uploads run at once (Invoke-RestMethod, each held 500 ms; expected >= $($controlCount - 10))"
        ControlStatuses     = ($controlStatuses | Group-Object | ForEach-Object { "$($_.Name)x$($_.Count)" }) -join ' '
        Status429NoDelayB1T10 = ($uploadRows | Where-Object { $_.BatchSize -eq 1 -and $_.ThrottleLimit -eq 10 }).Status429
        Status429AllUploadRuns = [int]($uploadRows | Measure-Object Status429 -Sum).Sum
        StatusHistogram     = $summary.StatusHistogram
    }
    $report.Concurrency = $concurrency
    if ($concurrency.Status429 -gt 0 -or $concurrency.Status429AllUploadRuns -gt 0) {
        $bugs.Add("429 answers at ThrottleLimit <= 10: $($concurrency.Status429) in the held-requests run, $($concurrency.Status429AllUploadRuns) across the throughput runs.")
    }
    if ($control.Status429 -lt $controlCount - 10) {
        Write-Warning "The control run saw $($control.Status429) x 429 with $controlCount concurrent uploads (expected >= $($controlCount - 10)): the no-429 check above may prove little."
    }
    if ($errors) { $bugs.Add("Concurrency check: Send-CodatFile wrote $(@($errors).Count) error(s): $($errors[0])") }
    #endregion

    #region 2. Progress throttling
    Write-Host "`n[4/4] Progress records in a nested [powershell] (same process)" -ForegroundColor Cyan
    $nestedRunspace = [runspacefactory]::CreateRunspace()
    $nestedRunspace.Open()
    $null = Invoke-NestedWithProgress -Runspace $nestedRunspace -Script 'param($ModulePath) Import-Module $ModulePath' -Parameters @{ ModulePath = $ModulePath }
    $nestedCommon = @{ ServerUrl = $Emulator.BaseUrl; ApiKey = $apiKey; CompanyId = $CompanyId; ConnectionId = $ConnectionId; Paths = [string[]]($files.FullName) }
    $sendScript = @'
param($Preference, $ServerUrl, $ApiKey, $CompanyId, $ConnectionId, $Paths, $Bounds, $InputDelayMs)
$ProgressPreference = $Preference
# Files arrive one by one, $InputDelayMs apart, so progress is written from ProcessRecord (between input records)
# as well as from EndProcessing (waiting for the last uploads).
@($Paths | ForEach-Object { Start-Sleep -Milliseconds $InputDelayMs; Get-Item -LiteralPath $_ } |
    Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -BatchSize 5 -ThrottleLimit 4 `
        -ServerUrl $ServerUrl -ApiKey $ApiKey @Bounds).Count
'@
    $saveScript = @'
param($Preference, $ServerUrl, $ApiKey, $CompanyId, $Destination, $Bounds)
$ProgressPreference = $Preference
@(Save-CodatFiles -CompanyId $CompanyId -DestinationPath $Destination -ServerUrl $ServerUrl -ApiKey $ApiKey -Force @Bounds).Count
'@
    # A workload of a few seconds: uploads in batches of 5, 4 at a time, each request held by a delay fault;
    # the download held by one longer delay.
    $uploadRequests = [math]::Ceiling($FileCount / 5)
    $waves = [math]::Ceiling($uploadRequests / 4)
    $uploadHoldMs = [math]::Min(2000, [math]::Max(100, [int](2500 / $waves)))
    $inputDelayMs = [math]::Min(50, [math]::Max(1, [int](1500 / $FileCount)))
    $downloadHoldMs = 3000

    $progressRuns = [ordered]@{}
    foreach ($preference in 'Continue', 'SilentlyContinue') {
        Assert-TimeBudget "progress runs ($preference)"
        Reset-Emulator
        Add-DelayFault -Operation 'upload-files' -Count $uploadRequests -DelayMs $uploadHoldMs
        $send = Invoke-NestedWithProgress -Runspace $nestedRunspace -Script $sendScript -Parameters ($nestedCommon.Clone() + @{
                Preference = $preference; Bounds = $CallBounds; InputDelayMs = $inputDelayMs })
        if ([int]$send.Output[0] -ne $FileCount) { throw "Progress run (Send-CodatFile, $preference): $($send.Output[0]) results, expected $FileCount." }
        Assert-StoredFiles "progress run (Send-CodatFile, $preference)"

        Add-DelayFault -Operation 'download-files' -Count 1 -DelayMs $downloadHoldMs
        $destination = Join-Path $workDir ('progress-' + $preference)
        $save = Invoke-NestedWithProgress -Runspace $nestedRunspace -Script $saveScript -Parameters @{
            Preference = $preference; ServerUrl = $Emulator.BaseUrl; ApiKey = $apiKey; CompanyId = $CompanyId
            Destination = $destination; Bounds = $CallBounds }
        if ([int]$save.Output[0] -ne $FileCount) { throw "Progress run (Save-CodatFiles, $preference): $($save.Output[0]) files saved, expected $FileCount." }
        Remove-Item -LiteralPath $destination -Recurse -Force
        $progressRuns[$preference] = [ordered]@{ 'Send-CodatFile' = $send; 'Save-CodatFiles' = $save }
    }

    $progressReport = [ordered]@{}
    foreach ($cmdlet in 'Send-CodatFile', 'Save-CodatFiles') {
        $run = $progressRuns['Continue'][$cmdlet]
        $silent = $progressRuns['SilentlyContinue'][$cmdlet]
        $perActivity = @(Measure-ProgressArrivals $run.Arrivals)
        $workload = if ($cmdlet -eq 'Send-CodatFile') {
            "$FileCount files piped $inputDelayMs ms apart, -BatchSize 5 -ThrottleLimit 4, each of $uploadRequests requests delayed $uploadHoldMs ms"
        } else { "1 archive of $FileCount files, delayed $downloadHoldMs ms" }
        $progressReport[$cmdlet] = [ordered]@{
            Workload               = $workload
            DurationMs             = [math]::Round($run.DurationMs, 0)
            Records                = $run.Arrivals.Count
            Activities             = $perActivity
            SilentlyContinueRecords = $silent.Arrivals.Count
            SilentlyContinueDurationMs = [math]::Round($silent.DurationMs, 0)
            RecordLog              = @($run.Arrivals | ForEach-Object { [ordered]@{ atMs = [math]::Round($_.AtMs, 1); id = $_.ActivityId; parent = $_.ParentActivityId; type = $_.RecordType; activity = $_.Activity; status = $_.Status; percent = $_.PercentComplete } })
        }
        if ($run.Arrivals.Count -eq 0) { $bugs.Add("${cmdlet}: no progress record at all with `$ProgressPreference = 'Continue' over a $([int]$run.DurationMs) ms run.") }
        foreach ($activity in $perActivity) {
            if ($activity.UnderMinimum -gt 0) {
                $bugs.Add("${cmdlet}: activity $($activity.ActivityId) ('$($activity.Activity)') was updated $($activity.UnderMinimum) time(s) less than 250 ms after its previous update (minimum $($activity.MinIntervalMs) ms).")
            }
            if (-not $activity.Completed) { $bugs.Add("${cmdlet}: activity $($activity.ActivityId) ('$($activity.Activity)') never got a Completed record.") }
            elseif (-not $activity.LastIsCompleted) { $bugs.Add("${cmdlet}: activity $($activity.ActivityId) ('$($activity.Activity)') got an update after its last Completed record (left open).") }
        }
        if ($silent.Arrivals.Count -gt 0) { $bugs.Add("${cmdlet}: $($silent.Arrivals.Count) progress record(s) with `$ProgressPreference = 'SilentlyContinue'.") }
    }
    $report.Progress = $progressReport
    #endregion

    $report.Environment.LoadAverageAtEnd = Get-LoadAverage
    $report.ProductBugs = @($bugs)
    $report.TotalSeconds = [math]::Round($Clock.Elapsed.TotalSeconds, 1)

    #region output
    Write-Host "`n=== Upload throughput ($FileCount files x $FileSizeKB KB = $([math]::Round($totalMB, 1)) MB; median of $Repetitions runs) ===" -ForegroundColor Green
    Write-Host ($uploadRows | Format-Table Configuration, @{ n = 'Median s'; e = { '{0:n3}' -f $_.MedianSec }; a = 'right' },
        @{ n = 'files/s'; e = { '{0:n1}' -f $_.FilesPerSec }; a = 'right' }, @{ n = 'MB/s'; e = { '{0:n1}' -f $_.MBPerSec }; a = 'right' },
        Requests, @{ n = '429s'; e = { $_.Status429 } },
        @{ n = 'Runs (s)'; e = { ($_.RunsSec | ForEach-Object { '{0:n3}' -f $_ }) -join ' / ' } } -AutoSize | Out-String -Width 200).TrimEnd()

    Write-Host "`n=== Download throughput (payload $([math]::Round($totalMB, 1)) MB; median of $Repetitions runs) ===" -ForegroundColor Green
    Write-Host ($downloadRows | Format-Table Mode, @{ n = 'Median s'; e = { '{0:n3}' -f $_.MedianSec }; a = 'right' },
        @{ n = 'MB/s'; e = { '{0:n1}' -f $_.MBPerSec }; a = 'right' }, @{ n = 'MB saved'; e = { '{0:n2}' -f $_.SavedMB }; a = 'right' }, Requests,
        @{ n = 'Runs (s)'; e = { ($_.RunsSec | ForEach-Object { '{0:n3}' -f $_ }) -join ' / ' } } -AutoSize | Out-String -Width 200).TrimEnd()

    Write-Host "`n=== Progress records (nested [powershell], `$ProgressPreference = 'Continue') ===" -ForegroundColor Green
    foreach ($cmdlet in $progressReport.Keys) {
        $entry = $progressReport[$cmdlet]
        Write-Host "$cmdlet - $($entry.Workload); ran $($entry.DurationMs) ms, $($entry.Records) records; with SilentlyContinue: $($entry.SilentlyContinueRecords) records"
        Write-Host ($entry.Activities | Format-Table ActivityId, @{ n = 'Activity (first record)'; e = { $_.Activity } }, Updates,
            @{ n = 'Min ms'; e = { '{0:n1}' -f $_.MinIntervalMs }; a = 'right' }, @{ n = 'Median ms'; e = { '{0:n1}' -f $_.MedianIntervalMs }; a = 'right' },
            @{ n = 'Max ms'; e = { '{0:n1}' -f $_.MaxIntervalMs }; a = 'right' },
            @{ n = '<250 ms'; e = { $_.UnderMinimum } }, Completed, LastIsCompleted -AutoSize | Out-String -Width 200).TrimEnd()
    }

    Write-Host "`n=== Concurrency limit (emulator: 10 concurrent requests per company) ===" -ForegroundColor Green
    Write-Host ($concurrency | Format-List | Out-String).TrimEnd()

    Write-Host "`nLoad average (1/5/15 min): $($report.Environment.LoadAverageAtStart) at start, $($report.Environment.LoadAverageAtEnd) at end, on $([Environment]::ProcessorCount) cores."
    Write-Host "`n=== Product bugs found ===" -ForegroundColor Green
    if ($bugs.Count) { $bugs | ForEach-Object { Write-Host "  - $_" -ForegroundColor Yellow } } else { Write-Host '  none' }

    $outDir = Split-Path -Parent $OutputPath
    if ($outDir) { New-Item -ItemType Directory -Path $outDir -Force | Out-Null }
    $report | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $OutputPath -Encoding utf8NoBOM
    Write-Host "`nWrote $OutputPath (total $($report.TotalSeconds) s)."
    #endregion
}
finally {
    if ($nestedRunspace) { $nestedRunspace.Dispose() }
    if ($script:Emulator) { $script:Emulator | Stop-CodatEmulator }
    Remove-Item -LiteralPath $workDir -Recurse -Force -ErrorAction SilentlyContinue
}
