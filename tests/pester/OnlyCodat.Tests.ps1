# Only Codat counts as success: no plain http beyond loopback, no redirect followed, no HTML page taken for an answer,
# no download kept that is not a zip.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $company = New-TestCompany $emulator
    $file = New-TestFile -Directory $work.FullName -Name 'only-codat.pdf' -Length 2000
    $noRetry = @{ MaximumRetryCount = 0 }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Plain http' {
    It 'to a remote host is refused before any request, from <Source>' -TestCases @(
        @{ Source = '-ServerUrl'; Run = { Get-CodatFileList -CompanyId $company.CompanyId -ApiKey (Get-TestApiKey $emulator) -ServerUrl 'http://codat.example.com' } }
        @{ Source = 'Connect-Codat'; Run = { Connect-Codat -ApiKey (Get-TestApiKey $emulator) -ServerUrl 'http://10.1.2.3:8080/' } }
        @{ Source = 'CODAT_SERVER_URL'; Run = {
                $env:CODAT_API_KEY = $emulator.ApiKey; $env:CODAT_SERVER_URL = 'http://codat.example.com'
                try { Get-CodatFileList -CompanyId $company.CompanyId } finally { Remove-Item Env:CODAT_API_KEY, Env:CODAT_SERVER_URL }
            } }
    ) {
        $run = Invoke-Capturing $Run
        $e = Get-OnlyError $run
        $e | Should -Be $run.Thrown -Because 'a bad server URL is terminating'
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.InvalidServerUrl(,|$)'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'use https'
        $run.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'nothing was sent, not even a DNS lookup'
    }

    It 'to a loopback host is allowed (the emulator)' {
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn }
        $run.Errors | Should -BeNullOrEmpty
        $run.Thrown | Should -BeNullOrEmpty
        $emulator.BaseUrl | Should -Match '^http://127\.'
    }
}

Describe 'Answers that are not Codat''s' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'a redirect on upload is an error naming where it pointed, and it is not followed' {
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'redirect'
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry }
        $run.Output | Should -BeNullOrEmpty
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.RequestFailed(,|$)'
        $e.Exception.StatusCode | Should -Be 302
        $e.ErrorDetails.Message | Should -Match ([regex]::Escape("$($emulator.BaseUrl.TrimEnd('/'))/sign-in"))
        $e.ErrorDetails.RecommendedAction | Should -Match 'redirects'
        @(Get-TestRequestLog $emulator).operation | Should -Be @('list-files', 'upload-files') -Because 'the start list, then the upload; nothing after the 302'
        @(Get-CodatFileList -CompanyId $company.CompanyId @conn) | Should -BeNullOrEmpty
    }

    It 'a 200 HTML page on <Operation> is an error, not success' -TestCases @(
        @{ Operation = 'upload-files'; Run = { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn @noRetry } }
        @{ Operation = 'list-files'; Run = { Get-CodatFileList -CompanyId $company.CompanyId @conn @noRetry } }
        @{ Operation = 'download-files'; Run = { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath (Join-Path $work.FullName 'html') -AsArchive @conn @noRetry } }
    ) {
        Add-TestFault $emulator -Operation $Operation -Kind 'html-page'
        $run = Invoke-Capturing $Run
        $run.Output | Should -BeNullOrEmpty
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.RequestFailed(,|$)'
        $e.Exception.StatusCode | Should -Be 200
        $e.ErrorDetails.Message | Should -Match 'web page|HTML'
        $e.ErrorDetails.RecommendedAction | Should -Match "Codat's API"
        @(Get-TestRequestLog $emulator -Operation $Operation).Count | Should -Be 1
    }
}

Describe 'A 200 download that is not a zip' {
    BeforeAll {
        $utf8 = [Text.Encoding]::UTF8
        $staging = New-TestDirectory -Parent $work.FullName -Name 'staging'
    }
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'is an error, retried never, leaving nothing behind: <Body> (<Mode>)' -TestCases @(
        foreach ($mode in 'extracted', '-AsArchive') {
            @{ Mode = $mode; Body = 'a sign-in page as a file'; Bytes = "<!DOCTYPE html>`n<html><body>Sign in</body></html>"; Is = 'an HTML page' }
            @{ Mode = $mode; Body = 'JSON'; Bytes = '{"files":[]}'; Is = 'JSON' }
            @{ Mode = $mode; Body = 'plain text'; Bytes = 'Service moved'; Is = 'text' }
            @{ Mode = $mode; Body = 'an empty body'; Bytes = ''; Is = 'empty' }
        }
    ) {
        Add-TestFault $emulator -Operation 'download-files' -Kind 'raw-body' -RawBody $utf8.GetBytes($Bytes)
        $dest = Join-Path $work.FullName ('notzip-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $asArchive = @{ AsArchive = $Mode -eq '-AsArchive' }
        # Retries stay on: the answer must not be taken for a network failure and asked for again.
        $run = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest -TemporaryPath $staging.FullName @asArchive @conn }
        $run.Output | Should -BeNullOrEmpty
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.RequestFailed(,|$)'
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e.TargetObject | Should -Be $company.CompanyId
        $e.Exception.StatusCode | Should -Be 200
        $e.ErrorDetails.Message | Should -BeLike "*the download is not a zip archive: it is $Is*"
        $e.ErrorDetails.RecommendedAction | Should -Match "Codat's API"
        @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 1
        Test-Path -LiteralPath $dest | Should -BeFalse -Because 'the destination this call created is removed again, with no zip or .partial in it'
        Get-TestFileTree $staging.FullName | Should -BeNullOrEmpty -Because 'no temporary archive is left'
    }
}
