<#
.SYNOPSIS
Sets up PowerShell 7.4 LTS for the tests from NuGet alone, once, and writes the path of its pwsh.

.DESCRIPTION
The PowerShell dotnet tool is not served in 7.4, but the hosting package Microsoft.PowerShell.SDK is. So this
publishes tools/pwsh74 (a console app named pwsh whose Main is pwsh's own entry point) self-contained for this
machine's runtime identifier; the .NET SDK fetches the .NET 8 runtime pack from NuGet too. The SDK package ships
the core modules under runtimes/<os>/lib/net8.0/Modules: they move to $PSHOME/Modules, where pwsh looks. It lacks
PSResourceGet, Archive and ThreadJob, which are copied from -ModuleSource (by default the modules of the PowerShell
running this script, the pinned 7.6 tool; they are .NET Standard and load on 7.4).

This is NOT Microsoft's 7.4 binary release: the same engine and console host assemblies, hosted by our own
two-line executable. The result is cached in -Destination with a stamp naming what it was built from; it is rebuilt
only when missing or when the stamp differs. Each call starts it once to check its version and modules.

.EXAMPLE
$pwsh74 = dotnet pwsh -NoProfile -File tools/Install-TestPowerShell.ps1
#>
[CmdletBinding()]
param(
    [string] $Destination = (Join-Path $PSScriptRoot '../.tools/pwsh-7.4'),
    [string] $ModuleSource = (Join-Path $PSHOME 'Modules')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$Project = Join-Path $PSScriptRoot 'pwsh74/pwsh74.csproj'
$BorrowedModules = @('Microsoft.PowerShell.PSResourceGet', 'Microsoft.PowerShell.Archive', 'Microsoft.PowerShell.ThreadJob')
$Destination = [IO.Path]::GetFullPath($Destination)
$StampPath = Join-Path $Destination 'codatfiles-setup.json'

function Get-SetupStamp {
    # What the set-up is built from: when any of it changes, the cached copy is rebuilt.
    [xml] $project = Get-Content -LiteralPath $Project -Raw
    $borrowed = foreach ($name in $BorrowedModules) {
        $manifest = Join-Path $ModuleSource "$name/$name.psd1"
        if (-not (Test-Path -LiteralPath $manifest)) {
            throw "$manifest is missing: run this with the pinned PowerShell 7.6 tool ('dotnet tool restore', then 'dotnet pwsh'), whose modules it borrows."
        }
        "$name $((Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion)"
    }
    [pscustomobject]@{
        SdkVersion        = @($project.Project.PropertyGroup.PowerShellSdkVersion | Where-Object { $_ })[0]
        RuntimeIdentifier = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
        BorrowedModules   = @($borrowed)
    } | ConvertTo-Json -Compress
}

function Get-PwshPath { Join-Path $Destination $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }) }

function Test-CachedSetup([string] $Stamp) {
    (Test-Path -LiteralPath (Get-PwshPath)) -and (Test-Path -LiteralPath $StampPath) -and
        ((Get-Content -LiteralPath $StampPath -Raw).Trim() -eq $Stamp)
}

function New-Setup([string] $Stamp) {
    # Built beside the destination and renamed into place, so an interrupted set-up never looks complete.
    $partial = "$Destination.partial"
    foreach ($folder in $partial, $Destination) { if (Test-Path -LiteralPath $folder) { Remove-Item -LiteralPath $folder -Recurse -Force } }
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $arguments = @('publish', $Project, '-c', 'Release', '-r', $rid, '--self-contained', '-o', $partial,
        '--artifacts-path', "$Destination.build", '-nologo')
    Write-Host "> dotnet $($arguments -join ' ')" -ForegroundColor DarkGray
    & dotnet @arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Publishing the PowerShell 7.4 host failed with exit code $LASTEXITCODE." }

    $os = if ($IsWindows) { 'win' } else { 'unix' }
    Move-Item -LiteralPath (Join-Path $partial "runtimes/$os/lib/net8.0/Modules") -Destination (Join-Path $partial 'Modules')
    # The other OS's copy of the core modules is never loaded here.
    Get-ChildItem -LiteralPath (Join-Path $partial 'runtimes') -Directory | ForEach-Object {
        Remove-Item -LiteralPath (Join-Path $_.FullName 'lib/net8.0/Modules') -Recurse -Force -ErrorAction SilentlyContinue
    }
    foreach ($name in $BorrowedModules) {
        Copy-Item -LiteralPath (Join-Path $ModuleSource $name) -Destination (Join-Path $partial 'Modules') -Recurse
    }
    Set-Content -LiteralPath (Join-Path $partial 'codatfiles-setup.json') -Value $Stamp -Encoding utf8NoBOM
    Move-Item -LiteralPath $partial -Destination $Destination
    Remove-Item -LiteralPath "$Destination.build" -Recurse -Force -ErrorAction SilentlyContinue
}

function Assert-Setup {
    # Starts it once: the version must be 7.4 and the modules the tests use must load by name.
    $check = '"$($PSVersionTable.PSVersion) on .NET $([Environment]::Version)"; ' +
        'Get-Command Register-PSResourceRepository, Save-PSResource, Compress-Archive, Start-ThreadJob -ErrorAction Stop | Out-Null'
    $output = & (Get-PwshPath) -NoProfile -NonInteractive -Command $check 2>&1
    if ($LASTEXITCODE -ne 0 -or "$($output | Select-Object -First 1)" -notmatch '^7\.4\.') {
        throw "The PowerShell 7.4 set-up at $Destination does not work (exit code $LASTEXITCODE): $($output -join ' ')"
    }
    Write-Host "PowerShell $($output | Select-Object -First 1) at $(Get-PwshPath), built from Microsoft.PowerShell.SDK."
}

$stamp = Get-SetupStamp
if (-not (Test-CachedSetup $stamp)) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    New-Setup $stamp
    Write-Host "PowerShell 7.4 set up in $([math]::Round($watch.Elapsed.TotalSeconds)) s."
}
Assert-Setup
Get-PwshPath
