<#
.SYNOPSIS
Sets up a PowerShell for the tests (7.4 LTS or 7.6) from NuGet alone, once, and writes the path of its pwsh.

.DESCRIPTION
Publishes tools/pwsh-host (a console app named pwsh whose Main is pwsh's own entry point) over the hosting package
Microsoft.PowerShell.SDK of the version, self-contained for this machine's runtime identifier and compiled ahead of
time (ReadyToRun, as Microsoft's pwsh builds are); the .NET SDK fetches the runtime pack from NuGet too.
- 7.4: the PowerShell dotnet tool is not served in 7.4, but the hosting package is (7.4.22, on .NET 8).
- 7.6: the version of the PowerShell tool pinned in .config/dotnet-tools.json, on .NET 10. The tool itself ships IL
  only, so each of its processes compiled the engine just in time: most of a test process's CPU.
The SDK package ships the core modules under runtimes/<os>/lib/<framework>/Modules: they move to $PSHOME/Modules,
where pwsh looks. It lacks PSResourceGet, Archive and ThreadJob, which are copied from -ModuleSource (by default the
modules of the PowerShell running this script, the pinned 7.6 tool; they are .NET Standard and load on 7.4).

This is NOT Microsoft's binary release: the same engine and console host assemblies, hosted by our own two-line
executable. The result is kept outside the clone, so that a fresh clone (every CI run) does not publish it again:
under -CacheRoot (CODATFILES_TOOLS_CACHE, by default CodatFiles/ in the local application data folder), in
pwsh-<version>/<key>, where the key hashes everything it is built from (tools/pwsh-host's files, the PowerShell SDK
version and framework, the borrowed modules' versions, the .NET SDK version and the runtime identifier). A set-up is
never changed in place: another key gets a folder of its own, so a test run still using an older one is not
disturbed, and all but the newest three are removed. -Destination builds into a folder of your choice instead,
rebuilt when its stamp differs. Each call starts it once to check its version and modules.

.EXAMPLE
$pwsh74 = dotnet pwsh -NoProfile -File tools/Install-TestPowerShell.ps1 -Version 7.4
#>
[CmdletBinding()]
param(
    [ValidateSet('7.4', '7.6')]
    [string] $Version = '7.4',
    # Where set-ups are kept between clones (see the description); by default Get-CodatFilesCacheRoot's folder.
    [string] $CacheRoot,
    # A folder of your own instead of the cache.
    [string] $Destination,
    [string] $ModuleSource = (Join-Path $PSHOME 'Modules')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProjectFolder = Join-Path $PSScriptRoot 'pwsh-host'
$Project = Join-Path $ProjectFolder 'pwsh-host.csproj'
$BorrowedModules = @('Microsoft.PowerShell.PSResourceGet', 'Microsoft.PowerShell.Archive', 'Microsoft.PowerShell.ThreadJob')
# The hosting package and framework of each version; 7.6 follows the pinned tool, so both suites test one 7.6.
$Framework = @{ '7.4' = 'net8.0'; '7.6' = 'net10.0' }[$Version]
$SdkVersion = if ($Version -eq '7.4') { '7.4.22' } else {
    (Get-Content -LiteralPath (Join-Path $PSScriptRoot '../.config/dotnet-tools.json') -Raw | ConvertFrom-Json).tools.powershell.version
}
# Get-CodatFilesCacheRoot and Get-ShortHash.
. (Join-Path $PSScriptRoot 'BuildSupport.ps1')

function Get-SetupStamp {
    # What the set-up is built from: when any of it changes, the cached copy is rebuilt.
    $borrowed = foreach ($name in $BorrowedModules) {
        $manifest = Join-Path $ModuleSource "$name/$name.psd1"
        if (-not (Test-Path -LiteralPath $manifest)) {
            throw "$manifest is missing: run this with the pinned PowerShell 7.6 tool ('dotnet tool restore', then 'dotnet pwsh'), whose modules it borrows."
        }
        "$name $((Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion)"
    }
    $sources = Get-ChildItem -LiteralPath $ProjectFolder -File | Sort-Object Name | ForEach-Object {
        "$($_.Name) $((Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash)"
    }
    [pscustomobject]@{
        Sources           = @($sources)
        DotnetSdk         = "$(& dotnet --version)".Trim()
        SdkVersion        = $SdkVersion
        Framework         = $Framework
        RuntimeIdentifier = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
        BorrowedModules   = @($borrowed)
    } | ConvertTo-Json -Compress
}

function Remove-OldSetups {
    # Keeps the newest three set-ups of the cache (by their last use); a folder still in use fails to go and stays.
    $folder = Join-Path $CacheRoot "pwsh-$Version"
    Get-ChildItem -LiteralPath $folder -Directory | Where-Object Name -NotLike '*.*' | Sort-Object LastWriteTimeUtc -Descending |
        Select-Object -Skip 3 | ForEach-Object { Remove-Item -LiteralPath $_.FullName -Recurse -Force -ErrorAction SilentlyContinue }
}

function Get-PwshPath { Join-Path $Destination $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }) }

function Test-CachedSetup([string] $Stamp) {
    (Test-Path -LiteralPath (Get-PwshPath)) -and (Test-Path -LiteralPath $StampPath) -and
        ((Get-Content -LiteralPath $StampPath -Raw).Trim() -eq $Stamp)
}

function New-Setup([string] $Stamp) {
    # Built beside the destination under a name of its own and renamed into place, so an interrupted set-up never
    # looks complete and two runs setting up at once do not share a folder.
    $partial = "$Destination.partial-$PID"
    foreach ($folder in $partial, $Destination) { if (Test-Path -LiteralPath $folder) { Remove-Item -LiteralPath $folder -Recurse -Force } }
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $arguments = @('publish', $Project, '-c', 'Release', '-r', $rid, '--self-contained', '-o', $partial,
        '--artifacts-path', "$Destination.build-$PID", '-nologo', "-p:PwshTargetFramework=$Framework", "-p:PowerShellSdkVersion=$SdkVersion")
    Write-Host "> dotnet $($arguments -join ' ')" -ForegroundColor DarkGray
    # The compilers at the JIT's defaults: the test processes' settings ($TestProcessJitSettings, which build.ps1 -Task
    # Test sets only once this set-up is done) would slow a compiler several times over.
    $saved = @{}
    foreach ($name in $TestProcessJitSettings.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }
    try { & dotnet @arguments | Out-Host } finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    if ($LASTEXITCODE -ne 0) { throw "Publishing the PowerShell $Version host failed with exit code $LASTEXITCODE." }

    $os = if ($IsWindows) { 'win' } else { 'unix' }
    Move-Item -LiteralPath (Join-Path $partial "runtimes/$os/lib/$Framework/Modules") -Destination (Join-Path $partial 'Modules')
    # The other OS's copy of the core modules is never loaded here.
    Get-ChildItem -LiteralPath (Join-Path $partial 'runtimes') -Directory | ForEach-Object {
        Remove-Item -LiteralPath (Join-Path $_.FullName "lib/$Framework/Modules") -Recurse -Force -ErrorAction SilentlyContinue
    }
    foreach ($name in $BorrowedModules | Where-Object { -not (Test-Path -LiteralPath (Join-Path $partial "Modules/$_")) }) {
        Copy-Item -LiteralPath (Join-Path $ModuleSource $name) -Destination (Join-Path $partial 'Modules') -Recurse
    }
    Set-Content -LiteralPath (Join-Path $partial 'codatfiles-setup.json') -Value $Stamp -Encoding utf8NoBOM
    Remove-Item -LiteralPath "$Destination.build-$PID" -Recurse -Force -ErrorAction SilentlyContinue
    # Another run may have finished the same set-up first: then its copy stands and this one goes.
    if (Test-CachedSetup $Stamp) { Remove-Item -LiteralPath $partial -Recurse -Force; return }
    Move-Item -LiteralPath $partial -Destination $Destination
}

function Assert-Setup {
    # Starts it once: the version must be the one asked for and the modules the tests use must load by name.
    $check = '"$($PSVersionTable.PSVersion) on .NET $([Environment]::Version)"; ' +
        'Get-Command Register-PSResourceRepository, Save-PSResource, Compress-Archive, Start-ThreadJob -ErrorAction Stop | Out-Null'
    $output = & (Get-PwshPath) -NoProfile -NonInteractive -Command $check 2>&1
    $expected = if ($Version -eq '7.6') { "^$([regex]::Escape($SdkVersion)) " } else { '^7\.4\.' }
    if ($LASTEXITCODE -ne 0 -or "$($output | Select-Object -First 1)" -notmatch $expected) {
        throw "The PowerShell $Version set-up at $Destination does not work (exit code $LASTEXITCODE): $($output -join ' ')"
    }
    Write-Host "PowerShell $($output | Select-Object -First 1) at $(Get-PwshPath), built from Microsoft.PowerShell.SDK."
}

$stamp = Get-SetupStamp
$cached = -not $Destination
if (-not $CacheRoot) { $CacheRoot = Get-CodatFilesCacheRoot }
if ($cached) { $Destination = Join-Path $CacheRoot "pwsh-$Version/$(Get-ShortHash $stamp)" }
$Destination = [IO.Path]::GetFullPath($Destination)
$StampPath = Join-Path $Destination 'codatfiles-setup.json'
if (-not (Test-CachedSetup $stamp)) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    New-Setup $stamp
    Write-Host "PowerShell $Version set up in $([math]::Round($watch.Elapsed.TotalSeconds)) s."
}
if ($cached) {
    # Its last use, for Remove-OldSetups.
    (Get-Item -LiteralPath $Destination).LastWriteTimeUtc = [DateTime]::UtcNow
    Remove-OldSetups
}
Assert-Setup
Get-PwshPath
