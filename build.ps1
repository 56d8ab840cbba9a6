#Requires -Version 7.2
<#
.SYNOPSIS
Builds, tests and demonstrates CodatFiles.

.DESCRIPTION
Tasks:
  Build     Compiles the solution, lays out the importable module at out/CodatFiles/ (cmdlet assembly beside the
            manifest, the client and its dependencies under dependencies/, MAML help under en-US/) and publishes
            the emulator to out/emulator/.
  Package   Build, then the Gallery packages CodatFiles and CodatFiles.Emulator (tools/CodatEmulatorModule.ps1) in the
            build-only folder repository out/repo, and the Azure Automation zip out/automation/CodatFiles.zip (checked).
            The emulator's five self-contained servers are taken from a cache outside the clone when their sources
            are unchanged (see tools/CodatEmulatorModule.ps1; CODATFILES_NO_SERVER_CACHE=1 publishes them all).
  Test      Package, then, all at once, the xunit suites (client and emulator over real HTTP on loopback) and the
            Pester suites (the built module imported in a child pwsh, driving an emulator process; Package.Tests.ps1
            also saves the nupkg into an empty folder and runs the smoke tests against that copy, by name). Pester runs
            the whole suite on PowerShell 7.6 (the pinned tool's version) and the files of
            tests/pester/CompatibilitySet.psd1 on PowerShell 7.4 LTS, both set up from NuGet's hosting package and
            compiled ahead of time by tools/Install-TestPowerShell.ps1 (cached outside the clone; set up with Pester
            beside the build), each in worker processes that share its files (tools/PesterRuns.ps1); xunit runs at
            low priority beside them (tools/XunitRuns.ps1). Test processes keep methods at the JIT's first tier.
            -PowerShellVersion runs the whole suite on that one version instead. Prints each run's summary and a
            final 'N passed, N failed' line over all runs; exits non-zero when any test fails.
  UnitTest  Compiles and runs only the xunit projects, in-process (no module layout, child pwsh or emulator process).
  Emulator  Build, then runs the emulator in the foreground on http://127.0.0.1:<Port> (default 5080).
  Demo      Build, then starts an emulator on a free loopback port, imports the built module in a child pwsh and
            runs the main job (upload, list, download), echoing each command and its output. Leaves no process behind.
  Bench     Build (Release), then the benchmark of tools/bench/Invoke-CodatFilesBench.ps1: CodatFiles side by side
            with curl, an Invoke-RestMethod loop and Codat's TypeScript SDK against one emulator, checked against the
            performance goals; writes bench/RESULTS.md. Not part of Test. -Quick runs a small version (a few minutes)
            and writes out/bench/RESULTS-quick.md instead.
  Clean     Removes out/ and the bin/obj folders.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'UnitTest', 'Emulator', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Port of the foreground emulator (-Task Emulator).
    [ValidateRange(1, 65535)]
    [int] $Port = 5080,

    # Extra arguments for the foreground emulator, e.g. @('--api-key', 'my-key').
    [string[]] $EmulatorArguments = @(),

    # -Task Bench: the small, quick version for development.
    [switch] $Quick,

    # -Task Test: the whole Pester suite on this PowerShell only (default: all of it on 7.6, the compatibility set on 7.4).
    [ValidateSet('7.6', '7.4')]
    [string] $PowerShellVersion,
    # -Task Test and UnitTest: only the Pester files whose name contains it and the xunit tests whose full name does.
    [string] $Filter
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$RepoRoot = $PSScriptRoot
$OutDir = Join-Path $RepoRoot 'out'
$ModuleOut = Join-Path $OutDir 'CodatFiles'
$EmulatorOut = Join-Path $OutDir 'emulator'
$RepositoryOut = Join-Path $OutDir 'repo'
$AutomationZipOut = Join-Path $OutDir 'automation/CodatFiles.zip'
$Solution = Join-Path $RepoRoot 'CodatFiles.sln'

# The exact files that belong in out/CodatFiles/dependencies/. The build fails when publish output drifts from this
# list, so a new transitive dependency is a conscious decision (it must later be isolated by the module initializer).
$DependencyAllowList = @(
    'CodatFiles.Client.dll'
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'Microsoft.Bcl.TimeProvider.dll'
    'Polly.Core.dll'
    'System.Buffers.dll'
    'System.ComponentModel.Annotations.dll'
    'System.Memory.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Text.Encodings.Web.dll'
    'System.Text.Json.dll'
    'System.Threading.Tasks.Extensions.dll'
)

. (Join-Path $PSScriptRoot 'tools/BuildSupport.ps1')
. (Join-Path $PSScriptRoot 'tools/PesterRuns.ps1')
. (Join-Path $PSScriptRoot 'tools/XunitRuns.ps1')
# Every thread job started here runs at once: ThreadJob's default limit of 5 per session queued the later ones (the
# sixth and seventh of a test run started only when xunit's ended).
$PSDefaultParameterValues['Start-ThreadJob:ThrottleLimit'] = 16

function Invoke-Build {
    Invoke-SolutionBuild $Solution $Configuration
    Invoke-Layout
}

function Invoke-Layout {
    # The importable module at out/CodatFiles/ and the emulator at out/emulator/, from the compiled solution.
    if (Test-Path -LiteralPath $ModuleOut) { Remove-Item -LiteralPath $ModuleOut -Recurse -Force }
    $publishDir = Join-Path $OutDir 'publish/CodatFiles'
    if (Test-Path -LiteralPath $publishDir) { Remove-Item -LiteralPath $publishDir -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $RepoRoot 'src/CodatFiles/CodatFiles.csproj'), '-c', $Configuration, '-o', $publishDir, '--no-build', '-nologo')

    $dependenciesOut = Join-Path $ModuleOut 'dependencies'
    New-Item -ItemType Directory -Path $dependenciesOut -Force | Out-Null
    Copy-Item -LiteralPath (Join-Path $publishDir 'CodatFiles.dll') -Destination $ModuleOut

    $published = Get-ChildItem -LiteralPath $publishDir -Filter '*.dll' | Where-Object Name -NE 'CodatFiles.dll' | ForEach-Object Name
    $unexpected = $published | Where-Object { $_ -notin $DependencyAllowList }
    $missing = $DependencyAllowList | Where-Object { $_ -notin $published }
    if ($unexpected -or $missing) {
        throw "The module's dependencies drifted from the allow-list in build.ps1. Unexpected: $($unexpected -join ', '); missing: $($missing -join ', ')."
    }
    foreach ($name in $DependencyAllowList) { Copy-Item -LiteralPath (Join-Path $publishDir $name) -Destination $dependenciesOut }

    $formatFile = Join-Path $RepoRoot 'src/CodatFiles/CodatFiles.format.ps1xml'
    if (Test-Path -LiteralPath $formatFile) { Copy-Item -LiteralPath $formatFile -Destination $ModuleOut }

    Copy-Item -LiteralPath (Join-Path $RepoRoot 'LICENSE') -Destination $ModuleOut
    $manifest = (Get-Content -LiteralPath (Join-Path $RepoRoot 'CodatFiles.psd1') -Raw).
        Replace('{{ModuleVersion}}', (Get-ProjectProperty 'CodatFilesVersion')).Replace('{{ProjectUri}}', (Get-ProjectProperty 'CodatFilesProjectUri')).
        Replace('{{ReleaseNotes}}', (& (Join-Path $RepoRoot 'tools/Get-ReleaseNotes.ps1') (Join-Path $RepoRoot 'CHANGELOG.md') (Get-ProjectProperty 'CodatFilesVersion')).Replace("'", "''"))
    Set-Content -LiteralPath (Join-Path $ModuleOut 'CodatFiles.psd1') -Value $manifest -Encoding utf8NoBOM

    # Help in one child pwsh, which imports the module (so this session never locks the freshly built DLL): the MAML
    # help of the cmdlets, then about_CodatFiles (Get-Help about_CodatFiles), plain text with its error-id list
    # generated from ErrorIds and contracts.md.
    $manifestOut = Join-Path $ModuleOut 'CodatFiles.psd1'
    Invoke-NativeScripts @(
        , @((Join-Path $RepoRoot 'tools/New-CodatFilesHelp.ps1'), '-ModulePath', $manifestOut, '-DocsPath', (Join-Path $RepoRoot 'docs/help'),
            '-OutputPath', (Join-Path $ModuleOut 'en-US/CodatFiles.dll-Help.xml'))
        , @((Join-Path $RepoRoot 'tools/New-AboutCodatFiles.ps1'), '-ModulePath', $manifestOut, '-TemplatePath', (Join-Path $RepoRoot 'docs/help/about_CodatFiles.help.txt'),
            '-ContractsPath', (Join-Path $RepoRoot 'docs/design/contracts.md'), '-OutputPath', (Join-Path $ModuleOut 'en-US/about_CodatFiles.help.txt'))
    )

    if (Test-Path -LiteralPath $EmulatorOut) { Remove-Item -LiteralPath $EmulatorOut -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $RepoRoot 'src/CodatFiles.Emulator/CodatFiles.Emulator.csproj'), '-c', $Configuration, '-o', $EmulatorOut, '--no-build', '-nologo')
    Write-Host "Module laid out at $ModuleOut; emulator at $EmulatorOut." -ForegroundColor Green
}

function Invoke-Package {
    Invoke-Build
    New-Packages
}

function New-Packages {
    # The Gallery packages in out/repo and the Azure Automation zip, from the laid-out module and emulator.
    if (Test-Path -LiteralPath $RepositoryOut) { Remove-Item -LiteralPath $RepositoryOut -Recurse -Force }
    & (Join-Path $RepoRoot 'tools/CodatEmulatorModule.ps1') -OutputPath (Join-Path $OutDir 'CodatFiles.Emulator') -Configuration $Configuration
    # A child pwsh: the packaging script gives its process a PSResourceGet store of its own.
    Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'tools/CodatFilesPackage.ps1'), '-Publish', '-ModulePath',
        $ModuleOut, '-RepositoryPath', $RepositoryOut, '-AutomationZipPath', $AutomationZipOut, '-EmulatorModulePath', (Join-Path $OutDir 'CodatFiles.Emulator'))
}

function Invoke-UnitTest {
    Invoke-SolutionBuild $Solution $Configuration
    $resultsDir = Join-Path $OutDir 'unit-test-results'
    if (Test-Path -LiteralPath $resultsDir) { Remove-Item -LiteralPath $resultsDir -Recurse -Force }
    & dotnet test $Solution -c $Configuration --no-build --nologo --logger 'trx' --results-directory $resultsDir @(XunitFilter)
    $exit = $LASTEXITCODE
    $counts = Get-TrxCounts -Directory $resultsDir
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1; Write-Host 'dotnet test failed without a failed test (build or host error).' -ForegroundColor Red }
    $counts.FailedNames | ForEach-Object { Write-Host "FAILED: $_" -ForegroundColor Red }
    Write-Host "$($counts.Passed) passed, $($counts.Failed) failed"
    if ($counts.Failed -gt 0) { exit 1 }
}

function Start-TestToolSetup {
    # Sets up the test tools on threads beside the build, which needs none of them: Pester (a NuGet restore) and each
    # PowerShell the Pester runs use (tools/Install-TestPowerShell.ps1). Cached, they took 6 s one after another
    # between the packaging and the first test.
    param([string[]] $Versions)
    $pester = Start-ThreadJob -Name 'setup-pester' -ArgumentList $RepoRoot -ScriptBlock {
        param($RepoRoot)
        . (Join-Path $RepoRoot 'tools/BuildSupport.ps1')
        Install-Pester
    }
    $powerShell = @{}
    foreach ($version in $Versions) {
        $powerShell[$version] = Start-ThreadJob -Name "setup-pwsh-$version" -ArgumentList $RepoRoot, $version -ScriptBlock {
            param($RepoRoot, $Version)
            @(& (Join-Path $RepoRoot 'tools/Install-TestPowerShell.ps1') -Version $Version)[-1]
        }
    }
    @{ Pester = $pester; PowerShell = $powerShell }
}

function Receive-TestToolSetup {
    # Waits for the set-ups: Pester's path (its failure stops the task), and for each PowerShell its pwsh command or
    # the set-up's failure (then that version's one failure in the results, with its cause; the other runs still count).
    param([hashtable] $Setup)
    $powerShell = @{}
    foreach ($version in @($Setup.PowerShell.Keys)) {
        try { $powerShell[$version] = [pscustomobject]@{ Pwsh = @(Receive-Job -Job $Setup.PowerShell[$version] -Wait -AutoRemoveJob -ErrorAction Stop)[-1] } }
        catch {
            Write-Host "Setting up PowerShell $version failed: $_" -ForegroundColor Red
            $powerShell[$version] = [pscustomobject]@{ Failure = "[PowerShell $version] set-up failed: $_" }
        }
    }
    @{ Pester = @(Receive-Job -Job $Setup.Pester -Wait -AutoRemoveJob -ErrorAction Stop)[-1]; PowerShell = $powerShell }
}

function Invoke-Test {
    $tools = Start-TestToolSetup -Versions $(if ($PowerShellVersion) { $PowerShellVersion } else { '7.6', '7.4' })
    Invoke-SolutionBuild $Solution $Configuration
    $resultsDir = Join-Path $OutDir 'test-results'
    if (Test-Path -LiteralPath $resultsDir) { Remove-Item -LiteralPath $resultsDir -Recurse -Force }
    # xunit needs only the compiled test projects: it starts now, at low priority (tools/XunitRuns.ps1), and takes the
    # core that the layout and packaging steps, one after another, leave idle; then it runs beside the Pester workers.
    $xunitRun = Start-XunitRun -ResultsDir $resultsDir
    try {
        Invoke-Layout
        New-Packages
    } catch {
        # No test process outlives a failed build step.
        Stop-XunitRun -Run $xunitRun
        throw
    }
    # Received before the JIT settings below are set: a set-up that compiles must not inherit them.
    $tools = Receive-TestToolSetup $tools
    # The test processes' JIT settings ($TestProcessJitSettings, tools/BuildSupport.ps1), from here on inherited by
    # every process started (xunit, started earlier, has them from Start-XunitRun).
    foreach ($setting in $TestProcessJitSettings.GetEnumerator()) { Set-Item -Path "env:$($setting.Key)" -Value $setting.Value }
    $pester = @(Invoke-PesterRuns -PesterPath $tools.Pester -PowerShell $tools.PowerShell -ResultsDir $resultsDir -OnlyVersion $PowerShellVersion `
            -LaneFreedBy $xunitRun.Job)
    $runs = @((Receive-XunitRun -Run $xunitRun -ResultsDir $resultsDir); $pester)
    $passed = ($runs | Measure-Object -Property Passed -Sum).Sum
    $failed = ($runs | Measure-Object -Property Failed -Sum).Sum
    # CI keeps only the tail of the output: every failure is named again here, at the end.
    foreach ($name in $runs | ForEach-Object { @($_.FailedNames) } | Where-Object { $_ }) { Write-Host "FAILED: $name" -ForegroundColor Red } # run by run: StrictMode's $runs.FailedNames throws when none has any
    Write-Host "`n$(($runs | ForEach-Object { "$($_.Label): $($_.Passed) passed, $($_.Failed) failed" }) -join '; ')"
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Emulator {
    Invoke-Build
    $arguments = @((Join-Path $EmulatorOut 'CodatFiles.Emulator.dll'), '--urls', "http://127.0.0.1:$Port") + $EmulatorArguments
    Write-Host "> dotnet $($arguments -join ' ')   (Ctrl+C stops it)" -ForegroundColor DarkGray
    & dotnet @arguments
}

function Invoke-Demo {
    Invoke-Build
    Import-Module (Join-Path $RepoRoot 'tools/CodatDevEmulator.psm1') -Force
    $emulator = Start-CodatDevEmulator
    try {
        Write-Host "Emulator listening on $($emulator.BaseUrl) (API key: $($emulator.ApiKey))" -ForegroundColor Green
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tools/Invoke-Demo.ps1') `
            -ModulePath (Join-Path $ModuleOut 'CodatFiles.psd1') -ServerUrl $emulator.BaseUrl -ApiKey $emulator.ApiKey
        if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
    }
    finally {
        $emulator | Stop-CodatDevEmulator
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
    'UnitTest' { Invoke-UnitTest }
    'Emulator' { Invoke-Emulator }
    'Demo' { Invoke-Demo }
    'Bench' {
        if ($Configuration -ne 'Release') { throw 'The benchmark measures the Release build: leave -Configuration at Release.' }
        Invoke-Build
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tools/bench/Invoke-CodatFilesBench.ps1') -Quick:$Quick
        if ($LASTEXITCODE -ne 0) { throw "The benchmark failed with exit code $LASTEXITCODE." }
    }
    'Clean' {
        Remove-Item -LiteralPath $OutDir -Recurse -Force -ErrorAction SilentlyContinue
        Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'src'), (Join-Path $RepoRoot 'tests') -Directory -Recurse -Include 'bin', 'obj' |
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
    }
}
