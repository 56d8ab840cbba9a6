# The Pester runs of build.ps1 -Task Test (dot-sourced by build.ps1; reads $RepoRoot, $ModuleOut and $Filter from it).
# Each PowerShell version's files run in a few worker processes at once, all running Invoke-PesterSuite.ps1 over one
# shared queue of files (each file runs once, in one worker), and both versions' workers run at the same time. Most of
# the suite's time is spent waiting (on latency, Retry-After, child processes starting), which overlaps well even on
# two cores. Each worker writes its own log, summary and per-file NUnit XML; a worker's log is printed whole when it
# ends, so the output reads file by file, as a serial run's did.

# Workers per version at the start: the whole suite on 7.6, the compatibility set (the longest lane left, once the 7.6
# files are spread over three) on 7.4; one more joins the 7.4 set when xunit's run ends (Invoke-PesterRuns
# -LaneFreedBy). Most of a file's time is waiting (latency, Retry-After, a child pwsh starting), so two cores keep four
# such lanes busy with xunit at low priority beside them (tools/XunitRuns.ps1); a fifth from the start slowed every lane
# (194 s) and starved xunit, and two and one left the cores idle for 43-49 core-seconds of the run.
$PesterWorkerCount = @{ '7.6' = 3; '7.4' = 1 }

function Start-PesterWorker {
    # Starts one worker (a child pwsh of the version) on a thread job; its output goes to its own log file.
    param([string] $Version, [string[]] $Pwsh, [string] $PesterPath, [string] $ResultsDir, [int] $Number, [switch] $CompatibilitySet)
    $name = "pester-$Version-worker$Number"
    $arguments = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'tests/pester/Invoke-PesterSuite.ps1'),
        '-PesterPath', $PesterPath, '-ModulePath', (Join-Path $ModuleOut 'CodatFiles.psd1'), '-SummaryPath', (Join-Path $ResultsDir "$name-summary.json"),
        '-ResultPath', (Join-Path $ResultsDir "pester-$Version.xml"), '-QueuePath', (Join-Path $ResultsDir "pester-$Version-queue"),
        '-QueueOrderPath', (Join-Path $RepoRoot 'tests/pester/SuiteOrder.psd1')) +
        @(if ($CompatibilitySet) { '-CompatibilitySet' }) + @(if ($Filter) { '-NameFilter', $Filter })
    $log = Join-Path $ResultsDir "$name.log"
    $job = Start-LoggedCommand -Name $name -Command (@($Pwsh | Select-Object -First 1) + $arguments) -Log $log
    [pscustomobject]@{ Version = $Version; Name = $name; Job = $job; Log = $log; Summary = (Join-Path $ResultsDir "$name-summary.json")
        Pwsh = $Pwsh; CompatibilitySet = [bool] $CompatibilitySet }
}

function Start-PesterVersion {
    # Starts the workers of one version (the whole suite, or -CompatibilitySet) on its PowerShell set up by
    # build.ps1 (Start-TestToolSetup), or returns the set-up's failure.
    param([string] $Version, $Setup, [string] $PesterPath, [string] $ResultsDir, [int] $Workers, [switch] $CompatibilitySet)
    if (-not $Setup.PSObject.Properties['Pwsh']) { return [pscustomobject]@{ Version = $Version; SetupFailure = $Setup.Failure } }
    $scope = if ($CompatibilitySet) { 'compatibility set' } else { 'whole suite' }
    Write-Host "Pester on PowerShell $Version, ${scope}: $Workers worker(s) started (the built module in child pwsh processes)." -ForegroundColor Cyan
    foreach ($number in 1..$Workers) { Start-PesterWorker $Version $Setup.Pwsh $PesterPath $ResultsDir $number -CompatibilitySet:$CompatibilitySet }
}

function Receive-PesterWorker {
    # Waits for one worker, prints its log, and returns its summary (a missing summary or a failed exit is a failure).
    param($Worker)
    $exit = Receive-LoggedCommand -Job $Worker.Job -Log $Worker.Log -Title "$($Worker.Name) (PowerShell $($Worker.Version))"
    $run = if (Test-Path -LiteralPath $Worker.Summary) { Get-Content -LiteralPath $Worker.Summary -Raw | ConvertFrom-Json }
    else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; FailedNames = @("$($Worker.Name): no summary was written"); PowerShellVersion = '' } }
    if ($exit -ne 0 -and $run.Failed -eq 0) { $run.Failed = 1; $run.FailedNames = @("$($Worker.Name): Pester failed without a failed test (container or discovery error)") }
    if ($run.Passed -gt 0 -and -not "$($run.PowerShellVersion)".StartsWith("$($Worker.Version).")) {
        $run.Failed++; $run.FailedNames = @($run.FailedNames) + "the run was meant for PowerShell $($Worker.Version) but ran on $($run.PowerShellVersion)"
    }
    $run
}

function Invoke-PesterRuns {
    # Runs the Pester suites (the whole suite on 7.6 and the compatibility set on 7.4, or the whole suite on
    # -PowerShellVersion) and returns one result per version: label, counts, and failures prefixed with the version.
    param([string] $PesterPath,
        # Per version, its set-up from build.ps1's Receive-TestToolSetup: Pwsh (the command) or Failure.
        [hashtable] $PowerShell, [string] $ResultsDir, [string] $OnlyVersion,
        # A job whose end frees a lane: one more worker then joins the compatibility set (or the one suite run).
        $LaneFreedBy)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $plans = if ($OnlyVersion) { @(@{ Version = $OnlyVersion; Set = $false }) } else { @(@{ Version = '7.6'; Set = $false }, @{ Version = '7.4'; Set = $true }) }
    $started = @(foreach ($plan in $plans) {
            $workers = if ($plan.Set) { $PesterWorkerCount[$plan.Version] } else { $PesterWorkerCount['7.6'] }
            Start-PesterVersion $plan.Version $PowerShell[$plan.Version] $PesterPath $ResultsDir $workers -CompatibilitySet:$plan.Set
        })
    $summaries = @{}
    foreach ($plan in $plans) { $summaries[$plan.Version] = [Collections.Generic.List[object]]::new() }
    foreach ($item in $started | Where-Object { $_.PSObject.Properties['SetupFailure'] }) {
        $summaries[$item.Version].Add([pscustomobject]@{ Passed = 0; Failed = 1; FailedNames = @($item.SetupFailure -replace '^\[PowerShell [^\]]+\] ', '') })
    }
    $pending = [Collections.Generic.List[object]]::new(@($started | Where-Object { $_.PSObject.Properties['Job'] }))
    $freedBy = $LaneFreedBy
    while ($pending.Count -gt 0) {
        # Whichever worker ends first is printed first, so the log grows while the others still run.
        $done = Wait-Job -Job @(@($pending | ForEach-Object Job) + @($freedBy | Where-Object { $_ })) -Any
        if ($freedBy -and $done.Id -eq $freedBy.Id) {
            # A file another worker claimed stays with it; with none left, the new worker ends at once.
            $freedBy = $null
            $joined = @($pending | Where-Object CompatibilitySet) + @($pending) | Select-Object -First 1
            $number = 1 + @($pending | Where-Object Version -EQ $joined.Version).Count + $summaries[$joined.Version].Count
            $pending.Add((Start-PesterWorker $joined.Version $joined.Pwsh $PesterPath $ResultsDir $number -CompatibilitySet:$joined.CompatibilitySet))
            continue
        }
        $worker = $pending | Where-Object { $_.Job.Id -eq $done.Id } | Select-Object -First 1
        [void] $pending.Remove($worker)
        $summaries[$worker.Version].Add((Receive-PesterWorker $worker))
    }
    foreach ($plan in $plans) {
        $runs = $summaries[$plan.Version]
        $label = "Pester on $($plan.Version) ($(if ($plan.Set) { 'compatibility set' } else { 'whole suite' }))"
        $passed = [int] ($runs | Measure-Object -Property Passed -Sum).Sum
        $failed = [int] ($runs | Measure-Object -Property Failed -Sum).Sum
        Write-Host "${label}: $passed passed, $failed failed ($($runs.Count) worker(s); all Pester runs so far $([math]::Round($watch.Elapsed.TotalSeconds)) s)"
        [pscustomobject]@{ Label = $label; Passed = $passed; Failed = $failed
            FailedNames = @($runs | ForEach-Object { @($_.FailedNames) } | Where-Object { $_ } | ForEach-Object { "[PowerShell $($plan.Version)] $_" }) }
    }
}
