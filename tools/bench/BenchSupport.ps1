# Dot-sourced by Invoke-CodatFilesBench.ps1, Measure-CodatFiles.ps1 and Measure-Startup.ps1: what they share. Reads
# the script's $Clock and $TimeBudgetSec (Assert-TimeBudget) and $script:Emulator, an emulator of
# tools/CodatDevEmulator.psm1 (Invoke-Control).

function Assert-TimeBudget([string] $Before) {
    if ($Clock.Elapsed.TotalSeconds -gt $TimeBudgetSec) {
        throw "Time budget of $TimeBudgetSec s exceeded before '$Before' (elapsed $([int]$Clock.Elapsed.TotalSeconds) s)."
    }
}

function Get-LoadAverage {
    # Other work on the machine skews the figures; the 1/5/15-minute load averages (Linux) tell how busy it was.
    if (Test-Path -LiteralPath '/proc/loadavg') { ((Get-Content -LiteralPath '/proc/loadavg' -Raw) -split ' ')[0..2] -join ' ' } else { 'n/a' }
}

function Get-Median([double[]] $Values) {
    if ($null -eq $Values -or $Values.Count -eq 0) { return $null }
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Invoke-Control([string] $Method, [string] $Path, $Body) {
    # A request to the emulator's control endpoints (/_emulator/...).
    $parameters = @{ Emulator = $script:Emulator; Method = $Method; Path = $Path }
    if ($PSBoundParameters.ContainsKey('Body')) { $parameters.Body = $Body }
    Invoke-CodatDevEmulatorControl @parameters
}
