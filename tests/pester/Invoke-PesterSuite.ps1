<#
.SYNOPSIS
Runs every *.Tests.ps1 under tests/pester against the built module; called by build.ps1 -Task Test in a child pwsh.
Writes a JSON summary (Passed, Failed, Skipped) for build.ps1 and NUnit XML results; exits 1 when anything failed.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    # The built manifest, or a bare module name to import an installed copy through PSModulePath.
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $ResultPath,
    # Test files or folders to run (default: every *.Tests.ps1 here), e.g. to repeat one file.
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The suites find the module under test and the emulator through these variables.
$isName = $ModulePath -notmatch '[\\/]' -and -not $ModulePath.EndsWith('.psd1')
$env:CODATFILES_MODULE_PATH = if ($isName) { $ModulePath } else { (Resolve-Path -LiteralPath $ModulePath).Path }

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = if ($env:CODATFILES_PESTER_VERBOSITY) { $env:CODATFILES_PESTER_VERBOSITY } else { 'Detailed' }
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $ResultPath
}
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
    ($message -replace '\s+', ' ').Trim()
}
$failures = @(
    foreach ($test in $result.Failed) { "$($test.ExpandedPath): $(Get-FirstErrorLine $test)" }
    foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
        if (-not $block) { continue }
        "$(if ($block.ExpandedPath) { $block.ExpandedPath } else { $block.Item }): setup or teardown failed: $(Get-FirstErrorLine $block)"
    }
)
$failures | ForEach-Object { Write-Host "FAILED: $_" }
New-Item -ItemType Directory -Path (Split-Path -Parent $SummaryPath) -Force | Out-Null
# Which copy of the module the suites ran against (they import it globally), for runs against an installed copy.
$tested = Get-Module CodatFiles | Select-Object -First 1
[pscustomobject]@{
    Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount; FailedNames = $failures
    ModuleBase = $(if ($tested) { $tested.ModuleBase })
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath -Encoding utf8NoBOM
Write-Host "Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
if ($failed -gt 0) { exit 1 }
exit 0
