<#
.SYNOPSIS
Runs every *.Tests.ps1 under tests/pester against the built module; called by build.ps1 -Task Test in a child pwsh.
Writes a JSON summary (Passed, Failed, Skipped) for build.ps1 and NUnit XML results; exits 1 when anything failed.
The XML is written from results whose text was made XML-safe first (PowerShell 7.4 colours its errors with ANSI escapes
even when redirected), and after Invoke-Pester returns: a failure to write it is counted and named, never the run lost.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    # The built manifest, or a bare module name to import an installed copy through PSModulePath.
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $ResultPath,
    # Test files or folders to run (default: every *.Tests.ps1 here), e.g. to repeat one file.
    [string[]] $Path = @($PSScriptRoot),
    # Only the files of CompatibilitySet.psd1: what also runs on PowerShell 7.4 (build.ps1 -Task Test).
    [switch] $CompatibilitySet,
    # Only the test files whose name contains this text (build.ps1 -Filter), e.g. 'Errors' for Errors.Tests.ps1.
    [string] $NameFilter,
    # A folder shared by several of these processes run at once over the same files (build.ps1 -Task Test): each
    # takes the files one by one, so together they run each file once (see Get-QueuedFile).
    [string] $QueuePath,
    # With -QueuePath: a .psd1 whose SlowestFirst lists the files to start first (an order only; the rest follow).
    [string] $QueueOrderPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The suites find the module under test and the emulator through these variables.
$isName = $ModulePath -notmatch '[\\/]' -and -not $ModulePath.EndsWith('.psd1')
$env:CODATFILES_MODULE_PATH = if ($isName) { $ModulePath } else { (Resolve-Path -LiteralPath $ModulePath).Path }

if ($CompatibilitySet) {
    $Path = @((Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'CompatibilitySet.psd1')).Files | ForEach-Object {
            $file = Join-Path $PSScriptRoot $_
            if (-not (Test-Path -LiteralPath $file)) { throw "CompatibilitySet.psd1 names $_, which does not exist." }
            $file
        })
}
if ($NameFilter) {
    $Path = @(Get-ChildItem -LiteralPath $Path -Filter '*.Tests.ps1' -Recurse | Where-Object Name -Like "*$NameFilter*" | ForEach-Object FullName)
    if (-not $Path) { Write-Host "FAILED: no test file's name contains '$NameFilter'."; exit 1 }
}
Write-Host "PowerShell $($PSVersionTable.PSVersion) on .NET $([Environment]::Version) ($((Get-Process -Id $PID).Path))"

function ConvertTo-XmlSafeText([string] $Text) {
    # Drops ANSI escape sequences and writes any other character XML 1.0 cannot hold as \xNN, so a message stays
    # readable and the NUnit writer cannot fail on it.
    if (-not $Text) { return $Text }
    $plain = $Text -replace '\x1B\[[0-?]*[ -/]*[@-~]', '' -replace '\x1B\][^\x07\x1B]*(\x07|\x1B\\)', ''
    if ($plain -notmatch '[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]') { return $plain }
    $builder = [Text.StringBuilder]::new($plain.Length)
    for ($i = 0; $i -lt $plain.Length; $i++) {
        if ($i + 1 -lt $plain.Length -and [Xml.XmlConvert]::IsXmlSurrogatePair($plain[$i + 1], $plain[$i])) {
            [void] $builder.Append($plain, $i, 2); $i++
        } elseif ([Xml.XmlConvert]::IsXmlChar($plain[$i])) { [void] $builder.Append($plain[$i]) }
        else { [void] $builder.AppendFormat('\x{0:X2}', [int] $plain[$i]) }
    }
    $builder.ToString()
}

function Get-ResultItem($Blocks) {
    # Every block and test under these blocks, depth first.
    foreach ($block in $Blocks) { $block; $block.Tests; Get-ResultItem $block.Blocks }
}

function Protect-ResultText($Run) {
    # What the NUnit writer reads: names, and the display message and stack trace of every error record.
    foreach ($item in @($Run.Containers) + @(Get-ResultItem $Run.Containers.Blocks) | Where-Object { $_ }) {
        foreach ($name in 'Name', 'ExpandedName', 'ExpandedPath') {
            $property = $item.PSObject.Properties[$name]
            if ($property -and $property.IsSettable -and $property.Value -is [string]) { $property.Value = ConvertTo-XmlSafeText $property.Value }
        }
        foreach ($record in @($item.ErrorRecord) | Where-Object { $_ }) {
            foreach ($name in 'DisplayErrorMessage', 'DisplayStackTrace') {
                if ($record.PSObject.Properties[$name]) { $record.$name = ConvertTo-XmlSafeText $record.$name }
            }
        }
    }
}

function Get-FirstErrorLine($Item) {
    # The first error of a failed test or block, on one line.
    $message = ($Item.ErrorRecord | Select-Object -First 1 | ForEach-Object { $_.Exception.Message }) -join ' '
    ((ConvertTo-XmlSafeText $message) -replace '\s+', ' ').Trim()
}

function Invoke-SuiteRun([string[]] $Files, [string] $XmlPath) {
    # One Invoke-Pester over these files; returns its counts and failures (each named with its first error line, as CI
    # keeps only the tail of the output and build.ps1 prints them last), and writes its NUnit XML to -XmlPath.
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $Files
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = if ($env:CODATFILES_PESTER_VERBOSITY) { $env:CODATFILES_PESTER_VERBOSITY } else { 'Detailed' }
    # No TestResult configuration: Pester would write the XML inside Invoke-Pester, where an exception loses the whole result.
    $result = Invoke-Pester -Configuration $configuration
    if ($null -eq $result) {
        # Pester reports some failures (a -Path that does not exist, say) as errors and returns nothing: not a pass.
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; Failures = @("$($Files -join ', '): Pester returned no result; see the errors above") }
    }
    # Containers that failed to run (syntax errors, BeforeAll failures outside tests) count as failures too.
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    $failures = @(
        foreach ($test in $result.Failed) { "$($test.ExpandedPath): $(Get-FirstErrorLine $test)" }
        foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
            if (-not $block) { continue }
            "$(if ($block.ExpandedPath) { $block.ExpandedPath } else { $block.Item }): setup or teardown failed: $(Get-FirstErrorLine $block)"
        }
    )
    Protect-ResultText $result
    if ($XmlPath) {
        try {
            New-Item -ItemType Directory -Path (Split-Path -Parent ([IO.Path]::GetFullPath($XmlPath))) -Force | Out-Null
            $result | Export-NUnitReport -Path $XmlPath
        } catch {
            # Counted as a failure: a run whose results file is broken is not a clean run, but its counts still stand.
            $failures += "NUnit XML ($XmlPath) not written: $(Get-FirstErrorLine ([pscustomobject]@{ ErrorRecord = $_ }))"
            $failed++
        }
    }
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount; Failures = $failures }
}

function Get-QueuedFile {
    # With -QueuePath, several of these processes share one list of files: each takes the next file no other has taken
    # (taking = creating its claim file, which only one process can), so the files spread over the workers as they free up.
    $files = @(Get-ChildItem -LiteralPath $Path -Filter '*.Tests.ps1' -Recurse | ForEach-Object FullName)
    $order = @(if ($QueueOrderPath) { (Import-PowerShellDataFile -LiteralPath $QueueOrderPath).SlowestFirst })
    # The slowest files start first, so that none of them is left to run alone at the end.
    $sorted = @($files | Sort-Object { $rank = [array]::IndexOf($order, (Split-Path -Leaf $_)); if ($rank -lt 0) { $order.Count } else { $rank } }, { $_ })
    New-Item -ItemType Directory -Path $QueuePath -Force | Out-Null
    foreach ($file in $sorted) {
        try { ([IO.File]::Open((Join-Path $QueuePath "$(Split-Path -Leaf $file).claim"), 'CreateNew')).Dispose(); $file }
        catch [IO.IOException] { continue } # taken by another worker
    }
}

$runs = if ($QueuePath) {
    # Claimed one at a time as the previous one finishes (the pipeline runs each before the next is claimed), and each
    # with its own NUnit XML beside -ResultPath.
    Get-QueuedFile | ForEach-Object {
        Invoke-SuiteRun -Files $_ -XmlPath $(if ($ResultPath) { $ResultPath -replace '\.xml$', ".$((Split-Path -Leaf $_) -replace '\.Tests\.ps1$', '').xml" })
    }
} else { Invoke-SuiteRun -Files $Path -XmlPath $ResultPath }
# The files shared one emulator process (Start-TestEmulator); it would stop within a second of this process anyway.
Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
Stop-SharedTestEmulator
$passed = ($runs | Measure-Object -Property Passed -Sum).Sum
$failed = ($runs | Measure-Object -Property Failed -Sum).Sum
$skipped = ($runs | Measure-Object -Property Skipped -Sum).Sum
$failures = @($runs | ForEach-Object { $_.Failures } | Where-Object { $_ })
$failures | ForEach-Object { Write-Host "FAILED: $_" }
New-Item -ItemType Directory -Path (Split-Path -Parent $SummaryPath) -Force | Out-Null
# Which copy of the module the suites ran against (they import it globally), for runs against an installed copy.
$tested = Get-Module CodatFiles | Select-Object -First 1
[pscustomobject]@{
    Passed = [int] $passed; Failed = [int] $failed; Skipped = [int] $skipped; FailedNames = $failures; Files = @($runs).Count
    ModuleBase = $(if ($tested) { $tested.ModuleBase }); PowerShellVersion = "$($PSVersionTable.PSVersion)"
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath -Encoding utf8NoBOM
Write-Host "Pester: $passed passed, $failed failed, $skipped skipped"
if ($failed -gt 0) { exit 1 }
exit 0
