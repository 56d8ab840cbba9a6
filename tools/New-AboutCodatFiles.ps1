<#
.SYNOPSIS
Writes the module's about_CodatFiles topic: docs/help/about_CodatFiles.help.txt with its {{ErrorIds}} line replaced
by every id of the module's ErrorIds (read by reflection from the built module), each with its category and, from
the error-id table of docs/design/contracts.md, when it is raised. Called by build.ps1 in a child pwsh.
Fails when an id has no row in that table, so the topic can never leave an id out.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TemplatePath,
    [Parameter(Mandatory)] [string] $ContractsPath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
$module = Import-Module (Resolve-Path -LiteralPath $ModulePath).Path -PassThru -Force
$type = $module.ImplementingAssembly.GetType('CodatFiles.Errors.ErrorIds', $true)
$categories = $type.GetProperty('Categories', [Reflection.BindingFlags]'Static, Public').GetValue($null)

# When each id is raised: the third cell of its row in contracts.md, as plain text.
$when = @{}
$section = (Get-Content -LiteralPath $ContractsPath -Raw) -split '(?m)^## ' | Where-Object { $_ -like 'Cmdlet error ids*' }
foreach ($line in ($section -split "`n" | Where-Object { $_ -match '^\|\s*`CodatFiles\.' })) {
    $cells = $line.Trim().Trim('|') -split '\|', 3
    $text = ($cells[2].Trim() -replace '`', '' -replace '\s+', ' ').Trim()
    foreach ($id in [regex]::Matches($cells[0], '`(CodatFiles\.[A-Za-z]+)`')) { $when[$id.Groups[1].Value] = $text }
}

function Format-Wrapped {
    # Words of $Text on lines of at most 80 columns, each starting with $Indent.
    param([string] $Text, [string] $Indent)
    $line = $Indent
    foreach ($word in $Text -split ' ') {
        if ($line.Length + 1 + $word.Length -gt 80 -and $line.Trim()) { $line.TrimEnd(); $line = $Indent }
        $line += $(if ($line.Trim()) { ' ' } else { '' }) + $word
    }
    if ($line.Trim()) { $line.TrimEnd() }
}

$ids = @($type.GetFields([Reflection.BindingFlags]'Static, Public') | Where-Object IsLiteral | ForEach-Object { $_.GetValue($null) })
$missing = @($ids | Where-Object { -not $when.ContainsKey($_) })
if ($missing) { throw "contracts.md has no row for: $($missing -join ', ')." }
$table = foreach ($id in $ids) {
    "    $id ($($categories[$id]))"
    Format-Wrapped -Text $when[$id] -Indent '        '
}

$template = Get-Content -LiteralPath $TemplatePath -Raw
if ($template -notmatch '(?m)^[ \t]*\{\{ErrorIds\}\}[ \t]*\r?$') { throw "$TemplatePath has no {{ErrorIds}} line." }
$topic = $template -replace '(?m)^[ \t]*\{\{ErrorIds\}\}[ \t]*(?=\r?$)', (($table -join [Environment]::NewLine) -replace '\$', '$$$$')
New-Item -ItemType Directory -Path (Split-Path -Parent $OutputPath) -Force | Out-Null
Set-Content -LiteralPath $OutputPath -Value $topic -Encoding utf8NoBOM
Write-Host "Wrote $OutputPath with $($ids.Count) error ids."
