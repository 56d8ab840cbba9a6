# When a call tries again and when it stops: retries of 503s, 429s and reset connections, visible in -Verbose,
# Retry-After in seconds or as an HTTP date, -MaximumRetryCount and Connect-Codat's retry defaults; a refused key
# (401) or a 403 stops the later requests of that company instead, other statuses do not.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # -Force by default, $wrongKey, $company holding $file, and $noRetry.
    . (Join-Path $PSScriptRoot 'ErrorsFixture.ps1')
    $fastRetry = @{ MaximumRetryCount = 3; RetryIntervalSec = 0.05 }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Retries' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'retries a 503 twice then succeeds: Attempts = 3, two retry messages in -Verbose' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 503 -Count 2
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry -Verbose }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        $run.Output[0].Attempts | Should -Be 3
        # The whole shape of a retry message: a temp path or id that happens to hold "503" must not count.
        $retries = @($run.Verbose | Where-Object { $_ -match 'attempt \d+ failed \(HTTP 503\b.*; retrying in' })
        $retries.Count | Should -Be 2 -Because "verbose was: $($run.Verbose -join ' | ')"
        # Each names the wait.
        $retries | ForEach-Object { $_ | Should -Match '\d+(\.\d+)?\s*(s|ms|sec|second)' }
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 3
    }

    It 'retries a reset connection on list' {
        Add-TestFault $emulator -Operation 'list-files' -Kind 'reset-before-body' -Count 1
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn @fastRetry -Verbose }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.FileName | Should -Contain 'errors.pdf'
        @($run.Verbose | Where-Object { $_ -match 'attempt \d+ failed \(.*reset.*; retrying in' }).Count | Should -Be 1 -Because "verbose was: $($run.Verbose -join ' | ')"
        @($run.Verbose | Where-Object { $_ -match 'list-files:' }) | Should -BeNullOrEmpty -Because 'the message names the call once, in words'
    }

    It 'retries a download and writes the files' {
        Add-TestFault $emulator -Operation 'download-files' -Status 503 -Count 1
        $dest = Join-Path $work.FullName 'download-retry'
        $run = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn @fastRetry -Verbose }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Name | Should -Contain 'errors.pdf'
        # Not 'retr' and '503' anywhere: the destination folder is named download-retry, and its random temp path
        # held "503" once, which made the saving messages count as retries.
        @($run.Verbose | Where-Object { $_ -match 'attempt \d+ failed \(HTTP 503\b.*; retrying in' }).Count | Should -Be 1 -Because "verbose was: $($run.Verbose -join ' | ')"
        Get-TestFileHash (Join-Path $dest 'Accounting/errors.pdf') | Should -Be (Get-TestFileHash $file.FullName)
    }

    It 'honours Retry-After' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 503 -Count 1 -RetryAfter '1'
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry -Verbose }
        $run.Output.Count | Should -Be 1
        $run.Output[0].Attempts | Should -Be 2
        $run.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
    }

    It 'honours Retry-After given as an HTTP date' {
        $when = [DateTime]::UtcNow.AddSeconds(2).ToString('r', [Globalization.CultureInfo]::InvariantCulture)
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -Count 1 -RetryAfter $when
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn @fastRetry }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.FileName | Should -Contain 'errors.pdf'
        # The date has whole seconds, so the wait is between about 1 and 2 s; the 0.05 s interval alone would be far less.
        $run.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 2
    }

    It 'gives up after -MaximumRetryCount with CodatFiles.RateLimited for 429s' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 429 -Count 10
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -MaximumRetryCount 1 -RetryIntervalSec 0.05 }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.RateLimited(,|$)'
        $e.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $e.Exception.Attempts | Should -Be 2
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 2
    }

    It 'does not retry a 400' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 400 -Count 3
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @fastRetry }
        (Get-OnlyError $run).FullyQualifiedErrorId | Should -Match '^CodatFiles\.BadRequest(,|$)'
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
    }

    It 'takes retry defaults from Connect-Codat' {
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -Count 5
        # -SkipCheck: the check would take one of the 503s.
        Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl -MaximumRetryCount 1 -RetryIntervalSec 0.05 -SkipCheck
        try { $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId } } finally { Disconnect-Codat }
        (Get-OnlyError $run).FullyQualifiedErrorId | Should -Match '^CodatFiles\.ServiceUnavailable(,|$)'
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 2
    }
}

Describe 'Refused credentials stop the upload' {
    BeforeAll {
        $manyDir = Join-Path $work.FullName 'refused'
        $many = 1..45 | ForEach-Object { New-TestFile -Directory $manyDir -Name ('refused{0:d2}.pdf' -f $_) -Length 100 }
    }
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'a wrong key sends one request (the start list), then reports every file in one CodatFiles.Unauthorized error without sending it' {
        $run = Invoke-Capturing {
            $many | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 5 -ThrottleLimit 1 @wrongKey @noRetry -Verbose
        }
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 1
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
        $run.Output | Should -BeNullOrEmpty
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Unauthorized(,|$)'
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        (@($e.TargetObject).FullName | Sort-Object) | Should -Be (@($many.FullName) | Sort-Object)
        $e.ErrorDetails.Message | Should -Match 'None of the 45 files was uploaded\.'
        @($run.Verbose | Where-Object { $_ -match 'refused the API key \(401\); no further batch of this call is sent' }).Count | Should -Be 1 -Because "verbose was: $($run.Verbose -join ' | ')"
    }

    It 'a wrong key with -ThrottleLimit 4 sends no upload at all' {
        $run = Invoke-Capturing {
            $many | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 5 -ThrottleLimit 4 @wrongKey @noRetry
        }
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Unauthorized(,|$)'
        @($e.TargetObject) | Should -HaveCount 45
    }

    It 'a 403 stops the later requests of that company too, with one CodatFiles.Forbidden for their files' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 403
        $run = Invoke-Capturing {
            $many[0..9] | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 2 -ThrottleLimit 1 @conn @noRetry
        }
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
        $run.Output | Should -BeNullOrEmpty
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Forbidden(,|$)'
        @($e.TargetObject) | Should -HaveCount 10
    }

    It 'a 403 stops only the refused company''s batches; another company''s files in the same call are still sent' {
        $companyA = New-TestCompany $emulator
        $companyB = New-TestCompany $emulator
        # Rows of a CSV file, company A's first: with -ThrottleLimit 1 its first batch is the call's first request, which gets the 403.
        # Companies are sent concurrently, so B's rows come 500 ms later, once A's first request has surely arrived.
        $rows = @(
            'LiteralPath,CompanyId,ConnectionId'
            $many[0..3] | ForEach-Object { '"{0}",{1},{2}' -f $_.FullName, $companyA.CompanyId, $companyA.ConnectionId }
            $many[4..7] | ForEach-Object { '"{0}",{1},{2}' -f $_.FullName, $companyB.CompanyId, $companyB.ConnectionId }
        ) | ConvertFrom-Csv
        Add-TestFault $emulator -Operation 'upload-files' -Status 403 -Count 1
        $firstOfB = $rows[4]
        $run = Invoke-Capturing {
            $rows | ForEach-Object { if ($_ -eq $firstOfB) { Start-Sleep -Milliseconds 500 }; $_ } |
                Send-CodatFile -BatchSize 2 -ThrottleLimit 1 @conn @noRetry -Verbose
        }

        $requests = @(Get-TestRequestLog $emulator -Operation 'upload-files')
        $requests[0].companyId | Should -Be $companyA.CompanyId.ToString() -Because 'company A''s first batch is sent first'
        @($requests | Where-Object companyId -EQ $companyA.CompanyId.ToString()).Count | Should -Be 1 -Because 'A''s second batch is not sent after the 403'
        @($requests | Where-Object companyId -EQ $companyB.CompanyId.ToString()).Count | Should -Be 2

        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Forbidden(,|$)'
        (@($e.TargetObject).FullName | Sort-Object) | Should -Be (@($many[0..3].FullName) | Sort-Object)
        @($e.TargetObject.CompanyId | Sort-Object -Unique) | Should -Be @($companyA.CompanyId)
        $e.ErrorDetails.Message | Should -Match ([regex]::Escape("to company $($companyA.CompanyId)"))
        @($run.Verbose | Where-Object { $_ -match "no further batch for company $($companyA.CompanyId)" }).Count | Should -Be 1

        @($run.Output | ForEach-Object { "$($_.CompanyId)" } | Sort-Object -Unique) | Should -Be @("$($companyB.CompanyId)")
        $run.Output.Count | Should -Be 4
        @(Get-CodatFileList -CompanyId $companyB.CompanyId @conn).FileName | Sort-Object | Should -Be (@($many[4..7].Name) | Sort-Object)
        @(Get-CodatFileList -CompanyId $companyA.CompanyId @conn) | Should -BeNullOrEmpty
    }

    It 'other statuses do not stop the later requests' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 500
        $run = Invoke-Capturing {
            $many[0..5] | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 2 -ThrottleLimit 1 @conn @noRetry
        }
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 3
        $run.Errors.Count | Should -Be 2
        $run.Output.Count | Should -Be 4
    }
}
