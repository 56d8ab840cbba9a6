# What importing the module sets up: the dependency resolver of the module initializer (exercised in a child
# process, because an assembly cannot be unloaded and it removes and re-imports the module) and the default views of
# CodatFiles.format.ps1xml.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $companyId = Get-SeedCompanyId
    $connectionId = Get-SeedConnectionId
    $modulePath = (Resolve-Path -LiteralPath (Get-TestModulePath)).Path
    $dependencies = Join-Path (Split-Path -Parent $modulePath) 'dependencies'
    $work = New-TestDirectory
}

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The module initializer' {
    BeforeAll {
        # One child for both tests: right after its first import, before the module's first use, it asks for Polly.Core
        # by name from a script; then it uploads, removes the module, imports it again with -Force and lists.
        $script = @'
param($ModulePath, $BaseUrl, $ApiKey, $CompanyId, $ConnectionId, $Folder)
$ErrorActionPreference = 'Stop'
$key = ConvertTo-SecureString -String $ApiKey -AsPlainText -Force
$file = Join-Path $Folder ('reimport-' + [guid]::NewGuid().ToString('n') + '.csv')
Set-Content -LiteralPath $file -Value 'a,b'
Import-Module $ModulePath
$foreign = try { [Reflection.Assembly]::Load('Polly.Core') | Out-Null; 'served' } catch { 'refused' }
$sent = @(Send-CodatFile -LiteralPath $file -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $key -ServerUrl $BaseUrl)
Remove-Module CodatFiles
Import-Module $ModulePath -Force
$listed = @(Get-CodatFileList -CompanyId $CompanyId -ApiKey $key -ServerUrl $BaseUrl | Where-Object FileName -EQ (Split-Path -Leaf $file))
[pscustomobject]@{
    Foreign         = $foreign
    Sent            = $sent.Count
    ListedAfter     = $listed.Count
    ClientLocations = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CodatFiles.Client' } | ForEach-Object Location)
} | ConvertTo-Json -Compress
'@
        $result = Invoke-TestChildPowerShell $script @($modulePath, $emulator.BaseUrl, $emulator.ApiKey, "$companyId", "$connectionId", $work.FullName)
    }

    It 'serves the module after Remove-Module and Import-Module -Force, with the client from dependencies/' {
        $result.Sent | Should -Be 1
        $result.ListedAfter | Should -Be 1 -Because 'the re-imported module still finds its client'
        @($result.ClientLocations).Count | Should -Be 1 -Because 'the client is loaded once, also across the re-import'
        Split-Path -Parent @($result.ClientLocations)[0] | Should -Be $dependencies
    }

    It 'does not serve its dependencies to requests that are not its own' {
        # Polly.Core is not part of PowerShell, so only the module's resolver could find it. Loaded by name from a
        # script, the request comes from PowerShell's compiled script code, as one from another module's code would.
        $result.Foreign | Should -Be 'refused'
    }
}

Describe 'Default views' {
    BeforeAll {
        $folder = Join-Path $work.FullName 'views'
        # A real-world name of 77 characters: it fits a 120-column table whole and must be cut at 80.
        $longName = 'Quarterly management accounts with bank reconciliation, FY2026 Q1 (final).pdf'
        $files = @(
            New-TestFile -Directory $folder -Name $longName -Length 123456
            New-TestFile -Directory $folder -Name 'ledger.csv' -Length 12
        )
        $sent = @($files | Send-CodatFile -CompanyId $companyId -ConnectionId $connectionId @conn -ErrorAction Stop)
        $listed = @(Get-CodatFileList -CompanyId $companyId @conn -ErrorAction Stop | Where-Object FileName -In $files.Name)
        $connection = Connect-Codat @conn -PassThru
        Disconnect-Codat

        function Get-Rendered {
            param([Parameter(Mandatory)] $InputObject, [switch] $List, [int] $Width = 120)
            $text = if ($List) { $InputObject | Format-List | Out-String -Width $Width } else { $InputObject | Out-String -Width $Width }
            $text -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }
        }
        function Format-Utc { param([datetime] $Value) $Value.ToString('yyyy-MM-dd HH:mm:ssZ', [cultureinfo]::InvariantCulture) }
        function Get-NameCell {
            <# The FileName cell of the row that starts with -Leading; the name is the last column. #>
            param([string[]] $Lines, [string] $Leading, [string] $Name)
            $row = @($Lines | Where-Object { $_ -match ('^' + $Leading + '\s+(.+)$') -and $Name.StartsWith($Matches[1].TrimEnd([char]0x2026)) })
            $row | Should -HaveCount 1 -Because "one row shows $Name"
            $null = $row[0] -match ('^' + $Leading + '\s+(.+)$')
            $Matches[1]
        }
    }

    It 'the Send-CodatFile table at <Width> columns: UploadedAt, Length, Attempts and FileName, header on one line' -TestCases @(
        @{ Width = 80 }, @{ Width = 120 }
    ) {
        $lines = Get-Rendered $sent -Width $Width
        $lines[0] | Should -Match '^UploadedAt \(UTC\)\s+Length\s+Attempts\s+FileName$'
        $lines[1] | Should -Match '^-+\s+-+\s+-+\s+-+$' -Because 'the header takes exactly one line'
        @($lines | Where-Object Length -GT $Width) | Should -BeNullOrEmpty -Because "every line fits $Width columns"
        foreach ($result in $sent) {
            $leading = [regex]::Escape((Format-Utc $result.UploadedAt)) + '\s+' + $result.Length + '\s+' + $result.Attempts
            $cell = Get-NameCell $lines $leading $result.FileName
            if ($Width -eq 120) { $cell | Should -BeExactly $result.FileName -Because 'the whole name fits 120 columns' }
            elseif ($result.FileName.Length -gt 40) { $cell | Should -Match '…$' -Because 'a long name is cut at its end, not the columns after it' }
        }
    }

    It 'the Get-CodatFileList table at <Width> columns: Uploaded, SourceType and FileName, header on one line' -TestCases @(
        @{ Width = 80 }, @{ Width = 120 }
    ) {
        $lines = Get-Rendered $listed -Width $Width
        $lines[0] | Should -Match '^Uploaded \(UTC\)\s+SourceType\s+FileName$'
        $lines[1] | Should -Match '^-+\s+-+\s+-+$' -Because 'the header takes exactly one line'
        @($lines | Where-Object Length -GT $Width) | Should -BeNullOrEmpty -Because "every line fits $Width columns"
        foreach ($file in $listed) {
            $cell = Get-NameCell $lines ([regex]::Escape((Format-Utc $file.Uploaded)) + '\s+' + $file.SourceType) $file.FileName
            if ($Width -eq 120) { $cell | Should -BeExactly $file.FileName }
            elseif ($file.FileName.Length -gt 40) { $cell | Should -Match '…$' }
        }
    }

    It 'the Connect-Codat -PassThru table shows the key source and the effective retry values, within 80 columns' {
        $lines = Get-Rendered $connection
        $lines[0] | Should -Match '^ServerUrl\s+KeySource\s+MaxRetries\s+IntervalSec\s+TimeoutSec$'
        @($connection | Out-String -Width 80 -Stream | Where-Object Length -GT 80) | Should -BeNullOrEmpty -Because 'the default console is 80 columns wide'
        $lines[2] | Should -Match "Parameter\s+$($connection.MaximumRetryCount)\s+$([regex]::Escape("$($connection.RetryIntervalSec)"))\s+$($connection.TimeoutSec)$"
    }

    It 'Format-List of <Name> shows every property, times in UTC as yyyy-MM-dd HH:mm:ssZ' -TestCases @(
        @{ Name = 'SendCodatFileResult'; Get = { $sent[0] }; TimeProperty = 'UploadedAt' }
        @{ Name = 'CodatFileInfo'; Get = { $listed[0] }; TimeProperty = 'Uploaded' }
        @{ Name = 'CodatConnectionInfo'; Get = { $connection }; TimeProperty = $null }
    ) {
        $item = & $Get
        $lines = Get-Rendered $item -List
        # A long value (the full path of a 77-character name) wraps onto indented lines of its own.
        $shown = $lines | Where-Object { $_ -match '^\w+\s*:' } | ForEach-Object { ($_ -split '\s*:\s', 2)[0] }
        $shown | Should -Be @($item.PSObject.Properties.Name) -Because 'every property appears, in declaration order'
        if ($TimeProperty) {
            $lines | Where-Object { $_ -match "^$TimeProperty\s*:" } | Should -Match (': ' + [regex]::Escape((Format-Utc $item.$TimeProperty)) + '$')
        }
    }
}

Describe 'The cmdlet assembly''s public surface' {
    # The client and its dependencies live in the module's own load context (Isolation.Tests.ps1); that only works
    # while no public type of CodatFiles.dll mentions one of their types (PowerShell would have to resolve it).
    BeforeAll {
        $assembly = (Get-Module CodatFiles).ImplementingAssembly
        $isolated = '^(Polly|System\.Text\.Json|CodatFiles\.Client|Microsoft\.Bcl\.)'

        function Get-MentionedType {
            <# Every type a public or protected member, base type, interface or attribute of $Type names. #>
            param([type] $Type)
            $Type.BaseType
            $Type.GetInterfaces()
            $Type.GetCustomAttributesData() | ForEach-Object { $_.AttributeType; $_.ConstructorArguments | ForEach-Object { $_.ArgumentType; if ($_.Value -is [type]) { $_.Value } } }
            $flags = [Reflection.BindingFlags]'Public, NonPublic, Instance, Static, DeclaredOnly'
            foreach ($member in $Type.GetMembers($flags)) {
                $visible = switch ($member) {
                    { $_ -is [Reflection.MethodBase] } { $_.IsPublic -or $_.IsFamily -or $_.IsFamilyOrAssembly }
                    { $_ -is [Reflection.FieldInfo] } { $_.IsPublic -or $_.IsFamily -or $_.IsFamilyOrAssembly }
                    { $_ -is [Reflection.PropertyInfo] } { @($_.GetAccessors($true) | Where-Object { $_.IsPublic -or $_.IsFamily -or $_.IsFamilyOrAssembly }).Count -gt 0 }
                    { $_ -is [Reflection.EventInfo] } { $true }
                    default { $false }
                }
                if (-not $visible) { continue }
                switch ($member) {
                    { $_ -is [Reflection.MethodInfo] } { $_.ReturnType }
                    { $_ -is [Reflection.MethodBase] } { $_.GetParameters().ParameterType }
                    { $_ -is [Reflection.FieldInfo] } { $_.FieldType }
                    { $_ -is [Reflection.PropertyInfo] } { $_.PropertyType }
                    { $_ -is [Reflection.EventInfo] } { $_.EventHandlerType }
                }
                $member.GetCustomAttributesData() | ForEach-Object AttributeType
            }
        }
    }

    It 'names no type of the client, Polly or System.Text.Json' {
        $leaks = foreach ($type in $assembly.GetExportedTypes()) {
            foreach ($mentioned in (Get-MentionedType $type | Where-Object { $_ })) {
                $named = if ($mentioned.HasElementType) { $mentioned.GetElementType() } else { $mentioned }
                $all = @($named) + @(if ($named.IsGenericType) { $named.GetGenericArguments() })
                foreach ($t in $all) { if ($t.Assembly.GetName().Name -match $isolated) { "$($type.FullName) -> $($t.FullName)" } }
            }
        }
        $assembly.GetExportedTypes().Count | Should -BeGreaterThan 5 -Because 'the cmdlets and output types are public'
        @($leaks | Sort-Object -Unique) | Should -BeNullOrEmpty
    }
}
