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

# Shared with Measure-CodatFiles.ps1 (time budget, load average, median, emulator control), then this benchmark's
# contenders, its measuring loop and scenarios, and the writing of RESULTS.md.
. (Join-Path $PSScriptRoot 'BenchSupport.ps1')
. (Join-Path $PSScriptRoot 'BenchContenders.ps1')
. (Join-Path $PSScriptRoot 'BenchScenarios.ps1')
. (Join-Path $PSScriptRoot 'Format-BenchResults.ps1')

#region tools

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

function New-CompanyRows([object[]] $Files, [object[]] $Companies) {
    # The several-companies scenario's input: a CSV of LiteralPath, CompanyId and ConnectionId, -PerCompany files a
    # company. Returns its path.
    if ($Files.Count -lt $Size.Companies * $Size.PerCompany) { throw 'Not enough small files for the several-companies scenario.' }
    $rowsPath = Join-Path $BenchOut 'rows.csv'
    @(for ($i = 0; $i -lt $Size.Companies; $i++) {
            $Files[($i * $Size.PerCompany)..(($i + 1) * $Size.PerCompany - 1)] | ForEach-Object {
                [pscustomobject]@{ LiteralPath = $_.FullName; CompanyId = $Companies[$i].CompanyId; ConnectionId = $Companies[$i].ConnectionId }
            }
        }) | Export-Csv -LiteralPath $rowsPath -NoTypeInformation
    $rowsPath
}

#endregion

$Measurements = [Collections.Generic.List[object]]::new()
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
    $bigBytes = [long] $Size.BigCount * $Size.BigBytes
    $scaleDirs = @{}
    foreach ($n in $Size.Scale) { $scaleDirs[$n] = if ($n -eq $Size.Small) { $small } else { New-BenchFiles "small-$n" $n $Size.SmallBytes (10 + $n) } }
    $companies = @(1..$Size.Companies | ForEach-Object { New-Company })
    $rowsPath = New-CompanyRows @(Get-ChildItem -LiteralPath $small -File | Sort-Object Name) $companies

    # Every file of the run is stored once, and the contender reported each.
    $storedAll = { param($r, $c) $stored = Get-StoredCount $company.CompanyId; if ($stored -ne $c.Files -or $r.Items -ne $c.Files) { throw "$($c.Name): stored $stored, reported $($r.Items); expected $($c.Files)" } }
    $sendSmall = @{ Name = 'CodatFiles (defaults)'; Files = $Size.Small; Bytes = $Size.Small * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'
        Run = { Invoke-PwshJob Send @{ Directory = $small; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId } }; Check = $storedAll }
    $curlSmall = @{ Name = 'curl --parallel (20 a request)'; Files = $Size.Small; Bytes = $Size.Small * $Size.SmallBytes; Prepare = $reset; Operation = 'upload-files'
        Run = { Invoke-CurlUpload $small $company }; Check = $storedAll }

    Measure-LatencyScenarios
    Measure-LoopbackScenarios
    Measure-DownloadScenario
    Measure-ScaleScenario

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
