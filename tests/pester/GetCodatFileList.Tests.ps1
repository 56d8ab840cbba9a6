# Get-CodatFileList: typed objects for a company's files, -Name wildcards, -Since/-Until, CompanyId from the pipeline.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile

    # Company A: two PDFs on 2024-03-05 and a CSV on 2024-03-07 (emulator clock), Accounting connection.
    $companyA = New-TestCompany $emulator
    $dir = Join-Path $work.FullName 'list'
    $p1 = New-TestFile -Directory $dir -Name 'march-invoice.pdf' -Length 100
    $p2 = New-TestFile -Directory $dir -Name 'march-receipt.pdf' -Length 100
    $c1 = New-TestFile -Directory $dir -Name 'ledger.csv' -Length 100
    Send-TestFile $emulator $companyA $p1.FullName, $p2.FullName -UploadedAt ([datetime]::new(2024, 3, 5, 10, 0, 0, [DateTimeKind]::Utc))
    Send-TestFile $emulator $companyA $c1.FullName -UploadedAt ([datetime]::new(2024, 3, 7, 10, 0, 0, [DateTimeKind]::Utc))

    # Company B: one file through a Banking connection.
    $companyB = New-TestCompany $emulator -Integration 'Banking'
    $b1 = New-TestFile -Directory $dir -Name 'statement.pdf' -Length 100
    Send-TestFile $emulator $companyB $b1.FullName

    $emptyCompany = New-TestCompany $emulator
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Get-CodatFileList' {
    It 'lists every file of the company as typed objects' {
        $files = @(Get-CodatFileList -CompanyId $companyA.CompanyId @conn -ErrorAction Stop)
        $files.Count | Should -Be 3
        ($files.FileName | Sort-Object) | Should -Be @('ledger.csv', 'march-invoice.pdf', 'march-receipt.pdf')
        $files | ForEach-Object { $_.GetType().FullName | Should -BeLike 'CodatFiles.*' }
    }

    It 'fills FileName, DisplayName, SourceType, Uploaded (DateTime) and CompanyId' {
        $f = Get-CodatFileList -CompanyId $companyA.CompanyId @conn | Where-Object FileName -EQ 'march-invoice.pdf'
        $f.DisplayName | Should -Be 'march-invoice.pdf'
        $f.SourceType | Should -Be 'Accounting'
        $f.Uploaded | Should -BeOfType ([datetime])
        $f.Uploaded.ToUniversalTime().ToString('yyyy-MM-dd') | Should -Be '2024-03-05'
        $f.CompanyId | Should -Be $companyA.CompanyId
    }

    It 'reports the connection''s integration as SourceType (Banking)' {
        $f = @(Get-CodatFileList -CompanyId $companyB.CompanyId @conn)
        $f.Count | Should -Be 1
        $f[0].SourceType | Should -Be 'Banking'
        $f[0].FileName | Should -Be 'statement.pdf'
    }

    It 'writes nothing (and no error) for a company without files' {
        $r = Invoke-Capturing { Get-CodatFileList -CompanyId $emptyCompany.CompanyId @conn }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
        $r.Thrown | Should -BeNullOrEmpty
    }

    It 'filters with a -Name wildcard' {
        $files = @(Get-CodatFileList -CompanyId $companyA.CompanyId -Name '*.pdf' @conn)
        ($files.FileName | Sort-Object) | Should -Be @('march-invoice.pdf', 'march-receipt.pdf')
    }

    It 'matches -Name case-insensitively and exactly without wildcards' {
        $files = @(Get-CodatFileList -CompanyId $companyA.CompanyId -Name 'LEDGER.CSV' @conn)
        $files.FileName | Should -Be 'ledger.csv'
    }

    It 'takes several -Name patterns' {
        $files = @(Get-CodatFileList -CompanyId $companyA.CompanyId -Name 'ledger*', '*receipt*' @conn)
        ($files.FileName | Sort-Object) | Should -Be @('ledger.csv', 'march-receipt.pdf')
    }

    It 'writes nothing for a -Name that matches nothing' {
        @(Get-CodatFileList -CompanyId $companyA.CompanyId -Name '*.docx' @conn).Count | Should -Be 0
    }

    It 'keeps files uploaded at or after -Since' {
        $files = @(Get-CodatFileList -CompanyId $companyA.CompanyId -Since ([datetime]::new(2024, 3, 6, 0, 0, 0, [DateTimeKind]::Utc)) @conn)
        $files.FileName | Should -Be 'ledger.csv'
    }

    It 'keeps files uploaded before -Until' {
        $files = @(Get-CodatFileList -CompanyId $companyA.CompanyId -Until ([datetime]::new(2024, 3, 6, 0, 0, 0, [DateTimeKind]::Utc)) @conn)
        ($files.FileName | Sort-Object) | Should -Be @('march-invoice.pdf', 'march-receipt.pdf')
    }

    It 'combines -Since and -Until into a window' {
        $files = @(Get-CodatFileList -CompanyId $companyA.CompanyId -Since ([datetime]::new(2024, 3, 4, 0, 0, 0, [DateTimeKind]::Utc)) -Until ([datetime]::new(2024, 3, 6, 0, 0, 0, [DateTimeKind]::Utc)) @conn)
        $files.Count | Should -Be 2
        @(Get-CodatFileList -CompanyId $companyA.CompanyId -Since ([datetime]::new(2024, 3, 8, 0, 0, 0, [DateTimeKind]::Utc)) @conn).Count | Should -Be 0
    }

    It 'takes a Guid from the pipeline' {
        $files = @($companyB.CompanyId | Get-CodatFileList @conn)
        $files.FileName | Should -Be 'statement.pdf'
    }

    It 'takes CompanyId from the pipeline by property name' {
        $files = @([pscustomobject]@{ CompanyId = $companyB.CompanyId } | Get-CodatFileList @conn)
        $files.FileName | Should -Be 'statement.pdf'
    }

    It 'lists several piped companies, each file tagged with its company' {
        $files = @([pscustomobject]@{ CompanyId = $companyA.CompanyId }, [pscustomobject]@{ CompanyId = $companyB.CompanyId } | Get-CodatFileList @conn)
        $files.Count | Should -Be 4
        @($files | Where-Object CompanyId -EQ $companyB.CompanyId).FileName | Should -Be 'statement.pdf'
        @($files | Where-Object CompanyId -EQ $companyA.CompanyId).Count | Should -Be 3
    }

    It 'takes a CompanyId string from the pipeline by property name' {
        $files = @([pscustomobject]@{ CompanyId = $companyB.CompanyId.ToString() } | Get-CodatFileList @conn)
        $files.FileName | Should -Be 'statement.pdf'
    }

    It 'sends one list request per company' {
        Clear-TestRequestLog $emulator
        Get-CodatFileList -CompanyId $companyA.CompanyId -Name '*.pdf' @conn | Out-Null
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 1
    }

    It 'reports an unknown piped company and still lists the next one' {
        $unknown = [guid]::NewGuid()
        $r = Invoke-Capturing { $unknown, $companyB.CompanyId | Get-CodatFileList @conn -MaximumRetryCount 0 }
        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.CompanyNotFound(,|$)'
        "$($r.Errors[0].TargetObject)" | Should -Be $unknown.ToString()
        $r.Output.FileName | Should -Be 'statement.pdf'
    }
}

Describe 'Get-CodatFileList on long lists' {
    BeforeAll {
        function Set-SyntheticList {
            # The emulator's made-up entries (synthetic-0000001-x....pdf, ...) after the company's stored files.
            param([guid] $CompanyId, [int] $Count, [object] $AbortAfter = $null)
            Invoke-TestEmulatorControl $emulator -Method PUT -Path 'synthetic-list' -Body @{
                companyId = $CompanyId.ToString(); count = $Count; nameLength = 60; abortAfter = $AbortAfter
            } | Out-Null
        }
        $long = New-TestCompany $emulator
    }

    It 'writes every entry in the order of the answer, and applies -Name while reading' {
        Set-SyntheticList $long.CompanyId 20000
        $names = [Collections.Generic.List[string]]::new()
        Get-CodatFileList -CompanyId $long.CompanyId @conn -ErrorAction Stop | ForEach-Object { $names.Add($_.FileName) }
        $names.Count | Should -Be 20000
        $names[0] | Should -BeLike 'synthetic-0000001-*'
        $names[19999] | Should -BeLike 'synthetic-0020000-*'
        @(Get-CodatFileList -CompanyId $long.CompanyId -Name 'synthetic-00001??-*' @conn).Count | Should -Be 100
    }

    It 'fails with one error and no retry when the answer breaks after entries were written' {
        Set-SyntheticList $long.CompanyId 20000 -AbortAfter 15000
        Clear-TestRequestLog $emulator
        $r = Invoke-Capturing { Get-CodatFileList -CompanyId $long.CompanyId @conn -MaximumRetryCount 3 -RetryIntervalSec 1 }
        $r.Thrown | Should -BeNullOrEmpty
        $r.Output.Count | Should -BeGreaterThan 0
        $r.Output.Count | Should -BeLessOrEqual 15000
        $r.Errors.Count | Should -Be 1
        "$($r.Errors[0].TargetObject)" | Should -Be $long.CompanyId.ToString()
        "$($r.Errors[0])" | Should -BeLike "*not retried*after $($r.Output.Count) entries*"
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 1
    }

    It 'retries as usual when the answer breaks before the first entry' {
        Set-SyntheticList $long.CompanyId 300 -AbortAfter 0
        Clear-TestRequestLog $emulator
        $r = Invoke-Capturing { Get-CodatFileList -CompanyId $long.CompanyId @conn -MaximumRetryCount 3 -RetryIntervalSec 1 }
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.Count | Should -Be 300
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 2
    }
}
