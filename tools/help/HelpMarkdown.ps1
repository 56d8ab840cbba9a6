# Dot-sourced by New-CodatFilesHelp.ps1: reads docs/help/<Cmdlet>.md (format: docs/help/README.md) into the parts of
# a cmdlet's help, collecting every problem instead of stopping at the first. Runs on PowerShell 7 and 5.1.

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

function Get-SectionParagraphs {
    # The paragraphs of a section, each ### subsection's title written as an upper-case heading paragraph before its
    # text: Get-Help shows DESCRIPTION and NOTES as plain paragraphs.
    param($Section)
    $all = New-Object System.Collections.Generic.List[string]
    $all.AddRange($Section.Lines)
    foreach ($sub in $Section.Subsections) { $all.Add(''); $all.Add($sub.Title.ToUpperInvariant()); $all.Add(''); $all.AddRange($sub.Lines) }
    return , (Get-Paragraphs $all)
}

function Read-HelpExample {
    # One '### Example N: title' subsection: its fenced code and its remarks (the other paragraphs).
    param($Subsection, [string] $CommandName, [System.Collections.Generic.List[string]] $Problems)
    $codes = New-Object System.Collections.Generic.List[string]
    $remarks = New-Object System.Collections.Generic.List[string]
    foreach ($block in (Get-MarkdownBlocks $Subsection.Lines)) {
        if ($block.Kind -eq 'code') { if ($block.Text.Trim().Length -gt 0) { $codes.Add($block.Text) } }
        elseif ($block.Text.Trim().Length -gt 0) { $remarks.Add($block.Text) }
    }
    if ($codes.Count -eq 0) { $Problems.Add("${CommandName}: example '$($Subsection.Title)' has no fenced code block") }
    return [pscustomobject]@{ Title = $Subsection.Title; Code = ($codes -join "`n`n"); Remarks = $remarks }
}

function Get-YamlDefaultValue {
    # The 'Default value:' of a parameter's yaml metadata block, or $null.
    param([System.Collections.Generic.List[string]] $Lines)
    $default = $null
    foreach ($block in (Get-MarkdownBlocks $Lines)) {
        if ($block.Kind -eq 'code' -and $block.Language -eq 'yaml') {
            foreach ($yamlLine in ($block.Text -split "`n")) {
                if ($yamlLine -match '^\s*Default value\s*:\s*(.*?)\s*$') { $default = $Matches[1] }
            }
        }
    }
    return $default
}

function Read-HelpParameters {
    # The '### -Name' subsections of '## PARAMETERS', into $Parameters by name.
    param($Section, [hashtable] $Parameters, [string] $CommandName, [System.Collections.Generic.List[string]] $Problems)
    foreach ($sub in $Section.Subsections) {
        if ($sub.Title -notmatch '^-(\w+)$') { $Problems.Add("${CommandName}: parameter heading '### $($sub.Title)' is not '### -Name'"); continue }
        $name = $Matches[1]
        $default = Get-YamlDefaultValue $sub.Lines
        if ($Parameters.ContainsKey($name)) { $Problems.Add("${CommandName}: parameter -$name is documented twice") }
        $Parameters[$name] = [pscustomobject]@{ Name = $name; Description = (Get-Paragraphs $sub.Lines); DefaultValue = $default }
    }
}

function Read-HelpTypes {
    # '## INPUTS' or '## OUTPUTS': a '### Type' subsection per type, or, with none, a first line that names the type.
    param($Section, [System.Collections.Generic.List[object]] $Types)
    foreach ($sub in $Section.Subsections) { $Types.Add([pscustomobject]@{ TypeName = $sub.Title; Description = (Get-Paragraphs $sub.Lines) }) }
    $loose = Get-Paragraphs $Section.Lines
    if ($Section.Subsections.Count -eq 0 -and $loose.Count -gt 0) {
        # No '### Type' heading: the first line names the type.
        $first = $loose[0] -split "`n", 2
        $rest = New-Object System.Collections.Generic.List[string]
        if ($first.Count -gt 1) { $rest.Add($first[1]) }
        for ($i = 1; $i -lt $loose.Count; $i++) { $rest.Add($loose[$i]) }
        $Types.Add([pscustomobject]@{ TypeName = $first[0].Trim(); Description = $rest })
    }
}

function Read-HelpRelatedLinks {
    # '## RELATED LINKS': one link or plain name per line (list markers allowed).
    param($Section, [System.Collections.Generic.List[object]] $Links)
    foreach ($line in $Section.Lines) {
        $t = $line.Trim() -replace '^[-*+]\s+', ''
        if ($t.Length -eq 0) { continue }
        if ($t -match '^\[([^\]]*)\]\(\s*([^)\s]*)\s*\)$') {
            # Links to other help pages (Disconnect-Codat.md) become plain names, as Get-Help shows related cmdlets.
            $uri = $Matches[2]
            if ($uri -notmatch '^https?://') { $uri = '' }
            $Links.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $uri })
        }
        else { $Links.Add([pscustomobject]@{ Text = $t; Uri = '' }) }
    }
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

    if ($doc.Sections.Contains('DESCRIPTION')) { $help.Description = Get-SectionParagraphs $doc.Sections['DESCRIPTION'] }
    if ($help.Description.Count -eq 0) { $Problems.Add("${CommandName}: no description ('## DESCRIPTION' with text)") }

    if ($doc.Sections.Contains('EXAMPLES')) {
        foreach ($sub in $doc.Sections['EXAMPLES'].Subsections) { $help.Examples.Add((Read-HelpExample $sub $CommandName $Problems)) }
    }
    if ($help.Examples.Count -lt 2) { $Problems.Add("${CommandName}: $($help.Examples.Count) example(s); at least 2 are required ('### Example N: title' under '## EXAMPLES')") }

    if ($doc.Sections.Contains('PARAMETERS')) { Read-HelpParameters $doc.Sections['PARAMETERS'] $help.Parameters $CommandName $Problems }
    if ($doc.Sections.Contains('INPUTS')) { Read-HelpTypes $doc.Sections['INPUTS'] $help.Inputs }
    if ($doc.Sections.Contains('OUTPUTS')) { Read-HelpTypes $doc.Sections['OUTPUTS'] $help.Outputs }
    if ($doc.Sections.Contains('NOTES')) { $help.Notes = Get-SectionParagraphs $doc.Sections['NOTES'] }
    if ($doc.Sections.Contains('RELATED LINKS')) { Read-HelpRelatedLinks $doc.Sections['RELATED LINKS'] $help.RelatedLinks }
    return $help
}
