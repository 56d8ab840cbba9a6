<#
    Help of the built module, as `Get-Help <cmdlet> -Full` shows it: every exported cmdlet has a real synopsis
    (not the syntax line PowerShell makes up when there is no help), a description, at least two examples with code,
    and a description of every parameter, with the parameter's type. The help comes from docs/help/*.md through
    tools/New-CodatFilesHelp.ps1 at build time, so a failure here means the markdown or the generator is wrong.

    Module under test: $env:CODATFILES_MODULE_PATH (the built CodatFiles.psd1), else <repo>/out/CodatFiles/CodatFiles.psd1.
#>

BeforeDiscovery {
    function script:Get-ModuleUnderTestPath {
        if ($env:CODATFILES_MODULE_PATH) { return $env:CODATFILES_MODULE_PATH }
        $repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
        return [System.IO.Path]::Combine($repoRoot, 'out', 'CodatFiles', 'CodatFiles.psd1')
    }

    # No -Force: the suites share one process, and removing and re-importing a binary module is not what a user does.
    $module = Import-Module -Name (Get-ModuleUnderTestPath) -PassThru -ErrorAction Stop | Select-Object -First 1
    # Parameters every cmdlet has; Get-Help covers them with <CommonParameters>.
    $common = @([System.Management.Automation.Cmdlet]::CommonParameters) + @('UseTransaction')

    $cmdletCases = @(
        foreach ($command in ($module.ExportedCmdlets.Values | Sort-Object Name)) {
            $parameterCases = @(
                foreach ($parameter in $command.Parameters.Values) {
                    if ($common -contains $parameter.Name) { continue }
                    @{ CommandName = $command.Name; ParameterName = $parameter.Name; ParameterType = $parameter.ParameterType }
                }
            )
            @{ CommandName = $command.Name; ParameterCases = $parameterCases }
        }
    )
}

BeforeAll {
    $modulePath = if ($env:CODATFILES_MODULE_PATH) { $env:CODATFILES_MODULE_PATH } else {
        [System.IO.Path]::Combine((Split-Path -Parent (Split-Path -Parent $PSScriptRoot)), 'out', 'CodatFiles', 'CodatFiles.psd1')
    }
    $module = Import-Module -Name $modulePath -PassThru -ErrorAction Stop | Select-Object -First 1

    function Get-FriendlyTypeName([type] $Type) {
        # The names the help generator writes: String[], SwitchParameter, DateTime for Nullable<DateTime>, List[String].
        if ($Type.IsArray) { return (Get-FriendlyTypeName $Type.GetElementType()) + '[' + (',' * ($Type.GetArrayRank() - 1)) + ']' }
        $underlying = [System.Nullable]::GetUnderlyingType($Type)
        if ($underlying) { return Get-FriendlyTypeName $underlying }
        if ($Type.IsGenericType) {
            $arguments = @($Type.GetGenericArguments() | ForEach-Object { Get-FriendlyTypeName $_ })
            return ($Type.Name -replace '`\d+$', '') + '[' + ($arguments -join ',') + ']'
        }
        return $Type.Name
    }

    function Get-HelpText($Value) {
        # Help text fields are arrays of objects with a Text property (or plain strings); flatten to one string.
        if ($null -eq $Value) { return '' }
        return ((@($Value) | ForEach-Object { if ($_ -is [string]) { $_ } elseif ($_.PSObject.Properties['Text']) { $_.Text } else { "$_" } }) -join "`n").Trim()
    }
}

Describe 'Help of <CommandName>' -ForEach $cmdletCases {
    BeforeAll {
        $help = Get-Help -Name $CommandName -Full -ErrorAction Stop
        $command = Get-Command -Name $CommandName -Module $module.Name -ErrorAction Stop
    }

    It 'comes from the module''s MAML file, not made up by PowerShell' {
        $help.Category | Should -Be 'Cmdlet'
        $helpFile = [System.IO.Path]::Combine($module.ModuleBase, 'en-US', 'CodatFiles.dll-Help.xml')
        $helpFile | Should -Exist
        # Get-Help invents a synopsis and a description-less entry when the MAML has no command of this name.
        ([xml](Get-Content -LiteralPath $helpFile -Raw)).helpItems.command.details.name | Should -Contain $CommandName
    }

    It 'has a synopsis that is not the auto-generated syntax line' {
        $synopsis = Get-HelpText $help.Synopsis
        $synopsis | Should -Not -BeNullOrEmpty
        $syntax = ((Get-Command -Name $CommandName -Syntax) -replace '\s+', ' ').Trim()
        ($synopsis -replace '\s+', ' ') | Should -Not -Be $syntax
        $synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($CommandName) + '\s+[\[-]')
    }

    It 'has a description' {
        Get-HelpText $help.Description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' {
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.Code)".Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.Title)' needs code"
        }
    }

    It 'documents no parameter the cmdlet does not have' {
        $documented = @($help.Parameters.Parameter | ForEach-Object { $_.Name })
        $unknown = @($documented | Where-Object { -not $command.Parameters.ContainsKey($_) })
        $unknown | Should -BeNullOrEmpty
    }

    Context 'parameter -<ParameterName>' -ForEach $ParameterCases {
        BeforeAll {
            $parameterHelp = @($help.Parameters.Parameter | Where-Object { $_.Name -eq $ParameterName })
        }

        It 'is in the help with a description' {
            $parameterHelp.Count | Should -Be 1
            Get-HelpText $parameterHelp[0].Description | Should -Not -BeNullOrEmpty
        }

        It 'has the type of the cmdlet''s parameter' {
            $parameterHelp.Count | Should -Be 1
            $expected = @((Get-FriendlyTypeName $ParameterType), $ParameterType.Name, $ParameterType.FullName)
            $expected | Should -Contain $parameterHelp[0].Type.Name
        }
    }
}

Describe 'about_CodatFiles' {
    BeforeAll {
        $module = Get-Module CodatFiles | Select-Object -First 1
        $topic = Get-Content -LiteralPath (Join-Path $module.ModuleBase 'en-US/about_CodatFiles.help.txt') -Raw
        $type = $module.ImplementingAssembly.GetType('CodatFiles.Errors.ErrorIds', $true)
        $ids = @($type.GetFields([Reflection.BindingFlags]'Static, Public') | Where-Object IsLiteral | ForEach-Object { $_.GetValue($null) })
    }

    It 'lists every error id of ErrorIds with its category (generated at build time)' {
        $ids.Count | Should -BeGreaterThan 20
        $categories = $type.GetProperty('Categories', [Reflection.BindingFlags]'Static, Public').GetValue($null)
        foreach ($id in $ids) { $topic | Should -Match ("(?m)^    " + [regex]::Escape("$id ($($categories[$id]))") + '\r?$') }
        $topic | Should -Not -Match '\{\{ErrorIds\}\}'
    }

    It 'points to no file of the repository, which the package does not ship' {
        $topic | Should -Not -Match 'docs/|contracts\.md|\.md\b'
        (Get-Help about_CodatFiles | Out-String) | Should -Match 'ERROR IDS'
    }
}
