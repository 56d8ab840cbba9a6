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

    # The long-wait rule itself (over 10 s: also a warning) is unit-tested in tests/CodatFiles.Tests
    # (RetryNoticeTests); here, with a short real wait, what a user sees of a retry.
    It 'a short wait is in -Verbose with its reason and length, and is no warning' {
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -RetryAfter '1'
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn -Verbose 3>&1 }

        $run.Errors | Should -BeNullOrEmpty
        @($run.Warnings) | Should -BeNullOrEmpty
        $retries = @($run.Verbose | Where-Object { $_ -match 'attempt 1 failed \(HTTP 503 [^)]*\); retrying in 1 s as the server''s Retry-After asks' })
        $retries.Count | Should -Be 1
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 2
    }
}

Describe 'A rate limit past the retry budget' {
    BeforeAll {
        $work = New-TestDirectory
        $many = @(1..4 | ForEach-Object { New-TestFile -Directory $work.FullName -Name ('quota-{0}.pdf' -f $_) -Length 100 })
    }
    AfterAll { Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue }
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'is a spent quota: the call''s files are in one CodatFiles.QuotaExhausted error, the other three not sent' {
        # A wait past the retry budget is the daily quota's, which belongs to the key: the stop is for the whole call
        # (Quota.Tests shows it across companies).
        $limited = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Status 429 -RetryAfter '86400'
        $run = Invoke-Capturing { $many | Send-CodatFile -CompanyId $limited.CompanyId -ConnectionId $limited.ConnectionId -BatchSize 1 -ThrottleLimit 1 @conn -Verbose }

        @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object companyId -EQ $limited.CompanyId.ToString()).Count | Should -Be 1
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.QuotaExhausted(,|$)'
        @($e.TargetObject) | Should -HaveCount 4
        $e.ErrorDetails.Message | Should -Match 'resets at .* local time .* UTC'
        $e.ErrorDetails.Message | Should -Match 'None of the 4 files was uploaded\.'
        @($run.Verbose | Where-Object { $_ -match "daily quota for this API key is used up .*; no further batch of this call is sent" }).Count | Should -Be 1
        $run.Output | Should -BeNullOrEmpty
    }
}
