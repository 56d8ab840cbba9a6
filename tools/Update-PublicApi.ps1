#Requires -Version 7.2
<#
.SYNOPSIS
Updates the public-API baseline of CodatFiles.Client after an intended API change.

.DESCRIPTION
The client's public surface is listed in src/CodatFiles.Client/PublicAPI.Shipped.txt (what a published release has)
and PublicAPI.Unshipped.txt (what changed since). The build fails on a public member that is in neither file (RS0016)
or one listed that no longer exists (RS0017), so an API change is always a visible diff of these files.

Default: rewrites PublicAPI.Unshipped.txt as "the current public API minus PublicAPI.Shipped.txt", with the code fix
of RS0016 (dotnet format analyzers), sorted so that its diff shows exactly what changed. Added, changed and removed
unshipped members all come out right. A shipped member that was removed or changed still fails the build (RS0017):
that is a breaking change, to be made on purpose by adding "*REMOVED*<the shipped line>" to PublicAPI.Unshipped.txt.
Then builds the client to prove the baseline matches.

-Ship (at a release, once the package is published): moves PublicAPI.Unshipped.txt into PublicAPI.Shipped.txt (a
*REMOVED* line takes its shipped line out) and leaves PublicAPI.Unshipped.txt empty.

.EXAMPLE
dotnet pwsh ./tools/Update-PublicApi.ps1
git diff src/CodatFiles.Client/PublicAPI.Unshipped.txt
#>
[CmdletBinding()]
param(
    # Moves the unshipped API into the shipped file (a release), instead of updating the unshipped file.
    [switch] $Ship
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$RepoRoot = Split-Path -Parent $PSScriptRoot
. (Join-Path $PSScriptRoot 'BuildSupport.ps1')

$project = Join-Path $RepoRoot 'src/CodatFiles.Client/CodatFiles.Client.csproj'
$shippedPath = Join-Path $RepoRoot 'src/CodatFiles.Client/PublicAPI.Shipped.txt'
$unshippedPath = Join-Path $RepoRoot 'src/CodatFiles.Client/PublicAPI.Unshipped.txt'
# Reference types are listed with their nullability (string! / string?): the client is built with Nullable enabled.
$header = '#nullable enable'
$removedPrefix = '*REMOVED*'

function Read-ApiLines([string] $Path) {
    @(Get-Content -LiteralPath $Path | Where-Object { $_ -and $_ -ne $header })
}

function Write-ApiFile([string] $Path, [string[]] $Lines) {
    # Ordinal order and LF endings, so the file does not change with the machine that wrote it.
    $sorted = [System.Collections.Generic.List[string]]::new([string[]] @($Lines | Select-Object -Unique))
    $sorted.Sort([StringComparer]::Ordinal)
    $text = (@($header) + $sorted) -join "`n"
    [System.IO.File]::WriteAllText($Path, "$text`n", [System.Text.UTF8Encoding]::new($false))
}

if ($Ship) {
    $unshipped = Read-ApiLines $unshippedPath
    $removed = @($unshipped | Where-Object { $_.StartsWith($removedPrefix) } | ForEach-Object { $_.Substring($removedPrefix.Length) })
    $added = @($unshipped | Where-Object { -not $_.StartsWith($removedPrefix) })
    $shipped = @(Read-ApiLines $shippedPath | Where-Object { $_ -notin $removed }) + $added
    Write-ApiFile $shippedPath $shipped
    Write-ApiFile $unshippedPath @()
    Write-Host "Shipped $($added.Count) added and $($removed.Count) removed API lines."
}
else {
    # Only the *REMOVED* lines are kept: they record breaking changes someone decided on, which no tool can regenerate.
    $keptRemovals = @(Read-ApiLines $unshippedPath | Where-Object { $_.StartsWith($removedPrefix) })
    Write-ApiFile $unshippedPath $keptRemovals
    # RS0016's code fix adds every public member that neither file lists.
    Invoke-Native dotnet @('format', 'analyzers', $project, '--diagnostics', 'RS0016', '--severity', 'warn')
    Write-ApiFile $unshippedPath (Read-ApiLines $unshippedPath)
}

# The proof: the client builds, so the baseline and the code agree (RS0017 here means a shipped member changed).
Invoke-Native dotnet @('build', $project, '-c', 'Release', '-nologo', '-v', 'quiet')
Write-Host "The public-API baseline matches the code: $(@(Read-ApiLines $shippedPath).Count) shipped and $(@(Read-ApiLines $unshippedPath).Count) unshipped lines."
