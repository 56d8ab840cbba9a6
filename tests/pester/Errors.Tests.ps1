# Error ids and categories of docs/design/contracts.md, produced through the emulator's fault injection: HTTP
# statuses, unknown companies and connections, faults on list and download, failed connections and timeouts;
# -ErrorAction Stop and -ErrorVariable. Retries, and the refused credentials that stop an upload: Retries.Tests.ps1.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # -Force by default, $wrongKey, $company holding $file, and $noRetry.
    . (Join-Path $PSScriptRoot 'ErrorsFixture.ps1')
    $file2 = New-TestFile -Directory $work.FullName -Name 'errors2.pdf' -Length 500
    $file3 = New-TestFile -Directory $work.FullName -Name 'errors3.pdf' -Length 500
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'HTTP status errors on upload' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'status <Status> is <Id> (<Category>) with the file as TargetObject' -TestCases @(
        @{ Status = 400; Id = 'CodatFiles.BadRequest'; Category = 'InvalidArgument' }
        @{ Status = 402; Id = 'CodatFiles.PaymentRequired'; Category = 'QuotaExceeded' }
        @{ Status = 403; Id = 'CodatFiles.Forbidden'; Category = 'PermissionDenied' }
        @{ Status = 429; Id = 'CodatFiles.RateLimited'; Category = 'LimitsExceeded' }
        @{ Status = 500; Id = 'CodatFiles.ServerError'; Category = 'ResourceUnavailable' }
        @{ Status = 502; Id = 'CodatFiles.ServerError'; Category = 'ResourceUnavailable' }
        @{ Status = 503; Id = 'CodatFiles.ServiceUnavailable'; Category = 'ResourceUnavailable' }
    ) {
        Add-TestFault $emulator -Operation 'upload-files' -Status $Status
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry }
        $run.Thrown | Should -BeNullOrEmpty -Because 'API errors are per item, not terminating'
        $run.Output | Should -BeNullOrEmpty
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match "^$([regex]::Escape($Id))(,|$)"
        $e.CategoryInfo.Category | Should -Be $Category
        "$($e.TargetObject)" | Should -Be $file.FullName
        $e.Exception.GetType().FullName | Should -Be 'CodatFiles.Client.CodatApiException'
        $e.Exception.StatusCode | Should -Be $Status
    }

    It 'puts Codat''s message and correlation id in ErrorDetails' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 503
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry }
        $e = Get-OnlyError $run
        $e.ErrorDetails | Should -Not -BeNullOrEmpty
        $e.Exception.CorrelationId | Should -Match '^[0-9a-f]{32}$'
        $e.ErrorDetails.Message | Should -Match ([regex]::Escape($e.Exception.CorrelationId))
        $e.ErrorDetails.Message | Should -Match 'temporarily offline for maintenance'
    }

    It 'makes one attempt with -MaximumRetryCount 0' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 503 -Count 5
        Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry } | Out-Null
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
    }

    It 'reports a failed batch once per file in it' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 500
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName, $file2.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry }
        $run.Errors.Count | Should -Be 2
        ($run.Errors | ForEach-Object { "$($_.TargetObject)" } | Sort-Object) | Should -Be @($file.FullName, $file2.FullName)
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ServerError(,|$)' }
    }

    It 'reports a 403 once for the company, listing the files of the batch' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 403
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName, $file2.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Forbidden(,|$)'
        (@($e.TargetObject).FullName | Sort-Object) | Should -Be @($file.FullName, $file2.FullName)
    }
}

Describe 'Errors that are not injected faults' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'a wrong key is CodatFiles.Unauthorized (AuthenticationError) with the company id as TargetObject' {
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @wrongKey @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Unauthorized(,|$)'
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        "$($e.TargetObject)" | Should -Be $company.CompanyId.ToString()
        $e.Exception.GetType().FullName | Should -Be 'CodatFiles.Client.CodatApiException'
    }

    It 'an unknown company is CodatFiles.CompanyNotFound (ObjectNotFound)' {
        $unknown = [guid]::NewGuid()
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $unknown @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.CompanyNotFound(,|$)'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($e.TargetObject)" | Should -Be $unknown.ToString()
        $e.ErrorDetails.Message | Should -Match ([regex]::Escape($e.Exception.CorrelationId))
    }

    It 'an unknown company on upload is CodatFiles.CompanyNotFound with the file as TargetObject' {
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId ([guid]::NewGuid()) -ConnectionId $company.ConnectionId @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.CompanyNotFound(,|$)'
        "$($e.TargetObject)" | Should -Be $file.FullName
    }

    It 'an unknown connection is CodatFiles.ConnectionNotFound (ObjectNotFound)' {
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId ([guid]::NewGuid()) @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ConnectionNotFound(,|$)'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($e.TargetObject)" | Should -Be $file.FullName
    }

    It 'an unknown company on download is CodatFiles.CompanyNotFound and writes nothing' {
        $dest = Join-Path $work.FullName 'unknown-company'
        $run = Invoke-Capturing { Save-CodatFiles -CompanyId ([guid]::NewGuid()) -DestinationPath $dest @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.CompanyNotFound(,|$)'
        Get-TestFileTree $dest | Should -BeNullOrEmpty
    }
}

Describe 'Faults on list and download' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'a 503 on list-files is CodatFiles.ServiceUnavailable with the company id as TargetObject' {
        Add-TestFault $emulator -Operation 'list-files' -Status 503
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ServiceUnavailable(,|$)'
        $e.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        "$($e.TargetObject)" | Should -Be $company.CompanyId.ToString()
    }

    It 'a 500 on download-files is CodatFiles.ServerError and leaves no files' {
        Add-TestFault $emulator -Operation 'download-files' -Status 500
        $dest = Join-Path $work.FullName 'download-500'
        $run = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ServerError(,|$)'
        "$($e.TargetObject)" | Should -Be $company.CompanyId.ToString()
        Get-TestFileTree $dest | Should -BeNullOrEmpty
    }

    It 'a reset connection on download is CodatFiles.ConnectionFailed and leaves no files' {
        Add-TestFault $emulator -Operation 'download-files' -Kind 'reset-before-body'
        $dest = Join-Path $work.FullName 'download-reset'
        $run = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ConnectionFailed(,|$)'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        Get-TestFileTree $dest | Should -BeNullOrEmpty
    }
}

Describe 'Connection failures' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'a reset connection is CodatFiles.ConnectionFailed (ConnectionError)' {
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'reset-before-body' -Count 5
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ConnectionFailed(,|$)'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        "$($e.TargetObject)" | Should -Be $file.FullName
        $e.Exception.GetType().FullName | Should -Be 'CodatFiles.Client.CodatConnectionException'
    }

    It 'a refused connection is CodatFiles.ConnectionFailed' {
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId -ApiKey (Get-TestApiKey $emulator) -ServerUrl 'http://127.0.0.1:9' @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ConnectionFailed(,|$)'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'a refused connection''s message says each fact once and does not embed the client''s sentence' {
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId -ApiKey (Get-TestApiKey $emulator) -ServerUrl 'http://127.0.0.1:9' -MaximumRetryCount 2 -RetryIntervalSec 0.05 }
        $e = Get-OnlyError $run
        $e.Exception.Attempts | Should -Be 3
        $message = $e.ErrorDetails.Message
        $message.Contains($e.Exception.Message) | Should -BeFalse -Because "the cmdlet words the facts itself: $message"
        # What failed, where, why, how often, and why it stopped: each said once.
        foreach ($fact in @("$($company.CompanyId)", '\bfailed\b', '127\.0\.0\.1:9', 'refused', '\battempts?\b', '\b3 attempts\b', 'gave up', 'the 2 retries that -MaximumRetryCount allows')) {
            [regex]::Matches($message, $fact, 'IgnoreCase').Count | Should -Be 1 -Because "'$fact' should occur once in: $message"
        }
        $e.ErrorDetails.RecommendedAction | Should -Match 'server URL'
        $message | Should -Not -Match 'Max(RetryAttempts|ElapsedTime|UnreachableTime)|PerAttemptTimeout' -Because 'no user can set the client''s options by those names'
    }

    It 'an attempt over -TimeoutSec is CodatFiles.Timeout (OperationTimeout)' {
        Add-TestFault $emulator -Operation 'list-files' -Kind 'delay' -DelayMs 4000
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn -TimeoutSec 1 @noRetry }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Timeout(,|$)'
        $e.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $run.Elapsed.TotalSeconds | Should -BeLessThan 3.5
    }
}

Describe '-ErrorAction and -ErrorVariable' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It '-ErrorAction Stop turns a per-item error into a catchable exception' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 403
        $caught = $null
        $after = $false
        try {
            Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry -ErrorAction Stop
            $after = $true
        } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Forbidden(,|$)'
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $after | Should -BeFalse
    }

    It '-ErrorAction Stop on a pre-check error is catchable too' {
        $caught = $null
        try { Send-CodatFile -LiteralPath (Join-Path $work.FullName 'nope.pdf') -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Match '^CodatFiles\.FileNotFound(,|$)'
    }

    It '-ErrorVariable collects every per-item error while the other files upload' {
        # 402, not 401/403: a refused key stops the later requests (see Retries.Tests.ps1); other statuses do not.
        Add-TestFault $emulator -Operation 'upload-files' -Status 402 -Count 2
        $ev = $null
        $out = @(Send-CodatFile -LiteralPath $file.FullName, $file2.FullName, $file3.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId `
                -BatchSize 1 -ThrottleLimit 1 @conn @noRetry -ErrorVariable ev -ErrorAction SilentlyContinue)
        @($ev).Count | Should -Be 2
        $ev | ForEach-Object { $_.FullyQualifiedErrorId | Should -Match '^CodatFiles\.PaymentRequired(,|$)' }
        $out.Count | Should -Be 1
        # Which file's request met the two faults is the scheduler's business; together they are the three files.
        (@($ev | ForEach-Object { "$($_.TargetObject)" }) + @($out.FullName) | Sort-Object) | Should -Be (@($file.FullName, $file2.FullName, $file3.FullName) | Sort-Object)
    }

    It '-ErrorAction SilentlyContinue hides per-item errors but still outputs the rest' {
        $out = @(Send-CodatFile -LiteralPath (Join-Path $work.FullName 'missing.pdf'), $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction SilentlyContinue 2>&1)
        @($out | Where-Object { $_ -is [Management.Automation.ErrorRecord] }).Count | Should -Be 0
        @($out | Where-Object FileName -EQ 'errors.pdf').Count | Should -Be 1
    }
}
