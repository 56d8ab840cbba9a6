# Fault soak: 300 files of mixed sizes sent with -ThrottleLimit 8 while about 33% of upload requests meet an injected
# fault of every transient kind, including answers lost after the upload was stored, requests read in full but not
# stored, and commits that land after the client gave up; the server's clock is skewed by a random amount of up to
# +-10 minutes. Every file must end up stored, byte-identical, with no error; a file stored more than once must be
# named in a warning. Bounded: 300 files, at most 20 retries a request, 300 s in all.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $company = New-TestCompany $emulator
    $skewMinutes = [math]::Round((Get-Random -Minimum -600 -Maximum 600) / 60, 2)
    Set-TestClock $emulator -Now ([DateTime]::UtcNow.AddMinutes($skewMinutes))
    $sizes = 100, 2000, 15000, 60000, 180000
    $extensions = '.pdf', '.csv', '.png', '.xlsx', '.docx'
    $files = @(for ($i = 0; $i -lt 300; $i++) {
            New-TestFile -Directory (Join-Path $work.FullName 'in') -Name ('soak-{0:d3}{1}' -f $i, $extensions[$i % 5]) -Length $sizes[($i * 7) % 5]
        })
    # Tried in this order, each with its own chance: about 32% of the later upload requests take one of them.
    $faults = @(
        @{ Kind = 'store-then-drop'; Probability = 0.08 }
        @{ Kind = 'store-then-delay'; Probability = 0.05; DelayMs = 4000 }
        @{ Kind = 'reset-before-body'; Probability = 0.06 }
        @{ Kind = 'reset-after-body'; Probability = 0.06 }
        @{ Kind = 'status'; Status = 503; Probability = 0.06 }
        @{ Kind = 'status'; Status = 429; RetryAfter = '1'; Probability = 0.04 }
        @{ Kind = 'delay'; DelayMs = 300; Probability = 0.03 }
        @{ Kind = 'late-commit'; DelayMs = 2500; Probability = 0.02 }
    )
    # Two of each kind for the first requests, so every kind is met whatever the draws; then the random ones.
    foreach ($fault in $faults) { $certain = $fault.Clone(); $certain.Remove('Probability'); Add-TestFault $emulator -Operation 'upload-files' -Count 2 @certain }
    foreach ($fault in $faults) { Add-TestFault $emulator -Operation 'upload-files' -Count 10000 @fault }
    Clear-TestRequestLog $emulator

    $run = Invoke-Capturing {
        Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId `
            -BatchSize 5 -ThrottleLimit 8 -MaximumRetryCount 20 -RetryIntervalSec 0.05 -TimeoutSec 2 @conn 3>&1
    }
    Clear-TestFault $emulator
    # The late commits still pending land, each 2.5 s after its request was read: wait until 1.5 s after the last was due.
    $lateAt = @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object fault -EQ 'late-commit' | ForEach-Object { [DateTimeOffset] $_.receivedAt } | Sort-Object)
    if ($lateAt) { Start-Sleep -Milliseconds ([Math]::Max(0, ($lateAt[-1].AddMilliseconds(4000) - [DateTimeOffset]::UtcNow).TotalMilliseconds)) }
    $uploads = @(Get-TestRequestLog $emulator -Operation 'upload-files')
    $checks = @(Get-TestRequestLog $emulator -Operation 'list-files')
    $stored = @(Get-CodatFileList -CompanyId $company.CompanyId @conn -ErrorAction Stop)
    $warnings = @($run.Warnings)
    $duplicated = @($stored | Group-Object FileName | Where-Object Count -GT 1 | ForEach-Object Name)
    $lost = @($files.Name | Where-Object { $_ -cnotin $stored.FileName })
    $saved = Join-Path $work.FullName 'out'
    $download = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $saved @conn }
    $figures = [ordered]@{
        Files = $files.Count
        Bytes = ($files | Measure-Object Length -Sum).Sum
        UploadRequests = $uploads.Count
        FaultsInjected = @($uploads | Where-Object fault).Count
        FailedAttempts = @($uploads | Where-Object { $_.fault -and $_.fault -ne 'delay' }).Count
        ResentRequests = $uploads.Count - [math]::Ceiling($files.Count / 5)
        ServerSkewMinutes = $skewMinutes
        LostOrLateAnswers = @($uploads | Where-Object { $_.fault -in 'store-then-drop', 'store-then-delay' }).Count
        NotStoredAfterBody = @($uploads | Where-Object fault -EQ 'reset-after-body').Count
        LateCommits = @($uploads | Where-Object fault -EQ 'late-commit').Count
        ListChecks = $checks.Count
        Stored = $stored.Count
        Duplicates = $stored.Count - @($stored.FileName | Sort-Object -Unique).Count
        Losses = $lost.Count
        Warnings = $warnings.Count
        DuplicatedNames = $duplicated.Count
        DuplicatedNamesWarned = @($duplicated | Where-Object { $name = $_; @($warnings | Where-Object { $_.Contains($name) }).Count -gt 0 }).Count
        Seconds = [math]::Round($run.Elapsed.TotalSeconds, 1)
    }
    Write-Host ("Fault soak: " + (($figures.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' '))
}

AfterAll { Set-TestClock $emulator -Now $null; Stop-TestFile $emulator $work }

Describe 'Fault soak' {
    It 'injected faults of every kind into about 30% of the upload requests' {
        $figures.FaultsInjected / $figures.UploadRequests | Should -BeGreaterThan 0.2
        foreach ($kind in 'store-then-drop', 'store-then-delay', 'reset-before-body', 'reset-after-body', 'status', 'delay', 'late-commit') {
            @($uploads | Where-Object fault -EQ $kind).Count | Should -BeGreaterThan 0 -Because "$kind faults were injected"
        }
    }

    It 'uploaded every file with no error, and a result for each' {
        $run.Thrown | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty -Because "errors: $($run.Errors | ForEach-Object { "$_" } | Select-Object -First 3)"
        @($run.Output | Where-Object { $_ -isnot [Management.Automation.WarningRecord] }).Count | Should -Be $files.Count
        $run.Elapsed.TotalSeconds | Should -BeLessThan 300
    }

    It 'lost no file, and named every file stored more than once in a warning' {
        $lost | Should -BeNullOrEmpty
        foreach ($name in $duplicated) {
            @($warnings | Where-Object { $_.Contains($name) }).Count | Should -BeGreaterThan 0 -Because "'$name' is stored more than once"
        }
        @($stored.FileName | Sort-Object -Unique) | Should -Be @($files.Name | Sort-Object)
    }

    It 'stored more than once only what a late commit or an unproven re-send can explain: at most one request''s files each' {
        $figures.Duplicates | Should -BeLessOrEqual (5 * ($figures.LateCommits + $figures.NotStoredAfterBody))
    }

    It 'gives back every file byte-identical' {
        $download.Errors | Should -BeNullOrEmpty
        # One assertion over all 300 (a missing file has no hash, so it differs too).
        $different = @($files | Where-Object { (Get-TestFileHash (Join-Path $saved "Accounting/$($_.Name)")) -cne (Get-TestFileHash $_.FullName) } | ForEach-Object Name)
        $different | Should -BeNullOrEmpty -Because 'every file comes back with the bytes it was sent with'
    }
}
