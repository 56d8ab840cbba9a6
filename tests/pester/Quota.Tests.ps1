# Send-CodatFile warns before it sends more requests for a company than Codat's quota has left
# (X-Rate-Limit-Remaining, as last seen on an answer for that company in the call), once per company per call.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # 100 files of 100 bytes: 5 requests with -BatchSize 20.
    $paths = [string[]] @(1..100 | ForEach-Object { (New-TestFile -Directory $work.FullName -Name ('q{0:000}.pdf' -f $_) -Length 100).FullName })
    # Far enough ahead that the 429 past the quota lies beyond the one-hour retry budget whatever the time of day.
    $resetsAt = [DateTimeOffset]::new([DateTime]::UtcNow.Date.AddDays(2).AddHours(6), [TimeSpan]::Zero)
    $resetText = $resetsAt.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ')

    function Invoke-Ordered {
        # Runs the script block and returns everything it wrote to output, errors and warnings, in the order written.
        param([scriptblock] $ScriptBlock)
        @(& $ScriptBlock 2>&1 3>&1)
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'The quota warning' {
    BeforeEach { Reset-TestEmulator $emulator }

    It 'warns once, before the request that would go past the quota, saying what is left, what is needed and when it resets' {
        $company = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 3 -ResetsAt $resetsAt | Out-Null
        # The start list (taken for every company of a call) answers late, so all five batches are formed before it.
        Add-TestFault $emulator -Operation 'list-files' -Kind 'delay' -DelayMs 500
        $all = Invoke-Ordered { Send-CodatFile -LiteralPath $paths -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 20 -ThrottleLimit 1 @conn }

        $warnings = @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        # After the start list's answer (3 - 1 = 2 left), before the first upload: all five batches still to send.
        $warnings[0].Message | Should -BeExactly ("Codat's quota has 2 requests left (X-Rate-Limit-Remaining), but this call still needs 5 requests " +
            "for company $($company.CompanyId) (its batches formed so far and not sent yet); the quota resets at $resetText. Requests past the quota are answered 429.")
        [array]::IndexOf($all, $warnings[0]) | Should -Be 0 -Because 'it comes before any result'

        # The existing stop past the quota is unchanged: the 3rd upload gets 429, nothing is sent after it, and the
        # files of batches 3 to 5 each get CodatFiles.RateLimited.
        $log = @(Get-TestRequestLog $emulator -Operation 'upload-files')
        $log.status | Should -Be @(200, 200, 429)
        @($all | Where-Object FileName).Count | Should -Be 40
        $errors = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 60
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Match '^CodatFiles\.RateLimited(,|$)' }
    }

    It 'counts the -SkipExisting list''s answer: the warning comes before the first upload' {
        $company = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 3 -ResetsAt $resetsAt | Out-Null
        # The list answers late, so all five batches are formed before the first one may be sent.
        Add-TestFault $emulator -Operation 'list-files' -Kind 'delay' -DelayMs 500
        $all = Invoke-Ordered { Send-CodatFile -LiteralPath $paths -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 20 -ThrottleLimit 1 -SkipExisting @conn }

        $warnings = @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "^Codat's quota has 2 requests left \(X-Rate-Limit-Remaining\), but this call still needs 5 requests for company $($company.CompanyId) "
        [array]::IndexOf($all, $warnings[0]) | Should -Be 0 -Because 'it comes before any result'
        @(Get-TestRequestLog $emulator).operation | Should -Be @('list-files', 'upload-files', 'upload-files', 'upload-files')
        @($all | Where-Object FileName).Count | Should -Be 40
    }

    It 'says nothing when the quota covers the call' {
        $company = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 6 -ResetsAt $resetsAt | Out-Null # the start list and 5 uploads
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay' -DelayMs 500
        $all = Invoke-Ordered { Send-CodatFile -LiteralPath $paths -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 20 -ThrottleLimit 1 @conn }

        @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
        @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        @($all | Where-Object FileName).Count | Should -Be 100
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 5
    }
}
