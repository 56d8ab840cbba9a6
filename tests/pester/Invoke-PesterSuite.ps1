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
    [string] $NameFilter
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

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = if ($env:CODATFILES_PESTER_VERBOSITY) { $env:CODATFILES_PESTER_VERBOSITY } else { 'Detailed' }
# No TestResult configuration: Pester would write the XML inside Invoke-Pester, where an exception loses the whole result.
$result = Invoke-Pester -Configuration $configuration
if ($null -eq $result) {
    # Pester reports some failures (a -Path that does not exist, say) as errors and returns nothing: not a pass.
    Write-Host 'FAILED: Pester returned no result; see the errors above.'
    exit 1
}

# Containers that failed to run (syntax errors, BeforeAll failures outside tests) count as failures too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# CI keeps only the tail of the output, so each failure is named again, with its first error line, here and in the
# summary (build.ps1 prints them last).
function Get-FirstErrorLine($Item) {
    # The first error of a failed test or block, on one line.
    $message = ($Item.ErrorRecord | Select-Object -First 1 | ForEach-Object { $_.Exception.Message }) -join ' '
    ((ConvertTo-XmlSafeText $message) -replace '\s+', ' ').Trim()
}
$failures = @(
    foreach ($test in $result.Failed) { "$($test.ExpandedPath): $(Get-FirstErrorLine $test)" }
    foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
        if (-not $block) { continue }
        "$(if ($block.ExpandedPath) { $block.ExpandedPath } else { $block.Item }): setup or teardown failed: $(Get-FirstErrorLine $block)"
    }
)
Protect-ResultText $result
if ($ResultPath) {
    try {
        New-Item -ItemType Directory -Path (Split-Path -Parent ([IO.Path]::GetFullPath($ResultPath))) -Force | Out-Null
        $result | Export-NUnitReport -Path $ResultPath
    } catch {
        # Counted as a failure: a run whose results file is broken is not a clean run, but its counts still stand.
        $failures += "NUnit XML ($ResultPath) not written: $(Get-FirstErrorLine ([pscustomobject]@{ ErrorRecord = $_ }))"
        $failed++
    }
}
$failures | ForEach-Object { Write-Host "FAILED: $_" }
New-Item -ItemType Directory -Path (Split-Path -Parent $SummaryPath) -Force | Out-Null
# Which copy of the module the suites ran against (they import it globally), for runs against an installed copy.
$tested = Get-Module CodatFiles | Select-Object -First 1
[pscustomobject]@{
    Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount; FailedNames = $failures
    ModuleBase = $(if ($tested) { $tested.ModuleBase }); PowerShellVersion = "$($PSVersionTable.PSVersion)"
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath -Encoding utf8NoBOM
Write-Host "Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
if ($failed -gt 0) { exit 1 }
exit 0
