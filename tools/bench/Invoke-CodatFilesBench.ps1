#Requires -Version 7.2
<#
.SYNOPSIS
The benchmark of build.ps1 -Task Bench: CodatFiles side by side with curl, an Invoke-RestMethod loop and Codat's
TypeScript SDK, against one local emulator, checked against the goals of issue 9. Writes bench/RESULTS.md.

.DESCRIPTION
Run it through build.ps1 -Task Bench (which builds Release first); -Quick is a small version for development.
It starts one emulator with its own data directory under out/bench/, generates random files, and runs each
contender of each scenario after a warm-up run, interleaved, -Repetitions times. Every PowerShell run is a fresh
pwsh (tools/bench/Invoke-BenchRun.ps1) that times only its job and reports its peak working set; curl, unzip and
node are timed from outside. Before each upload run the emulator is reset; after it, the request log gives the
requests sent and the file list must hold every file, or the run counts as failed. Latency comes from the
emulator's --latency-ms (PUT /_emulator/latency), which a request waits while holding one of its company's 10
slots, as at Codat.

Needs curl and unzip (installed with apt-get when missing, and said so in RESULTS.md) and node with npm, which
installs @codat/files 0.37.0 into out/bench/ts-sdk only. Only 127.0.0.1 is contacted. Every child process is killed
past -RunTimeoutSec and the whole run stops past -TimeBudgetSec.
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [ValidateRange(1, 9)] [int] $Repetitions = 3,
    [ValidateRange(60, 7200)] [int] $TimeBudgetSec = 2400,
    [ValidateRange(10, 900)] [int] $RunTimeoutSec = 300,
    [string] $ResultsPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$ModulePath = Join-Path $RepoRoot 'out/CodatFiles/CodatFiles.psd1'
$BenchOut = Join-Path $RepoRoot 'out/bench'
if (-not $ResultsPath) { $ResultsPath = Join-Path $RepoRoot $(if ($Quick) { 'out/bench/RESULTS-quick.md' } else { 'bench/RESULTS.md' }) }
# The pwsh of this session (under `dotnet pwsh` the process itself is dotnet).
$Pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
$Clock = [Diagnostics.Stopwatch]::StartNew()
$Notes = [Collections.Generic.List[string]]::new()
$LatencyMs = 150

# Sizes: the goals' figures, or a small version of each for development.
$Size = if ($Quick) {
    @{ Small = 200; SmallBytes = 32KB; Scale = @(100, 200, 400); BigCount = 10; BigBytes = 10000000; LoopFiles = 10; Companies = 5; PerCompany = 40 }
} else {
    @{ Small = 2000; SmallBytes = 32KB; Scale = @(500, 2000, 8000); BigCount = 100; BigBytes = 10000000; LoopFiles = 20; Companies = 5; PerCompany = 400 }
}
if ($Quick) { $Repetitions = 1 }

if (-not (Test-Path -LiteralPath $ModulePath)) { throw "The module is not built: run 'dotnet pwsh ./build.ps1 -Task Build' first ($ModulePath is missing)." }

#region tools

function Assert-TimeBudget([string] $Before) {
    if ($Clock.Elapsed.TotalSeconds -gt $TimeBudgetSec) { throw "Time budget of $TimeBudgetSec s exceeded before $Before." }
}

function Get-LoadAverage { if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' } else { 'n/a' } }

function Install-BenchTools {
    $missing = @('curl', 'unzip' | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) })
    if ($missing) {
        $Notes.Add("Installed with apt-get for the bench: $($missing -join ', ').")
        & apt-get install -y -qq @missing | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed." }
    }
    foreach ($tool in 'node', 'npm') { if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "$tool is needed for the TypeScript SDK contender." } }
    $sdk = Join-Path $BenchOut 'ts-sdk'
    if (-not (Test-Path -LiteralPath (Join-Path $sdk 'node_modules/@codat/files/package.json'))) {
        New-Item -ItemType Directory -Path $sdk -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $sdk 'package.json') -Value '{ "name": "codatfiles-bench-ts-sdk", "private": true }'
        & npm install --prefix $sdk --no-audit --no-fund --silent '@codat/files@0.37.0' | Out-Host
        if ($LASTEXITCODE -ne 0) { throw 'npm install @codat/files@0.37.0 failed.' }
    }
    $sdk
}

function Invoke-Timed {
    # Runs a process (bounded by -RunTimeoutSec) under /usr/bin/time for its peak resident set and CPU time when
    # available. Returns ExitCode, Stdout, ElapsedSec (wall clock around the process), PeakWorkingSet (bytes or
    # $null) and CpuSec (user + system seconds of the whole process, or $null).
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $Arguments = @())
    $memoryFile = [IO.Path]::GetTempFileName()
    $gnuTime = Test-Path /usr/bin/time
    $info = [Diagnostics.ProcessStartInfo]::new($(if ($gnuTime) { '/usr/bin/time' } else { $FilePath }))
    if ($gnuTime) { foreach ($a in @('-o', $memoryFile, '-f', '%M %U %S', $FilePath)) { $info.ArgumentList.Add($a) } }
    foreach ($a in $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($RunTimeoutSec * 1000)) {
        $process.Kill($true)
        throw "$FilePath did not finish within $RunTimeoutSec s."
    }
    $process.WaitForExit()
    $watch.Stop()
    $peak = $null; $cpu = $null
    if ($gnuTime) {
        # The last line is ours ('%M %U %S'); GNU time writes a note above it when the process failed.
        $last = (Get-Content -LiteralPath $memoryFile | Where-Object { $_ -match '^\d+ [\d.]+ [\d.]+$' } | Select-Object -Last 1)
        if ($last) {
            $kb, $user, $system = $last -split ' '
            $peak = [long] $kb * 1024
            $cpu = [double]::Parse($user, [cultureinfo]::InvariantCulture) + [double]::Parse($system, [cultureinfo]::InvariantCulture)
        }
    }
    Remove-Item -LiteralPath $memoryFile -Force
    [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result; ElapsedSec = $watch.Elapsed.TotalSeconds; PeakWorkingSet = $peak; CpuSec = $cpu }
}

function Invoke-Control([string] $Method, [string] $Path, $Body) {
    $parameters = @{ Emulator = $script:Emulator; Method = $Method; Path = $Path }
    if ($PSBoundParameters.ContainsKey('Body')) { $parameters.Body = $Body }
    Invoke-CodatDevEmulatorControl @parameters
}

function Set-Latency([int] $Milliseconds) { Invoke-Control PUT 'latency' @{ latencyMs = $Milliseconds } | Out-Null }

function Get-Requests([string] $Operation) {
    @(Invoke-Control GET 'requests' | ForEach-Object { $_ } | Where-Object operation -EQ $Operation)
}

function Get-StoredCount([string] $CompanyId) {
    @(Invoke-RestMethod -Uri "$($Emulator.BaseUrl)/companies/$CompanyId/files" -Headers $AuthHeader -TimeoutSec 120 | ForEach-Object { $_ }).Count
}

function New-Company {
    $company = [guid]::NewGuid().ToString(); $connection = [guid]::NewGuid().ToString()
    Invoke-Control POST 'companies' @{ companyId = $company; connections = @(@{ connectionId = $connection; integration = 'Accounting' }) } | Out-Null
    [pscustomobject]@{ CompanyId = $company; ConnectionId = $connection }
}

function New-BenchFiles([string] $Name, [int] $Count, [int] $Bytes, [int] $Seed) {
    # Random bytes (nothing to compress) named .pdf; made once and kept under out/bench/data.
    $dir = Join-Path $BenchOut "data/$Name"
    $existing = @(if (Test-Path -LiteralPath $dir) { Get-ChildItem -LiteralPath $dir -File })
    if ($existing.Count -eq $Count -and @($existing | Where-Object Length -NE $Bytes).Count -eq 0) { return $dir }
    if (Test-Path -LiteralPath $dir) { Remove-Item -LiteralPath $dir -Recurse -Force }
    New-Item -ItemType Directory -Path $dir -Force | Out-Null
    $random = [Random]::new($Seed)
    $buffer = [byte[]]::new($Bytes)
    for ($i = 1; $i -le $Count; $i++) {
        $random.NextBytes($buffer)
        [IO.File]::WriteAllBytes((Join-Path $dir ('f-{0:d5}.pdf' -f $i)), $buffer)
    }
    $dir
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]]($Values | Sort-Object); $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

#endregion

#region contenders: each returns ElapsedSec, PeakWorkingSet, WorkingSetAfterImport (or $null), Items

function Invoke-PwshJob([string] $Job, [hashtable] $Parameters) {
    $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-BenchRun.ps1'), '-Job', $Job,
        '-ModulePath', $ModulePath, '-ServerUrl', $Emulator.BaseUrl, '-ApiKey', $Emulator.ApiKey)
    foreach ($key in $Parameters.Keys) { $arguments += @("-$key", [string] $Parameters[$key]) }
    $run = Invoke-Timed -FilePath $Pwsh -Arguments $arguments
    if ($run.ExitCode -ne 0) { throw "$Job failed (exit $($run.ExitCode)): $($run.Stderr) $($run.Stdout)" }
    $result = ($run.Stdout -split '\r?\n' | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
    if ($result.ErrorCount -gt 0) { throw "$Job wrote $($result.ErrorCount) error(s): $($result.Errors -join ' | ')" }
    $result
}

function Invoke-NodeSdkLoop([string] $Directory, $Company) {
    $run = Invoke-Timed -FilePath 'node' -Arguments @((Join-Path $PSScriptRoot 'ts-sdk-loop.mjs'), $TsSdk, $Emulator.BaseUrl,
        $Emulator.ApiKey, $Company.CompanyId, $Company.ConnectionId, $Directory)
    if ($run.ExitCode -ne 0) { throw "The TypeScript SDK loop failed (exit $($run.ExitCode)): $($run.Stderr)" }
    $result = ($run.Stdout -split '\r?\n' | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
    if ($result.ErrorCount -gt 0) { throw "The TypeScript SDK loop had $($result.ErrorCount) error(s): $($result.Errors -join ' | ')" }
    [pscustomobject]@{ ElapsedSec = $result.ElapsedSec; Items = $result.Items; PeakWorkingSet = $result.PeakWorkingSet; WorkingSetAfterImport = $null; CpuSec = $run.CpuSec }
}

function Invoke-CurlUpload([string] $Directory, $Company) {
    # 20 files a request, each request a separate transfer (curl's 'next'), 10 at once (--parallel-max 10).
    $uri = "$($Emulator.BaseUrl)/companies/$($Company.CompanyId)/connections/$($Company.ConnectionId)/files"
    $files = @(Get-ChildItem -LiteralPath $Directory -File | Sort-Object Name)
    $config = [Text.StringBuilder]::new()
    for ($i = 0; $i -lt $files.Count; $i += 20) {
        if ($i -gt 0) { [void] $config.AppendLine('next') }
        [void] $config.AppendLine("url = `"$uri`"").AppendLine("header = `"Authorization: $($AuthHeader.Authorization)`"")
        [void] $config.AppendLine('output = "/dev/null"').AppendLine('write-out = "%{http_code}\n"').AppendLine('silent').AppendLine('show-error')
        foreach ($file in $files[$i..([math]::Min($i + 19, $files.Count - 1))]) { [void] $config.AppendLine("form = `"file=@$($file.FullName)`"") }
    }
    $configPath = Join-Path $BenchOut 'curl-upload.cfg'
    Set-Content -LiteralPath $configPath -Value $config.ToString() -NoNewline
    $run = Invoke-Timed -FilePath 'curl' -Arguments @('--parallel', '--parallel-max', '10', '--config', $configPath)
    $codes = @($run.Stdout -split '\s+' | Where-Object { $_ })
    $requests = [math]::Ceiling($files.Count / 20)
    if ($run.ExitCode -ne 0 -or $codes.Count -ne $requests -or @($codes | Where-Object { $_ -ne '200' }).Count) {
        throw "curl upload: exit $($run.ExitCode), statuses $($codes -join ',') $($run.Stderr)"
    }
    [pscustomobject]@{ ElapsedSec = $run.ElapsedSec; Items = $files.Count; PeakWorkingSet = $run.PeakWorkingSet; WorkingSetAfterImport = $null; CpuSec = $run.CpuSec }
}

function Invoke-CurlDownload([string] $CompanyId, [string] $Destination, [switch] $Extract) {
    New-Item -ItemType Directory -Path $Destination -Force | Out-Null
    $zip = Join-Path $Destination 'files.zip'
    $curl = Invoke-Timed -FilePath 'curl' -Arguments @('--silent', '--show-error', '--fail', '-H', "Authorization: $($AuthHeader.Authorization)",
        '-o', $zip, "$($Emulator.BaseUrl)/companies/$CompanyId/files/download")
    if ($curl.ExitCode -ne 0) { throw "curl download failed: $($curl.Stderr)" }
    $elapsed = $curl.ElapsedSec; $peak = $curl.PeakWorkingSet; $cpu = $curl.CpuSec
    if ($Extract) {
        $unzip = Invoke-Timed -FilePath 'unzip' -Arguments @('-q', '-o', $zip, '-d', (Join-Path $Destination 'files'))
        if ($unzip.ExitCode -ne 0) { throw "unzip failed: $($unzip.Stderr)" }
        $elapsed += $unzip.ElapsedSec
        $peak = [math]::Max([long] $peak, [long] $unzip.PeakWorkingSet)
        $cpu = if ($null -ne $cpu -and $null -ne $unzip.CpuSec) { $cpu + $unzip.CpuSec } else { $null }
        Remove-Item -LiteralPath $zip -Force
    }
    [pscustomobject]@{ ElapsedSec = $elapsed; Items = $(if ($Extract) { @(Get-ChildItem -LiteralPath $Destination -File -Recurse).Count } else { 1 }); PeakWorkingSet = $peak; WorkingSetAfterImport = $null; CpuSec = $cpu }
}

#endregion

#region the measuring loop

$Measurements = [Collections.Generic.List[object]]::new()

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

. (Join-Path $PSScriptRoot 'Format-BenchResults.ps1')

$script:Emulator = $null
try {
    Import-Module (Join-Path $RepoRoot 'tools/CodatDevEmulator.psm1') -Force
    $TsSdk = Install-BenchTools
    $loadAtStart = Get-LoadAverage
    $dataDir = Join-Path $BenchOut 'emulator-data'
    if (Test-Path -LiteralPath $dataDir) { Remove-Item -LiteralPath $dataDir -Recurse -Force }
    $script:Emulator = Start-CodatDevEmulator -DataDirectory $dataDir -AdditionalArguments @('--daily-quota', '100000000')
    $AuthHeader = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Emulator.ApiKey)) }
    $company = New-Company
    $reset = { Invoke-Control POST 'reset' | Out-Null }

    Write-Host 'Generating data under out/bench/data ...' -ForegroundColor Cyan
    $small = New-BenchFiles "small-$($Size.Small)" $Size.Small $Size.SmallBytes 1
    $loop = New-BenchFiles "loop-$($Size.LoopFiles)" $Size.LoopFiles $Size.SmallBytes 2
    $big = New-BenchFiles "big-$($Size.BigCount)" $Size.BigCount $Size.BigBytes 3
    $scaleDirs = @{}
    foreach ($n in $Size.Scale) { $scaleDirs[$n] = if ($n -eq $Size.Small) { $small } else { New-BenchFiles "small-$n" $n $Size.SmallBytes (10 + $n) } }
    $companies = @(1..$Size.Companies | ForEach-Object { New-Company })
    $smallFiles = @(Get-ChildItem -LiteralPath $small -File | Sort-Object Name)
    if ($smallFiles.Count -lt $Size.Companies * $Size.PerCompany) { throw 'Not enough small files for the several-companies scenario.' }
    $rowsPath = Join-Path $BenchOut 'rows.csv'
    @(for ($i = 0; $i -lt $Size.Companies; $i++) {
            $smallFiles[($i * $Size.PerCompany)..(($i + 1) * $Size.PerCompany - 1)] | ForEach-Object {
                [pscustomobject]@{ LiteralPath = $_.FullName; CompanyId = $companies[$i].CompanyId; ConnectionId = $companies[$i].ConnectionId }
            }
        }) | Export-Csv -LiteralPath $rowsPath -NoTypeInformation

    # Every file of the run is stored once, and the contender reported each.
    $storedAll = { param($r, $c) $stored = Get-StoredCount $company.CompanyId; if ($stored -ne $c.Files -or $r.Items -ne $c.Files) { throw "$($c.Name): stored $stored, reported $($r.Items); expected $($c.Files)" } }
    $sendSmall = @{ Name = 'CodatFiles (defaults)'; Files = $Size.Small; Bytes = $Size.Small * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'
        Run = { Invoke-PwshJob Send @{ Directory = $small; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId } }; Check = $storedAll }
    $curlSmall = @{ Name = 'curl --parallel (20 a request)'; Files = $Size.Small; Bytes = $Size.Small * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'
        Run = { Invoke-CurlUpload $small $company }; Check = $storedAll }

    # 1. With latency.
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

    # 2. Loopback.
    Measure-Scenario "loopback, $($Size.Small) files of $($Size.SmallBytes / 1KB) KB" @($sendSmall, $curlSmall)
    $bigBytes = [long] $Size.BigCount * $Size.BigBytes
    Measure-Scenario "loopback, $($Size.BigCount) files of $($Size.BigBytes / 1e6) MB" @(
        @{ Name = 'CodatFiles (defaults)'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-PwshJob Send @{ Directory = $big; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId } }; Check = $storedAll }
        @{ Name = 'curl --parallel (20 a request)'; Files = $Size.BigCount; Bytes = $bigBytes; Prepare = $reset; Operation = 'upload-files'
            Run = { Invoke-CurlUpload $big $company }; Check = $storedAll }
    )

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

    # 4. Scale (loopback).
    Measure-Scenario 'scale (loopback)' @(foreach ($n in $Size.Scale) {
            @{ Name = "CodatFiles, $n files"; Files = $n; Bytes = $n * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'; Directory = $scaleDirs[$n]
                Run = { param($c) Invoke-PwshJob Send @{ Directory = $c.Directory; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId } }; Check = $storedAll }
        }
        # What the input alone costs: PowerShell's own Get-ChildItem objects, for reading the memory figures.
        foreach ($n in $Size.Scale[0], $Size.Scale[-1]) {
            @{ Name = "Get-ChildItem | Measure-Object alone, $n files"; Files = $n; Bytes = 0; Directory = $scaleDirs[$n]; Prepare = $null; Check = $null; Operation = $null
                Run = { param($c) Invoke-PwshJob ListInput @{ Directory = $c.Directory } } }
        })

    $loadAtEnd = Get-LoadAverage
    $markdown = Format-BenchResults -LoadAtStart $loadAtStart -LoadAtEnd $loadAtEnd
    New-Item -ItemType Directory -Path (Split-Path -Parent $ResultsPath) -Force | Out-Null
    Set-Content -LiteralPath $ResultsPath -Value $markdown -Encoding utf8NoBOM
    $Measurements | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath ([IO.Path]::ChangeExtension($ResultsPath, '.json')) -Encoding utf8NoBOM
    Write-Host "`n$markdown"
    Write-Host "Wrote $ResultsPath in $([int] $Clock.Elapsed.TotalSeconds) s." -ForegroundColor Green
}
finally {
    if ($script:Emulator) { $script:Emulator | Stop-CodatDevEmulator }
    $dataDir = Join-Path $BenchOut 'emulator-data'
    if (Test-Path -LiteralPath $dataDir) { Remove-Item -LiteralPath $dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}
