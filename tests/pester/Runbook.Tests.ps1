# Runbook needs end to end against an emulator: the API key as a PSCredential (-Credential), proxies with
# Invoke-RestMethod's meaning (seen through a loopback recording proxy), Connect-Codat -Scope Process for parallel
# runspaces, and a runbook-style run (non-interactive, strict mode, stop on error) that prompts and prints nothing.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $company = New-TestCompany -Emulator $emulator
    $server = @{ ServerUrl = $emulator.BaseUrl }
    $credential = [pscredential]::new('ignored-user-name', (Get-TestApiKey -Emulator $emulator))
    $modulePath = (Get-Module CodatFiles).Path
    $work = New-TestDirectory
    $file = New-TestFile -Directory $work.FullName -Name 'runbook.pdf' -Length 2048
    Send-TestFile -Emulator $emulator -Company $company -LiteralPath $file.FullName
    $proxyCredential = [pscredential]::new('proxy-user', (ConvertTo-SecureString 'proxy-secret' -AsPlainText -Force))
    $expectedProxyAuthorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes('proxy-user:proxy-secret'))
    $listTarget = "GET $($emulator.BaseUrl)/companies/$($company.CompanyId)/files"
}

AfterAll {
    Disconnect-Codat
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe '-Credential' {
    It 'Connect-Codat -Credential stores the password as the key (the user name is ignored)' {
        $info = Connect-Codat -Credential $credential @server -PassThru
        try {
            $info.ApiKeySource | Should -Be 'Credential'
            @(Get-CodatFileList -CompanyId $company.CompanyId -ErrorAction Stop).FileName | Should -Be 'runbook.pdf'
        } finally { Disconnect-Codat }
    }

    It 'upload, list and download take -Credential' {
        $other = New-TestFile -Directory (Join-Path $work.FullName 'credential') -Name 'other.csv' -Length 10
        $sent = @(Send-CodatFile -LiteralPath $other.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -Credential $credential @server -ErrorAction Stop)
        $sent.FileName | Should -Be 'other.csv'
        $listed = @(Get-CodatFileList -CompanyId $company.CompanyId -Name 'other*' -Credential $credential @server -ErrorAction Stop)
        $saved = @($listed | Save-CodatFiles -DestinationPath (Join-Path $work.FullName 'credential-saved') -Credential $credential @server -ErrorAction Stop)
        Get-TestFileHash -LiteralPath $saved[0].FullName | Should -Be (Get-TestFileHash -LiteralPath $other.FullName)
    }

    It 'refuses -ApiKey together with -Credential' {
        $call = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId -ApiKey (Get-TestApiKey $emulator) -Credential $credential @server }
        $call.Thrown.FullyQualifiedErrorId | Should -BeLike 'CodatFiles.AmbiguousApiKey*'
    }

    It 'refuses a plain-string -ApiKey with the SecureString and PSCredential ways in the message' {
        $call = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId -ApiKey 'plain-text-key' @server }
        "$($call.Thrown)" | Should -Match 'SecureString'
        "$($call.Thrown)" | Should -Match '-Credential'
        $call = Invoke-Capturing { Connect-Codat -ApiKey 'plain-text-key' @server }
        "$($call.Thrown)" | Should -Match 'Get-AutomationPSCredential'
    }
}

Describe 'Proxies' {
    BeforeEach {
        $proxy = Start-TestRecordingProxy
    }
    AfterEach {
        $proxy.Dispose()
        Disconnect-Codat
    }

    It '-Proxy sends upload, list and download through the proxy, with absolute URIs to the server' {
        $conn = Get-TestConnection $emulator
        $upload = New-TestFile -Directory (Join-Path $work.FullName 'proxied') -Name 'proxied.pdf' -Length 4096
        Send-CodatFile -LiteralPath $upload.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -Proxy $proxy.Url @conn -ErrorAction Stop | Out-Null
        $listed = @(Get-CodatFileList -CompanyId $company.CompanyId -Name 'proxied*' -Proxy $proxy.Url @conn -ErrorAction Stop)
        $saved = @($listed | Save-CodatFiles -DestinationPath (Join-Path $work.FullName 'proxied-saved') -Proxy $proxy.Url @conn -ErrorAction Stop)
        Get-TestFileHash -LiteralPath $saved[0].FullName | Should -Be (Get-TestFileHash -LiteralPath $upload.FullName)
        $seen = @($proxy.Seen.ToArray() | ForEach-Object { ($_ -split '\|')[0] })
        $seen | Should -Contain "POST $($emulator.BaseUrl)/companies/$($company.CompanyId)/connections/$($company.ConnectionId)/files"
        $seen | Should -Contain $listTarget
        @($seen | Where-Object { $_ -like "GET $($emulator.BaseUrl)/companies/$($company.CompanyId)/files/download*" }).Count | Should -Be 1
    }

    It '-ProxyCredential answers the proxy''s challenge' {
        $proxy.Dispose()
        $proxy = Start-TestRecordingProxy -RequiredAuthorization $expectedProxyAuthorization
        $listed = @(Get-CodatFileList -CompanyId $company.CompanyId -Proxy $proxy.Url -ProxyCredential $proxyCredential -Credential $credential @server -ErrorAction Stop)
        $listed.FileName | Should -Contain 'runbook.pdf'
        $proxy.Seen.ToArray() | Should -Be @("$listTarget|-", "$listTarget|$expectedProxyAuthorization")
    }

    It 'Connect-Codat -Proxy applies to later calls, and -NoProxy goes around it' {
        Connect-Codat -Credential $credential @server -Proxy $proxy.Url
        @($proxy.Seen.ToArray()).Count | Should -Be 1 -Because 'Connect-Codat''s check goes through the proxy it stores'
        Get-CodatFileList -CompanyId $company.CompanyId -ErrorAction Stop | Out-Null
        @($proxy.Seen.ToArray()).Count | Should -Be 2
        Get-CodatFileList -CompanyId $company.CompanyId -NoProxy -ErrorAction Stop | Out-Null
        @($proxy.Seen.ToArray()).Count | Should -Be 2 -Because '-NoProxy connects straight to the server'
    }

    It 'without proxy parameters the environment proxy applies; -NoProxy ignores it' {
        $script = @'
param($ModulePath, $BaseUrl, $ApiKey, $CompanyId)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$key = ConvertTo-SecureString $ApiKey -AsPlainText -Force
Get-CodatFileList -CompanyId $CompanyId -ApiKey $key -ServerUrl $BaseUrl | Out-Null
Get-CodatFileList -CompanyId $CompanyId -ApiKey $key -ServerUrl $BaseUrl -NoProxy | Out-Null
'{}'
'@
        Invoke-TestChildPowerShell -Script $script -Arguments @($modulePath, $emulator.BaseUrl, $emulator.ApiKey, "$($company.CompanyId)") `
            -Environment @{ HTTP_PROXY = $proxy.Url; NO_PROXY = '' } | Out-Null
        @($proxy.Seen.ToArray() | ForEach-Object { ($_ -split '\|')[0] }) | Should -Be @($listTarget) -Because 'only the call without -NoProxy used HTTP_PROXY'
    }

    It 'refuses <Case> like Invoke-RestMethod' -TestCases @(
        @{ Case = '-NoProxy with -Proxy'; Extra = @{ NoProxy = $true; Proxy = 'http://127.0.0.1:3128' } }
        @{ Case = '-ProxyCredential without -Proxy'; Extra = @{ ProxyCredential = 'the test credential' } }
        @{ Case = '-ProxyCredential with -ProxyUseDefaultCredentials'; Extra = @{ Proxy = 'http://127.0.0.1:3128'; ProxyCredential = 'the test credential'; ProxyUseDefaultCredentials = $true } }
        @{ Case = 'a relative -Proxy'; Extra = @{ Proxy = 'proxy.local' } }
    ) {
        # The test cases are built at discovery, before the credential exists.
        if ($Extra.ContainsKey('ProxyCredential')) { $Extra.ProxyCredential = $proxyCredential }
        $call = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId -Credential $credential @server @Extra }
        $call.Thrown.FullyQualifiedErrorId | Should -BeLike 'CodatFiles.InvalidProxySettings*'
        @($proxy.Seen.ToArray()).Count | Should -Be 0
    }
}

Describe 'Connect-Codat -Scope Process' {
    It 'serves ForEach-Object -Parallel after one Connect-Codat; the default scope and Disconnect-Codat -Scope Process do not' {
        # Run in this process: ForEach-Object -Parallel's runspaces are new runspaces of whichever process runs it. No key
        # may come from elsewhere: CODAT_API_KEY is unset and process-wide defaults cleared first, as in a fresh
        # process, and the variable is put back after.
        function Invoke-Parallel {
            @(1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
                Import-Module $using:modulePath
                try { @(Get-CodatFileList -CompanyId $using:companyId -ErrorAction Stop).Count } catch { $_.FullyQualifiedErrorId }
            })
        }
        $companyId = $company.CompanyId
        $key = Get-TestApiKey $emulator
        $stored = @(Get-CodatFileList -CompanyId $company.CompanyId -Credential $credential @server -ErrorAction Stop).Count
        $savedKey = $env:CODAT_API_KEY
        Remove-Item Env:CODAT_API_KEY -ErrorAction SilentlyContinue
        Disconnect-Codat -Scope Process
        try {
            Connect-Codat -ApiKey $key @server -ErrorAction Stop
            $runspaceOnly = Invoke-Parallel
            Disconnect-Codat
            Connect-Codat -ApiKey $key @server -Scope Process -ErrorAction Stop
            $processWide = Invoke-Parallel
            Disconnect-Codat -Scope Process
            $afterDisconnect = Invoke-Parallel
        } finally {
            Disconnect-Codat
            Disconnect-Codat -Scope Process
            if ($null -ne $savedKey) { $env:CODAT_API_KEY = $savedKey }
        }
        $runspaceOnly | ForEach-Object { $_ | Should -BeLike 'CodatFiles.NoApiKey*' }
        $processWide | Should -Be @($stored, $stored, $stored) -Because 'each parallel runspace lists the files with the process-wide key'
        $afterDisconnect | ForEach-Object { $_ | Should -BeLike 'CodatFiles.NoApiKey*' }
    }
}

Describe 'A runbook-style run' {
    It 'runs the three cmdlets with -Credential under -NonInteractive, StrictMode Latest and Stop, writing nothing but its result' {
        $script = @'
param($ModulePath, $BaseUrl, $ApiKey, $CompanyId, $ConnectionId, $Folder)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$credential = [pscredential]::new('automation', (ConvertTo-SecureString $ApiKey -AsPlainText -Force))
$upload = Join-Path $Folder ('runbook-' + [guid]::NewGuid().ToString('n') + '.csv')
Set-Content -LiteralPath $upload -Value 'x,y'
Connect-Codat -Credential $credential -ServerUrl $BaseUrl
$sent = @(Send-CodatFile -LiteralPath $upload -CompanyId $CompanyId -ConnectionId $ConnectionId -Credential $credential)
$listed = @(Get-CodatFileList -CompanyId $CompanyId -Credential $credential | Where-Object FileName -EQ (Split-Path -Leaf $upload))
$saved = @($listed | Save-CodatFiles -DestinationPath (Join-Path $Folder 'runbook-saved') -Credential $credential)
Disconnect-Codat
[pscustomobject]@{ Sent = $sent.Count; Listed = $listed.Count; Saved = $saved.Count; Errors = $Error.Count } | ConvertTo-Json -Compress
'@
        $lines = @(Invoke-TestChildPowerShell -AllOutput -Script $script -Arguments @($modulePath, $emulator.BaseUrl, $emulator.ApiKey, "$($company.CompanyId)", "$($company.ConnectionId)", $work.FullName))
        # The summaries are shown like Write-Host's output (two lines each: nothing failed); nothing else reaches it.
        $summaryLines = @($lines | Where-Object { $_ -match '^(Send-CodatFile|Save-CodatFiles): 1 file done \(4 B\), 0 failed\.$' -or $_ -match '^0 (already stored|up to date), 0 skipped; \d+ requests?, 0 retries, [\d.,]+ s\.$' })
        $summaryLines | Should -HaveCount 4
        $lines = @($lines | Where-Object { $_ -notin $summaryLines })
        $lines | Should -HaveCount 1 -Because 'no prompt, other host write, warning or error reached the output'
        $result = $lines[0] | ConvertFrom-Json
        $result.Sent | Should -Be 1
        $result.Listed | Should -Be 1
        $result.Saved | Should -Be 1
        $result.Errors | Should -Be 0
    }
}
