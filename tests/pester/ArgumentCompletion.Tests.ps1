# Argument completion (TabExpansion2) of the cmdlets' -CompanyId, -ConnectionId and -SourceType: the ids used in
# this session, most recent first, and none of them in another runspace.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Argument completion' {
    BeforeAll {
        function Get-Completion {
            param([string] $Line)
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
        }
        $first = New-TestCompany $emulator
        $second = New-TestCompany $emulator -Integration Banking
        $file = New-TestFile -Directory (Join-Path $work.FullName 'complete') -Name 'c.pdf' -Length 10
        foreach ($company in $first, $second) {
            $null = Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop
        }
        $null = Get-CodatFileList -CompanyId $second.CompanyId @conn -ErrorAction Stop
        $neverUsed = [guid]::NewGuid()
    }

    It '-CompanyId of <Command> offers the companies used in this session, most recent first' -TestCases @(
        @{ Command = 'Send-CodatFile' }, @{ Command = 'Get-CodatFileList' }, @{ Command = 'Save-CodatFiles' }
    ) {
        $offered = Get-Completion "$Command -CompanyId "
        $offered | Should -Contain "$($first.CompanyId)"
        $offered[0] | Should -Be "$($second.CompanyId)"
        $offered | Should -Not -Contain "$neverUsed"
        Get-Completion "$Command -CompanyId $("$($first.CompanyId)".Substring(0, 8))" | Should -Be "$($first.CompanyId)"
    }

    It '-ConnectionId offers the connections used, those of the -CompanyId on the line first' {
        $offered = Get-Completion "Send-CodatFile -CompanyId $($first.CompanyId) -ConnectionId "
        $offered[0] | Should -Be "$($first.ConnectionId)"
        $offered | Should -Contain "$($second.ConnectionId)"
    }

    It '-SourceType offers Codat''s integration types and those seen in this session' {
        $offered = Get-Completion 'Save-CodatFiles -SourceType '
        foreach ($type in 'Accounting', 'Banking', 'BusinessDocuments', 'Commerce') { $offered | Should -Contain $type }
        Get-Completion 'Save-CodatFiles -SourceType ban' | Should -Be @('Banking', 'BankFeed')
    }

    It 'another runspace gets none of this session''s ids' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-TestModulePath)).AddStatement()
            $line = 'Send-CodatFile -CompanyId '
            $null = $ps.AddCommand('TabExpansion2').AddParameter('inputScript', $line).AddParameter('cursorColumn', $line.Length)
            $result = $ps.Invoke()
            @($result[0].CompletionMatches | Where-Object CompletionText -EQ "$($first.CompanyId)") | Should -BeNullOrEmpty
        } finally { $ps.Dispose() }
    }
}
