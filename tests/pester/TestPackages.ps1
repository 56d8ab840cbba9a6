# Dot-sourced by TestSupport.psm1 (its functions are the module's): the Gallery packages that `build.ps1 -Task Package`
# puts in the local folder repository out/repo, and saving them as a user would.

function Get-TestGalleryPackage {
    <#
    The package -Name in out/repo at the version of Directory.Build.props: Version, Repository (out/repo) and Path (the
    .nupkg). Throws when it is missing, with the command that makes it.
    #>
    param([string] $Name = 'CodatFiles')
    [xml] $props = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'Directory.Build.props') -Raw
    $version = @($props.Project.PropertyGroup.CodatFilesVersion | Where-Object { $_ })[0]
    $repository = Join-Path $script:RepoRoot 'out/repo'
    $path = Join-Path $repository "$Name.$version.nupkg"
    if (-not (Test-Path -LiteralPath $path)) { throw "$path is missing: run 'dotnet pwsh ./build.ps1 -Task Package' first." }
    [pscustomobject]@{ Version = $version; Repository = $repository; Path = $path }
}

function Save-TestGalleryPackage {
    <#
    Saves the packages -Name (default CodatFiles) from out/repo into -Destination in a child pwsh, with
    tools/CodatFilesPackage.ps1 -Save: Save-PSResource from the folder repository, registered in a PSResourceGet store
    of the child's own. Any error there stops it and fails the caller with its cause. -Prelude runs first in the child
    (a test takes a set-up step away with it).
    #>
    param([Parameter(Mandatory)] [string] $Destination, [string[]] $Name = @('CodatFiles'), [string] $Prelude = '')
    # The names travel as one comma-separated argument: a child started with -File gets every argument as a string.
    Invoke-TestChildPowerShell -Script @"
param(`$PackageScript, `$Repository, `$Destination, `$Names)
`$ErrorActionPreference = 'Stop'
$Prelude
& `$PackageScript -Save -RepositoryPath `$Repository -Destination `$Destination -Name (`$Names -split ',')
'{}'
"@ -Arguments @((Join-Path $script:RepoRoot 'tools/CodatFilesPackage.ps1'), (Join-Path $script:RepoRoot 'out/repo'), $Destination, ($Name -join ',')) | Out-Null
}
