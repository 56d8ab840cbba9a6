# Dot-sourced by Invoke-CodatFilesBench.ps1: turns its measurements into bench/RESULTS.md (tables per scenario and
# the goals of issue 9 with their measured ratios). Reads the bench script's $Measurements, $Size, $LatencyMs,
# $Repetitions, $Notes, $Quick and $RepoRoot.

function Format-Number([double] $Value, [string] $Format = 'n2') { if ([double]::IsNaN($Value)) { 'n/a' } else { $Value.ToString($Format, [cultureinfo]::InvariantCulture) } }

function Format-Seconds($Seconds) { if ($null -eq $Seconds) { 'n/a' } else { Format-Number $Seconds 'n2' } }

function Format-MB($Bytes) { if ($null -eq $Bytes) { 'n/a' } else { Format-Number ($Bytes / 1MB) 'n0' } }

function Get-Slope([double[]] $X, [double[]] $Y) {
    # Least squares: slope, intercept and R² of Y = slope × X + intercept.
    $n = $X.Count; $mx = ($X | Measure-Object -Average).Average; $my = ($Y | Measure-Object -Average).Average
    $sxy = 0.0; $sxx = 0.0; $syy = 0.0
    for ($i = 0; $i -lt $n; $i++) { $sxy += ($X[$i] - $mx) * ($Y[$i] - $my); $sxx += ($X[$i] - $mx) * ($X[$i] - $mx); $syy += ($Y[$i] - $my) * ($Y[$i] - $my) }
    $slope = $sxy / $sxx
    [pscustomobject]@{ Slope = $slope; Intercept = $my - $slope * $mx; R2 = if ($syy -gt 0) { ($sxy * $sxy) / ($sxx * $syy) } else { 1.0 } }
}

function Add-ResultsHeader([Collections.Generic.List[string]] $Md, [string] $LoadAtStart, [string] $LoadAtEnd) {
    # The title, where and how it was measured, and what each column means.
    $commit = (& git -C $RepoRoot rev-parse --short HEAD 2>$null)
    $Md.Add("# CodatFiles benchmark results$(if ($Quick) { ' (quick mode: small sizes, 1 run, not for the goals)' })")
    $Md.Add('')
    $curlVersion = ((& curl --version | Select-Object -First 1) -split ' ')[0..1] -join ' '
    $nodeVersion = & node --version
    $os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
    $runtime = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    $task = if ($Quick) { 'build.ps1 -Task Bench -Quick' } else { 'build.ps1 -Task Bench' }
    $Md.Add("Measured $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC at commit $commit by $task on $([Environment]::ProcessorCount) cores: $os, $runtime, PowerShell $($PSVersionTable.PSVersion), $curlVersion, node $nodeVersion, @codat/files 0.37.0.")
    $Md.Add('')
    $Md.Add("Load average (1/5/15 min) $LoadAtStart at the start and $LoadAtEnd at the end, on $([Environment]::ProcessorCount) cores: the machine is shared with other sessions that build and test, so absolute times move between runs; the contenders of a scenario run interleaved in the same minutes, which keeps their ratios fair.")
    $Md.Add('')
    $Md.Add("Each contender ran once unmeasured, then $Repetitions measured time(s), interleaved; times are the median (min$([char]0x2013)max). One emulator on 127.0.0.1 (its own data directory under out/bench/); latency is its ``--latency-ms`` (held with the company's concurrency slot, as at Codat). " +
        'PowerShell contenders run in a fresh pwsh each and time only the job (import excluded); curl, unzip and node are timed as whole processes. CPU s: the contender''s CPU time, user + system over all its threads (pwsh: during the job only; curl, unzip and node: the whole process, from GNU time); emulator CPU s: what the emulator process spent during the same run. Both share the machine''s cores, so a run whose two CPU figures add up to about the core count times its time was CPU-bound. Peak working set: the process''s high-water mark of resident memory (pwsh: PeakWorkingSet64; others: GNU time''s maximum RSS); growth is the peak less the working set after import. Requests are counted by the emulator. MB = 2^20 bytes. Files are random bytes named .pdf.')
    foreach ($note in $Notes) { $Md.Add(''); $Md.Add($note) }
}

function Add-ScenarioTables([Collections.Generic.List[string]] $Md) {
    # One table a scenario, each contender's time also as a ratio to CodatFiles' (none for the downloads, whose
    # contenders do different jobs).
    foreach ($scenario in ($Measurements | ForEach-Object Scenario | Select-Object -Unique)) {
        $rows = @($Measurements | Where-Object Scenario -EQ $scenario)
        $reference = $rows | Where-Object Name -Like 'CodatFiles*' | Select-Object -First 1
        if ($scenario -like 'download*') { $reference = $null }
        $Md.Add(''); $Md.Add("## $scenario"); $Md.Add('')
        $Md.Add("| contender | median s (min$([char]0x2013)max) | files/s | MB/s | requests | CPU s | emulator CPU s | peak WS MB | growth MB | time ÷ CodatFiles |")
        $Md.Add('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
        foreach ($row in $rows) {
            $ratio = if ($reference) { Format-Number ($row.MedianSec / $reference.MedianSec) } else { '' }
            $name = if ($row.Scaled) { "$($row.Name) (ran $($row.Files) files, scaled per file)" } else { $row.Name }
            $files = if ($row.Scaled) { $Size.Small } else { $row.Files }
            $Md.Add("| $name | $(Format-Number $row.MedianSec 'n3') ($(Format-Number $row.MinSec 'n3')$([char]0x2013)$(Format-Number $row.MaxSec 'n3')) | $(Format-Number ($files / $row.MedianSec) 'n0') | " +
                "$(if ($row.Bytes) { Format-Number (($row.Bytes * ($files / $row.Files)) / 1MB / $row.MedianSec) 'n1' } else { '' }) | $($row.Requests) | $(Format-Seconds $row.CpuSec) | $(Format-Seconds $row.EmulatorCpuSec) | $(Format-MB $row.PeakWorkingSet) | $(Format-MB $row.MemoryGrowth) | $ratio |")
        }
    }
}

function Add-EmulatorCapacity([Collections.Generic.List[string]] $Md) {
    # What the emulator sustains, read from curl's runs (curl itself costs next to nothing).
    $Md.Add(''); $Md.Add('## What the emulator sustains (from the curl runs)'); $Md.Add('')
    $Md.Add('| load | requests/s | files/s | MB/s |'); $Md.Add('|---|---:|---:|---:|')
    foreach ($row in @($Measurements | Where-Object { $_.Name -like 'curl*' })) {
        $Md.Add("| $($row.Scenario): $($row.Name) | $(Format-Number ($row.Requests / $row.MedianSec) 'n1') | $(Format-Number ($row.Files / $row.MedianSec) 'n0') | $(Format-Number ($row.Bytes / 1MB / $row.MedianSec) 'n1') |")
    }
}

function Get-BenchGoals {
    # The goals of issue 9, each with its measured figure and whether it was met.
    $goals = [Collections.Generic.List[object]]::new()
    function Add-Goal([string] $Goal, [double] $Measured, [string] $Shown, [bool] $Met) { $goals.Add([pscustomobject]@{ Goal = $Goal; Measured = $Shown; Met = $Met }) }
    $latency = "latency $LatencyMs ms, $($Size.Small) files"
    $cf = Get-Measurement $latency 'CodatFiles (defaults)'
    $curl = Get-Measurement $latency 'curl --parallel (20 a request)'
    $r = $cf.MedianSec / $curl.MedianSec; Add-Goal "Latency, $($Size.Small) files: CodatFiles ≤ 1.0x curl" $r "$(Format-Number $r)x" ($r -le 1.0)
    foreach ($loop in 'Invoke-RestMethod loop', 'TypeScript SDK loop') {
        $m = Get-Measurement $latency $loop
        $r = $m.MedianSec / $cf.MedianSec; Add-Goal "Latency: CodatFiles ≥ 100x faster than the $loop" $r "$(Format-Number $r 'n0')x" ($r -ge 100)
    }
    $floor = [math]::Ceiling($Size.Small / 200) * $LatencyMs / 1000
    $r = $cf.MedianSec / $floor; Add-Goal "Latency: ratio to the floor ceil(N/200) × $LatencyMs ms = $(Format-Number $floor 'n2') s (reported)" $r "$(Format-Number $r)x" $true
    $max = [math]::Ceiling($Size.Small / 20); Add-Goal "Latency: at most ceil(N/20) = $max requests" $cf.Requests "$($cf.Requests)" ($cf.Requests -le $max)

    $loop = "loopback, $($Size.Small) files of $($Size.SmallBytes / 1KB) KB"
    $r = (Get-Measurement $loop 'CodatFiles (defaults)').MedianSec / (Get-Measurement $loop 'curl --parallel (20 a request)').MedianSec
    Add-Goal "Loopback, $($Size.Small) small files: ≤ 1.1x curl" $r "$(Format-Number $r)x" ($r -le 1.1)

    $bigScenario = "loopback, $($Size.BigCount) files of $($Size.BigBytes / 1e6) MB"
    $bigCf = Get-Measurement $bigScenario 'CodatFiles (defaults)'
    $r = $bigCf.MedianSec / (Get-Measurement $bigScenario 'curl --parallel (20 a request)').MedianSec
    Add-Goal "$($Size.BigCount) files of 10 MB: ≤ 1.2x curl" $r "$(Format-Number $r)x" ($r -le 1.2)
    Add-Goal "$($Size.BigCount) files of 10 MB: pwsh peak ≤ 64 MB above post-import" $bigCf.MemoryGrowth "$(Format-MB $bigCf.MemoryGrowth) MB" ($bigCf.MemoryGrowth -le 64MB)

    $download = @($Measurements | Where-Object Scenario -Like 'download*')[0].Scenario
    foreach ($pair in @(@('Save-CodatFiles (extracted)', 'curl -o + unzip'), @('Save-CodatFiles -AsArchive', 'curl -o'))) {
        $mine = Get-Measurement $download $pair[0]
        $r = $mine.MedianSec / (Get-Measurement $download $pair[1]).MedianSec
        Add-Goal "Download ($download): $($pair[0]) ≤ 1.0x $($pair[1])" $r "$(Format-Number $r)x" ($r -le 1.0)
        Add-Goal "Download: $($pair[0]) peak ≤ 64 MB above post-import" $mine.MemoryGrowth "$(Format-MB $mine.MemoryGrowth) MB" ($mine.MemoryGrowth -le 64MB)
    }

    $scale = @($Size.Scale | ForEach-Object { Get-Measurement 'scale (loopback)' "CodatFiles, $_ files" })
    $fit = Get-Slope ([double[]] $Size.Scale) ([double[]] @($scale.MedianSec))
    $perFileLast = $scale[-1].MedianSec / $Size.Scale[-1]; $perFileMiddle = $scale[1].MedianSec / $Size.Scale[1]
    $r = $perFileLast / $perFileMiddle
    Add-Goal "Scale $($Size.Scale -join '/'): linear (slope $(Format-Number ($fit.Slope * 1000) 'n3') s per 1,000 files, R² $(Format-Number $fit.R2 'n4'); per-file time at $($Size.Scale[-1]) ÷ at $($Size.Scale[1]) ≤ 1.2)" $r "$(Format-Number $r)" ($r -le 1.2)
    $r = $scale[-1].PeakWorkingSet / $scale[0].PeakWorkingSet
    $inputSmall = Get-Measurement 'scale (loopback)' "Get-ChildItem | Measure-Object alone, $($Size.Scale[0]) files"
    $inputLarge = Get-Measurement 'scale (loopback)' "Get-ChildItem | Measure-Object alone, $($Size.Scale[-1]) files"
    Add-Goal ("Scale: peak working set at $($Size.Scale[-1]) ≤ 1.2x at $($Size.Scale[0]) ($(Format-MB $scale[-1].PeakWorkingSet) vs $(Format-MB $scale[0].PeakWorkingSet) MB; " +
        "Get-ChildItem alone grows $(Format-MB $inputSmall.MemoryGrowth) and $(Format-MB $inputLarge.MemoryGrowth) MB there, the module's share is the rest of the growth)") $r "$(Format-Number $r)x" ($r -le 1.2)

    $companies = "latency $LatencyMs ms, $($Size.Companies) companies x $($Size.PerCompany) files"
    $r = (Get-Measurement $companies 'CodatFiles, company by company').MedianSec / (Get-Measurement $companies 'CodatFiles, one call').MedianSec
    Add-Goal "$($Size.Companies) companies x $($Size.PerCompany) files, latency: one call ≥ 3x faster than company by company" $r "$(Format-Number $r)x" ($r -ge 3)
    , $goals
}

function Format-BenchResults([string] $LoadAtStart, [string] $LoadAtEnd) {
    $md = [Collections.Generic.List[string]]::new()
    Add-ResultsHeader $md $LoadAtStart $LoadAtEnd
    Add-ScenarioTables $md
    Add-EmulatorCapacity $md
    $goals = Get-BenchGoals
    $md.Add(''); $md.Add('## Goals (issue 9)'); $md.Add('')
    $md.Add('| goal | measured | met |'); $md.Add('|---|---:|---|')
    foreach ($g in $goals) { $md.Add("| $($g.Goal) | $($g.Measured) | $(if ($g.Met) { 'yes' } else { '**no**' }) |") }
    $md -join "`n"
}
