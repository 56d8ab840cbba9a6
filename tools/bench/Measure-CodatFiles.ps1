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

. (Join-Path $PSScriptRoot 'BenchSupport.ps1')
. (Join-Path $PSScriptRoot 'ProgressCheck.ps1')

#region helpers

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

function Get-BenchEnvironment($Module, [double] $TotalMB) {
    [ordered]@{
        Date              = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
        ProcessorCount    = [Environment]::ProcessorCount
        OS                = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        Runtime           = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell        = $PSVersionTable.PSVersion.ToString()
        ModuleVersion     = $Module.Version.ToString()
        ModulePath        = $ModulePath
        GitCommit         = (& git -C $RepoRoot rev-parse --short HEAD 2>$null)
        LoadAverageAtStart = Get-LoadAverage
        EmulatorUrl       = $Emulator.BaseUrl
        FileCount         = $FileCount
        FileSizeKB        = $FileSizeKB
        TotalMB           = [math]::Round($TotalMB, 2)
    }
}

#endregion

#region 1. Concurrency limit sanity

function Invoke-ControlBurst($Files, [int] $Count) {
    # The control run: $Count uploads at once (Invoke-RestMethod, sent by ForEach-Object -Parallel), each held
    # 500 ms, so that more than the emulator's 10 per company are in flight. Returns the status of each.
    Reset-Emulator
    Add-DelayFault -Operation 'upload-files' -Count $Count -DelayMs 500
    $uploadUri = $script:UploadUri; $authHeader = $script:AuthHeader
    @($Files | Select-Object -First $Count | ForEach-Object -ThrottleLimit $Count -TimeoutSeconds 60 -Parallel {
            try {
                Invoke-RestMethod -Method Post -Uri $using:uploadUri -Headers $using:authHeader -Form @{ file = $_ } -TimeoutSec 30 | Out-Null
                200
            }
            catch { [int] $_.Exception.Response.StatusCode }
        })
}

function Measure-ConcurrencyLimit($Files) {
    Write-Host "`n[1/2] Concurrency: Send-CodatFile -BatchSize 1 -ThrottleLimit 10, every request held 100 ms by a delay fault" -ForegroundColor Cyan
    Assert-TimeBudget 'concurrency check'
    $holdMs = 100
    Reset-Emulator
    Add-DelayFault -Operation 'upload-files' -Count $FileCount -DelayMs $holdMs
    $errors = $null
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $results = @($Files | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -BatchSize 1 -ThrottleLimit 10 `
            @CallBounds -ErrorAction SilentlyContinue -ErrorVariable errors)
    $watch.Stop()
    $summary = Get-RequestSummary
    Assert-StoredFiles 'concurrency check'
    # Control: the same count must see 429s when the limit really is exceeded: 12 uploads at once (two more than
    # the emulator allows per company).
    $controlCount = 12
    $controlStatuses = Invoke-ControlBurst $Files $controlCount
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
    if ($concurrency.Status429 -gt 0) {
        $bugs.Add("429 answers at ThrottleLimit <= 10: $($concurrency.Status429) in the held-requests run.")
    }
    if ($control.Status429 -lt $controlCount - 10) {
        Write-Warning "The control run saw $($control.Status429) x 429 with $controlCount concurrent uploads (expected >= $($controlCount - 10)): the no-429 check above may prove little."
    }
    if ($errors) { $bugs.Add("Concurrency check: Send-CodatFile wrote $(@($errors).Count) error(s): $($errors[0])") }
    $concurrency
}

#endregion

function Write-Findings($Report) {
    $progressReport = $Report.Progress
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
    Write-Host ($Report.Concurrency | Format-List | Out-String).TrimEnd()

    Write-Host "`nLoad average (1/5/15 min): $($Report.Environment.LoadAverageAtStart) at start, $($Report.Environment.LoadAverageAtEnd) at end, on $([Environment]::ProcessorCount) cores."
    Write-Host "`n=== Product bugs found ===" -ForegroundColor Green
    if ($bugs.Count) { $bugs | ForEach-Object { Write-Host "  - $_" -ForegroundColor Yellow } } else { Write-Host '  none' }
}

$report = [ordered]@{}
$bugs = [Collections.Generic.List[string]]::new()
$workDir = Join-Path ([IO.Path]::GetTempPath()) ('codatfiles-bench-' + [guid]::NewGuid().ToString('n'))
$script:Emulator = $null

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

    $report.Environment = Get-BenchEnvironment $module ($totalBytes / $MB)
    Write-Host 'Environment' -ForegroundColor Cyan
    Write-Host ([pscustomobject]$report.Environment | Format-List | Out-String).TrimEnd()

    $report.Concurrency = Measure-ConcurrencyLimit $files
    $report.Progress = Measure-ProgressThrottling $files $apiKey

    $report.Environment.LoadAverageAtEnd = Get-LoadAverage
    $report.ProductBugs = @($bugs)
    $report.TotalSeconds = [math]::Round($Clock.Elapsed.TotalSeconds, 1)

    Write-Findings $report
    $outDir = Split-Path -Parent $OutputPath
    if ($outDir) { New-Item -ItemType Directory -Path $outDir -Force | Out-Null }
    $report | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $OutputPath -Encoding utf8NoBOM
    Write-Host "`nWrote $OutputPath (total $($report.TotalSeconds) s)."
}
finally {
    if ($script:Emulator) { $script:Emulator | Stop-CodatDevEmulator }
    Remove-Item -LiteralPath $workDir -Recurse -Force -ErrorAction SilentlyContinue
}
