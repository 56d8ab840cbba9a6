# Dot-sourced by New-CodatFilesHelp.ps1: writes one cmdlet's <command:command> MAML element, its syntax and parameter
# facts taken from the cmdlet's metadata (Get-Command), its text from what HelpMarkdown.ps1 read. Uses the script's
# $nsMaml, $nsCommand and $nsDev. Runs on PowerShell 7 and 5.1.

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

function Write-CommandDetails {
    # <command:details> (name, verb, noun, synopsis) and the long description.
    param([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Command, $Help)
    $W.WriteStartElement('command', 'details', $nsCommand)
    $W.WriteElementString('command', 'name', $nsCommand, $Command.Name)
    $W.WriteElementString('command', 'verb', $nsCommand, $Command.Verb)
    $W.WriteElementString('command', 'noun', $nsCommand, $Command.Noun)
    $W.WriteStartElement('maml', 'description', $nsMaml); Write-Paras $W @($Help.Synopsis); $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('maml', 'description', $nsMaml); Write-Paras $W $Help.Description; $W.WriteEndElement()
}

function Write-CommandSyntax {
    # Syntax: one item per parameter set, positional parameters first (by position), then declaration order.
    param([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Command, $Help, [string[]] $DocumentedNames)
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
}

function Write-CommandParameters {
    # Parameters: each once, in declaration order; mandatory/position/pipeline merged over its parameter sets.
    param([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Command, $Help, [string[]] $DocumentedNames)
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
}

function Write-CommandExamples {
    param([System.Xml.XmlWriter] $W, $Examples)
    $W.WriteStartElement('command', 'examples', $nsCommand)
    foreach ($example in $Examples) {
        $W.WriteStartElement('command', 'example', $nsCommand)
        $W.WriteElementString('maml', 'title', $nsMaml, (ConvertTo-XmlText ('-------------------------- ' + $example.Title + ' --------------------------')))
        $W.WriteElementString('dev', 'code', $nsDev, (ConvertTo-XmlText $example.Code))
        # The trailing empty para keeps a blank line between these remarks and the next example's header.
        $W.WriteStartElement('dev', 'remarks', $nsDev); Write-Paras $W (@($example.Remarks) + ''); $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-CommandRelatedLinks {
    param([System.Xml.XmlWriter] $W, $Links)
    $W.WriteStartElement('command', 'relatedLinks', $nsCommand)
    foreach ($link in $Links) {
        $W.WriteStartElement('maml', 'navigationLink', $nsMaml)
        $W.WriteElementString('maml', 'linkText', $nsMaml, (ConvertTo-XmlText $link.Text))
        $W.WriteElementString('maml', 'uri', $nsMaml, (ConvertTo-XmlText $link.Uri))
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-CommandHelp {
    # One cmdlet's <command:command>, in the order Get-Help reads it.
    param([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Command, $Help, [string[]] $DocumentedNames)

    $W.WriteStartElement('command', 'command', $nsCommand)
    Write-CommandDetails $W $Command $Help
    Write-CommandSyntax $W $Command $Help $DocumentedNames
    Write-CommandParameters $W $Command $Help $DocumentedNames
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

    Write-CommandExamples $W $Help.Examples
    Write-CommandRelatedLinks $W $Help.RelatedLinks
    $W.WriteEndElement()
}

#endregion
