# docs/design/contracts.md is the seam users script against: its error-id table must be what the module raises.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $contracts = Join-Path $PSScriptRoot '../../docs/design/contracts.md'

    function Get-DocumentedErrorId {
        # Rows of the "Cmdlet error ids" table: | `Id` [/ `Id` ...] | Category [(terminating)] | when |
        $section = (Get-Content -LiteralPath $contracts -Raw) -split '(?m)^## ' | Where-Object { $_ -like 'Cmdlet error ids*' }
        @($section) | Should -HaveCount 1 -Because 'contracts.md has one error-id section'
        foreach ($line in ($section -split "`n" | Where-Object { $_ -match '^\|\s*`CodatFiles\.' })) {
            $cells = $line.Trim().Trim('|') -split '\|'
            $category = ($cells[1].Trim() -replace '\s*\(terminating\)$', '')
            foreach ($id in [regex]::Matches($cells[0], '`(CodatFiles\.[A-Za-z]+)`')) {
                [pscustomobject]@{ Id = $id.Groups[1].Value; Category = $category }
            }
        }
    }

    function Get-ModuleErrorId {
        # ErrorIds is internal: read its constants and their categories by reflection.
        $type = (Get-Module CodatFiles).ImplementingAssembly.GetType('CodatFiles.Errors.ErrorIds', $true)
        $categories = $type.GetProperty('Categories', [Reflection.BindingFlags]'Static, Public').GetValue($null)
        foreach ($field in $type.GetFields([Reflection.BindingFlags]'Static, Public') | Where-Object IsLiteral) {
            $id = $field.GetValue($null)
            [pscustomobject]@{ Id = $id; Category = $(if ($categories.ContainsKey($id)) { "$($categories[$id])" } else { '<none>' }) }
        }
    }
}

Describe 'The error-id table of contracts.md' {
    It 'lists exactly the ids of ErrorIds, each with the category ErrorIds gives it' {
        $documented = @(Get-DocumentedErrorId | ForEach-Object { "$($_.Id)=$($_.Category)" } | Sort-Object)
        $module = @(Get-ModuleErrorId | ForEach-Object { "$($_.Id)=$($_.Category)" } | Sort-Object)
        $documented.Count | Should -BeGreaterThan 20 -Because 'the table was read'
        $documented | Should -Be $module
    }

    It 'gives every id of ErrorIds a category, and no category to an id it does not define' {
        $type = (Get-Module CodatFiles).ImplementingAssembly.GetType('CodatFiles.Errors.ErrorIds', $true)
        $categories = $type.GetProperty('Categories', [Reflection.BindingFlags]'Static, Public').GetValue($null)
        @(Get-ModuleErrorId | Where-Object Category -EQ '<none>') | Should -BeNullOrEmpty
        @($categories.Keys | Sort-Object) | Should -Be @(Get-ModuleErrorId | ForEach-Object Id | Sort-Object)
    }
}
