<#
.SYNOPSIS
Lays out the companion module CodatFiles.Emulator: its manifest and script module, and the emulator server published
self-contained for each shipped platform under server/<rid>/.

.DESCRIPTION
Called by build.ps1 -Task Package. Each platform's server is a `dotnet publish -r <rid> --self-contained` of
src/CodatFiles.Emulator in the shape chosen in docs/design/contracts.md ("The emulator for Gallery users"), so a user
needs neither the .NET SDK nor the ASP.NET Core runtime. The publish uses its own artifacts folder (out/emulator-rid/),
so the RID-specific restore never rewrites the solution's obj/ folders, and a second run is incremental.
Unix servers get their execute bit here; the module sets it again where a package install unpacked it.

A fresh clone has no out/ folder, so every CI run (always a fresh clone) used to publish all five servers from scratch,
about six minutes on the 2-core build machine. The published servers are therefore also kept outside the clone, in
-CachePath, under a key that hashes everything the publish reads: the emulator's source files (bin/ and obj/ left
out), Directory.Build.props, Directory.Packages.props, the publish command and its properties, the configuration,
the .NET SDK version and the runtime identifier. A server is taken from there only when that key matches; otherwise it is published and stored.
The output says which servers came from the cache; -NoCache (or CODATFILES_NO_SERVER_CACHE=1) publishes them all.

.EXAMPLE
dotnet pwsh -NoProfile -File tools/CodatEmulatorModule.ps1 -OutputPath out/CodatFiles.Emulator
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $OutputPath,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
    # The platforms whose servers the package ships.
    [string[]] $RuntimeIdentifier = @('win-x64', 'linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64'),
    # Published servers kept between clones (see the description); the newest few keys are kept, older ones removed.
    [string] $CachePath = $(if ($env:CODATFILES_SERVER_CACHE) { $env:CODATFILES_SERVER_CACHE } else {
            Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'CodatFiles/emulator-servers' }),
    # Publishes every server, neither reading nor filling the cache.
    [switch] $NoCache = ($env:CODATFILES_NO_SERVER_CACHE -eq '1')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$RepoRoot = Split-Path -Parent $PSScriptRoot
$ServerName = 'CodatFiles.Emulator'

# The shape (see contracts.md): trimmed, one file, compressed. TrimMode=partial trims only the framework assemblies
# that declare themselves trimmable and keeps the emulator's own whole: a full trim starts and dies at once (Kestrel
# binding, TypeLoadException on X509Certificate2Collection). The emulator serializes JSON and binds minimal-API
# handlers by reflection, so reflection-based JSON stays on, the handlers bind at run time as in every other build
# (trimming would switch on the compile-time request delegate generator), and the trim analysis warnings (which say
# exactly that) are silenced: the Pester test EmulatorPackage.Tests.ps1 runs the Demo against the trimmed server instead.
$PublishProperties = @(
    '-p:PublishTrimmed=true', '-p:TrimMode=partial', '-p:SuppressTrimAnalysisWarnings=true', '-p:EnableRequestDelegateGenerator=false',
    '-p:JsonSerializerIsReflectionEnabledByDefault=true', '-p:PublishSingleFile=true', '-p:EnableCompressionInSingleFile=true',
    '-p:DebugType=none'
)
# What the Web SDK adds beside the server for hosting under IIS or serving static files; the emulator runs as a plain
# process and serves no static files, so these are left out.
$NotShipped = @('web.config', 'aspnetcorev2_inprocess.dll', "$ServerName.staticwebassets.endpoints.json")
# The trimmer's incremental check does not notice a change of these properties: the artifacts folder is per shape.
$ShapeHash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($PublishProperties -join ' '))).Substring(0, 8)

. (Join-Path $PSScriptRoot 'BuildSupport.ps1')

function Get-ServerCacheKey {
    # A hash of every input of the publish but the runtime identifier (a folder per identifier lies under the key).
    $sourceRoot = Join-Path $RepoRoot "src/$ServerName"
    $sources = Get-ChildItem -LiteralPath $sourceRoot -File -Recurse |
        Where-Object { $_.FullName.Substring($sourceRoot.Length) -notmatch '[\\/](bin|obj)[\\/]' }
    $inputs = @($sources) + @(Get-Item -LiteralPath (Join-Path $RepoRoot 'Directory.Build.props'), (Join-Path $RepoRoot 'Directory.Packages.props'))
    $lines = foreach ($file in $inputs) {
        # Relative paths with forward slashes, so a rename counts and the key does not depend on the clone's folder.
        $relative = [IO.Path]::GetRelativePath($RepoRoot, $file.FullName).Replace('\', '/')
        "$relative $([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($file.FullName))))"
    }
    $sdk = (& dotnet --version | Select-Object -First 1)
    # The publish command itself (the function that runs it, and its properties), not the rest of this script: an edit
    # to how the cache is read must not cost six minutes of publishing.
    $text = (@($lines | Sort-Object -CaseSensitive) + "configuration $Configuration" + "sdk $sdk" + "properties $($PublishProperties -join ' ')" +
        "publish ${function:Invoke-ServerPublish}") -join "`n"
    Get-ShortHash $text
}

function Get-CachedServer {
    # The cached server file for this key and platform, or nothing.
    param([string] $Key, [string] $Rid, [string] $Exe)
    if ($NoCache) { return }
    $file = Join-Path $CachePath "$Key/$Rid/$Exe"
    if (Test-Path -LiteralPath $file) { (Get-Item -LiteralPath (Join-Path $CachePath $Key)).LastWriteTimeUtc = [DateTime]::UtcNow; $file }
}

function Save-CachedServer {
    # Copied beside its place and renamed into it, so an interrupted copy never looks like a cached server. Another
    # clone's build may store the same key at the same time: its server is the same, so whichever lands first stays.
    param([string] $Key, [string] $Rid, [string] $File)
    if ($NoCache) { return }
    $folder = Join-Path $CachePath "$Key/$Rid"
    $partial = "$folder.partial-$PID"
    New-Item -ItemType Directory -Path $partial -Force | Out-Null
    Copy-Item -LiteralPath $File -Destination $partial
    try { if (-not (Test-Path -LiteralPath $folder)) { [IO.Directory]::Move($partial, $folder) } }
    catch { if (-not (Test-Path -LiteralPath (Join-Path $folder (Split-Path -Leaf $File)))) { throw } }
    finally { Remove-Item -LiteralPath $partial -Recurse -Force -ErrorAction SilentlyContinue }
}

function Remove-OldCachedServers {
    # Five servers are about 90 MB: only the three most recently used keys stay.
    if ($NoCache -or -not (Test-Path -LiteralPath $CachePath)) { return }
    Get-ChildItem -LiteralPath $CachePath -Directory | Sort-Object LastWriteTimeUtc -Descending | Select-Object -Skip 3 |
        Remove-Item -Recurse -Force
}

function Publish-Server {
    # Lays out one platform's server in server/<rid>/, from the cache when its key matches, else published (and then
    # cached); returns its size, time and origin.
    param([Parameter(Mandatory)] [string] $Rid, [Parameter(Mandatory)] [string] $Key)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $exe = if ($Rid.StartsWith('win-')) { "$ServerName.exe" } else { $ServerName }
    $target = Join-Path $OutputPath "server/$Rid"
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    $cached = Get-CachedServer -Key $Key -Rid $Rid -Exe $exe
    if ($cached) { Copy-Item -LiteralPath $cached -Destination $target }
    else {
        $published = Invoke-ServerPublish -Rid $Rid -Exe $exe
        Copy-Item -LiteralPath $published -Destination $target
        Save-CachedServer -Key $Key -Rid $Rid -File $published
    }
    if (-not $Rid.StartsWith('win-') -and [IO.Path]::DirectorySeparatorChar -eq '/') {
        [IO.File]::SetUnixFileMode((Join-Path $target $exe), [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
    }
    [pscustomobject]@{
        Rid = $Rid; MB = [math]::Round((Get-Item -LiteralPath (Join-Path $target $exe)).Length / 1MB, 1); Seconds = [math]::Round($watch.Elapsed.TotalSeconds)
        From = $(if ($cached) { "cache $Key" } elseif ($NoCache) { 'publish (cache off)' } else { "publish (cached as $Key)" })
    }
}

function Invoke-ServerPublish {
    # Publishes one platform's server and returns the path of its single file.
    param([Parameter(Mandatory)] [string] $Rid, [Parameter(Mandatory)] [string] $Exe)
    $publishDir = Join-Path $RepoRoot "out/emulator-rid/publish/$Rid"
    if (Test-Path -LiteralPath $publishDir) { Remove-Item -LiteralPath $publishDir -Recurse -Force }
    Invoke-Native dotnet (@('publish', (Join-Path $RepoRoot "src/$ServerName/$ServerName.csproj"), '-c', $Configuration, '-r', $Rid,
            '--self-contained', '-o', $publishDir, '--artifacts-path', (Join-Path $RepoRoot "out/emulator-rid/artifacts-$ShapeHash"), '-nologo',
            '-clp:ErrorsOnly') + $PublishProperties)
    # One file is the shape: anything else beside it would mean the shape drifted.
    $files = @(Get-ChildItem -LiteralPath $publishDir -File | ForEach-Object Name | Where-Object { $_ -notin $NotShipped })
    if ($files.Count -ne 1 -or $files[0] -ne $Exe) { throw "The $Rid publish is not the single file $Exe but: $($files -join ', ')." }
    Join-Path $publishDir $Exe
}

if (Test-Path -LiteralPath $OutputPath) { Remove-Item -LiteralPath $OutputPath -Recurse -Force }
New-Item -ItemType Directory -Path $OutputPath | Out-Null
$OutputPath = (Resolve-Path -LiteralPath $OutputPath).Path
$moduleSource = Join-Path $RepoRoot 'src/CodatFiles.Emulator.Module'
Copy-Item -LiteralPath (Join-Path $moduleSource "$ServerName.psm1"), (Join-Path $RepoRoot 'LICENSE') -Destination $OutputPath
$manifest = (Get-Content -LiteralPath (Join-Path $moduleSource "$ServerName.psd1") -Raw).
    Replace('{{ModuleVersion}}', (Get-ProjectProperty 'CodatFilesVersion')).Replace('{{ProjectUri}}', (Get-ProjectProperty 'CodatFilesProjectUri'))
Set-Content -LiteralPath (Join-Path $OutputPath "$ServerName.psd1") -Value $manifest -Encoding utf8NoBOM

# Another shape's artifacts (about 700 MB for five platforms) would only fill the disk.
Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'out/emulator-rid') -Directory -Filter 'artifacts-*' -ErrorAction SilentlyContinue |
    Where-Object Name -NE "artifacts-$ShapeHash" | Remove-Item -Recurse -Force
$key = Get-ServerCacheKey
$servers = foreach ($rid in $RuntimeIdentifier) { Publish-Server -Rid $rid -Key $key }
Remove-OldCachedServers
$servers | Format-Table -AutoSize | Out-Host
Write-Host "CodatFiles.Emulator laid out at $OutputPath ($([math]::Round(($servers | Measure-Object MB -Sum).Sum, 1)) MB of servers)." -ForegroundColor Green
