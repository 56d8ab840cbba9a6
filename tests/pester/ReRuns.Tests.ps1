# Send-CodatFile can be run again: a file Codat already holds (its name stored, last written no more than 2 s after
# the newest stored upload of it, on Codat's clock) is not sent again; new names and newer versions are. The
# month-end job from a CSV is run twice after faults and stores every file exactly once; -Force, -SkipExisting and
# -WhatIf; warnings where the evidence is unclear.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile

    function Get-StoredNames {
        param($Company)
        @(Get-CodatFileList -CompanyId $Company.CompanyId @conn -ErrorAction Stop | ForEach-Object FileName | Sort-Object)
    }
    function Invoke-Summarized {
        <# Invoke-Capturing with the Information stream merged: Output keeps the results, Summary the call's summary. #>
        param([scriptblock] $ScriptBlock)
        $run = Invoke-Capturing { & $ScriptBlock 6>&1 }
        $records = @($run.Output | Where-Object { $_ -is [Management.Automation.InformationRecord] })
        $run.Output = @($run.Output | Where-Object { $_ -isnot [Management.Automation.InformationRecord] })
        $run | Add-Member -NotePropertyName Summary -NotePropertyValue @($records | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })[0].MessageData -PassThru
    }
    function Set-WrittenAt {
        param([IO.FileInfo] $File, [datetime] $Utc)
        $File.LastWriteTimeUtc = $Utc
        $File.Refresh()
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'The month-end job, run twice' {
    BeforeAll {
        # Three companies, each a folder of six invoices plus the clutter a month-end folder has.
        $companies = @(1..3 | ForEach-Object { New-TestCompany $emulator })
        $rows = for ($c = 0; $c -lt 3; $c++) {
            $folder = Join-Path $work.FullName "month-end/company$c"
            1..6 | ForEach-Object { New-TestFile -Directory $folder -Name "invoice-$_.pdf" -Length (700 + $_) | Out-Null }
            New-TestFile -Directory $folder -Name 'Thumbs.db' -Length 10 | Out-Null
            New-TestFile -Directory $folder -Name 'notes.txt' -Length 10 | Out-Null
            [pscustomobject]@{ Path = $folder; CompanyId = $companies[$c].CompanyId; ConnectionId = $companies[$c].ConnectionId }
        }
        $csv = Join-Path $work.FullName 'month-end.csv'
        $rows | Export-Csv -LiteralPath $csv -NoTypeInformation
        # The job, as the README gives it (without retries here, so each fault below fails its request).
        $monthEnd = { Import-Csv -LiteralPath $csv | Send-CodatFile -Recurse -Exclude Thumbs.db, *.txt -BatchSize 2 -MaximumRetryCount 0 @conn }

        # First run: four requests answered 503, and a fifth whose answer is lost after Codat stored its files.
        Add-TestFault $emulator -Operation 'upload-files' -Status 503 -Count 4
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'store-then-drop' -Count 1
        $first = Invoke-Summarized $monthEnd
        Clear-TestFault $emulator
        Clear-TestRequestLog $emulator

        $second = Invoke-Summarized { $VerbosePreference = 'Continue'; & $monthEnd }
        Clear-TestRequestLog $emulator

        $third = Invoke-Summarized $monthEnd
    }

    It 'fails the files of the refused requests on the first run, leaving out the clutter' {
        @($first.Errors).Count | Should -Be 8 -Because 'four requests of two files each'
        $first.Summary.FilesFailed | Should -Be 8
        $first.Summary.FilesDone | Should -Be 10 -Because 'the lost answer is found stored by the list at the end'
    }

    It 'sends only the failed files on the plain re-run, with no error, and says why for the rest' {
        $second.Errors | Should -BeNullOrEmpty
        $second.Warnings | Should -BeNullOrEmpty
        @($second.Output).Count | Should -Be 8
        $second.Summary.FilesDone | Should -Be 8
        $second.Summary.FilesUpToDate | Should -Be 10
        $second.Summary.FilesSkipped | Should -Be 0
        @($second.Verbose | Where-Object { $_ -match "^Skipping '.*invoice-\d\.pdf', already stored: company [0-9a-f-]{36} holds 'invoice-\d\.pdf' \(newest of 1 uploaded \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ on Codat's clock\)" }).Count |
            Should -Be 10
    }

    It 'ends with every invoice stored exactly once for each company' {
        foreach ($company in $companies) {
            Get-StoredNames $company | Should -Be @(1..6 | ForEach-Object { "invoice-$_.pdf" })
        }
    }

    It 'sends nothing at all on a third run: one list per company, no upload' {
        $third.Errors | Should -BeNullOrEmpty
        $third.Output | Should -BeNullOrEmpty
        $third.Summary.FilesUpToDate | Should -Be 18
        $third.Summary.Requests | Should -Be 3
        "$($third.Summary)" | Should -Match '(?m)^18 already stored, 0 skipped; 3 requests, 0 retries, '
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
    }
}

Describe 'A re-run after a crash' {
    It 'stores every file exactly once after kill -9 of pwsh in the middle of an upload' -Skip:$IsWindows {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName "killed-$(New-Guid)"
        $files = 1..30 | ForEach-Object { New-TestFile -Directory $dir -Name ('k{0:d2}.pdf' -f $_) -Length 20000 }
        # The child kills itself (SIGKILL, kill -9) at its first result: one batch at a time, so the rest is unsent.
        $script = @"
Import-Module '$((Get-Module CodatFiles).Path -replace "'", "''")'
`$key = ConvertTo-SecureString '$($emulator.ApiKey)' -AsPlainText -Force
Send-CodatFile -Path '$dir' -Recurse -CompanyId $($company.CompanyId) -ConnectionId $($company.ConnectionId) -ServerUrl '$($conn.ServerUrl)' -ApiKey `$key -BatchSize 1 -ThrottleLimit 1 |
    ForEach-Object { & kill -9 `$PID }
"@
        # The first uploads are held 2 s each, so the kill lands while one is held, however late a busy machine runs
        # the child's pipeline thread (unheld, all 30 were once stored before it ran). Held uploads are not stored
        # when the child dies: a delay fault waits before the body is read. The re-run takes what is left of them.
        Add-TestFault $emulator -Operation upload-files -Kind delay -DelayMs 2000 -Count 4
        Invoke-TestChildUntilKilled -Script $script -WorkDirectory $work.FullName | Should -Be 137 -Because 'the child was killed with SIGKILL'
        $storedBefore = @(Get-StoredNames $company).Count
        $storedBefore | Should -BeLessThan 30

        $r = Invoke-Capturing { Send-CodatFile -Path $dir -Recurse -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop -InformationAction Ignore }

        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 0
        $r.Warnings.Count | Should -Be 0
        @($r.Output).Count | Should -Be (30 - $storedBefore)
        Get-StoredNames $company | Should -Be @($files.Name | Sort-Object)
    }

    AfterEach { Clear-TestFault $emulator }
}

Describe 'Which files a re-run sends' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'sends a corrected file written after its upload, and skips an older different file of a stored name, saying so' {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName "correct-$(New-Guid)"
        $report = New-TestFile -Directory $dir -Name 'report.pdf' -Length 1000
        $statement = New-TestFile -Directory $dir -Name 'statement.pdf' -Length 1000
        Send-TestFile $emulator $company $report.FullName, $statement.FullName

        # A corrected report, saved a minute after its upload; an old statement from an archive folder.
        New-TestFile -Directory $dir -Name 'report.pdf' -Length 1500 | Out-Null
        Set-WrittenAt (Get-Item -LiteralPath $report.FullName) ([DateTime]::UtcNow.AddMinutes(1))
        $old = New-TestFile -Directory (Join-Path $dir 'archive') -Name 'statement.pdf' -Length 900
        Set-WrittenAt $old ([DateTime]::UtcNow.AddDays(-40))

        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $report.FullName, $old.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Verbose
        }

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).FullName | Should -Be @($report.FullName)
        @($run.Verbose | Where-Object { $_ -match "^Sending '.*report\.pdf' as a newer version" }).Count | Should -Be 1
        @($run.Verbose | Where-Object { $_ -like "Skipping '$($old.FullName)', already stored:*last written*-Force sends it anyway." }).Count | Should -Be 1
        Get-StoredNames $company | Should -Be @('report.pdf', 'report.pdf', 'statement.pdf')
    }

    It 'warns about each skipped file of a name the call holds more of than Codat stores' {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName "same-name-$(New-Guid)"
        $one = New-TestFile -Directory (Join-Path $dir 'invoices') -Name 'statement.pdf' -Length 100
        Send-TestFile $emulator $company $one.FullName
        $two = New-TestFile -Directory (Join-Path $dir 'archive') -Name 'statement.pdf' -Length 200
        Set-WrittenAt $two ([DateTime]::UtcNow.AddDays(-1))

        $run = Invoke-Capturing { Send-CodatFile -Path $dir -Recurse -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty
        $skipWarnings = @($run.Warnings | Where-Object { $_ -match 'was not sent: company .* holds 1 file named .statement\.pdf.* 2 local files of that name.*-Force' })
        $skipWarnings.Count | Should -Be 2
        @($skipWarnings | Where-Object { $_.Contains($one.FullName) }).Count | Should -Be 1
        @($skipWarnings | Where-Object { $_.Contains($two.FullName) }).Count | Should -Be 1
    }

    It 'compares on Codat''s clock: a file exported before its upload is stored, even with Codat''s clock 10 minutes behind' {
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName "skew-$(New-Guid)") -Name 'skewed.pdf' -Length 300
        try {
            Set-TestClock $emulator -Now ([DateTime]::UtcNow.AddMinutes(-10))
            Send-TestFile $emulator $company $file.FullName
            # Written locally just before the upload, so 10 minutes after it by Codat's upload time.
            $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }
        } finally { Set-TestClock $emulator -Now $null }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty
        Get-StoredNames $company | Should -Be @('skewed.pdf')
    }

    It 'matches a stored name in another Unicode normalization (macOS NFD) as the same name' {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName "nfd-$(New-Guid)"
        $composed = New-TestFile -Directory (Join-Path $dir 'a') -Name "caf$([char]0xE9).pdf" -Length 100
        Send-TestFile $emulator $company $composed.FullName
        $decomposed = New-TestFile -Directory (Join-Path $dir 'b') -Name "cafe$([char]0x301).pdf" -Length 100
        Set-WrittenAt $decomposed ([DateTime]::UtcNow.AddHours(-1))

        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $decomposed.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }

        $run.Output | Should -BeNullOrEmpty
        @(Get-StoredNames $company).Count | Should -Be 1
    }

    It '-Force sends every file again, and -SkipExisting skips a newer one with a warning' {
        $company = New-TestCompany $emulator
        $files = @(1..3 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName "force-$(New-Guid)") -Name "f$_.pdf" -Length 100 })
        Send-TestFile $emulator $company $files.FullName
        Clear-TestRequestLog $emulator

        $forced = Invoke-Capturing { Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Force }
        @($forced.Output).Count | Should -Be 3
        @(Get-StoredNames $company).Count | Should -Be 6

        Set-WrittenAt $files[0] ([DateTime]::UtcNow.AddMinutes(5))
        $strict = Invoke-Capturing { Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -SkipExisting }
        $strict.Output | Should -BeNullOrEmpty
        @($strict.Warnings | Where-Object { $_ -like "'$($files[0].FullName)' was not sent because of -SkipExisting, although it looks newer*" }).Count | Should -Be 1
        @(Get-StoredNames $company).Count | Should -Be 6
    }

    It 'refuses -Force with -SkipExisting before reading input' {
        $company = New-TestCompany $emulator
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $work.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Force -SkipExisting }
        $run.Thrown.FullyQualifiedErrorId | Should -Match '^CodatFiles\.ParameterConflict'
        $run.Thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 0
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
    }

    It 'reads a start list that breaks part-way again, since it keeps only names, counts and times' {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName "broken-list-$(New-Guid)"
        $kept = New-TestFile -Directory $dir -Name 'kept.pdf' -Length 100
        Send-TestFile $emulator $company $kept.FullName
        $new = New-TestFile -Directory $dir -Name 'new.pdf' -Length 100
        # The company's list: kept.pdf, then 3,000 made-up entries; the first answer breaks after 1,500 of them.
        Invoke-TestEmulatorControl $emulator -Method PUT -Path 'synthetic-list' -Body @{
            companyId = $company.CompanyId.ToString(); count = 3000; nameLength = 40; abortAfter = 1500 } | Out-Null
        Clear-TestRequestLog $emulator
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $kept.FullName, $new.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Verbose
        }

        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).FileName | Should -Be @('new.pdf')
        @($run.Verbose | Where-Object { $_ -match "^The list of company $($company.CompanyId) broke after some entries .*; listing it again\.$" }).Count | Should -Be 1
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 2
    }

    It '-WhatIf previews the sync: the stored file as skipped, the new one as an upload, one list and nothing sent' {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName "whatif-$(New-Guid)"
        $stored = New-TestFile -Directory $dir -Name 'stored.pdf' -Length 100
        $new = New-TestFile -Directory $dir -Name 'new.pdf' -Length 100
        Send-TestFile $emulator $company $stored.FullName
        Clear-TestRequestLog $emulator

        # "What if:" goes to the host only (not to a stream a redirection can catch).
        $lines = Get-TestHostOutput { Send-CodatFile -LiteralPath $stored.FullName, $new.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -WhatIf -InformationAction Ignore }

        @($lines | Where-Object { $_ -like "What if: Skipping '$($stored.FullName)': company $($company.CompanyId) already stores 'stored.pdf'*" }).Count | Should -Be 1
        @($lines | Where-Object { $_ -like 'What if: Performing the operation "Upload to Codat company*' -and $_ -like "*$($new.FullName)*" }).Count | Should -Be 1
        @($lines | Where-Object { $_ -like '*stored.pdf*' -and $_ -like '*Performing the operation*' }).Count | Should -Be 0
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 1
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
    }
}
