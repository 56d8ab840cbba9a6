# Long retry waits are visible without -Verbose.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $company = New-TestCompany $emulator
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Retry waits' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'a wait over 10 s is a warning that says why and for how long; a short one is only verbose' {
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -RetryAfter '11'
        Add-TestFault $emulator -Operation 'list-files' -Status 503 -RetryAfter '1'
        $run = Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn -Verbose 3>&1 }
        $warnings = @($run.Output | Where-Object { $_ -is [Management.Automation.WarningRecord] })

        $run.Errors | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '503'
        "$($warnings[0])" | Should -Match 'retrying in 11 s'
        @($run.Verbose | Where-Object { $_ -match 'retrying in' }).Count | Should -Be 2 -Because 'every retry is in -Verbose'
        $run.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 11.9
    }
}
