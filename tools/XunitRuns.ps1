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
    # build.ps1 -Filter as a test-case filter: the xunit tests whose full name contains it.
    if ($Filter) { '--filter'; "FullyQualifiedName~$Filter" }
}

function Start-XunitRun {
    # Starts xunit as soon as the solution is compiled, in processes of its own, beside the module layout, the
    # packaging and then the Pester workers, at low priority (nice 10, where the system has nice): its tests run on
    # fake clocks, so a slow start or a pause fails none of them (the four RealTime ones, the
    # built emulator as a process, wait up to a minute: BuiltEmulatorProcess.Patience), and the Pester workers, whose
    # waits make the run's longest path, get the cores first while xunit takes what they leave. Its console output goes
    # to a log printed when it ends.
    param([string] $ResultsDir)
    New-Item -ItemType Directory -Path $ResultsDir -Force | Out-Null
    $log = Join-Path $ResultsDir 'xunit.log'
    $lowPriority = if (Get-Command nice -CommandType Application -ErrorAction Ignore) { @('nice', '-n', '10') } else { @() }
    # The test hosts get the JIT settings of every test process ($TestProcessJitSettings, tools/BuildSupport.ps1) on
    # dotnet test's command line: build.ps1 sets them in its environment only after this run has started, once the
    # build steps that run beside it are done.
    $results = Join-Path $ResultsDir 'xunit'
    $jit = foreach ($setting in $TestProcessJitSettings.GetEnumerator()) { '--environment'; "$($setting.Key)=$($setting.Value)" }
    $command = $lowPriority + @('dotnet', 'test', $Solution, '-c', $Configuration, '--no-build', '--nologo') + @($jit) + @(
        '--logger', 'trx', '--logger', 'console;verbosity=normal', '--results-directory', $results) + @(XunitFilter)
    [pscustomobject]@{ Job = (Start-LoggedCommand -Name 'xunit' -Command $command -Log $log); Log = $log; ResultsPath = $results }
}

function Stop-XunitRun {
    # Ends a run that is no longer wanted (a build step after its start failed): dotnet test with everything it
    # started. Stopping the job alone ended dotnet test but left its MSBuild node running, holding the job's output
    # pipe, and build.ps1 then never exited.
    param($Run)
    Get-Process -Name dotnet -ErrorAction Ignore | Where-Object { "$($_.CommandLine)".Contains($Run.ResultsPath) } |
        ForEach-Object { try { $_.Kill($true) } catch { Write-Verbose "xunit ended meanwhile: $_" } }
    Stop-Job -Job $Run.Job
    Remove-Job -Job $Run.Job -Force
}

function Receive-XunitRun {
    # Waits for xunit, prints its log and returns its counts and failures.
    param($Run, [string] $ResultsDir)
    $exit = Receive-LoggedCommand -Job $Run.Job -Log $Run.Log -Title 'xunit (client, emulator and cmdlet assembly)'
    $xunit = Get-TrxCounts -Directory (Join-Path $ResultsDir 'xunit')
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    if ($exit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1; Write-Host 'dotnet test failed without a failed test (build or host error).' -ForegroundColor Red }
    [pscustomobject]@{ Label = 'xunit'; Passed = $xunit.Passed; Failed = $xunit.Failed; FailedNames = @($xunit.FailedNames) }
}
