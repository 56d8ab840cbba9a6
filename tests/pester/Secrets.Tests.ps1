# Secrets never show: the user:password@ of a proxy or server URL, and the API key echoed by a careless server in any
# shape (URL-encoded in a redirect's Location, unpadded base64 in an error body), are absent from every stream
# (*>&1 with -Verbose and -Debug), from $Error and from a transcript. A self-signed certificate is refused after
# one attempt, with a message naming the problem, the host and the usual cause.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    # A key whose base64 has '+', '/' and '=' padding, and whose URL-encoding differs from it.
    $key = 'k3y-&?/?>>Ky?&'
    $emulator, $conn, $work = Initialize-TestFile -EmulatorArguments @('--api-key', $key)
    $emulator.ApiKey = $key # the last --api-key is the emulator's
    $conn = Get-TestConnection $emulator
    $company = New-TestCompany -Emulator $emulator
    $file = New-TestFile -Directory $work.FullName -Name 'secret.pdf' -Length 1024
    Send-TestFile -Emulator $emulator -Company $company -LiteralPath $file.FullName

    $base64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($key))
    $keyShapes = @(
        $key, $base64, $base64.TrimEnd('='), $base64.Replace('+', '-').Replace('/', '_').TrimEnd('='),
        [Uri]::EscapeDataString($key), ([Uri]::EscapeDataString($key)).ToLowerInvariant(), [Uri]::EscapeDataString($base64)
    )

    function Invoke-Exposed {
        <#
        Runs the script block with -Verbose and -Debug in effect, under Start-Transcript, with every stream merged
        (*>&1) and shown on the host (so the transcript gets it); returns every text a user could see: each record
        formatted in full, each error's exception chain, details and target, all of $Error, and the transcript.
        #>
        param([scriptblock] $ScriptBlock)
        $transcript = Join-Path $work.FullName ('transcript-' + [guid]::NewGuid().ToString('n') + '.txt')
        $Error.Clear()
        $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
        Start-Transcript -LiteralPath $transcript | Out-Null
        try {
            $records = @(try { & $ScriptBlock *>&1 } catch { $_ })
            $records | Out-Host
        }
        finally { Stop-Transcript | Out-Null }
        $texts = foreach ($record in @($records) + @($Error)) {
            $record | Format-List * -Force | Out-String
            "$record"
            if ($record -is [Management.Automation.ErrorRecord]) {
                $record.Exception.ToString(); "$($record.ErrorDetails)"; $record.ErrorDetails.RecommendedAction
                "$($record.TargetObject)"; $record.CategoryInfo.ToString()
            }
        }
        [pscustomobject]@{
            Records    = $records
            Errors     = @($records | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
            Text       = ($texts -join "`n") + "`n" + (Get-Content -LiteralPath $transcript -Raw)
            Transcript = Get-Content -LiteralPath $transcript -Raw
        }
    }
}

AfterAll {
    Stop-TestFile $emulator $work
}

Describe 'User info in URLs' {
    It 'a -Proxy URL''s user:password@ is the proxy credential, and shows nowhere' {
        $expected = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes('proxy-user:pr0xy-s3cret'))
        $proxy = Start-TestRecordingProxy -RequiredAuthorization $expected
        try {
            $url = $proxy.Url -replace '^http://', 'http://proxy-user:pr0xy-s3cret@'
            $run = Invoke-Exposed { Get-CodatFileList -CompanyId $company.CompanyId -Proxy $url @conn }
            @($run.Records | Where-Object { $_.FileName -eq 'secret.pdf' }).Count | Should -Be 1 -Because 'the proxy let the call through with the URL''s credential'
            @($proxy.Seen.ToArray())[-1] | Should -BeLike "*|$expected"
            $run.Transcript | Should -BeLike "*Using Codat at*through the proxy http://127.0.0.1:$($proxy.Port)/ as user 'proxy-user'*" -Because 'the verbose line reached the transcript, so its check means something'
            $run.Text | Should -Not -Match 'pr0xy-s3cret'
            $run.Text | Should -Not -Match 'proxy-user:'
        } finally { $proxy.Dispose() }
    }

    It 'a proxy''s 407 is CodatFiles.ProxyAuthenticationRequired naming -ProxyCredential, after one attempt, with no password shown' {
        $proxy = Start-TestRecordingProxy -RequiredAuthorization 'Basic bm90LWdpdmVu'
        try {
            $url = $proxy.Url -replace '^http://', 'http://proxy-user:wr0ng-s3cret@'
            $run = Invoke-Exposed { Get-CodatFileList -CompanyId $company.CompanyId -Proxy $url -MaximumRetryCount 3 @conn }
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'CodatFiles.ProxyAuthenticationRequired*'
            $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$($run.Errors[0])" | Should -Match 'the proxy asked for credentials .*-ProxyCredential' -Because 'the default error view shows the message, not the action'
            $run.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-ProxyCredential'
            $run.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-ProxyUseDefaultCredentials'
            $run.Errors[0].Exception.Attempts | Should -Be 1
            # One attempt: the handler's unanswered request and its answer to the challenge, no retry.
            @($proxy.Seen.ToArray()).Count | Should -Be 2
            $run.Text | Should -Not -Match 'wr0ng-s3cret'
        } finally { $proxy.Dispose() }
    }

    It 'a server URL with user info is refused as CodatFiles.InvalidServerUrl without showing it, from <Source>' -ForEach @(
        @{ Source = '-ServerUrl' }, @{ Source = 'Connect-Codat' }, @{ Source = 'CODAT_SERVER_URL' }
    ) {
        $url = $emulator.BaseUrl -replace '^http://', 'http://admin:s3rver-s3cret@'
        $run = switch ($Source) {
            '-ServerUrl' { Invoke-Exposed { Get-CodatFileList -CompanyId $company.CompanyId -ServerUrl $url -ApiKey $conn.ApiKey } }
            'Connect-Codat' { Invoke-Exposed { Connect-Codat -ServerUrl $url -ApiKey $conn.ApiKey } }
            'CODAT_SERVER_URL' {
                $env:CODAT_SERVER_URL = $url
                try { Invoke-Exposed { Get-CodatFileList -CompanyId $company.CompanyId -ApiKey $conn.ApiKey } }
                finally { Remove-Item Env:CODAT_SERVER_URL }
            }
        }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'CodatFiles.InvalidServerUrl*'
        "$($run.Errors[0])" | Should -Match 'user name or password'
        "$($run.Errors[0])" | Should -Match ([regex]::Escape($emulator.BaseUrl))
        $run.Text | Should -Not -Match 's3rver-s3cret'
        $run.Text | Should -Not -Match 'admin:'
    }
}

Describe 'The key echoed by a server' {
    BeforeEach { Reset-TestEmulator -Emulator $emulator }

    It 'is masked in every shape, from a redirect''s Location and an error body, across retries' {
        Add-TestFault -Emulator $emulator -Operation list-files -Kind redirect -EchoKey
        Add-TestFault -Emulator $emulator -Operation upload-files -Kind status -Status 503 -Count 2 -RetryAfter '0' -EchoKey
        Add-TestFault -Emulator $emulator -Operation download-files -Kind status -Status 400 -EchoKey
        $run = Invoke-Exposed {
            Get-CodatFileList -CompanyId $company.CompanyId @conn
            Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -MaximumRetryCount 1 @conn
            Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath (Join-Path $work.FullName 'saved') -AsArchive @conn
        }
        @($run.Errors).Count | Should -Be 3
        $log = @(Get-TestRequestLog -Emulator $emulator)
        @($log | Where-Object Fault -eq 'redirect').Count | Should -Be 1
        @($log | Where-Object Fault -eq 'status').Count | Should -Be 3
        # The echoes happened and were masked: the checks below mean something.
        $run.Errors[0].Exception.Message | Should -Match 'sign-in\?key=\*\*\*&token=\*\*\*'
        $run.Text | Should -Match 'request key \*\*\*, \*\*\*'
        foreach ($shape in $keyShapes) {
            $run.Text.Contains($shape) | Should -BeFalse -Because "the key must not show as '$shape'"
        }
    }
}

Describe 'Certificates' {
    BeforeAll {
        Add-TestHelperType -Name SelfSignedTlsServer
    }

    It 'a self-signed certificate is refused after one attempt as CodatFiles.CertificateRejected, naming host, problem and cause (<Cmdlet>)' -ForEach @(
        @{ Cmdlet = 'Get-CodatFileList' }, @{ Cmdlet = 'Send-CodatFile' }
    ) {
        $server = [CodatFilesTests.SelfSignedTlsServer]::new()
        try {
            $https = @{ ServerUrl = $server.Url; ApiKey = $conn.ApiKey; NoProxy = $true; MaximumRetryCount = 5 }
            $run = Invoke-Exposed {
                if ($Cmdlet -eq 'Get-CodatFileList') { Get-CodatFileList -CompanyId $company.CompanyId @https }
                else { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @https }
            }
            $server.Connections | Should -Be 1 -Because 'a certificate problem is not retried'
            $run.Errors.Count | Should -Be 1
            $failure = $run.Errors[0]
            $failure.FullyQualifiedErrorId | Should -BeLike 'CodatFiles.CertificateRejected*'
            $failure.CategoryInfo.Category | Should -Be 'SecurityError'
            $failure.Exception.Attempts | Should -Be 1
            "$failure" | Should -Match 'TLS certificate of 127\.0\.0\.1 was rejected'
            "$failure" | Should -Match 'not issued by an authority this machine trusts'
            "$failure" | Should -Match 'TLS-inspecting proxy'
            $failure.ErrorDetails.RecommendedAction | Should -Match 'trusted root certificates'
            @($run.Records | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match 'retry|Retrying' }).Count | Should -Be 0
        } finally { $server.Dispose() }
    }
}
