<#
.SYNOPSIS
Packs the built module (and its companion CodatFiles.Emulator) for the PowerShell Gallery and Azure Automation, or saves
packages back from their repository.

.DESCRIPTION
-Publish checks the built manifest (Test-ModuleManifest, exact exports), publishes out/CodatFiles/ with
Publish-PSResource to a local folder repository (the .nupkg lands in -RepositoryPath) and writes the Azure Automation
zip, checked against Automation's documented import rules. With -EmulatorModulePath it also publishes the companion
module laid out by tools/CodatEmulatorModule.ps1 (out/CodatFiles.Emulator/) to the same repository.
-Save saves -Name (default CodatFiles) from that folder repository into -Destination with Save-PSResource, as a
user's install would.

The repository is registered in a PSResourceGet store of this run's own (a temporary LOCALAPPDATA/XDG_DATA_HOME),
so the user's registered repositories are never read or changed and parallel builds do not race on one store.
Run it in a child pwsh (build.ps1 does): it changes those environment variables for its process.

.EXAMPLE
dotnet pwsh -NoProfile -File tools/CodatFilesPackage.ps1 -Publish -ModulePath out/CodatFiles -RepositoryPath out/repo -AutomationZipPath out/automation/CodatFiles.zip
#>
[CmdletBinding(DefaultParameterSetName = 'Publish')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Publish')] [switch] $Publish,
    [Parameter(Mandatory, ParameterSetName = 'Publish')] [string] $ModulePath,
    [Parameter(Mandatory, ParameterSetName = 'Publish')] [string] $AutomationZipPath,
    [Parameter(ParameterSetName = 'Publish')] [string] $EmulatorModulePath,
    [Parameter(Mandatory, ParameterSetName = 'Save')] [switch] $Save,
    [Parameter(Mandatory, ParameterSetName = 'Save')] [string] $Destination,
    [Parameter(ParameterSetName = 'Save')] [string[]] $Name = @('CodatFiles'),
    [Parameter(Mandatory)] [string] $RepositoryPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ModuleName = 'CodatFiles'
$RepositoryName = 'CodatFilesBuild'

# Azure Automation's documented rules for an uploaded module zip: the zip, its one top folder and the manifest share
# the module's name, no version folder inside, no file path over 140 characters, and at most 100 MB.
$AutomationMaxPathLength = 140
$AutomationMaxZipBytes = 100MB

function Assert-PSResourceGet {
    # Without PSResourceGet a later step would fail with a bare 'not recognized': name the cause instead.
    $missing = @('Register-PSResourceRepository', 'Publish-PSResource', 'Save-PSResource') |
        Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) }
    if ($missing) {
        throw "PSResourceGet (the Microsoft.PowerShell.PSResourceGet module) is not available in PowerShell $($PSVersionTable.PSVersion) at $PSHOME`: $($missing -join ', ') not found."
    }
}

function Use-PrivateResourceStore {
    # PSResourceGet keeps registered repositories under LocalApplicationData; pointing that at a fresh folder gives
    # this process a store of its own.
    $store = Join-Path ([IO.Path]::GetTempPath()) ('codatfiles-psresource-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $store | Out-Null
    $env:LOCALAPPDATA = $store
    $env:XDG_DATA_HOME = $store
    New-Item -ItemType Directory -Path $RepositoryPath -Force | Out-Null
    Register-PSResourceRepository -Name $RepositoryName -Uri (Resolve-Path -LiteralPath $RepositoryPath).Path -Trusted
    $store
}

function Assert-Manifest {
    param([string] $Folder)
    $manifestPath = Join-Path $Folder "$ModuleName.psd1"
    $manifest = Test-ModuleManifest -Path $manifestPath
    $data = Import-PowerShellDataFile -LiteralPath $manifestPath
    $problems = @(
        if (@($data.CmdletsToExport | Where-Object { $_ -match '[*?]' }).Count -gt 0) { 'CmdletsToExport has a wildcard' }
        if (@(Compare-Object @($data.CmdletsToExport) @($manifest.ExportedCmdlets.Keys)).Count -gt 0) { 'CmdletsToExport differs from what Test-ModuleManifest reads' }
        if ("$($data.PowerShellVersion)" -ne '5.1') { 'PowerShellVersion is not 5.1' }
        if (@(Compare-Object @($data.CompatiblePSEditions) @('Desktop', 'Core')).Count -gt 0) { 'CompatiblePSEditions is not Desktop and Core' }
        foreach ($key in 'Tags', 'ProjectUri', 'LicenseUri', 'ReleaseNotes') { if (-not $data.PrivateData.PSData[$key]) { "PrivateData.PSData.$key is missing" } }
        if ($data.ModuleVersion -match '\{\{') { 'ModuleVersion was not filled in' }
        foreach ($file in @($data.FormatsToProcess) + 'LICENSE') { if (-not (Test-Path -LiteralPath (Join-Path $Folder $file))) { "$file is missing from the module folder" } }
    )
    if ($problems) { throw "The manifest $manifestPath is not ready to publish: $($problems -join '; ')." }
    $manifest
}

function New-AutomationZip {
    param([string] $Folder, [string] $ZipPath)
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    New-Item -ItemType Directory -Path (Split-Path -Parent $ZipPath) -Force | Out-Null
    if (Test-Path -LiteralPath $ZipPath) { Remove-Item -LiteralPath $ZipPath -Force }
    # includeBaseDirectory: the zip holds CodatFiles/..., the folder Automation expects, without a version folder.
    [IO.Compression.ZipFile]::CreateFromDirectory((Resolve-Path -LiteralPath $Folder).Path, $ZipPath, [IO.Compression.CompressionLevel]::Optimal, $true)
    Assert-AutomationZip -ZipPath $ZipPath
}

function Assert-AutomationZip {
    param([string] $ZipPath)
    $zip = [IO.Compression.ZipFile]::OpenRead($ZipPath)
    try {
        $names = @($zip.Entries | ForEach-Object FullName)
        $problems = @(
            if ([IO.Path]::GetFileNameWithoutExtension($ZipPath) -ne $ModuleName) { "the zip is not named $ModuleName.zip" }
            $outside = @($names | Where-Object { -not $_.StartsWith("$ModuleName/") })
            if ($outside) { "entries outside the $ModuleName/ folder: $($outside -join ', ')" }
            if ("$ModuleName/$ModuleName.psd1" -notin $names) { "$ModuleName/$ModuleName.psd1 is missing" }
            $versioned = @($names | Where-Object { $_ -match "^$ModuleName/\d+(\.\d+){1,3}/" })
            if ($versioned) { 'it has a version folder' }
            $long = @($names | Where-Object Length -GT $AutomationMaxPathLength)
            if ($long) { "paths over $AutomationMaxPathLength characters: $($long -join ', ')" }
            if ((Get-Item -LiteralPath $ZipPath).Length -gt $AutomationMaxZipBytes) { 'it is over 100 MB' }
            if ($names | Where-Object { $_.Contains('\') }) { 'an entry uses backslashes' }
        )
        if ($problems) { throw "The Azure Automation zip $ZipPath breaks Automation's import rules: $($problems -join '; ')." }
        $longest = ($names | Measure-Object -Property Length -Maximum).Maximum
        Write-Host "Azure Automation zip: $ZipPath ($([math]::Round((Get-Item -LiteralPath $ZipPath).Length / 1KB)) KB, $($names.Count) entries, longest path $longest characters)."
    }
    finally { $zip.Dispose() }
}

function Publish-EmulatorModule {
    # The companion package: its manifest must load and export exactly its three functions before it is published.
    param([string] $Folder)
    $manifest = Test-ModuleManifest -Path (Join-Path $Folder 'CodatFiles.Emulator.psd1')
    $expected = @('Invoke-CodatEmulatorControl', 'Start-CodatEmulator', 'Stop-CodatEmulator')
    if (@(Compare-Object $expected @($manifest.ExportedFunctions.Keys | Sort-Object)).Count -gt 0) {
        throw "CodatFiles.Emulator exports $($manifest.ExportedFunctions.Keys -join ', '), not $($expected -join ', ')."
    }
    $package = Join-Path $RepositoryPath "CodatFiles.Emulator.$($manifest.Version).nupkg"
    if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package -Force }
    Publish-PSResource -Path (Resolve-Path -LiteralPath $Folder).Path -Repository $RepositoryName
    if (-not (Test-Path -LiteralPath $package)) { throw "Publish-PSResource did not write $package." }
    Write-Host "Gallery package: $package ($([math]::Round((Get-Item -LiteralPath $package).Length / 1MB, 1)) MB)"
}

Assert-PSResourceGet
$store = Use-PrivateResourceStore
try {
    if ($Publish) {
        $manifest = Assert-Manifest -Folder $ModulePath
        $package = Join-Path $RepositoryPath "$ModuleName.$($manifest.Version).nupkg"
        if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package -Force }
        Publish-PSResource -Path (Resolve-Path -LiteralPath $ModulePath).Path -Repository $RepositoryName
        if (-not (Test-Path -LiteralPath $package)) { throw "Publish-PSResource did not write $package." }
        Write-Host "Gallery package: $package"
        New-AutomationZip -Folder $ModulePath -ZipPath $AutomationZipPath
        if ($EmulatorModulePath) { Publish-EmulatorModule -Folder $EmulatorModulePath }
    }
    else {
        New-Item -ItemType Directory -Path $Destination -Force | Out-Null
        Save-PSResource -Name $Name -Repository $RepositoryName -Path $Destination -TrustRepository
        foreach ($saved in $Name) {
            if (-not (Test-Path -Path (Join-Path $Destination "$saved/*/$saved.psd1"))) {
                throw "Save-PSResource reported no error but saved no $saved manifest under $Destination."
            }
        }
    }
}
finally {
    Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
}
