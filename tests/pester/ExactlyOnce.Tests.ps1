# Nothing stored twice: an upload whose whole request went out but whose answer never came (lost, or later than
# -TimeoutSec) is checked with one list call before anything is sent again.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $files = @(
        New-TestFile -Directory $work.FullName -Name 'once-a.pdf' -Length 40000
        New-TestFile -Directory $work.FullName -Name 'once-b.csv' -Length 700
        New-TestFile -Directory $work.FullName -Name 'once-c.png' -Length 9000
    )
    $fastRetry = @{ MaximumRetryCount = 3; RetryIntervalSec = 0.05 }

    function Get-StoredName {
        param($Company)
        @(Get-CodatFileList -CompanyId $Company.CompanyId @conn -ErrorAction Stop | ForEach-Object FileName | Sort-Object)
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'An upload whose answer never came' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'is stored once when the answer was lost: one list call to check, no second upload, and -Verbose says so' {
        $company = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-drop'
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry -Verbose }

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).Count | Should -Be 3
        $run.Output | ForEach-Object { $_.Attempts | Should -Be 2 }
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 3 -Because 'the start list, the check, and the list at the end after an unknown outcome'
        Get-StoredName $company | Should -Be @($files.Name | Sort-Object)
        @($run.Verbose | Where-Object { $_ -match 'no answer' -and $_ -match 'proves .*once-a\.pdf.*stored by it' -and $_ -match 'not sent again' }).Count |
            Should -Be 1 -Because "verbose was: $($run.Verbose -join ' | ')"
    }

    It 'is stored once when the answer came after -TimeoutSec' {
        $company = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-delay' -DelayMs 4000
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry -TimeoutSec 1 }

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).Count | Should -Be 3
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
        Get-StoredName $company | Should -Be @($files.Name | Sort-Object)
    }

    It 'is sent again with a warning naming the files that may now be stored twice when the check itself fails' {
        $company = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-drop'
        Add-TestFault $emulator -Operation 'list-files' -Kind 'delay' # the start list passes untouched
        Add-TestFault $emulator -Operation 'list-files' -Status 503
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $files[0].FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry 3>&1
        }
        $warnings = @($run.Warnings)

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output | Where-Object { $_ -isnot [Management.Automation.WarningRecord] }).Count | Should -Be 1
        $warnings.Count | Should -Be 2 -Because 'one when it is sent again, one when the list at the end shows it twice'
        "$($warnings[0])" | Should -Match "once-a\.pdf'.*may now be stored twice"
        "$($warnings[0])" | Should -Match '\bHTTP 503\b'
        "$($warnings[1])" | Should -Match "'once-a\.pdf' \(sent from '.*once-a\.pdf'\) is stored 1 more time than this call sent it"
        Get-StoredName $company | Should -Be @('once-a.pdf', 'once-a.pdf')
    }
}

Describe 'Inputs and re-runs' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'sends a file given twice in one call once' {
        $company = New-TestCompany $emulator
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $files[0].FullName, $files[0].FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Verbose
            Get-Item -LiteralPath $files[0].FullName | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Force
        }
        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).Count | Should -Be 2 -Because 'once per call: a second call with -Force is another upload'
        @($run.Verbose | Where-Object { $_ -match 'more than once' -and $_ -match 'sent once' }).Count | Should -Be 1
        Get-StoredName $company | Should -Be @('once-a.pdf', 'once-a.pdf')
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 2
    }

    It '-SkipExisting lists the company once and uploads only what is missing' {
        $company = New-TestCompany $emulator
        Send-CodatFile -LiteralPath $files[1].FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop | Out-Null
        Clear-TestRequestLog $emulator
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 1 -SkipExisting @conn -Verbose
        }

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output.FileName | Sort-Object) | Should -Be @('once-a.pdf', 'once-c.png')
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 1 -Because 'one list per company, not one per batch'
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 2
        Get-StoredName $company | Should -Be @($files.Name | Sort-Object)
        @($run.Verbose | Where-Object { $_ -match "^Skipping '.*once-b\.csv', already stored: .*\(-SkipExisting\)\.$" }).Count | Should -Be 1
    }

    It 'reports the files of a company whose start list fails under one error, and sends none of them' {
        $company = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'list-files' -Status 403
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -SkipExisting @conn -MaximumRetryCount 0
        }
        $run.Output | Should -BeNullOrEmpty
        # A 403 concerns the whole company: one error listing its files, which re-pipe as they are.
        @($run.Errors).Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.Forbidden(,|$)'
        @($run.Errors[0].TargetObject.FullName | Sort-Object) | Should -Be @($files.FullName | Sort-Object)
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
        @($run.Errors[0].TargetObject | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop).Count | Should -Be 3

        # A list failure that is not a whole-company one (a 503 past the retries): still one error for the files it held back.
        Add-TestFault $emulator -Operation 'list-files' -Status 503
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -SkipExisting @conn -MaximumRetryCount 0
        }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ServiceUnavailable(,|$)'
        (@($e.TargetObject).FullName | Sort-Object) | Should -Be (@($files.FullName) | Sort-Object)
    }
}
