# Long retry waits are visible without -Verbose.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $company = New-TestCompany $emulator
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Retry waits' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'a wait over 10 s is a warning that says why and for how long; a short one is only verbose' {
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -RetryAfter '11'
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -RetryAfter '1'
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn -Verbose 3>&1 }
        $warnings = @($run.Output | Where-Object { $_ -is [Management.Automation.WarningRecord] })

        $run.Errors | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '\bHTTP 503\b'
        "$($warnings[0])" | Should -Match 'retrying in 11 s'
        @($run.Verbose | Where-Object { $_ -match 'retrying in' }).Count | Should -Be 2 -Because 'every retry is in -Verbose'
        $run.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 11.9
    }
}

Describe 'A rate limit past the retry budget' {
    BeforeAll {
        $work = New-TestDirectory
        $many = @(1..4 | ForEach-Object { New-TestFile -Directory $work.FullName -Name ('quota-{0}.pdf' -f $_) -Length 100 })
    }
    AfterAll { Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue }
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'stops the company''s requests: its files are in one CodatFiles.RateLimited error, the other three not sent' {
        # One company: the fault goes to whichever request comes first, and the stop is per company (as for a 403,
        # whose test in Errors.Tests shows another company's batches still go out).
        $limited = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Status 429 -RetryAfter '86400'
        $run = Invoke-Capturing { $many | Send-CodatFile -CompanyId $limited.CompanyId -ConnectionId $limited.ConnectionId -BatchSize 1 -ThrottleLimit 1 @conn -Verbose }

        @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object companyId -EQ $limited.CompanyId.ToString()).Count | Should -Be 1
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.RateLimited(,|$)'
        @($e.TargetObject) | Should -HaveCount 4
        $e.ErrorDetails.Message | Should -Match 'None of the 4 files was uploaded\.'
        @($run.Verbose | Where-Object { $_ -match "rate-limits company $($limited.CompanyId) .*; no further batch for company $($limited.CompanyId) is sent" }).Count | Should -Be 1
        $run.Output | Should -BeNullOrEmpty
    }
}
