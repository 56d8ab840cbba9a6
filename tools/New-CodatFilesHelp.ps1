<#
.SYNOPSIS
    Generates the MAML help file (CodatFiles.dll-Help.xml) of the built CodatFiles module from docs/help/*.md.

.DESCRIPTION
    Imports the built module, enumerates its exported cmdlets and, for each one, reads docs/help/<Cmdlet>.md
    (format: docs/help/README.md). Syntax, parameter types, mandatory flags, positions, pipeline input, aliases and
    wildcard support come from the cmdlet's metadata (Get-Command); synopsis, description, parameter descriptions,
    inputs, outputs, notes, examples and related links come from the markdown.

    The script throws (exit code 1 when run with -File) and writes nothing when any cmdlet lacks a markdown file,
    a synopsis, a description, two examples with code, or a description of any of its parameters (common
    parameters excepted; -WhatIf and -Confirm get a generic description unless the markdown documents them), or
    when the markdown documents a parameter the cmdlet does not have.

    Runs on PowerShell 7 and Windows PowerShell 5.1. Run it in a child process: it imports the module.

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/New-CodatFilesHelp.ps1 -ModulePath out/CodatFiles/CodatFiles.psd1 -DocsPath docs/help -OutputPath out/CodatFiles/en-US/CodatFiles.dll-Help.xml
#>
[CmdletBinding()]
param(
    # Path of the built module manifest (or module file) to import.
    [Parameter(Mandatory = $true)]
    [string] $ModulePath,

    # Folder holding one <Cmdlet>.md per exported cmdlet.
    [Parameter(Mandatory = $true)]
    [string] $DocsPath,

    # The MAML file to write, normally <module folder>/en-US/<Assembly>.dll-Help.xml.
    [Parameter(Mandatory = $true)]
    [string] $OutputPath
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$nsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$nsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$nsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$nsMsHelp = 'http://msdn.microsoft.com/mshelp'

# Parameters every cmdlet has; Get-Help lists them as <CommonParameters> by itself.
$commonParameterNames = @([System.Management.Automation.Cmdlet]::CommonParameters) + @('UseTransaction')
# -WhatIf/-Confirm: documented generically unless the markdown says more.
$genericParameterHelp = @{
    'WhatIf'  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    'Confirm' = 'Prompts you for confirmation before running the cmdlet.'
}
# Reading the markdown (Read-CommandHelpMarkdown) and writing the MAML (Write-CommandHelp) live beside this script.
. (Join-Path $PSScriptRoot 'help/HelpMarkdown.ps1')
. (Join-Path $PSScriptRoot 'help/HelpMaml.ps1')

function Get-DocumentedParameterNames {
    # The cmdlet's own parameters that its help lists (common parameters left to Get-Help), in declaration order and
    # the cmdlet's own spelling (markdown keys are case-insensitive). Gives -WhatIf and -Confirm their generic text when
    # the markdown says nothing of them, and collects a problem for each parameter documented wrongly or not at all.
    param([System.Management.Automation.CmdletInfo] $Command, $Help, [System.Collections.Generic.List[string]] $Problems)
    $documented = New-Object System.Collections.Generic.List[string]
    foreach ($name in $Command.Parameters.Keys) {
        if ($commonParameterNames -contains $name) { continue }
        $entry = $null
        if ($Help.Parameters.ContainsKey($name)) { $entry = $Help.Parameters[$name] }
        if (($null -eq $entry -or $entry.Description.Count -eq 0) -and $genericParameterHelp.ContainsKey($name)) {
            $entry = [pscustomobject]@{ Name = $name; Description = @($genericParameterHelp[$name]); DefaultValue = 'False' }
            $Help.Parameters[$name] = $entry
        }
        if ($null -eq $entry) { $Problems.Add("$($Command.Name): parameter -$name is not documented ('### -$name' under '## PARAMETERS')") }
        elseif ($entry.Description.Count -eq 0) { $Problems.Add("$($Command.Name): parameter -$name has no description") }
        $documented.Add($name)
    }
    foreach ($name in @($Help.Parameters.Keys)) {
        if (-not $Command.Parameters.ContainsKey($name)) { $Problems.Add("$($Command.Name): the markdown documents -$name, which the cmdlet does not have") }
        elseif ($commonParameterNames -contains $name) { $Problems.Add("$($Command.Name): -$name is a common parameter; remove it from the markdown") }
    }
    return , ([string[]]$documented)
}

function Write-HelpFile {
    # Writes the MAML of every entry to $Path through a temporary file, proved to parse before it is moved into place.
    param([string] $Path, $Entries)
    $outDir = [System.IO.Path]::GetDirectoryName($Path)
    if (-not [System.IO.Directory]::Exists($outDir)) { [void][System.IO.Directory]::CreateDirectory($outDir) }

    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = New-Object System.Text.UTF8Encoding($false)
    $settings.NewLineChars = "`n"
    $settings.NewLineHandling = [System.Xml.NewLineHandling]::Replace

    $tempPath = $Path + '.tmp'
    $writer = [System.Xml.XmlWriter]::Create($tempPath, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        $writer.WriteAttributeString('xmlns', 'maml', 'http://www.w3.org/2000/xmlns/', $nsMaml)
        $writer.WriteAttributeString('xmlns', 'command', 'http://www.w3.org/2000/xmlns/', $nsCommand)
        $writer.WriteAttributeString('xmlns', 'dev', 'http://www.w3.org/2000/xmlns/', $nsDev)
        $writer.WriteAttributeString('xmlns', 'MSHelp', 'http://www.w3.org/2000/xmlns/', $nsMsHelp)
        foreach ($e in $Entries) { Write-CommandHelp -W $writer -Command $e.Command -Help $e.Help -DocumentedNames $e.Documented }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }

    $check = New-Object System.Xml.XmlDocument
    $check.Load($tempPath)
    Move-Item -LiteralPath $tempPath -Destination $Path -Force
}

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$DocsPath = (Resolve-Path -LiteralPath $DocsPath).ProviderPath
$OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)

$module = Import-Module -Name $ModulePath -Force -PassThru -ErrorAction Stop | Select-Object -First 1
$commands = @($module.ExportedCmdlets.Values | Sort-Object Name)
if ($commands.Count -eq 0) { throw "Module '$ModulePath' exports no cmdlets." }

$problems = New-Object System.Collections.Generic.List[string]
$entries = New-Object System.Collections.Generic.List[object]
foreach ($command in $commands) {
    $mdPath = [System.IO.Path]::Combine($DocsPath, $command.Name + '.md')
    if (-not [System.IO.File]::Exists($mdPath)) { $problems.Add("$($command.Name): no help markdown at $mdPath"); continue }
    $help = Read-CommandHelpMarkdown -Path $mdPath -CommandName $command.Name -Problems $problems
    if ($null -eq $help) { continue }
    $documented = Get-DocumentedParameterNames -Command $command -Help $help -Problems $problems
    $entries.Add([pscustomobject]@{ Command = $command; Help = $help; Documented = $documented })
}

if ($problems.Count -gt 0) {
    # One plain line per problem on stderr (readable in build logs), then a short terminating error.
    foreach ($p in $problems) { [Console]::Error.WriteLine("New-CodatFilesHelp: error: $p") }
    throw "Cannot generate help for module '$($module.Name)': $($problems.Count) problem(s) in the help markdown under '$DocsPath' (listed above)."
}

Write-HelpFile -Path $OutputPath -Entries $entries
Write-Host "Wrote help for $($entries.Count) cmdlet(s) to $OutputPath"
