# Codat's daily quota belongs to the API key, shared by all its companies. Send-CodatFile warns, once per call, when
# the quota left (X-Rate-Limit-Remaining, as last seen on any answer of the call) is less than the call's batches not
# answered yet, judged before each request and on each answer. A spent quota (a 429 whose reset lies past the retry
# budget) is CodatFiles.QuotaExhausted, apart from a short burst of 429s (CodatFiles.RateLimited), with the reset
# as a local and a UTC time and advice fit for the cmdlet.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # 100 files of 100 bytes: 5 requests with -BatchSize 20.
    $paths = [string[]] @(1..100 | ForEach-Object { (New-TestFile -Directory $work.FullName -Name ('q{0:000}.pdf' -f $_) -Length 100).FullName })
    # Far enough ahead that the 429 past the quota lies beyond the one-hour retry budget whatever the time of day.
    $resetsAt = [DateTimeOffset]::new([DateTime]::UtcNow.Date.AddDays(2).AddHours(6), [TimeSpan]::Zero)
    $local = $resetsAt.ToLocalTime()
    $resetText = $local.ToString('yyyy-MM-dd HH:mm:ss') + ' local time (UTC' + $(if ($local.Offset -lt [TimeSpan]::Zero) { '-' } else { '+' }) +
        $local.Offset.Duration().ToString('hh\:mm') + '), ' + $resetsAt.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss') + ' UTC'

    function Invoke-Ordered {
        # Runs the script block and returns everything it wrote to output, errors and warnings, in the order written.
        param([scriptblock] $ScriptBlock)
        @(& $ScriptBlock 2>&1 3>&1)
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'The quota warning' {
    BeforeEach { Reset-TestEmulator $emulator }

    It 'warns once, at the first answer that shows the quota will not last, saying what is left, what is needed and when it resets' {
        $company = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 3 -ResetsAt $resetsAt | Out-Null
        # The start list (taken for every company of a call) answers late, so all five batches are formed before it.
        Add-TestFault $emulator -Operation 'list-files' -Kind 'delay' -DelayMs 500
        $all = Invoke-Ordered { Send-CodatFile -LiteralPath $paths -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 20 -ThrottleLimit 1 @conn }

        # Not the warning that ends a call with failures, giving its counts.
        $warnings = @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] -and $_.Message -notmatch '^Send-CodatFile: \d+ of' })
        $warnings.Count | Should -Be 1
        # At the start list's answer (3 - 1 = 2 left): all five batches not answered yet.
        $warnings[0].Message | Should -BeExactly ("Codat's quota has 2 requests left (X-Rate-Limit-Remaining), but this call still needs 5 requests " +
            "(its batches formed so far and not answered yet, for its one company); the quota resets at $resetText. Requests past the quota are answered 429.")
        [array]::IndexOf($all, $warnings[0]) | Should -Be 0 -Because 'it is written at the first answer, before any result'

        # The stop past the quota: the 3rd upload gets 429 (the start list took one request), nothing is sent after
        # it, and the files of batches 3 to 5 are in one CodatFiles.QuotaExhausted error for the call.
        $log = @(Get-TestRequestLog $emulator -Operation 'upload-files')
        $log.status | Should -Be @(200, 200, 429)
        @($all | Where-Object FileName).Count | Should -Be 40
        $errors = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.QuotaExhausted(,|$)'
        $errors[0].CategoryInfo.Category | Should -Be 'QuotaExceeded'
        @($errors[0].TargetObject) | Should -HaveCount 60
    }

    It 'counts the -SkipExisting list''s answer: the warning comes before the first upload' {
        $company = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 3 -ResetsAt $resetsAt | Out-Null
        # The list answers late, so all five batches are formed before the first one may be sent.
        Add-TestFault $emulator -Operation 'list-files' -Kind 'delay' -DelayMs 500
        $all = Invoke-Ordered { Send-CodatFile -LiteralPath $paths -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 20 -ThrottleLimit 1 -SkipExisting @conn }

        # Not the warning that ends a call with failures, giving its counts.
        $warnings = @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] -and $_.Message -notmatch '^Send-CodatFile: \d+ of' })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "^Codat's quota has 2 requests left \(X-Rate-Limit-Remaining\), but this call still needs 5 requests \("
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

Describe 'The quota is the key''s, shared by its companies' {
    BeforeEach { Reset-TestEmulator $emulator }

    It 'a 3-company call whose batches are all in flight before the first answer still gets the warning' {
        $companies = @(1..3 | ForEach-Object { New-TestCompany $emulator })
        # Two one-file batches per company: each company alone needs 2 of the 4 requests left, the call needs 6.
        $rows = @(for ($i = 0; $i -lt 6; $i++) {
                $company = $companies[$i % 3]
                [pscustomobject]@{ LiteralPath = $paths[$i]; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
            })
        Set-TestQuota $emulator -Remaining 7 -ResetsAt $resetsAt | Out-Null # 3 start lists, then 4 uploads
        # Every answer comes late, so all six requests are sent before the first answer.
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay' -DelayMs 400 -Count 6
        $all = Invoke-Ordered { $rows | Send-CodatFile -BatchSize 1 @conn }

        $warnings = @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] -and $_.Message -notmatch '^Send-CodatFile: \d+ of' })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "^Codat's quota has [0-5] requests? left \(X-Rate-Limit-Remaining\), but this call still needs [4-6] requests "
        $warnings[0].Message | Should -Match 'for all 3 companies: the quota is shared by every company of the API key'
        $log = @(Get-TestRequestLog $emulator -Operation 'upload-files')
        $log.Count | Should -Be 6
        @($log | Where-Object status -EQ 200).Count | Should -Be 4
        @($all | Where-Object FileName).Count | Should -Be 4
        $errors = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        # The spent quota concerns the whole call: one error for both files.
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.QuotaExhausted(,|$)'
        @($errors[0].TargetObject) | Should -HaveCount 2
    }

    It 'says nothing in a 3-company call the quota covers' {
        $companies = @(1..3 | ForEach-Object { New-TestCompany $emulator })
        $rows = @(for ($i = 0; $i -lt 6; $i++) {
                $company = $companies[$i % 3]
                [pscustomobject]@{ LiteralPath = $paths[$i]; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
            })
        Set-TestQuota $emulator -Remaining 100 -ResetsAt $resetsAt | Out-Null
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay' -DelayMs 400 -Count 6
        $all = Invoke-Ordered { $rows | Send-CodatFile -BatchSize 1 @conn }
        @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
        @($all | Where-Object FileName).Count | Should -Be 6
    }

    It 'a spent quota stops the other companies'' batches too: one CodatFiles.QuotaExhausted for all their files' {
        $first = New-TestCompany $emulator
        $second = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 3 -ResetsAt $resetsAt | Out-Null # 2 start lists, then 1 upload
        $rows = @(
            [pscustomobject]@{ LiteralPath = $paths[0]; CompanyId = $first.CompanyId; ConnectionId = $first.ConnectionId }
            [pscustomobject]@{ LiteralPath = $paths[1]; CompanyId = $first.CompanyId; ConnectionId = $first.ConnectionId }
            [pscustomobject]@{ LiteralPath = $paths[2]; CompanyId = $second.CompanyId; ConnectionId = $second.ConnectionId }
            [pscustomobject]@{ LiteralPath = $paths[3]; CompanyId = $second.CompanyId; ConnectionId = $second.ConnectionId }
        )
        # One request at a time across the call (-ThrottleLimit is per company, so one company's rows go first).
        $all = Invoke-Ordered { $rows | Send-CodatFile -BatchSize 1 -ThrottleLimit 1 @conn 3>$null }
        @($all | Where-Object FileName).Count | Should -Be 1
        $errors = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.QuotaExhausted(,|$)'
        @($errors[0].TargetObject) | Should -HaveCount 3
        @($errors[0].TargetObject.CompanyId | Sort-Object -Unique) | Should -Be (@($first.CompanyId, $second.CompanyId) | Sort-Object)
        @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object status -EQ 429).Count | Should -BeLessOrEqual 2 -Because 'at most the requests already in flight meet the 429'
    }
}

Describe 'A spent quota apart from a burst of 429s' {
    BeforeEach { Reset-TestEmulator $emulator }

    It 'Get-CodatFileList: CodatFiles.QuotaExhausted with the reset as a local and a UTC time, and no -ThrottleLimit advice' {
        $company = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 0 -ResetsAt $resetsAt | Out-Null
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.QuotaExhausted(,|$)'
        $e.CategoryInfo.Category | Should -Be 'QuotaExceeded'
        $e.ErrorDetails.Message | Should -Match "daily request quota for this API key is used up"
        $e.ErrorDetails.Message | Should -Match ([regex]::Escape("It resets at $resetText"))
        $e.ErrorDetails.Message | Should -Not -Match '\b\d{3,} s\b' -Because 'a time, not a count of seconds'
        $e.ErrorDetails.RecommendedAction | Should -Not -Match 'ThrottleLimit'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Run the command again after the reset'
        @(Get-TestRequestLog $emulator).Count | Should -Be 1 -Because 'a wait past the retry budget is not waited for'
    }

    It 'Send-CodatFile: the advice sends the failed files again' {
        $company = New-TestCompany $emulator
        Set-TestQuota $emulator -Remaining 0 -ResetsAt $resetsAt | Out-Null
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $paths[0] -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.QuotaExhausted(,|$)'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Send-CodatFile'
        "$($e.TargetObject)" | Should -Be $paths[0]
    }

    It 'a short burst of 429s stays CodatFiles.RateLimited; -ThrottleLimit is advised only by <Name>' -TestCases @(
        @{ Name = 'Send-CodatFile'; ThrottleAdvice = $true }
        @{ Name = 'Get-CodatFileList'; ThrottleAdvice = $false }
    ) {
        $company = New-TestCompany $emulator
        Add-TestFault $emulator -Status 429 -Count 2
        $call = if ($Name -eq 'Send-CodatFile') {
            { Send-CodatFile -LiteralPath $paths[0] -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -MaximumRetryCount 0 }
        } else {
            { Get-CodatFileList -CompanyId $company.CompanyId @conn -MaximumRetryCount 0 }
        }
        $e = Get-OnlyError (Invoke-Capturing $call)
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.RateLimited(,|$)'
        if ($ThrottleAdvice) { $e.ErrorDetails.RecommendedAction | Should -Match '-ThrottleLimit' }
        else { $e.ErrorDetails.RecommendedAction | Should -Not -Match 'ThrottleLimit' }
    }
}
