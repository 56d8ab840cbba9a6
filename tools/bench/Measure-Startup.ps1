#Requires -Version 7.2
<#
.SYNOPSIS
Measures what CodatFiles adds to PowerShell's start-up: Import-Module, and a first Get-CodatFileList after it.

.DESCRIPTION
Runs -Repetitions rounds, each of three fresh processes of this same pwsh (interleaved, so a load spike on the
machine hits every kind alike):
  bare     pwsh -NoProfile -NonInteractive -Command 1
  import   pwsh -NoProfile -NonInteractive -Command "Import-Module <module>"
  first    pwsh -NoProfile -NonInteractive -File <script>: imports the module, then times (Stopwatch, inside the
           process) one Get-CodatFileList against a local emulator, which includes loading the client and its
           dependencies into the module's load context, creating the HTTP client and the first connection.
Reports the medians: the added wall time of Import-Module (median of import minus median of bare; goal at most
150 ms) and the first list call after import (goal at most 300 ms), and the load average before and after (Linux),
since wall times depend on what else runs on the machine. Each child also reports the CPU time its process used
(for bare and import, all of it; for the first call, what the call added), which a loaded machine stretches far
less than wall time: the CPU figures are the ones to compare across runs on a shared machine. Writes them to -OutputPath as JSON. Not a test: it
fails only when a process fails. Only 127.0.0.1 is contacted.

.EXAMPLE
dotnet pwsh ./tools/bench/Measure-Startup.ps1 -Repetitions 15
#>
[CmdletBinding()]
param(
    [ValidateRange(3, 51)]
    [int] $Repetitions = 15,

    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/CodatFiles/CodatFiles.psd1'),

    [string] $OutputPath = 'out/bench/startup.json'
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
if (-not [IO.Path]::IsPathRooted($OutputPath)) { $OutputPath = Join-Path $repoRoot $OutputPath }
Import-Module (Join-Path $repoRoot 'tools/CodatDevEmulator.psm1') -Force

$process = (Get-Process -Id $PID).Path
# Under 'dotnet pwsh' the process is dotnet itself, which needs pwsh.dll as its first argument.
$prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })

# Get-LoadAverage and Get-Median, shared with the other bench scripts.
. (Join-Path $PSScriptRoot 'BenchSupport.ps1')

function Measure-Process {
    param([string[]] $Arguments)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $output = & $process @prefix -NoProfile -NonInteractive @Arguments 2>&1
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "pwsh $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join ' ')" }
    [pscustomobject]@{ WallMs = $watch.Elapsed.TotalMilliseconds; Output = @($output | ForEach-Object { "$_" }) }
}

# What a child prints last: the CPU milliseconds its process has used so far.
$cpuMs = '[Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)'

function Read-Number {
    # A number from the last line a child printed (space-separated fields).
    param($Run, [int] $Index = 0)
    [double]::Parse((($Run.Output | Select-Object -Last 1) -split ' ')[$Index], [cultureinfo]::InvariantCulture)
}

$firstCallScript = Join-Path ([IO.Path]::GetTempPath()) ('codat-startup-' + [guid]::NewGuid().ToString('n') + '.ps1')
Set-Content -LiteralPath $firstCallScript -Encoding utf8NoBOM -Value @'
param($ModulePath, $BaseUrl, $ApiKey, $CompanyId)
$ErrorActionPreference = 'Stop'
$key = ConvertTo-SecureString $ApiKey -AsPlainText -Force
Import-Module $ModulePath
$self = [Diagnostics.Process]::GetCurrentProcess()
$cpuBefore = $self.TotalProcessorTime
$watch = [Diagnostics.Stopwatch]::StartNew()
Get-CodatFileList -CompanyId $CompanyId -ApiKey $key -ServerUrl $BaseUrl -MaximumRetryCount 0 -TimeoutSec 30 | Out-Null
$watch.Stop()
$self.Refresh()
'{0} {1}' -f $watch.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture), ($self.TotalProcessorTime - $cpuBefore).TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)
'@

$emulator = Start-CodatDevEmulator
try {
    $companyId = '8a210b68-6988-11ed-a1eb-0242ac120002'
    $loadBefore = Get-LoadAverage
    # One unmeasured round warms the file cache.
    Measure-Process @('-Command', "Import-Module '$ModulePath'") | Out-Null
    $bare = @(); $import = @(); $first = @(); $bareCpu = @(); $importCpu = @(); $firstCpu = @()
    for ($round = 1; $round -le $Repetitions; $round++) {
        $run = Measure-Process @('-Command', "1 | Out-Null; $cpuMs")
        $bare += $run.WallMs; $bareCpu += Read-Number $run
        $run = Measure-Process @('-Command', "Import-Module '$ModulePath'; $cpuMs")
        $import += $run.WallMs; $importCpu += Read-Number $run
        $run = Measure-Process @('-File', $firstCallScript, $ModulePath, $emulator.BaseUrl, $emulator.ApiKey, $companyId)
        $first += Read-Number $run -Index 0; $firstCpu += Read-Number $run -Index 1
    }
    $loadAfter = Get-LoadAverage
}
finally {
    $emulator | Stop-CodatDevEmulator
    Remove-Item -LiteralPath $firstCallScript -Force -ErrorAction SilentlyContinue
}

$result = [ordered]@{
    Repetitions          = $Repetitions
    BareMedianMs         = [math]::Round((Get-Median $bare), 1)
    ImportMedianMs       = [math]::Round((Get-Median $import), 1)
    ImportAddedMs        = [math]::Round((Get-Median $import) - (Get-Median $bare), 1)
    FirstListMedianMs    = [math]::Round((Get-Median $first), 1)
    FirstListMinMs       = [math]::Round(($first | Measure-Object -Minimum).Minimum, 1)
    FirstListMaxMs       = [math]::Round(($first | Measure-Object -Maximum).Maximum, 1)
    BareCpuMedianMs      = [math]::Round((Get-Median $bareCpu), 1)
    ImportCpuAddedMs     = [math]::Round((Get-Median $importCpu) - (Get-Median $bareCpu), 1)
    FirstListCpuMedianMs = [math]::Round((Get-Median $firstCpu), 1)
    LoadAverageBefore    = $loadBefore
    LoadAverageAfter     = $loadAfter
    Cores                = [Environment]::ProcessorCount
    PowerShell           = "$($PSVersionTable.PSVersion)"
    Runs                 = [ordered]@{ BareMs = $bare; ImportMs = $import; FirstListMs = $first; BareCpuMs = $bareCpu; ImportCpuMs = $importCpu; FirstListCpuMs = $firstCpu }
}
New-Item -ItemType Directory -Path (Split-Path -Parent $OutputPath) -Force | Out-Null
$result | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $OutputPath -Encoding utf8NoBOM
[pscustomobject]@{
    'Import-Module added (median ms)'   = $result.ImportAddedMs
    'bare pwsh (median ms)'             = $result.BareMedianMs
    'first Get-CodatFileList (median ms)' = $result.FirstListMedianMs
    'Import-Module added CPU (median ms)' = $result.ImportCpuAddedMs
    'first Get-CodatFileList CPU (median ms)' = $result.FirstListCpuMedianMs
    'load average before / after'       = "$loadBefore / $loadAfter"
} | Format-List
