# Dot-sourced by Invoke-CodatFilesBench.ps1: the measuring loop (Measure-Scenario, into the script's $Measurements) and
# the scenarios of the benchmark. The contenders' script blocks run inside Measure-Scenario and read the data the
# script made ($small, $loop, $big, $scaleDirs, $company, $companies, $rowsPath, $bigBytes) and its $reset,
# $storedAll, $sendSmall and $curlSmall.

#region the measuring loop

function Get-EmulatorCpuSec {
    # The emulator's user + system time so far: read around each run, so each contender's row shows what the server
    # spent on its requests (both share this machine's cores).
    $Emulator.Process.Refresh()
    $Emulator.Process.TotalProcessorTime.TotalSeconds
}

function Get-MedianOrNull([object[]] $Values, [double] $Scale) {
    $known = [double[]]@($Values | Where-Object { $null -ne $_ })
    if ($known.Count -eq 0 -or $known.Count -ne $Values.Count) { return $null }
    (Get-Median $known) * $Scale
}

function Measure-Scenario {
    <#
    Runs each contender once unmeasured, then -Repetitions measured rounds, interleaved. A contender is a hashtable:
    Name, Run (scriptblock returning a contender result), Prepare (scriptblock run before each run, e.g. a reset),
    Check (scriptblock given the result; throws when the job was not done), Operation (request log to count),
    ScaleTo (per-file time scaled to this many files; for the loops run on a subset).
    #>
    param([Parameter(Mandatory)] [string] $Scenario, [Parameter(Mandatory)] [hashtable[]] $Contenders)
    Assert-TimeBudget $Scenario
    Write-Host "`n== $Scenario ==" -ForegroundColor Cyan
    $runs = @{}
    foreach ($c in $Contenders) { $runs[$c.Name] = [Collections.Generic.List[object]]::new() }
    for ($round = 0; $round -le $Repetitions; $round++) {
        foreach ($c in $Contenders) {
            Assert-TimeBudget "$Scenario / $($c.Name)"
            if ($c.Prepare) { & $c.Prepare }
            Invoke-Control DELETE 'requests' | Out-Null
            $emulatorCpuBefore = Get-EmulatorCpuSec
            $result = & $c.Run $c
            $emulatorCpu = (Get-EmulatorCpuSec) - $emulatorCpuBefore
            if ($c.Check) { & $c.Check $result $c }
            $requests = if ($c.Operation) { (Get-Requests $c.Operation).Count } else { $null }
            $label = if ($round -eq 0) { 'warm-up' } else { "run $round" }
            Write-Host ('  {0,-8} {1,-34} {2,8:n3} s  {3} request(s)  peak {4:n0} MB  CPU {5:n2} s  emulator CPU {6:n2} s' -f $label, $c.Name, $result.ElapsedSec, $requests, ($result.PeakWorkingSet / 1MB), $result.CpuSec, $emulatorCpu)
            if ($round -gt 0) { $runs[$c.Name].Add([pscustomobject]@{ Result = $result; Requests = $requests; EmulatorCpuSec = $emulatorCpu }) }
        }
    }
    foreach ($c in $Contenders) {
        $list = $runs[$c.Name]
        $times = [double[]]@($list | ForEach-Object { $_.Result.ElapsedSec })
        $scale = if ($c.ContainsKey('ScaleTo') -and $c.ScaleTo) { $c.ScaleTo / [double] $c.Files } else { 1.0 }
        $growth = @($list | Where-Object { $null -ne $_.Result.WorkingSetAfterImport } | ForEach-Object { $_.Result.PeakWorkingSet - $_.Result.WorkingSetAfterImport })
        $Measurements.Add([pscustomobject]@{
                Scenario       = $Scenario
                Name           = $c.Name
                Files          = $c.Files
                Bytes          = $c.Bytes
                Scaled         = $scale -ne 1.0
                MedianSec      = (Get-Median $times) * $scale
                MinSec         = ($times | Measure-Object -Minimum).Minimum * $scale
                MaxSec         = ($times | Measure-Object -Maximum).Maximum * $scale
                Requests       = [int](Get-Median ([double[]]@($list | ForEach-Object { [double] $_.Requests })))
                PeakWorkingSet = ($list | ForEach-Object { [double] $_.Result.PeakWorkingSet } | Measure-Object -Maximum).Maximum
                MemoryGrowth   = if ($growth) { ($growth | Measure-Object -Maximum).Maximum } else { $null }
                CpuSec         = Get-MedianOrNull @($list | ForEach-Object { $_.Result.CpuSec }) $scale
                EmulatorCpuSec = Get-MedianOrNull @($list | ForEach-Object { $_.EmulatorCpuSec }) $scale
            })
    }
}

function Get-Measurement([string] $Scenario, [string] $Name) {
    $m = @($Measurements | Where-Object { $_.Scenario -eq $Scenario -and $_.Name -eq $Name })
    if ($m.Count -ne 1) { throw "No single measurement '$Name' in '$Scenario'." }
    $m[0]
}

#endregion

#region the scenarios

function Measure-LatencyScenarios {
    # 1. With latency: one company, then several companies in one call against company by company.
    Set-Latency $LatencyMs
    Measure-Scenario "latency $LatencyMs ms, $($Size.Small) files" @(
        $sendSmall
        $curlSmall
        @{ Name = 'Invoke-RestMethod loop'; Files = $Size.LoopFiles; ScaleTo = $Size.Small; Bytes = $Size.LoopFiles * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-PwshJob RestLoop @{ Directory = $loop; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId } }; Check = $storedAll }
        @{ Name = 'TypeScript SDK loop'; Files = $Size.LoopFiles; ScaleTo = $Size.Small; Bytes = $Size.LoopFiles * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-NodeSdkLoop $loop $company }; Check = $storedAll }
    )
    $perCompanyCheck = { param($r) foreach ($c in $companies) { $n = Get-StoredCount $c.CompanyId; if ($n -ne $Size.PerCompany) { throw "company $($c.CompanyId): $n stored" } } }
    Measure-Scenario "latency $LatencyMs ms, $($Size.Companies) companies x $($Size.PerCompany) files" @(
        @{ Name = 'CodatFiles, one call'; Files = $Size.Companies * $Size.PerCompany; Bytes = 0; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-PwshJob SendRows @{ RowsPath = $rowsPath } }; Check = $perCompanyCheck }
        @{ Name = 'CodatFiles, company by company'; Files = $Size.Companies * $Size.PerCompany; Bytes = 0; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-PwshJob SendByCompany @{ RowsPath = $rowsPath } }; Check = $perCompanyCheck }
    )
    Set-Latency 0
}

function Measure-LoopbackScenarios {
    # 2. Loopback: the small files, then the big ones.
    Measure-Scenario "loopback, $($Size.Small) files of $($Size.SmallBytes / 1KB) KB" @($sendSmall, $curlSmall)
    Measure-Scenario "loopback, $($Size.BigCount) files of $($Size.BigBytes / 1e6) MB" @(
        @{ Name = 'CodatFiles (defaults)'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-PwshJob Send @{ Directory = $big; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId } }; Check = $storedAll }
        @{ Name = 'curl --parallel (20 a request)'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-CurlUpload $big $company }; Check = $storedAll }
    )
}

function Measure-DownloadScenario {
    # 3. Download of the big files' archive (uploaded once).
    & $reset
    $null = Invoke-PwshJob Send @{ Directory = $big; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
    $downloadDir = Join-Path $BenchOut 'download'
    $clearDownload = { if (Test-Path -LiteralPath $downloadDir) { Remove-Item -LiteralPath $downloadDir -Recurse -Force } }
    $extractedCheck = { param($r) $n = @(Get-ChildItem -LiteralPath $downloadDir -File -Recurse | Where-Object Name -NE 'files.zip').Count; if ($n -ne $Size.BigCount) { throw "$n files extracted" } }
    $archiveCheck = { param($r) $zips = @(Get-ChildItem -LiteralPath $downloadDir -File -Recurse -Filter *.zip); if ($zips.Count -ne 1 -or $zips[0].Length -lt $bigBytes) { throw "expected one archive of at least $bigBytes bytes" } }
    Measure-Scenario "download, $($Size.BigCount) files of $($Size.BigBytes / 1e6) MB ($([math]::Round($bigBytes / 1e9, 2)) GB)" @(
        @{ Name = 'Save-CodatFiles (extracted)'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $clearDownload; Operation = 'download-files'
            Run = { Invoke-PwshJob Save @{ CompanyId = $company.CompanyId; Destination = $downloadDir } }; Check = $extractedCheck }
        @{ Name = 'curl -o + unzip'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $clearDownload; Operation = 'download-files'
            Run = { Invoke-CurlDownload $company.CompanyId $downloadDir -Extract }; Check = $extractedCheck }
        @{ Name = 'Save-CodatFiles -AsArchive'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $clearDownload; Operation = 'download-files'
            Run = { Invoke-PwshJob SaveArchive @{ CompanyId = $company.CompanyId; Destination = $downloadDir } }; Check = $archiveCheck }
        @{ Name = 'curl -o'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $clearDownload; Operation = 'download-files'
            Run = { Invoke-CurlDownload $company.CompanyId $downloadDir }; Check = $archiveCheck }
    )
    & $clearDownload
}

function Measure-ScaleScenario {
    # 4. Scale (loopback): the slope over the file counts, and what the input alone costs.
    Measure-Scenario 'scale (loopback)' @(foreach ($n in $Size.Scale) {
            @{ Name = "CodatFiles, $n files"; Files = $n; Bytes = $n * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'; Directory = $scaleDirs[$n]
                Run = { param($c) Invoke-PwshJob Send @{ Directory = $c.Directory; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId } }; Check = $storedAll }
        }
        # What the input alone costs: PowerShell's own Get-ChildItem objects, for reading the memory figures.
        foreach ($n in $Size.Scale[0], $Size.Scale[-1]) {
            @{ Name = "Get-ChildItem | Measure-Object alone, $n files"; Files = $n; Bytes = 0; Directory = $scaleDirs[$n]; Prepare = $null; Check = $null; Operation = $null
                Run = { param($c) Invoke-PwshJob ListInput @{ Directory = $c.Directory } } }
        })
}

#endregion
