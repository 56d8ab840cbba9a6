# Connect-Codat's check (one request for the file list of a made-up company, one attempt, no retries) and
# Get-CodatContext: a good key is stored, a refused key, a dead port or a server that is not Codat fail at once and
# leave the previous settings as they were, a 429 or 5xx only warns, -SkipCheck sends nothing.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $madeUp = '00000000-0000-4000-8000-000000000000'
    $checkPath = "/companies/$madeUp/files"
    $savedKey = $env:CODAT_API_KEY
    $savedUrl = $env:CODAT_SERVER_URL
    $env:CODAT_API_KEY = $null
    $env:CODAT_SERVER_URL = $null

    function Get-DeadLoopbackUrl {
        # A loopback port that was free a moment ago and has no listener now: connections to it are refused.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        "http://127.0.0.1:$port"
    }

    # A loopback TLS server whose certificate nobody trusts, counting the connections it was offered: the one
    # Secrets.Tests uses too (one type of that name per process, so one definition).
    Add-TestHelperType -Name SelfSignedTlsServer

    function Connect-Previous {
        # The settings a failed check must leave alone: the emulator, a good key, 2 retries.
        Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl -MaximumRetryCount 2 -ErrorAction Stop
        Clear-TestRequestLog $emulator
    }

    function Assert-PreviousKept {
        $context = Get-CodatContext
        "$($context.ServerUrl)".TrimEnd('/') | Should -Be $emulator.BaseUrl.TrimEnd('/')
        $context.MaximumRetryCount | Should -Be 2
        $context.KeyCheck | Should -Be 'Accepted'
        @(Get-CodatFileList -CompanyId (Get-SeedCompanyId) -ErrorAction Stop) | Out-Null # the previous key still works
    }
}

AfterAll {
    Disconnect-Codat -ErrorAction SilentlyContinue
    $env:CODAT_API_KEY = $savedKey
    $env:CODAT_SERVER_URL = $savedUrl
    Stop-TestFile $emulator $work
}

Describe 'Connect-Codat checks' {
    BeforeEach { Disconnect-Codat; Clear-TestFault $emulator; Clear-TestRequestLog $emulator }
    AfterEach { Disconnect-Codat }

    It 'a good key: one list request for the made-up company, answered with Codat''s 404, and the settings stored' {
        $run = Invoke-Capturing { Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl -Verbose 3>&1 }
        $run.Thrown | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty -Because 'no warning and no output without -PassThru'
        $log = @(Get-TestRequestLog $emulator)
        $log.Count | Should -Be 1
        $log[0].operation | Should -Be 'list-files'
        $log[0].path | Should -Be $checkPath
        $log[0].status | Should -Be 404
        @($run.Verbose | Where-Object { $_ -match 'inferred' }).Count | Should -Be 1
        $context = Get-CodatContext
        $context.KeyCheck | Should -Be 'Accepted'
        $context.ApiKeySet | Should -BeTrue
        $context.Scope | Should -Be 'Runspace'
    }

    It 'a wrong key fails at once with CodatFiles.Unauthorized, terminating, and the previous connection stays' {
        Connect-Previous
        $run = Invoke-Capturing { Connect-Codat -ApiKey (Get-TestApiKey $emulator -Wrong) -ServerUrl $emulator.BaseUrl -TimeoutSec 30 -ErrorAction SilentlyContinue }
        $run.Thrown | Should -Not -BeNullOrEmpty -Because 'a failed check is terminating, whatever -ErrorAction'
        $run.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Unauthorized(,|$)'
        $run.Thrown.ErrorDetails.Message | Should -Match 'stored nothing: the previous connection settings are unchanged'
        $run.Thrown.ErrorDetails.RecommendedAction | Should -Match '-SkipCheck'
        $log = @(Get-TestRequestLog $emulator)
        $log.Count | Should -Be 1 -Because 'one attempt, no retry'
        $log[0].status | Should -Be 401
        Assert-PreviousKept
    }

    It 'a dead port fails fast with CodatFiles.ConnectionFailed after one attempt' {
        Connect-Previous
        $dead = Get-DeadLoopbackUrl
        $run = Invoke-Capturing { Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $dead -Debug 5>&1 }
        $run.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ConnectionFailed(,|$)'
        $run.Thrown.Exception.Attempts | Should -Be 1
        $run.Thrown.ErrorDetails.Message | Should -Match 'stored nothing'
        $debug = @($run.Output | Where-Object { $_ -is [Management.Automation.DebugRecord] -and $_.Message -match '^Connect-Codat check: GET ' })
        $debug.Count | Should -Be 1 -Because 'one exchange: no retry'
        $debug[0].Message | Should -Match "$([regex]::Escape($dead))/companies/$madeUp/files: no response"
        $run.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'a refused port fails at once (generous bound for a busy machine)'
        Assert-PreviousKept
    }

    It 'an untrusted certificate fails at once with CodatFiles.CertificateRejected after one connection' {
        Connect-Previous
        $tls = [CodatFilesTests.SelfSignedTlsServer]::new()
        try {
            $run = Invoke-Capturing { Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl "https://127.0.0.1:$($tls.Port)" }
            $run.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.CertificateRejected(,|$)'
            $run.Thrown.Exception.Attempts | Should -Be 1
            $run.Thrown.ErrorDetails.Message | Should -Match 'stored nothing'
            $tls.Connections | Should -Be 1 -Because 'the check makes one attempt, with no retry'
            $run.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'generous bound for a busy machine'
        } finally { $tls.Dispose() }
        Assert-PreviousKept
    }

    It 'a 404 that is not Codat''s company-not-found (<Case>) is "not a Codat server at this URL"' -TestCases @(
        # The emulator answers an unknown path with a Codat-shaped 404 that names no company, and logs no API request.
        @{ Case = 'a wrong base path'; Path = '/wrong-base'; Fault = $false; Logged = 0 }
        @{ Case = 'a gateway''s 404'; Path = ''; Fault = $true; Logged = 1 }
    ) {
        Connect-Previous
        if ($Fault) { Add-TestFault $emulator -Operation 'list-files' -Status 404 }
        $url = $emulator.BaseUrl.TrimEnd('/') + $Path
        $run = Invoke-Capturing { Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $url }
        $run.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.NotFound(,|$)'
        $run.Thrown.ErrorDetails.Message | Should -Match 'is not a Codat server at this URL'
        $run.Thrown.ErrorDetails.Message | Should -Match 'stored nothing'
        @(Get-TestRequestLog $emulator).Count | Should -Be $Logged
        Assert-PreviousKept
    }

    It 'a <Status> only warns: the settings are stored and the key is unchecked' -TestCases @(
        @{ Status = 503 }, @{ Status = 429 }
    ) {
        Add-TestFault $emulator -Operation 'list-files' -Status $Status -RetryAfter '1'
        $run = Invoke-Capturing { Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl 3>&1 }
        $run.Thrown | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        $warnings = @($run.Warnings)
        $warnings.Count | Should -Be 1
        $warnings[0] | Should -Match "could not check the API key: .* answered $Status"
        @(Get-TestRequestLog $emulator).Count | Should -Be 1 -Because 'the check does not retry, even when asked to wait 1 s'
        (Get-CodatContext).KeyCheck | Should -Be 'Unchecked'
        @(Get-CodatFileList -CompanyId (Get-SeedCompanyId) -ErrorAction Stop) | Out-Null
    }

    It '-SkipCheck sends no request, even with a wrong key or a dead port' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator -Wrong) -ServerUrl $emulator.BaseUrl -SkipCheck -ErrorAction Stop
        (Get-CodatContext).KeyCheck | Should -Be 'Skipped'
        Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl (Get-DeadLoopbackUrl) -SkipCheck -ErrorAction Stop
        @(Get-TestRequestLog $emulator).Count | Should -Be 0
    }
}

Describe 'Get-CodatContext' {
    BeforeEach { Disconnect-Codat; Disconnect-Codat -Scope Process }
    AfterEach { Disconnect-Codat; Disconnect-Codat -Scope Process; $env:CODAT_API_KEY = $null; $env:CODAT_SERVER_URL = $null }

    It 'shows Connect-Codat''s server, scope, proxy and retry options, and never the key' {
        $password = ConvertTo-SecureString 'proxy-secret-9' -AsPlainText -Force
        $proxyCredential = [pscredential]::new('proxy-user', $password)
        Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl -Scope Process -SkipCheck `
            -Proxy 'http://proxy.example:3128' -ProxyCredential $proxyCredential -MaximumRetryCount 3 -RetryIntervalSec 2 -TimeoutSec 42
        $context = Get-CodatContext
        $context.Scope | Should -Be 'Process'
        "$($context.ServerUrl)".TrimEnd('/') | Should -Be $emulator.BaseUrl.TrimEnd('/')
        $context.ApiKeySet | Should -BeTrue
        $context.ApiKeySource | Should -Be 'Parameter'
        $context.Proxy | Should -Be 'http://proxy.example:3128/ (-ProxyCredential)'
        $context.MaximumRetryCount | Should -Be 3
        $context.RetryIntervalSec | Should -Be 2
        $context.TimeoutSec | Should -Be 42
        $shown = $context | Format-List * | Out-String -Width 80
        $shown | Should -Not -Match ([regex]::Escape($emulator.ApiKey))
        $shown | Should -Not -Match 'proxy-secret-9'
        $context.PSObject.Properties.Name | Should -Not -Contain 'ApiKey'
        @(($context | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'falls back to the environment, and says when there is no key at all' {
        $env:CODAT_API_KEY = 'env-key-value'
        $env:CODAT_SERVER_URL = $emulator.BaseUrl
        $context = Get-CodatContext
        $context.Scope | Should -Be 'Environment'
        $context.ApiKeySource | Should -Be 'CODAT_API_KEY'
        $context.KeyCheck | Should -Be 'NotChecked'
        "$($context.ServerUrl)".TrimEnd('/') | Should -Be $emulator.BaseUrl.TrimEnd('/')
        ($context | Format-List * | Out-String) | Should -Not -Match 'env-key-value'

        $env:CODAT_API_KEY = $null
        $env:CODAT_SERVER_URL = $null
        $none = Get-CodatContext
        $none.ApiKeySet | Should -BeFalse
        $none.Scope | Should -Be 'None'
        "$($none.ServerUrl)" | Should -Be 'https://api.codat.io/'
        $none.Proxy | Should -Be 'System'
    }
}
