# The test harness itself: what Invoke-PesterSuite.ps1 reports when a test fails awkwardly, and which PowerShell the
# suites' child processes run on (the compatibility set runs on 7.4; its children must be 7.4 too).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $work = New-TestDirectory
    $pester = (Get-Module Pester | Select-Object -First 1).Path
    $escape = [char] 27

    # One child of Invoke-TestChildPowerShell serves both blocks: it runs Invoke-PesterSuite.ps1 on a throwaway file
    # with a passing and an awkwardly failing test, and says which PowerShell it ran on.
    $tests = Join-Path $work.FullName 'Throwaway.Tests.ps1'
    Set-Content -LiteralPath $tests -Encoding utf8NoBOM -Value @'
Describe 'Throwaway' {
    It 'passes' { 1 | Should -Be 1 }
    It 'fails in colour' { throw "$([char] 27)[31;1mred failure$([char] 27)[0m and a bell $([char] 7)" }
}
'@
    $summaryPath = Join-Path $work.FullName 'summary.json'
    $resultPath = Join-Path $work.FullName 'results.xml'
    $run = Invoke-TestChildPowerShell -Script @'
param($Suite, $PesterPath, $SummaryPath, $ResultPath, $Tests)
& $Suite -PesterPath $PesterPath -ModulePath CodatFiles -SummaryPath $SummaryPath -ResultPath $ResultPath -Path $Tests | Out-Null
@{ ExitCode = $LASTEXITCODE; Version = "$($PSVersionTable.PSVersion)"; Home = $PSHOME } | ConvertTo-Json -Compress
'@ -Arguments @((Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1'), $pester, $summaryPath, $resultPath, $tests) `
        -Environment @{ CODATFILES_PESTER_VERBOSITY = 'None' }
}

AfterAll {
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-PesterSuite.ps1' {
    It 'counts and names a failure whose message holds ANSI escapes and control characters, and writes valid NUnit XML' {
        $run.ExitCode | Should -Be 1
        $summary = Get-Content -LiteralPath $summaryPath -Raw | ConvertFrom-Json
        $summary.Passed | Should -Be 1
        $summary.Failed | Should -Be 1
        @($summary.FailedNames).Count | Should -Be 1
        $summary.FailedNames[0] | Should -BeLike 'Throwaway.fails in colour: red failure and a bell \x07'
        [xml] $xml = Get-Content -LiteralPath $resultPath -Raw
        $xml.'test-results'.total | Should -Be 2
        $xml.'test-results'.failures | Should -Be 1
        $message = $xml.SelectSingleNode('//test-case[@result="Failure"]/failure/message').InnerText
        $message | Should -BeLike '*red failure and a bell \x07*'
        $message | Should -Not -Match $escape
    }
}

Describe 'Child PowerShell processes of the suites' {
    It 'Invoke-TestChildPowerShell and Start-Job run on the version the suite runs on' {
        # The child of Invoke-TestChildPowerShell is the one that ran the throwaway suite above.
        $run.Version | Should -Be "$($PSVersionTable.PSVersion)"
        $run.Home | Should -Be $PSHOME
        $job = Start-Job -ScriptBlock { "$($PSVersionTable.PSVersion)" }
        try { $job | Wait-Job -Timeout 120 | Receive-Job | Should -Be "$($PSVersionTable.PSVersion)" }
        finally { $job | Remove-Job -Force }
    }
}
