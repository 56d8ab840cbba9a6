# Connect-Codat / Disconnect-Codat and how every cmdlet finds its key and server: -ApiKey/-ServerUrl, then
# Connect-Codat (per runspace), then CODAT_API_KEY / CODAT_SERVER_URL; no key → CodatFiles.NoApiKey. The key never
# shows in a message; clients are shared between calls. Parameter types and binding: ParameterBinding.Tests.ps1.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $savedKey = $env:CODAT_API_KEY
    $savedUrl = $env:CODAT_SERVER_URL
    $env:CODAT_API_KEY = $null
    $env:CODAT_SERVER_URL = $null
    Disconnect-Codat
    $companyId = Get-SeedCompanyId
    $connectionId = Get-SeedConnectionId
    $work = New-TestDirectory
    $sample = New-TestFile -Directory $work.FullName -Name 'connection-sample.pdf' -Length 2048
    # One file in the seed company so a list shows whether the call reached the emulator.
    Send-CodatFile -LiteralPath $sample.FullName -CompanyId $companyId -ConnectionId $connectionId @conn -ErrorAction Stop | Out-Null
    $cmdlets = 'Send-CodatFile', 'Get-CodatFileList', 'Save-CodatFiles'
}

AfterAll {
    Disconnect-Codat -ErrorAction SilentlyContinue
    $env:CODAT_API_KEY = $savedKey
    $env:CODAT_SERVER_URL = $savedUrl
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'No API key anywhere' {
    BeforeEach {
        Disconnect-Codat
        $env:CODAT_API_KEY = $null
        $env:CODAT_SERVER_URL = $emulator.BaseUrl
    }
    AfterEach { $env:CODAT_SERVER_URL = $null }

    It '<Name> fails with one terminating CodatFiles.NoApiKey naming the three ways' -TestCases @(
        @{ Name = 'Get-CodatFileList'; Extra = @{} }
        @{ Name = 'Save-CodatFiles'; Extra = @{ DestinationPath = (Join-Path ([IO.Path]::GetTempPath()) ('codat-nokey-' + [guid]::NewGuid().ToString('n'))) } }
    ) {
        $splat = @{ CompanyId = $companyId } + $Extra
        # SilentlyContinue must not hide it: it is terminating.
        $result = Invoke-Capturing { & $Name @splat -ErrorAction SilentlyContinue }
        $result.Thrown | Should -Not -BeNullOrEmpty
        $result.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.NoApiKey(,|$)'
        $result.Thrown.CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::AuthenticationError)
        $message = $result.Thrown.ToString()
        $message | Should -Match 'ApiKey'
        $message | Should -Match 'Connect-Codat'
        $message | Should -Match 'CODAT_API_KEY'
        $result.Output | Should -BeNullOrEmpty
    }

    It 'Send-CodatFile with three piped files reports it once and sends nothing' {
        Clear-TestRequestLog $emulator
        $files = 1..3 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName 'nokey') -Name "nokey-$_.pdf" -Length 100 }
        $result = Invoke-Capturing { $files | Send-CodatFile -CompanyId $companyId -ConnectionId $connectionId }
        $result.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.NoApiKey(,|$)'
        @($result.Errors | Where-Object { $_.FullyQualifiedErrorId -match '^CodatFiles\.NoApiKey(,|$)' }).Count | Should -Be 0 -Because 'the one error is the terminating one'
        $result.Output | Should -BeNullOrEmpty
        $log = Get-TestRequestLog $emulator
        @($log).Count | Should -Be 0 -Because "no request may be sent; the log shows: $($log | ForEach-Object { "$($_.operation) $($_.path) $($_.status)" })"
    }
}

Describe 'Connect-Codat' {
    AfterEach { Disconnect-Codat; $env:CODAT_API_KEY = $null; $env:CODAT_SERVER_URL = $null }

    It 'lets later cmdlets run without -ApiKey and -ServerUrl' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl
        $files = @(Get-CodatFileList -CompanyId $companyId -ErrorAction Stop)
        $files.FileName | Should -Contain 'connection-sample.pdf'
    }

    It 'is forgotten after Disconnect-Codat' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl
        Disconnect-Codat
        $env:CODAT_SERVER_URL = $emulator.BaseUrl
        $result = Invoke-Capturing { Get-CodatFileList -CompanyId $companyId }
        $result.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.NoApiKey(,|$)'
    }

    It 'is overridden by -ApiKey on the cmdlet' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator -Wrong) -ServerUrl $emulator.BaseUrl -SkipCheck
        $files = @(Get-CodatFileList -CompanyId $companyId -ApiKey (Get-TestApiKey $emulator) -ErrorAction Stop)
        $files.FileName | Should -Contain 'connection-sample.pdf'
    }

    It 'is used before CODAT_API_KEY' {
        $env:CODAT_API_KEY = 'wrong-env-key'
        $env:CODAT_SERVER_URL = 'http://127.0.0.1:9'
        Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl
        $files = @(Get-CodatFileList -CompanyId $companyId -ErrorAction Stop)
        $files.FileName | Should -Contain 'connection-sample.pdf'
    }

    It 'with a wrong key and -SkipCheck makes later calls fail with CodatFiles.Unauthorized' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator -Wrong) -ServerUrl $emulator.BaseUrl -MaximumRetryCount 0 -SkipCheck
        $result = Invoke-Capturing { Get-CodatFileList -CompanyId $companyId }
        $all = @($result.Errors) + @($result.Thrown | Where-Object { $_ })
        $all.Count | Should -Be 1
        $all[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.Unauthorized(,|$)'
    }

    It '-PassThru shows the effective retry values (the client defaults for those not given) and the key source' {
        $defaults = (Get-TestClientType CodatRetryOptions)::new() # the client's own load context: no [TypeName] for it
        $info = Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl -TimeoutSec 42 -PassThru
        $info.ApiKeySource | Should -Be 'Parameter'
        $info.MaximumRetryCount | Should -Be $defaults.MaxRetryAttempts
        $info.RetryIntervalSec | Should -Be $defaults.InitialInterval.TotalSeconds
        $info.TimeoutSec | Should -Be 42
        $shown = $info | Format-List | Out-String -Width 120
        $shown | Should -Match '(?m)^ApiKeySource\s*: Parameter\s*$'
        $shown | Should -Match "(?m)^MaximumRetryCount\s*: $($defaults.MaxRetryAttempts)\s*$"
        $shown | Should -Match "(?m)^RetryIntervalSec\s*: $([regex]::Escape($defaults.InitialInterval.TotalSeconds.ToString()))\s*$"
        $shown | Should -Match '(?m)^TimeoutSec\s*: 42\s*$'
    }

    It '-PassThru shows the server but never the key' {
        $info = Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl -MaximumRetryCount 2 -PassThru
        $info | Should -Not -BeNullOrEmpty
        "$($info.ServerUrl)".TrimEnd('/') | Should -Be $emulator.BaseUrl.TrimEnd('/')
        $info.MaximumRetryCount | Should -Be 2
        $info.PSObject.Properties.Name | Should -Not -Contain 'ApiKey'
        ($info | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($emulator.ApiKey))
    }

    It 'writes nothing without -PassThru' {
        @(Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl $emulator.BaseUrl).Count | Should -Be 0
    }

    It 'rejects a server URL that is not absolute http(s) with CodatFiles.InvalidServerUrl' {
        $caught = $null
        try { Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl 'ftp://example.com/' -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Match '^CodatFiles\.InvalidServerUrl(,|$)'
        $caught.CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidArgument)
    }
}

Describe 'Connect-Codat keeps its defaults per runspace' {
    BeforeAll {
        function Invoke-InOtherRunspace {
            # Runs a script in a fresh runspace of this process (as ForEach-Object -Parallel, Azure Functions or
            # PowerShell Universal do), with the module imported there; returns its output.
            param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [hashtable] $Parameters = @{})
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($ModulePath) Import-Module $ModulePath -ErrorAction Stop').AddArgument((Get-TestModulePath))
                $null = $ps.AddStatement().AddScript($ScriptBlock.ToString()).AddParameters($Parameters)
                $ps.Invoke()
                if ($ps.HadErrors) { $ps.Streams.Error | ForEach-Object { Write-Warning "Other runspace: $_" } }
            } finally {
                $ps.Dispose()
            }
        }
        $listOrErrorId = {
            param($CompanyId)
            try { Get-CodatFileList -CompanyId $CompanyId -MaximumRetryCount 0 -ErrorAction Stop | Out-Null; 'listed' }
            catch { $_.FullyQualifiedErrorId }
        }
    }
    BeforeEach {
        Disconnect-Codat
        $env:CODAT_API_KEY = $null
        # The server comes from the environment (process-wide), so only the key decides whether a call succeeds.
        $env:CODAT_SERVER_URL = $emulator.BaseUrl
    }
    AfterEach { Disconnect-Codat; $env:CODAT_API_KEY = $null; $env:CODAT_SERVER_URL = $null }

    It 'another runspace does not see the key and falls back to CodatFiles.NoApiKey' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator)
        $other = Invoke-InOtherRunspace $listOrErrorId @{ CompanyId = $companyId }
        $other | Should -Match '^CodatFiles\.NoApiKey(,|$)'
        & $listOrErrorId $companyId | Should -Be 'listed' -Because 'the runspace that connected keeps its key'
    }

    It 'another runspace falls back to CODAT_API_KEY, not to this runspace''s key' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator)
        $env:CODAT_API_KEY = 'wrong-env-key'
        $other = Invoke-InOtherRunspace $listOrErrorId @{ CompanyId = $companyId }
        $other | Should -Match '^CodatFiles\.Unauthorized(,|$)'
    }

    It 'Connect-Codat and Disconnect-Codat in another runspace leave this runspace''s key alone' {
        Connect-Codat -ApiKey (Get-TestApiKey $emulator)
        $other = Invoke-InOtherRunspace {
            param($CompanyId, $WrongKey, $ListOrErrorId)
            Connect-Codat -ApiKey $WrongKey -SkipCheck
            & ([scriptblock]::Create($ListOrErrorId)) $CompanyId
            Disconnect-Codat
        } @{ CompanyId = $companyId; WrongKey = (Get-TestApiKey $emulator -Wrong); ListOrErrorId = $listOrErrorId.ToString() }
        $other | Should -Match '^CodatFiles\.Unauthorized(,|$)' -Because 'the other runspace uses the key it connected with'
        & $listOrErrorId $companyId | Should -Be 'listed'
    }
}

Describe 'Environment variables' {
    BeforeEach { Disconnect-Codat }
    AfterEach { $env:CODAT_API_KEY = $null; $env:CODAT_SERVER_URL = $null }

    It 'CODAT_API_KEY and CODAT_SERVER_URL are used when nothing else is given' {
        $env:CODAT_API_KEY = $emulator.ApiKey
        $env:CODAT_SERVER_URL = $emulator.BaseUrl
        $files = @(Get-CodatFileList -CompanyId $companyId -ErrorAction Stop)
        $files.FileName | Should -Contain 'connection-sample.pdf'
    }

    It '-ServerUrl on the cmdlet beats CODAT_SERVER_URL' {
        $env:CODAT_API_KEY = $emulator.ApiKey
        $env:CODAT_SERVER_URL = 'http://127.0.0.1:9'
        $files = @(Get-CodatFileList -CompanyId $companyId -ServerUrl $emulator.BaseUrl -ErrorAction Stop)
        $files.FileName | Should -Contain 'connection-sample.pdf'
    }

    It 'a bad CODAT_SERVER_URL is CodatFiles.InvalidServerUrl (terminating)' {
        $env:CODAT_API_KEY = $emulator.ApiKey
        $env:CODAT_SERVER_URL = 'not a url'
        $result = Invoke-Capturing { Get-CodatFileList -CompanyId $companyId -ErrorAction SilentlyContinue }
        $result.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.InvalidServerUrl(,|$)'
        $result.Thrown.CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidArgument)
    }
}

Describe 'The API key stays secret' {
    It 'is not in any verbose, error or error-details text of a failing call' {
        $secret = 'secret-' + [guid]::NewGuid().ToString('n')
        $key = ConvertTo-SecureString -String $secret -AsPlainText -Force
        $encoded = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($secret))
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $companyId -ApiKey $key -ServerUrl $emulator.BaseUrl -MaximumRetryCount 1 -RetryIntervalSec 0.05 -Verbose }
        $errors = @($run.Errors) + @($run.Thrown | Where-Object { $_ })
        $errors.Count | Should -Be 1
        $text = ($run.Verbose + ($errors | ForEach-Object { $_.ToString(); "$($_.ErrorDetails)"; $_.Exception.ToString() })) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match ([regex]::Escape($encoded))
    }
}

Describe 'Clients shared between calls' {
    It 'keeps working after more distinct keys than the client cache holds, each call using its own key' {
        # The cache holds 8 clients; the 9th and later keys must evict an older client, never the one being used.
        foreach ($n in 1..12) {
            $wrongKey = ConvertTo-SecureString "cache-probe-key-$n" -AsPlainText -Force
            $errors = $null
            Get-CodatFileList -CompanyId $companyId -ApiKey $wrongKey -ServerUrl $conn.ServerUrl -MaximumRetryCount 0 -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.Unauthorized(,|$)'
        }
        @(Get-CodatFileList -CompanyId $companyId @conn -ErrorAction Stop).FileName | Should -Contain 'connection-sample.pdf'
    }

    It 'retry parameters are applied per call, whatever client is shared' {
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -Count 1
        $errors = $null
        Get-CodatFileList -CompanyId $companyId @conn -MaximumRetryCount 0 -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.ServiceUnavailable(,|$)'
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -Count 1
        @(Get-CodatFileList -CompanyId $companyId @conn -MaximumRetryCount 2 -RetryIntervalSec 0.05 -ErrorAction Stop).FileName | Should -Contain 'connection-sample.pdf'
    }
}
