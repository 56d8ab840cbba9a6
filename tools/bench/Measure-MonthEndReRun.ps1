<#
.SYNOPSIS
The month-end upload run again (issue 15): 3 companies of 165 files each (495) from a CSV are uploaded once, then the
same command runs again with nothing new, with one corrected file, and, for comparison, with -Force (what every
re-run did before 0.2.0). Prints each run's time, the API requests the emulator counted and the entries stored.
Run after build.ps1 -Task Build:  dotnet pwsh -File tools/bench/Measure-MonthEndReRun.ps1 [-LatencyMs 150]
#>
param([int] $LatencyMs = 150, [int] $FilesPerCompany = 165)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
Import-Module (Join-Path $root 'tests/pester/TestSupport.psm1') -Force
$emulator, $conn, $work = Initialize-TestFile -EmulatorArguments @(if ($LatencyMs -gt 0) { '--latency-ms', "$LatencyMs" })
try {
    $companies = @(1..3 | ForEach-Object { New-TestCompany $emulator })
    $csv = Join-Path $work.FullName 'month-end.csv'
    @(for ($c = 0; $c -lt 3; $c++) {
            $folder = Join-Path $work.FullName "month-end/company$c"
            1..$FilesPerCompany | ForEach-Object { New-TestFile -Directory $folder -Name ('invoice-{0:d3}.pdf' -f $_) -Length 20000 | Out-Null }
            [pscustomobject]@{ Path = $folder; CompanyId = $companies[$c].CompanyId; ConnectionId = $companies[$c].ConnectionId }
        }) | Export-Csv -LiteralPath $csv -NoTypeInformation

    function Measure-Run([string] $Name, [hashtable] $Extra = @{}) {
        Clear-TestRequestLog $emulator
        $sent = 0
        $time = Measure-Command { $sent = @(Import-Csv -LiteralPath $csv | Send-CodatFile -Recurse @conn @Extra -InformationAction Ignore).Count }
        $requests = (@(Get-TestRequestLog $emulator) | Group-Object operation | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Count)" }) -join ', '
        $stored = ($companies | ForEach-Object { @(Get-CodatFileList -CompanyId $_.CompanyId @conn).Count } | Measure-Object -Sum).Sum
        '{0,-34} {1,7:n2} s  {2,4} sent  {3,5} entries stored  requests: {4}' -f $Name, $time.TotalSeconds, $sent, $stored, $requests
    }

    # Warm up the module and its client first, so the first run is not charged with loading and JIT.
    $companies | ForEach-Object { $null = Get-CodatFileList -CompanyId $_.CompanyId @conn }
    "Latency $LatencyMs ms, $(3 * $FilesPerCompany) files of 20 KB for 3 companies; load average $((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 1)"
    Measure-Run 'first run'
    Measure-Run 're-run, nothing new'
    $corrected = Get-ChildItem -LiteralPath (Join-Path $work.FullName 'month-end/company1') -File | Select-Object -First 1
    $corrected.LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(1)
    Measure-Run 're-run, one corrected file'
    Measure-Run 're-run with -Force (the old default)' @{ Force = $true }
}
finally {
    Stop-TestFile $emulator $work
}
