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

#region Markdown reading

function Split-HelpMarkdown {
    # Splits a markdown document into its title (# ...), its ## sections and their ### subsections.
    # Headings inside fenced code blocks are content, not structure.
    param([string] $Text)

    $lines = $Text -replace "`r`n", "`n" -replace "`r", "`n" -split "`n"
    $doc = [pscustomobject]@{ Title = $null; Sections = [ordered]@{} }
    $section = $null
    $sub = $null
    $fence = $null
    foreach ($line in $lines) {
        if ($null -ne $fence) {
            if ($line.Trim().StartsWith($fence)) { $fence = $null }
        }
        elseif ($line -match '^\s{0,3}(```+|~~~+)') {
            $fence = $Matches[1]
        }
        elseif ($line -match '^#\s+(.+?)\s*#*\s*$' -and $null -eq $doc.Title -and $null -eq $section) {
            $doc.Title = $Matches[1]
            continue
        }
        elseif ($line -match '^##\s+(.+?)\s*#*\s*$') {
            $name = $Matches[1].Trim().ToUpperInvariant()
            if ($doc.Sections.Contains($name)) { throw "section '## $($Matches[1])' appears twice" }
            $section = [pscustomobject]@{ Name = $name; Lines = New-Object System.Collections.Generic.List[string]; Subsections = New-Object System.Collections.Generic.List[object] }
            $doc.Sections[$name] = $section
            $sub = $null
            continue
        }
        elseif ($line -match '^###\s+(.+?)\s*#*\s*$') {
            if ($null -eq $section) { throw "'### $($Matches[1])' comes before any '##' section" }
            $sub = [pscustomobject]@{ Title = $Matches[1].Trim(); Lines = New-Object System.Collections.Generic.List[string] }
            $section.Subsections.Add($sub)
            continue
        }

        if ($null -ne $sub) { $sub.Lines.Add($line) }
        elseif ($null -ne $section) { $section.Lines.Add($line) }
        elseif ($line.Trim().Length -gt 0 -and $null -ne $doc.Title) { throw "text before the first '##' section: '$line'" }
    }
    if ($null -ne $fence) { throw "a fenced code block ($fence) is not closed" }
    return $doc
}

function ConvertFrom-InlineMarkdown {
    # Get-Help shows plain text, so inline markdown would print literally: `code` and **bold** lose their
    # markers, and a link keeps its text (plus the address when it is absolute, so a reader can still follow it).
    param([string] $Text)
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\((https?://[^)\s]+)\)', '$1 ($2)')
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)\s]+)\)', '$1')
    $Text = [regex]::Replace($Text, '\*\*([^*]+)\*\*', '$1')
    $Text = [regex]::Replace($Text, '(`+)(.+?)\1', '$2')
    return $Text
}

function Get-MarkdownBlocks {
    # Turns lines into blocks: paragraphs (Kind 'para') separated by blank lines, and fenced code (Kind 'code').
    # Lines of a paragraph are joined with spaces so Get-Help can wrap them, except list items and lines
    # ending in two spaces or a backslash (markdown hard breaks), which keep their line break.
    param([System.Collections.Generic.List[string]] $Lines)

    $blocks = New-Object System.Collections.Generic.List[object]
    $para = New-Object System.Text.StringBuilder
    $breakNext = $false
    $code = $null
    $fence = $null
    $lang = ''
    foreach ($line in $Lines) {
        if ($null -ne $fence) {
            if ($line.Trim().StartsWith($fence)) {
                $blocks.Add([pscustomobject]@{ Kind = 'code'; Language = $lang; Text = (($code -join "`n").TrimEnd()) })
                $fence = $null
            }
            else { $code.Add($line) }
            continue
        }
        if ($line -match '^\s{0,3}(```+|~~~+)\s*([\w-]*)') {
            if ($para.Length -gt 0) { $blocks.Add([pscustomobject]@{ Kind = 'para'; Language = ''; Text = (ConvertFrom-InlineMarkdown $para.ToString()) }); [void]$para.Clear() }
            $fence = $Matches[1]; $lang = $Matches[2].ToLowerInvariant()
            $code = New-Object System.Collections.Generic.List[string]
            continue
        }
        if ($line.Trim().Length -eq 0) {
            if ($para.Length -gt 0) { $blocks.Add([pscustomobject]@{ Kind = 'para'; Language = ''; Text = (ConvertFrom-InlineMarkdown $para.ToString()) }); [void]$para.Clear() }
            $breakNext = $false
            continue
        }
        $isListItem = $line -match '^\s*([-*+]|\d+[.)])\s+'
        if ($para.Length -gt 0) {
            if ($breakNext -or $isListItem) { [void]$para.Append("`n") } else { [void]$para.Append(' ') }
        }
        $hardBreak = $line.EndsWith('  ') -or $line.EndsWith('\')
        $text = $line.TrimEnd()
        if ($text.EndsWith('\')) { $text = $text.Substring(0, $text.Length - 1).TrimEnd() }
        if ($isListItem) { $text = $text.TrimStart() } else { $text = $text.Trim() }
        [void]$para.Append($text)
        $breakNext = $hardBreak
    }
    if ($para.Length -gt 0) { $blocks.Add([pscustomobject]@{ Kind = 'para'; Language = ''; Text = (ConvertFrom-InlineMarkdown $para.ToString()) }) }
    return , $blocks
}

function Get-Paragraphs {
    # The paragraph texts of some lines; code blocks other than yaml metadata become paragraphs of their own.
    param([System.Collections.Generic.List[string]] $Lines)
    $result = New-Object System.Collections.Generic.List[string]
    foreach ($block in (Get-MarkdownBlocks $Lines)) {
        if ($block.Kind -eq 'code' -and $block.Language -eq 'yaml') { continue }
        if ($block.Text.Trim().Length -gt 0) { $result.Add($block.Text) }
    }
    return , $result
}

function Read-CommandHelpMarkdown {
    # Reads docs/help/<Cmdlet>.md into an object; collects every problem in $Problems.
    param([string] $Path, [string] $CommandName, [System.Collections.Generic.List[string]] $Problems)

    $text = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8)
    try { $doc = Split-HelpMarkdown $text }
    catch { $Problems.Add("${CommandName}: $Path is malformed: $($_.Exception.Message)"); return $null }

    if ($null -eq $doc.Title) { $Problems.Add("${CommandName}: $Path has no '# $CommandName' title") }
    elseif ($doc.Title -ne $CommandName) { $Problems.Add("${CommandName}: $Path is titled '$($doc.Title)', expected '$CommandName'") }

    $known = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
    foreach ($name in $doc.Sections.Keys) {
        if ($known -notcontains $name) { $Problems.Add("${CommandName}: unknown section '## $name' (known: $($known -join ', '))") }
    }

    $help = [pscustomobject]@{
        Synopsis     = ''
        Description  = (New-Object System.Collections.Generic.List[string])
        Examples     = (New-Object System.Collections.Generic.List[object])
        Parameters   = @{}
        Inputs       = (New-Object System.Collections.Generic.List[object])
        Outputs      = (New-Object System.Collections.Generic.List[object])
        Notes        = (New-Object System.Collections.Generic.List[string])
        RelatedLinks = (New-Object System.Collections.Generic.List[object])
    }

    if ($doc.Sections.Contains('SYNOPSIS')) { $help.Synopsis = ((Get-Paragraphs $doc.Sections['SYNOPSIS'].Lines) -join ' ').Trim() }
    if ($help.Synopsis.Length -eq 0) { $Problems.Add("${CommandName}: no synopsis ('## SYNOPSIS' with text)") }

    if ($doc.Sections.Contains('DESCRIPTION')) {
        $s = $doc.Sections['DESCRIPTION']
        $all = New-Object System.Collections.Generic.List[string]
        $all.AddRange($s.Lines)
        foreach ($sub in $s.Subsections) { $all.Add(''); $all.Add($sub.Title.ToUpperInvariant()); $all.Add(''); $all.AddRange($sub.Lines) }
        $help.Description = Get-Paragraphs $all
    }
    if ($help.Description.Count -eq 0) { $Problems.Add("${CommandName}: no description ('## DESCRIPTION' with text)") }

    if ($doc.Sections.Contains('EXAMPLES')) {
        foreach ($sub in $doc.Sections['EXAMPLES'].Subsections) {
            $codes = New-Object System.Collections.Generic.List[string]
            $remarks = New-Object System.Collections.Generic.List[string]
            foreach ($block in (Get-MarkdownBlocks $sub.Lines)) {
                if ($block.Kind -eq 'code') { if ($block.Text.Trim().Length -gt 0) { $codes.Add($block.Text) } }
                elseif ($block.Text.Trim().Length -gt 0) { $remarks.Add($block.Text) }
            }
            if ($codes.Count -eq 0) { $Problems.Add("${CommandName}: example '$($sub.Title)' has no fenced code block") }
            $help.Examples.Add([pscustomobject]@{ Title = $sub.Title; Code = ($codes -join "`n`n"); Remarks = $remarks })
        }
    }
    if ($help.Examples.Count -lt 2) { $Problems.Add("${CommandName}: $($help.Examples.Count) example(s); at least 2 are required ('### Example N: title' under '## EXAMPLES')") }

    if ($doc.Sections.Contains('PARAMETERS')) {
        foreach ($sub in $doc.Sections['PARAMETERS'].Subsections) {
            if ($sub.Title -notmatch '^-(\w+)$') { $Problems.Add("${CommandName}: parameter heading '### $($sub.Title)' is not '### -Name'"); continue }
            $name = $Matches[1]
            $default = $null
            foreach ($block in (Get-MarkdownBlocks $sub.Lines)) {
                if ($block.Kind -eq 'code' -and $block.Language -eq 'yaml') {
                    foreach ($yamlLine in ($block.Text -split "`n")) {
                        if ($yamlLine -match '^\s*Default value\s*:\s*(.*?)\s*$') { $default = $Matches[1] }
                    }
                }
            }
            if ($help.Parameters.ContainsKey($name)) { $Problems.Add("${CommandName}: parameter -$name is documented twice") }
            $help.Parameters[$name] = [pscustomobject]@{ Name = $name; Description = (Get-Paragraphs $sub.Lines); DefaultValue = $default }
        }
    }

    foreach ($pair in @(@('INPUTS', $help.Inputs), @('OUTPUTS', $help.Outputs))) {
        if (-not $doc.Sections.Contains($pair[0])) { continue }
        $s = $doc.Sections[$pair[0]]
        foreach ($sub in $s.Subsections) { $pair[1].Add([pscustomobject]@{ TypeName = $sub.Title; Description = (Get-Paragraphs $sub.Lines) }) }
        $loose = Get-Paragraphs $s.Lines
        if ($s.Subsections.Count -eq 0 -and $loose.Count -gt 0) {
            # No '### Type' heading: the first line names the type.
            $first = $loose[0] -split "`n", 2
            $rest = New-Object System.Collections.Generic.List[string]
            if ($first.Count -gt 1) { $rest.Add($first[1]) }
            for ($i = 1; $i -lt $loose.Count; $i++) { $rest.Add($loose[$i]) }
            $pair[1].Add([pscustomobject]@{ TypeName = $first[0].Trim(); Description = $rest })
        }
    }

    if ($doc.Sections.Contains('NOTES')) {
        $s = $doc.Sections['NOTES']
        $all = New-Object System.Collections.Generic.List[string]
        $all.AddRange($s.Lines)
        foreach ($sub in $s.Subsections) { $all.Add(''); $all.Add($sub.Title.ToUpperInvariant()); $all.Add(''); $all.AddRange($sub.Lines) }
        $help.Notes = Get-Paragraphs $all
    }

    if ($doc.Sections.Contains('RELATED LINKS')) {
        foreach ($line in $doc.Sections['RELATED LINKS'].Lines) {
            $t = $line.Trim() -replace '^[-*+]\s+', ''
            if ($t.Length -eq 0) { continue }
            if ($t -match '^\[([^\]]*)\]\(\s*([^)\s]*)\s*\)$') {
                # Links to other help pages (Disconnect-Codat.md) become plain names, as Get-Help shows related cmdlets.
                $uri = $Matches[2]
                if ($uri -notmatch '^https?://') { $uri = '' }
                $help.RelatedLinks.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $uri })
            }
            else { $help.RelatedLinks.Add([pscustomobject]@{ Text = $t; Uri = '' }) }
        }
    }
    return $help
}

#endregion

#region Cmdlet metadata

function Get-FriendlyTypeName {
    # Short, PowerShell-style type name: String[], SwitchParameter, Guid, DateTime (for Nullable<DateTime>),
    # Dictionary[String,Object].
    param([type] $Type)
    if ($Type.IsArray) { return (Get-FriendlyTypeName $Type.GetElementType()) + '[' + (',' * ($Type.GetArrayRank() - 1)) + ']' }
    $underlying = [System.Nullable]::GetUnderlyingType($Type)
    if ($null -ne $underlying) { return Get-FriendlyTypeName $underlying }
    if ($Type.IsGenericType) {
        $name = $Type.Name -replace '`\d+$', ''
        $arguments = @($Type.GetGenericArguments() | ForEach-Object { Get-FriendlyTypeName $_ })
        return $name + '[' + ($arguments -join ',') + ']'
    }
    return $Type.Name
}

function Get-PipelineInputText {
    param($ValueFromPipeline, $ValueFromPipelineByPropertyName, $ValueFromRemainingArguments)
    $kinds = @()
    if ($ValueFromPipeline) { $kinds += 'ByValue' }
    if ($ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($ValueFromRemainingArguments) { $kinds += 'FromRemainingArguments' }
    if ($kinds.Count -eq 0) { return 'false' }
    return 'true (' + ($kinds -join ', ') + ')'
}

function Test-SupportsWildcards {
    param($Attributes)
    foreach ($a in $Attributes) { if ($a -is [System.Management.Automation.SupportsWildcardsAttribute]) { return $true } }
    return $false
}

function Get-ParameterSetOrder {
    # Default parameter set first, then in declaration order.
    param([System.Management.Automation.CmdletInfo] $Command)
    $sets = @($Command.ParameterSets)
    $default = @($sets | Where-Object { $_.IsDefault })
    $others = @($sets | Where-Object { -not $_.IsDefault })
    return @($default) + @($others)
}

#endregion

#region MAML writing

function Write-Paras {
    param([System.Xml.XmlWriter] $W, $Paragraphs)
    $any = $false
    foreach ($p in $Paragraphs) {
        $W.WriteElementString('maml', 'para', $nsMaml, (ConvertTo-XmlText $p)); $any = $true
    }
    if (-not $any) { $W.WriteStartElement('maml', 'para', $nsMaml); $W.WriteEndElement() }
}

function ConvertTo-XmlText {
    # XmlWriter escapes <, >, &, quotes; this drops the characters XML 1.0 cannot carry at all.
    param([string] $Text)
    if ($null -eq $Text) { return '' }
    return [regex]::Replace($Text, '[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]', '')
}

function Write-ParameterElement {
    # One <command:parameter>. $InSyntax: switch parameters get no parameterValue there, so the syntax reads [-Force].
    param([System.Xml.XmlWriter] $W, [string] $Name, [type] $Type, [bool] $Required, [string] $Position, [string] $PipelineInput,
        [bool] $Globbing, [string[]] $Aliases, $Description, [string] $DefaultValue, [bool] $InSyntax)

    $isSwitch = $Type -eq [System.Management.Automation.SwitchParameter]
    $typeName = Get-FriendlyTypeName $Type
    $W.WriteStartElement('command', 'parameter', $nsCommand)
    $W.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', $Type.IsArray.ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $PipelineInput)
    $W.WriteAttributeString('position', $Position)
    if ($Aliases -and $Aliases.Count -gt 0) { $W.WriteAttributeString('aliases', ($Aliases -join ', ')) } else { $W.WriteAttributeString('aliases', 'none') }
    $W.WriteElementString('maml', 'name', $nsMaml, $Name)
    $W.WriteStartElement('maml', 'description', $nsMaml); Write-Paras $W $Description; $W.WriteEndElement()
    if (-not ($isSwitch -and $InSyntax)) {
        $W.WriteStartElement('command', 'parameterValue', $nsCommand)
        $W.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $W.WriteAttributeString('variableLength', $Type.IsArray.ToString().ToLowerInvariant())
        $W.WriteString($typeName)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $nsDev)
    $W.WriteElementString('maml', 'name', $nsMaml, $typeName)
    $W.WriteStartElement('maml', 'uri', $nsMaml); $W.WriteEndElement()
    $W.WriteEndElement()
    if ([string]::IsNullOrEmpty($DefaultValue)) { if ($isSwitch) { $DefaultValue = 'False' } else { $DefaultValue = 'None' } }
    $W.WriteElementString('dev', 'defaultValue', $nsDev, (ConvertTo-XmlText $DefaultValue))
    $W.WriteEndElement()
}

function Write-TypeList {
    param([System.Xml.XmlWriter] $W, [string] $ListElement, [string] $ItemElement, $Items)
    $W.WriteStartElement('command', $ListElement, $nsCommand)
    foreach ($item in $Items) {
        $W.WriteStartElement('command', $ItemElement, $nsCommand)
        $W.WriteStartElement('dev', 'type', $nsDev)
        $W.WriteElementString('maml', 'name', $nsMaml, (ConvertTo-XmlText $item.TypeName))
        $W.WriteEndElement()
        $W.WriteStartElement('maml', 'description', $nsMaml); Write-Paras $W $item.Description; $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-CommandHelp {
    param([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Command, $Help, [string[]] $DocumentedNames)

    $W.WriteStartElement('command', 'command', $nsCommand)

    $W.WriteStartElement('command', 'details', $nsCommand)
    $W.WriteElementString('command', 'name', $nsCommand, $Command.Name)
    $W.WriteElementString('command', 'verb', $nsCommand, $Command.Verb)
    $W.WriteElementString('command', 'noun', $nsCommand, $Command.Noun)
    $W.WriteStartElement('maml', 'description', $nsMaml); Write-Paras $W @($Help.Synopsis); $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('maml', 'description', $nsMaml); Write-Paras $W $Help.Description; $W.WriteEndElement()

    # Syntax: one item per parameter set, positional parameters first (by position), then declaration order.
    $W.WriteStartElement('command', 'syntax', $nsCommand)
    foreach ($set in (Get-ParameterSetOrder $Command)) {
        $W.WriteStartElement('command', 'syntaxItem', $nsCommand)
        $W.WriteElementString('maml', 'name', $nsMaml, $Command.Name)
        $params = @($set.Parameters | Where-Object { $DocumentedNames -contains $_.Name })
        $positional = @($params | Where-Object { $_.Position -ge 0 } | Sort-Object Position)
        $named = @($params | Where-Object { $_.Position -lt 0 })
        foreach ($p in (@($positional) + @($named))) {
            if ($p.Position -ge 0) { $position = [string]$p.Position } else { $position = 'named' }
            Write-ParameterElement -W $W -Name $p.Name -Type $p.ParameterType -Required $p.IsMandatory -Position $position `
                -PipelineInput (Get-PipelineInputText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName $p.ValueFromRemainingArguments) `
                -Globbing (Test-SupportsWildcards $p.Attributes) -Aliases @($p.Aliases) -Description $Help.Parameters[$p.Name].Description `
                -DefaultValue $Help.Parameters[$p.Name].DefaultValue -InSyntax $true
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    # Parameters: each once, in declaration order; mandatory/position/pipeline merged over its parameter sets.
    $W.WriteStartElement('command', 'parameters', $nsCommand)
    foreach ($name in $DocumentedNames) {
        $meta = $Command.Parameters[$name]
        $setInfos = @($meta.ParameterSets.Values)
        $required = @($setInfos | Where-Object { $_.IsMandatory }).Count -gt 0
        $positions = @($setInfos | Where-Object { $_.Position -ge 0 } | ForEach-Object { $_.Position } | Sort-Object -Unique)
        if ($positions.Count -gt 0) { $position = [string]$positions[0] } else { $position = 'named' }
        $byValue = @($setInfos | Where-Object { $_.ValueFromPipeline }).Count -gt 0
        $byName = @($setInfos | Where-Object { $_.ValueFromPipelineByPropertyName }).Count -gt 0
        $remaining = @($setInfos | Where-Object { $_.ValueFromRemainingArguments }).Count -gt 0
        Write-ParameterElement -W $W -Name $name -Type $meta.ParameterType -Required $required -Position $position `
            -PipelineInput (Get-PipelineInputText $byValue $byName $remaining) -Globbing (Test-SupportsWildcards $meta.Attributes) `
            -Aliases @($meta.Aliases) -Description $Help.Parameters[$name].Description -DefaultValue $Help.Parameters[$name].DefaultValue -InSyntax $false
    }
    $W.WriteEndElement()

    Write-TypeList $W 'inputTypes' 'inputType' $Help.Inputs

    $outputs = $Help.Outputs
    if ($outputs.Count -eq 0) {
        $outputs = @($Command.OutputType | ForEach-Object { [pscustomobject]@{ TypeName = $_.Name; Description = @() } })
    }
    Write-TypeList $W 'returnValues' 'returnValue' $outputs

    if ($Help.Notes.Count -gt 0) {
        $W.WriteStartElement('maml', 'alertSet', $nsMaml)
        $W.WriteStartElement('maml', 'alert', $nsMaml); Write-Paras $W $Help.Notes; $W.WriteEndElement()
        $W.WriteEndElement()
    }

    $W.WriteStartElement('command', 'examples', $nsCommand)
    foreach ($example in $Help.Examples) {
        $W.WriteStartElement('command', 'example', $nsCommand)
        $W.WriteElementString('maml', 'title', $nsMaml, (ConvertTo-XmlText ('-------------------------- ' + $example.Title + ' --------------------------')))
        $W.WriteElementString('dev', 'code', $nsDev, (ConvertTo-XmlText $example.Code))
        # The trailing empty para keeps a blank line between these remarks and the next example's header.
        $W.WriteStartElement('dev', 'remarks', $nsDev); Write-Paras $W (@($example.Remarks) + ''); $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $nsCommand)
    foreach ($link in $Help.RelatedLinks) {
        $W.WriteStartElement('maml', 'navigationLink', $nsMaml)
        $W.WriteElementString('maml', 'linkText', $nsMaml, (ConvertTo-XmlText $link.Text))
        $W.WriteElementString('maml', 'uri', $nsMaml, (ConvertTo-XmlText $link.Uri))
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

#endregion

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

    $documented = New-Object System.Collections.Generic.List[string]
    foreach ($name in $command.Parameters.Keys) {
        if ($commonParameterNames -contains $name) { continue }
        $entry = $null
        if ($help.Parameters.ContainsKey($name)) { $entry = $help.Parameters[$name] }
        if (($null -eq $entry -or $entry.Description.Count -eq 0) -and $genericParameterHelp.ContainsKey($name)) {
            $entry = [pscustomobject]@{ Name = $name; Description = @($genericParameterHelp[$name]); DefaultValue = 'False' }
            $help.Parameters[$name] = $entry
        }
        if ($null -eq $entry) { $problems.Add("$($command.Name): parameter -$name is not documented ('### -$name' under '## PARAMETERS')") }
        elseif ($entry.Description.Count -eq 0) { $problems.Add("$($command.Name): parameter -$name has no description") }
        $documented.Add($name)
    }
    foreach ($name in @($help.Parameters.Keys)) {
        if (-not $command.Parameters.ContainsKey($name)) { $problems.Add("$($command.Name): the markdown documents -$name, which the cmdlet does not have") }
        elseif ($commonParameterNames -contains $name) { $problems.Add("$($command.Name): -$name is a common parameter; remove it from the markdown") }
    }
    # Markdown keys are case-insensitive ([hashtable]); use the cmdlet's own spelling of each name.
    $entries.Add([pscustomobject]@{ Command = $command; Help = $help; Documented = [string[]]$documented })
}

if ($problems.Count -gt 0) {
    # One plain line per problem on stderr (readable in build logs), then a short terminating error.
    foreach ($p in $problems) { [Console]::Error.WriteLine("New-CodatFilesHelp: error: $p") }
    throw "Cannot generate help for module '$($module.Name)': $($problems.Count) problem(s) in the help markdown under '$DocsPath' (listed above)."
}

$outDir = [System.IO.Path]::GetDirectoryName($OutputPath)
if (-not [System.IO.Directory]::Exists($outDir)) { [void][System.IO.Directory]::CreateDirectory($outDir) }

$settings = New-Object System.Xml.XmlWriterSettings
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.Encoding = New-Object System.Text.UTF8Encoding($false)
$settings.NewLineChars = "`n"
$settings.NewLineHandling = [System.Xml.NewLineHandling]::Replace

$tempPath = $OutputPath + '.tmp'
$writer = [System.Xml.XmlWriter]::Create($tempPath, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    $writer.WriteAttributeString('xmlns', 'maml', 'http://www.w3.org/2000/xmlns/', $nsMaml)
    $writer.WriteAttributeString('xmlns', 'command', 'http://www.w3.org/2000/xmlns/', $nsCommand)
    $writer.WriteAttributeString('xmlns', 'dev', 'http://www.w3.org/2000/xmlns/', $nsDev)
    $writer.WriteAttributeString('xmlns', 'MSHelp', 'http://www.w3.org/2000/xmlns/', $nsMsHelp)
    foreach ($e in $entries) { Write-CommandHelp -W $writer -Command $e.Command -Help $e.Help -DocumentedNames $e.Documented }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally { $writer.Dispose() }

# Prove the file parses before putting it in place.
$check = New-Object System.Xml.XmlDocument
$check.Load($tempPath)
Move-Item -LiteralPath $tempPath -Destination $OutputPath -Force
Write-Host "Wrote help for $($entries.Count) cmdlet(s) to $OutputPath"
