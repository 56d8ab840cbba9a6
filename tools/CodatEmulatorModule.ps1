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

.EXAMPLE
dotnet pwsh -NoProfile -File tools/CodatEmulatorModule.ps1 -OutputPath out/CodatFiles.Emulator
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $OutputPath,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
    # The platforms whose servers the package ships.
    [string[]] $RuntimeIdentifier = @('win-x64', 'linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64')
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

function Publish-Server {
    # Publishes one platform's server into server/<rid>/ and returns its size.
    param([Parameter(Mandatory)] [string] $Rid)
    $publishDir = Join-Path $RepoRoot "out/emulator-rid/publish/$Rid"
    if (Test-Path -LiteralPath $publishDir) { Remove-Item -LiteralPath $publishDir -Recurse -Force }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    Invoke-Native dotnet (@('publish', (Join-Path $RepoRoot "src/$ServerName/$ServerName.csproj"), '-c', $Configuration, '-r', $Rid,
            '--self-contained', '-o', $publishDir, '--artifacts-path', (Join-Path $RepoRoot "out/emulator-rid/artifacts-$ShapeHash"), '-nologo',
            '-clp:ErrorsOnly') + $PublishProperties)
    $target = Join-Path $OutputPath "server/$Rid"
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    $exe = if ($Rid.StartsWith('win-')) { "$ServerName.exe" } else { $ServerName }
    # One file is the shape: anything else beside it would mean the shape drifted.
    $files = @(Get-ChildItem -LiteralPath $publishDir -File | ForEach-Object Name | Where-Object { $_ -notin $NotShipped })
    if ($files.Count -ne 1 -or $files[0] -ne $exe) { throw "The $Rid publish is not the single file $exe but: $($files -join ', ')." }
    Copy-Item -LiteralPath (Join-Path $publishDir $exe) -Destination $target
    if (-not $Rid.StartsWith('win-') -and [IO.Path]::DirectorySeparatorChar -eq '/') {
        [IO.File]::SetUnixFileMode((Join-Path $target $exe), [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
    }
    [pscustomobject]@{ Rid = $Rid; MB = [math]::Round((Get-Item -LiteralPath (Join-Path $target $exe)).Length / 1MB, 1); Seconds = [math]::Round($watch.Elapsed.TotalSeconds) }
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
$servers = foreach ($rid in $RuntimeIdentifier) { Publish-Server -Rid $rid }
$servers | Format-Table -AutoSize | Out-Host
Write-Host "CodatFiles.Emulator laid out at $OutputPath ($([math]::Round(($servers | Measure-Object MB -Sum).Sum, 1)) MB of servers)." -ForegroundColor Green
