# The xunit runs of build.ps1 (dot-sourced by build.ps1; reads $Solution, $Configuration and $Filter from it).

function Get-TrxCounts {
    # Sums the counters of the TRX files written by 'dotnet test'.
    param([string] $Directory)
    $passed = 0; $failed = 0; $skipped = 0; $failedNames = [System.Collections.Generic.List[string]]::new()
    foreach ($file in Get-ChildItem -LiteralPath $Directory -Filter '*.trx' -Recurse) {
        [xml] $trx = Get-Content -LiteralPath $file.FullName -Raw
        $counters = $trx.TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        $skipped += [int] $counters.notExecuted
        foreach ($result in @($trx.TestRun.ChildNodes | Where-Object LocalName -EQ 'Results' | ForEach-Object ChildNodes) | Where-Object { $_ -and $_.outcome -notin 'Passed', 'NotExecuted' }) { # none under a -Filter that matched nothing
            $message = "$($result.Output.ErrorInfo.Message)" -replace '\s+', ' '
            $failedNames.Add("$($result.testName): $($message.Trim())")
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped; FailedNames = $failedNames.ToArray() }
}

function XunitFilter {
    # build.ps1 -Filter as a test-case filter (xunit tests whose full name contains it), joined to -Also when given.
    param([string] $Also)
    $parts = @(if ($Also) { "($Also)" }) + @(if ($Filter) { "(FullyQualifiedName~$Filter)" })
    if ($parts) { '--filter'; $parts -join '&' }
}

function Start-XunitRun {
    # Starts xunit beside the Pester workers in two runs of processes of their own: the tests that wait on the real
    # clock (Category=RealTime: the built emulator as a process, with generous bounds) at normal priority, and the rest
    # at low priority (nice 10, where the system has nice). Those run on fake clocks, so a slow start or a pause fails
    # none of them, and the Pester workers, whose waits make the run's longest path, get the cores first while xunit
    # takes what they leave: with three 7.6 workers and two 7.4 ones, 130-136 s against 155-168 s without it, and
    # 141-151 s for the earlier two and one. Each run's console output goes to a log printed when it ends.
    param([string] $ResultsDir)
    New-Item -ItemType Directory -Path $ResultsDir -Force | Out-Null
    $lowPriority = if (Get-Command nice -CommandType Application -ErrorAction Ignore) { @('nice', '-n', '10') } else { @() }
    foreach ($run in @(@{ Name = 'xunit'; Only = 'Category!=RealTime'; Prefix = $lowPriority }, @{ Name = 'xunit-realtime'; Only = 'Category=RealTime'; Prefix = @() })) {
        $log = Join-Path $ResultsDir "$($run.Name).log"
        $command = @($run.Prefix) + @('dotnet', 'test', $Solution, '-c', $Configuration, '--no-build', '--nologo', '--logger', 'trx',
            '--logger', 'console;verbosity=normal', '--results-directory', (Join-Path $ResultsDir 'xunit')) + @(XunitFilter -Also $run.Only)
        $job = Start-ThreadJob -Name $run.Name -ArgumentList $command, $log -ScriptBlock {
            param($Command, $Log)
            & $Command[0] @($Command | Select-Object -Skip 1) *> $Log
            $LASTEXITCODE
        }
        [pscustomobject]@{ Name = $run.Name; Job = $job; Log = $log }
    }
}

function Receive-XunitRun {
    # Waits for the xunit runs, prints their logs and returns their counts and failures (from the TRX files of both).
    param([object[]] $Runs, [string] $ResultsDir)
    $hostErrors = 0
    foreach ($run in $Runs) {
        $exit = @($run.Job | Wait-Job | Receive-Job)[-1]
        Remove-Job -Job $run.Job
        Write-Host "`n=== $($run.Name) (client, emulator and cmdlet assembly) ===" -ForegroundColor Cyan
        if (Test-Path -LiteralPath $run.Log) { Get-Content -LiteralPath $run.Log | Out-Host }
        if ($exit -ne 0) { $hostErrors++ }
    }
    $xunit = Get-TrxCounts -Directory (Join-Path $ResultsDir 'xunit')
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    if ($hostErrors -gt 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1; Write-Host 'dotnet test failed without a failed test (build or host error).' -ForegroundColor Red }
    [pscustomobject]@{ Label = 'xunit'; Passed = $xunit.Passed; Failed = $xunit.Failed; FailedNames = @($xunit.FailedNames) }
}
