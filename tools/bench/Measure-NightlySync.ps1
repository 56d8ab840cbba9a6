<#
.SYNOPSIS
The nightly re-run of Save-CodatFiles against the emulator: a company of 500 files over 25 UTC days is saved once,
then saved again with nothing new, then with one new file on a new day. Prints each run's time and the API requests
the emulator counted (issue 15: a night with nothing new makes no download request, only the list).
Run after build.ps1 -Task Build:  dotnet pwsh -File tools/bench/Measure-NightlySync.ps1 [-LatencyMs 150]
#>
param([int] $LatencyMs = 0)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
Import-Module (Join-Path $root 'tests/pester/TestSupport.psm1') -Force
$emulator, $conn, $work = Initialize-TestFile -EmulatorArguments @(if ($LatencyMs -gt 0) { '--latency-ms', "$LatencyMs" })
try {
    $company = New-TestCompany $emulator
    $src = Join-Path $work.FullName 'src'
    foreach ($day in 0..24) {
        $files = 1..20 | ForEach-Object { New-TestFile -Directory (Join-Path $src "d$day") -Name ('f{0:d2}-{1:d2}.pdf' -f $day, $_) -Length 20000 }
        Send-TestFile $emulator $company $files.FullName -UploadedAt ([datetime]::new(2024, 3, 1, 9, 0, 0, [DateTimeKind]::Utc).AddDays($day))
    }
    $dest = Join-Path $work.FullName 'out'

    function Measure-Run([string] $Name) {
        Clear-TestRequestLog $emulator
        $saved = 0
        $time = Measure-Command { $saved = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -InformationAction Ignore).Count }
        $requests = (@(Get-TestRequestLog $emulator) | Group-Object operation | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Count)" }) -join ', '
        '{0,-28} {1,7:n2} s  {2,4} saved  requests: {3}' -f $Name, $time.TotalSeconds, $saved, $requests
    }

    Measure-Run 'first run (500 missing)'
    Measure-Run 're-run, nothing new'
    $new = New-TestFile -Directory $src -Name 'new.pdf' -Length 20000
    Send-TestFile $emulator $company $new.FullName -UploadedAt ([datetime]::new(2024, 4, 2, 9, 0, 0, [DateTimeKind]::Utc))
    Measure-Run 're-run, one new file'
}
finally {
    Stop-TestFile $emulator $work
}
