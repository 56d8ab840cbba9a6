# A result only for what Codat is proven to hold, and a warning naming every file that may be stored twice: lost
# answers, answers read in full but not stored, a server clock skewed against ours, and commits that land late.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $fastRetry = @{ MaximumRetryCount = 3; RetryIntervalSec = 0.05 }

    function Invoke-Send {
        param($Company, [string[]] $Path, [hashtable] $Extra = @{})
        $send = @{ CompanyId = $Company.CompanyId; ConnectionId = $Company.ConnectionId } + $fastRetry
        foreach ($key in $Extra.Keys) { $send[$key] = $Extra[$key] }
        Invoke-Capturing { Send-CodatFile -LiteralPath $Path @send @conn 3>&1 }
    }
    function Get-Warning { param($Run) @($Run.Warnings) }
    function Get-Result { param($Run) @($Run.Output | Where-Object { $_ -isnot [Management.Automation.WarningRecord] }) }
    function Get-StoredCount {
        param($Company, [string] $Name)
        @(Get-CodatFileList -CompanyId $Company.CompanyId @conn -ErrorAction Stop | Where-Object FileName -CEQ $Name).Count
    }
    # Every file is stored at least once (no loss), and a file stored more than once is named by a warning.
    function Assert-OnceOrWarned {
        param($Company, $Files, $Run)
        $warnings = Get-Warning $Run
        foreach ($file in $Files) {
            $stored = Get-StoredCount $Company $file.Name
            $stored | Should -BeGreaterOrEqual 1 -Because "'$($file.Name)' must not be lost"
            if ($stored -gt 1) {
                @($warnings | Where-Object { $_.Contains($file.Name) }).Count | Should -BeGreaterThan 0 -Because "'$($file.Name)' is stored $stored times; warnings: $($warnings -join ' | ')"
            }
        }
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Evidence after a lost answer' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }
    AfterEach { Set-TestClock $emulator -Now $null }

    It 'does not report version 2 of a name as sent when its request was read in full but not stored' {
        $company = New-TestCompany $emulator
        $v1 = New-TestFile -Directory (Join-Path $work.FullName 'v1') -Name 'report.pdf' -Length 3000
        $v2 = New-TestFile -Directory (Join-Path $work.FullName 'v2') -Name 'report.pdf' -Length 5000
        (Invoke-Send $company $v1.FullName).Errors | Should -BeNullOrEmpty
        # Version 2 is a later edit: written after version 1 was stored, so the re-run rule sends it.
        $v2.LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(1)
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'reset-after-body'

        $run = Invoke-Send $company $v2.FullName @{ MaximumRetryCount = 0 }

        Get-Result $run | Should -BeNullOrEmpty
        @($run.Errors).Count | Should -Be 1
        $run.Errors[0].TargetObject.FullName | Should -Be $v2.FullName
        Get-StoredCount $company 'report.pdf' | Should -Be 1
        (Get-Warning $run) -join ' ' | Should -Match ([regex]::Escape($v2.FullName))
    }

    It 're-sends version 2 with a warning naming it when retries are left' {
        $company = New-TestCompany $emulator
        $v1 = New-TestFile -Directory (Join-Path $work.FullName 'w1') -Name 'report.pdf' -Length 3000
        $v2 = New-TestFile -Directory (Join-Path $work.FullName 'w2') -Name 'report.pdf' -Length 5000
        (Invoke-Send $company $v1.FullName).Errors | Should -BeNullOrEmpty
        # Version 2 is a later edit: written after version 1 was stored, so the re-run rule sends it.
        $v2.LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(1)
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'reset-after-body'

        $run = Invoke-Send $company $v2.FullName

        $run.Errors | Should -BeNullOrEmpty
        (Get-Result $run).FullName | Should -Be $v2.FullName
        Get-StoredCount $company 'report.pdf' | Should -Be 2
        @(Get-Warning $run | Where-Object { $_.Contains($v2.FullName) -and $_ -match 'may now be stored twice' }).Count | Should -Be 1
    }

    It 'sends one name from two folders under -Recurse one at a time, and credits neither with the other' {
        $company = New-TestCompany $emulator
        $tree = Join-Path $work.FullName 'tree'
        $a = New-TestFile -Directory (Join-Path $tree 'a') -Name 'inv.pdf' -Length 2000
        $b = New-TestFile -Directory (Join-Path $tree 'b') -Name 'inv.pdf' -Length 2500
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay'
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'reset-after-body'

        $run = Invoke-Send $company $tree @{ Recurse = $true; MaximumRetryCount = 0 } 

        @(Get-Result $run).Count | Should -Be 1
        @($run.Errors).Count | Should -Be 1
        Get-StoredCount $company 'inv.pdf' | Should -Be 1
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 2 -Because 'two files of one name never share a request'
        @((Get-Result $run).FullName) + @($run.Errors.TargetObject.FullName) | Sort-Object | Should -Be @($a.FullName, $b.FullName)
    }

    It 'reports a file whose last attempt got no answer as sent, with a warning, when the list at the end shows it' {
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName 'last') -Name 'last.pdf' -Length 2000
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-drop'

        $run = Invoke-Send $company $file.FullName @{ MaximumRetryCount = 0 }

        $run.Errors | Should -BeNullOrEmpty
        (Get-Result $run).FullName | Should -Be $file.FullName
        @(Get-Warning $run | Where-Object { $_.Contains($file.FullName) -and $_ -match 'shows it stored' }).Count | Should -Be 1
        Get-StoredCount $company 'last.pdf' | Should -Be 1
    }

    It 'leaves every file stored once, or named in a warning, with the server clock <Skew> min off and lost answers' -ForEach @(
        @{ Skew = -10 }, @{ Skew = -2.5 }, @{ Skew = 2.5 }, @{ Skew = 10 }
    ) {
        $company = New-TestCompany $emulator
        Set-TestClock $emulator -Now ([DateTime]::UtcNow.AddMinutes($Skew))
        $dir = Join-Path $work.FullName "skew$Skew"
        $files = 1..4 | ForEach-Object { New-TestFile -Directory $dir -Name "skew-$_.pdf" -Length (1000 * $_) }
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-drop'
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'reset-after-body'
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-drop'

        $run = Invoke-Send $company $files.FullName @{ BatchSize = 1; ThrottleLimit = 1 }

        $run.Errors | Should -BeNullOrEmpty
        @(Get-Result $run).Count | Should -Be 4
        Assert-OnceOrWarned $company $files $run
        foreach ($result in Get-Result $run) {
            [Math]::Abs(($result.UploadedAt - [DateTime]::UtcNow.AddMinutes($Skew)).TotalSeconds) | Should -BeLessThan 60 -Because "UploadedAt is Codat's clock"
        }
    }

    It 'names a late commit, stored after -TimeoutSec gave up, in a warning' {
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName 'late') -Name 'late.pdf' -Length 2000
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'late-commit' -DelayMs 2500

        $run = Invoke-Send $company $file.FullName @{ TimeoutSec = 1 }

        $run.Errors | Should -BeNullOrEmpty
        (Get-Result $run).FullName | Should -Be $file.FullName
        @(Get-Warning $run | Where-Object { $_.Contains('late.pdf') }).Count | Should -BeGreaterThan 0
        $stored = 0
        foreach ($i in 1..40) { $stored = Get-StoredCount $company 'late.pdf'; if ($stored -ge 2) { break }; Start-Sleep -Milliseconds 100 }
        $stored | Should -Be 2 -Because 'the late commit and the re-send: the duplicate the warning named'
    }

    It '-Verify writes results only after the list at the end confirmed them, each marked Verified' {
        $company = New-TestCompany $emulator
        $files = 1..3 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName 'verify') -Name "v-$_.csv" -Length 300 }

        $run = Invoke-Send $company $files.FullName @{ Verify = $true; BatchSize = 2 }

        $run.Errors | Should -BeNullOrEmpty
        @(Get-Result $run).Count | Should -Be 3
        Get-Result $run | ForEach-Object { $_.Verified | Should -BeTrue }
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 2 -Because 'the start list and the one at the end'
        $log = @(Get-TestRequestLog $emulator)
        $log[-1].operation | Should -Be 'list-files' -Because 'the check comes after every upload'
    }

    It 'an upload answered 200 but not stored is CodatFiles.UploadNotStored under -Verify, with no result, and the re-run sends it' {
        $company = New-TestCompany $emulator
        $files = 1..2 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName "unstored-$(New-Guid)") -Name "u-$_.pdf" -Length 400 }
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'accept-not-store'

        $run = Invoke-Send $company $files.FullName @{ Verify = $true; BatchSize = 1 }

        $results = @(Get-Result $run)
        $results.Count | Should -Be 1
        $results[0].Verified | Should -BeTrue
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.UploadNotStored(,|$)'
        $lost = $files | Where-Object FullName -NE $results[0].FullName
        $e.TargetObject.FullName | Should -Be $lost.FullName
        Get-StoredCount $company $lost.Name | Should -Be 0

        # Codat does not hold it, so the plain re-run sends that file and only that one.
        $again = Invoke-Send $company $files.FullName
        $again.Errors | Should -BeNullOrEmpty
        @(Get-Result $again).FullName | Should -Be @($lost.FullName)
        Get-StoredCount $company $lost.Name | Should -Be 1
    }
}
