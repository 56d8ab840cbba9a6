#Requires -Version 7.2
<#
.SYNOPSIS
One timed run of a PowerShell contender of the benchmark, in a fresh pwsh so its memory is its own.

.DESCRIPTION
Started by Invoke-CodatFilesBench.ps1 (build.ps1 -Task Bench), never by hand. Imports the module (for the CodatFiles
contenders), notes the working set after import, times only the job itself with a Stopwatch, and prints one line of
JSON: ElapsedSec, Items (results or saved files, counted as they stream by, so the run never holds them all and
the peak is the module's, not this script's), Errors (the first few messages), WorkingSetAfterImport and
PeakWorkingSet (bytes; PeakWorkingSet64 is the process's high-water mark of resident memory), and CpuSec (the CPU
time, user + system of all threads, the process spent during the job).

Jobs:
  Send           Get-ChildItem -Directory | Send-CodatFile with its defaults.
  ListInput      Get-ChildItem -Directory | Measure-Object alone: what the input side of 'Send' costs by itself.
  SendRows       Rows of -RowsPath (CSV: LiteralPath, CompanyId, ConnectionId) piped into one Send-CodatFile call.
  SendByCompany  The same rows, one Send-CodatFile call per company, one company after the other.
  Save           Save-CodatFiles -DestinationPath (extracted).
  SaveArchive    Save-CodatFiles -AsArchive.
  RestLoop       A foreach loop of Invoke-RestMethod -Form, one multipart request per file.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Send', 'ListInput', 'SendRows', 'SendByCompany', 'Save', 'SaveArchive', 'RestLoop')] [string] $Job,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ServerUrl,
    [Parameter(Mandatory)] [string] $ApiKey,
    [string] $CompanyId,
    [string] $ConnectionId,
    [string] $Directory,
    [string] $RowsPath,
    [string] $Destination
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if ($Job -notin 'RestLoop', 'ListInput') { Import-Module $ModulePath }
$secureKey = ConvertTo-SecureString $ApiKey -AsPlainText -Force
# Every call is bounded: per-attempt timeout; the retry budget stays the module's default (Codat's policy).
$bounds = @{ ServerUrl = $ServerUrl; ApiKey = $secureKey; TimeoutSec = 120 }

[GC]::Collect()
[GC]::WaitForPendingFinalizers()
$self = [Diagnostics.Process]::GetCurrentProcess()
$self.Refresh()
$afterImport = $self.WorkingSet64

$errors = [Collections.Generic.List[object]]::new()
$items = 0
$cpuBefore = $self.TotalProcessorTime
$watch = [Diagnostics.Stopwatch]::StartNew()
switch ($Job) {
    'Send' {
        $items = (Get-ChildItem -LiteralPath $Directory -File | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId @bounds `
                -ErrorAction SilentlyContinue -ErrorVariable +errors | Measure-Object).Count
    }
    'ListInput' {
        $items = (Get-ChildItem -LiteralPath $Directory -File | Measure-Object).Count
    }
    'SendRows' {
        $items = (Import-Csv -LiteralPath $RowsPath | Send-CodatFile @bounds -ErrorAction SilentlyContinue -ErrorVariable +errors | Measure-Object).Count
    }
    'SendByCompany' {
        foreach ($group in (Import-Csv -LiteralPath $RowsPath | Group-Object CompanyId)) {
            $items += ($group.Group | Send-CodatFile @bounds -ErrorAction SilentlyContinue -ErrorVariable +errors | Measure-Object).Count
        }
    }
    'Save' {
        $items = (Save-CodatFiles -CompanyId $CompanyId -DestinationPath $Destination @bounds -ErrorAction SilentlyContinue -ErrorVariable +errors | Measure-Object).Count
    }
    'SaveArchive' {
        $items = (Save-CodatFiles -CompanyId $CompanyId -DestinationPath $Destination -AsArchive @bounds -ErrorAction SilentlyContinue -ErrorVariable +errors | Measure-Object).Count
    }
    'RestLoop' {
        $uri = "$($ServerUrl.TrimEnd('/'))/companies/$CompanyId/connections/$ConnectionId/files"
        $headers = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($ApiKey)) }
        foreach ($file in Get-ChildItem -LiteralPath $Directory -File) {
            try {
                Invoke-RestMethod -Method Post -Uri $uri -Headers $headers -Form @{ file = $file } -TimeoutSec 120 | Out-Null
                $items++
            }
            catch { $errors.Add($_) }
        }
    }
}
$watch.Stop()
$self.Refresh()

[pscustomobject]@{
    ElapsedSec            = $watch.Elapsed.TotalSeconds
    Items                 = $items
    Errors                = @($errors | Select-Object -First 3 | ForEach-Object { "$_" })
    ErrorCount            = $errors.Count
    WorkingSetAfterImport = $afterImport
    PeakWorkingSet        = $self.PeakWorkingSet64
    CpuSec                = ($self.TotalProcessorTime - $cpuBefore).TotalSeconds
} | ConvertTo-Json -Compress
