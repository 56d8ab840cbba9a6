# Dot-sourced by Measure-CodatFiles.ps1: the progress check. Send-CodatFile and Save-CodatFiles run in a nested
# [powershell] (same process) whose progress records are stamped with their arrival time, then checked against
# "updated at most every 250 ms, always completed", and counted with $ProgressPreference = 'SilentlyContinue'
# (expected 0). Reads the script's $FileCount, $CompanyId, $ConnectionId, $CallBounds, $ProgressWaitSec, $ModulePath,
# $workDir, $bugs and $script:Emulator.

function Get-ProgressRecorderType {
    if (-not ('CodatFilesBench.ProgressArrivalRecorder' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot 'ProgressArrivalRecorder.cs') }
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

function Get-ProgressWorkload {
    # A workload of a few seconds: uploads in batches of 5, 4 at a time, each request held by a delay fault;
    # the download held by one longer delay.
    $uploadRequests = [math]::Ceiling($FileCount / 5)
    $waves = [math]::Ceiling($uploadRequests / 4)
    [pscustomobject]@{
        UploadRequests = $uploadRequests
        UploadHoldMs   = [math]::Min(2000, [math]::Max(100, [int](2500 / $waves)))
        InputDelayMs   = [math]::Min(50, [math]::Max(1, [int](1500 / $FileCount)))
        DownloadHoldMs = 3000
    }
}

function Invoke-ProgressRun {
    # Send-CodatFile then Save-CodatFiles of every file in the nested runspace under one $ProgressPreference; returns
    # both runs (Invoke-NestedWithProgress) by cmdlet name.
    param($Runspace, [string] $Preference, $Workload, $Files, [securestring] $ApiKey)
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
    Assert-TimeBudget "progress runs ($Preference)"
    Reset-Emulator
    Add-DelayFault -Operation 'upload-files' -Count $Workload.UploadRequests -DelayMs $Workload.UploadHoldMs
    $send = Invoke-NestedWithProgress -Runspace $Runspace -Script $sendScript -Parameters @{
        ServerUrl = $Emulator.BaseUrl; ApiKey = $ApiKey; CompanyId = $CompanyId; ConnectionId = $ConnectionId; Paths = [string[]]($Files.FullName)
        Preference = $Preference; Bounds = $CallBounds; InputDelayMs = $Workload.InputDelayMs }
    if ([int]$send.Output[0] -ne $FileCount) { throw "Progress run (Send-CodatFile, $Preference): $($send.Output[0]) results, expected $FileCount." }
    Assert-StoredFiles "progress run (Send-CodatFile, $Preference)"

    Add-DelayFault -Operation 'download-files' -Count 1 -DelayMs $Workload.DownloadHoldMs
    $destination = Join-Path $workDir ('progress-' + $Preference)
    $save = Invoke-NestedWithProgress -Runspace $Runspace -Script $saveScript -Parameters @{
        Preference = $Preference; ServerUrl = $Emulator.BaseUrl; ApiKey = $ApiKey; CompanyId = $CompanyId
        Destination = $destination; Bounds = $CallBounds }
    if ([int]$save.Output[0] -ne $FileCount) { throw "Progress run (Save-CodatFiles, $Preference): $($save.Output[0]) files saved, expected $FileCount." }
    Remove-Item -LiteralPath $destination -Recurse -Force
    [ordered]@{ 'Send-CodatFile' = $send; 'Save-CodatFiles' = $save }
}

function Add-ProgressBugs([string] $Cmdlet, $Run, $Silent, [object[]] $PerActivity) {
    # What breaks the contract, into $bugs: no record at all, updates under 250 ms apart, an activity left open, or
    # any record with $ProgressPreference = 'SilentlyContinue'.
    if ($Run.Arrivals.Count -eq 0) { $bugs.Add("${Cmdlet}: no progress record at all with `$ProgressPreference = 'Continue' over a $([int]$Run.DurationMs) ms run.") }
    foreach ($activity in $PerActivity) {
        if ($activity.UnderMinimum -gt 0) {
            $bugs.Add("${Cmdlet}: activity $($activity.ActivityId) ('$($activity.Activity)') was updated $($activity.UnderMinimum) time(s) less than 250 ms after its previous update (minimum $($activity.MinIntervalMs) ms).")
        }
        if (-not $activity.Completed) { $bugs.Add("${Cmdlet}: activity $($activity.ActivityId) ('$($activity.Activity)') never got a Completed record.") }
        elseif (-not $activity.LastIsCompleted) { $bugs.Add("${Cmdlet}: activity $($activity.ActivityId) ('$($activity.Activity)') got an update after its last Completed record (left open).") }
    }
    if ($Silent.Arrivals.Count -gt 0) { $bugs.Add("${Cmdlet}: $($Silent.Arrivals.Count) progress record(s) with `$ProgressPreference = 'SilentlyContinue'.") }
}

function Get-ProgressReport($ProgressRuns, $Workload) {
    # Per cmdlet: the workload, the records per activity and their intervals, and the whole record log.
    $progressReport = [ordered]@{}
    foreach ($cmdlet in 'Send-CodatFile', 'Save-CodatFiles') {
        $run = $ProgressRuns['Continue'][$cmdlet]
        $silent = $ProgressRuns['SilentlyContinue'][$cmdlet]
        $perActivity = @(Measure-ProgressArrivals $run.Arrivals)
        $workloadText = if ($cmdlet -eq 'Send-CodatFile') {
            "$FileCount files piped $($Workload.InputDelayMs) ms apart, -BatchSize 5 -ThrottleLimit 4, each of $($Workload.UploadRequests) requests delayed $($Workload.UploadHoldMs) ms"
        } else { "1 archive of $FileCount files, delayed $($Workload.DownloadHoldMs) ms" }
        $progressReport[$cmdlet] = [ordered]@{
            Workload               = $workloadText
            DurationMs             = [math]::Round($run.DurationMs, 0)
            Records                = $run.Arrivals.Count
            Activities             = $perActivity
            SilentlyContinueRecords = $silent.Arrivals.Count
            SilentlyContinueDurationMs = [math]::Round($silent.DurationMs, 0)
            RecordLog              = @($run.Arrivals | ForEach-Object { [ordered]@{ atMs = [math]::Round($_.AtMs, 1); id = $_.ActivityId; parent = $_.ParentActivityId; type = $_.RecordType; activity = $_.Activity; status = $_.Status; percent = $_.PercentComplete } })
        }
        Add-ProgressBugs $cmdlet $run $silent $perActivity
    }
    $progressReport
}

function Measure-ProgressThrottling($Files, [securestring] $ApiKey) {
    # The progress check, with and without progress shown, in a runspace of its own that has the module imported.
    Write-Host "`n[2/2] Progress records in a nested [powershell] (same process)" -ForegroundColor Cyan
    $runspace = [runspacefactory]::CreateRunspace()
    try {
        $runspace.Open()
        $null = Invoke-NestedWithProgress -Runspace $runspace -Script 'param($ModulePath) Import-Module $ModulePath' -Parameters @{ ModulePath = $ModulePath }
        $workload = Get-ProgressWorkload
        $progressRuns = [ordered]@{}
        foreach ($preference in 'Continue', 'SilentlyContinue') {
            $progressRuns[$preference] = Invoke-ProgressRun -Runspace $runspace -Preference $preference -Workload $workload -Files $Files -ApiKey $ApiKey
        }
        Get-ProgressReport $progressRuns $workload
    }
    finally {
        $runspace.Dispose()
    }
}
