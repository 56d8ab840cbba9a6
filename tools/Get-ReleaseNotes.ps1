<#
.SYNOPSIS
The release notes of the module manifest: the newest version's section of CHANGELOG.md, as plain text. Fails when
that section is not the version being built, so a release cannot ship with the previous version's notes.
#>
param(
    [Parameter(Mandatory)] [string] $ChangelogPath,
    [Parameter(Mandatory)] [string] $Version
)
$ErrorActionPreference = 'Stop'
$sections = (Get-Content -LiteralPath $ChangelogPath -Raw) -split '(?m)^## ' | Select-Object -Skip 1
$newest = @($sections)[0]
$heading = ($newest -split "`n", 2)[0].Trim()
if ($heading -ne $Version) { throw "CHANGELOG.md's newest section is '$heading', not the version being built ($Version)." }
"CodatFiles $Version`n" + ($newest -split "`n", 2)[1].Trim()
