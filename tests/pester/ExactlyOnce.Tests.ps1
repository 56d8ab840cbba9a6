# Nothing stored twice: an upload whose whole request went out but whose answer never came (lost, or later than
# -TimeoutSec) is checked with one list call before anything is sent again.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $work = New-TestDirectory
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

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'An upload whose answer never came' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'is stored once when the answer was lost: one list call, no second upload, and -Verbose says so' {
        $company = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-drop'
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry -Verbose }

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).Count | Should -Be 3
        $run.Output | ForEach-Object { $_.Attempts | Should -Be 2 }
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 1
        Get-StoredName $company | Should -Be @($files.Name | Sort-Object)
        @($run.Verbose | Where-Object { $_ -match 'no answer' -and $_ -match '3 files of them stored' -and $_ -match 'none is sent again' }).Count |
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
        Add-TestFault $emulator -Operation 'list-files' -Status 503
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $files[0].FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry 3>&1
        }
        $warnings = @($run.Output | Where-Object { $_ -is [Management.Automation.WarningRecord] })

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output | Where-Object { $_ -isnot [Management.Automation.WarningRecord] }).Count | Should -Be 1
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match "'once-a\.pdf'.*may now be stored twice"
        "$($warnings[0])" | Should -Match '503'
        Get-StoredName $company | Should -Be @('once-a.pdf', 'once-a.pdf')
    }
}
