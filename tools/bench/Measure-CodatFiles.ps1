#Requires -Version 7.2
<#
.SYNOPSIS
Checks the built CodatFiles module's progress and concurrency contracts against its own local emulator.

.DESCRIPTION
Starts an emulator (tools/CodatDevEmulator.psm1) on a free loopback port, imports out/CodatFiles/CodatFiles.psd1 into
this pwsh session and checks:

  1. Concurrency: Send-CodatFile -ThrottleLimit 10 -BatchSize 1 with every request held by a delay fault,
     against the emulator's 10-concurrent-requests-per-company limit, must get no 429 (and a control run of 12
     simultaneous Invoke-RestMethod uploads must see 429s, which shows the check can see them).
  2. Progress throttling of Send-CodatFile and Save-CodatFiles: progress records are captured in a nested
     [powershell] (same process) with their arrival time, and checked against "updated at most every 250 ms,
     always completed". Also the number of records with $ProgressPreference = 'SilentlyContinue' (expected 0).

Throughput against curl, an Invoke-RestMethod loop and Codat's TypeScript SDK is measured by
Invoke-CodatFilesBench.ps1 (build.ps1 -Task Bench), not here.

Prints the findings and writes everything to -OutputPath as JSON. Build first:
  dotnet tool restore && dotnet pwsh ./build.ps1 -Task Build

Only 127.0.0.1 is contacted.

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
    Invoke-CodatDevEmulatorControl @parameters
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
    Import-Module (Join-Path $RepoRoot 'tools/CodatDevEmulator.psm1') -Force
    Import-Module $ModulePath -Force
    $module = Get-Module CodatFiles

    # The default quota (1000 x (1 + companies) a day) is too small for every run of a benchmark.
    $script:Emulator = Start-CodatDevEmulator -AdditionalArguments @('--daily-quota', '100000000')
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
    }
    $report.Environment = $environment
    Write-Host 'Environment' -ForegroundColor Cyan
    Write-Host ([pscustomobject]$environment | Format-List | Out-String).TrimEnd()

    #region 4. Concurrency limit sanity
    Write-Host "`n[1/2] Concurrency: Send-CodatFile -BatchSize 1 -ThrottleLimit 10, every request held 100 ms by a delay fault" -ForegroundColor Cyan
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
        StatusHistogram     = $summary.StatusHistogram
    }
    $report.Concurrency = $concurrency
    if ($concurrency.Status429 -gt 0) {
        $bugs.Add("429 answers at ThrottleLimit <= 10: $($concurrency.Status429) in the held-requests run.")
    }
    if ($control.Status429 -lt $controlCount - 10) {
        Write-Warning "The control run saw $($control.Status429) x 429 with $controlCount concurrent uploads (expected >= $($controlCount - 10)): the no-429 check above may prove little."
    }
    if ($errors) { $bugs.Add("Concurrency check: Send-CodatFile wrote $(@($errors).Count) error(s): $($errors[0])") }
    #endregion

    #region 2. Progress throttling
    Write-Host "`n[2/2] Progress records in a nested [powershell] (same process)" -ForegroundColor Cyan
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
    if ($script:Emulator) { $script:Emulator | Stop-CodatDevEmulator }
    Remove-Item -LiteralPath $workDir -Recurse -Force -ErrorAction SilentlyContinue
}
