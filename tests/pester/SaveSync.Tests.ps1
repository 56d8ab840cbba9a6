# Save-CodatFiles as a sync: a re-run downloads only what the folder lacks (nothing at all on a night with nothing
# new), writes no error even under -ErrorAction Stop, keeps a touched file with a warning, and a run after a killed
# one (kill -9 during extraction) removes what that run left and completes.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile

    function New-Destination { Join-Path $work.FullName ('sync-' + [guid]::NewGuid().ToString('n').Substring(0, 8)) }

    # Files on two days (emulator clock), one of them on an odd second.
    $company = New-TestCompany $emulator
    $src = Join-Path $work.FullName 'src'
    $day1 = [datetime]::new(2024, 3, 5, 10, 0, 7, [DateTimeKind]::Utc)
    $day2 = [datetime]::new(2024, 3, 7, 10, 0, 0, [DateTimeKind]::Utc)
    $a = New-TestFile -Directory $src -Name 'a.pdf' -Length 700
    $b = New-TestFile -Directory $src -Name 'b.csv' -Length 800
    $c = New-TestFile -Directory $src -Name 'c.pdf' -Length 900
    Send-TestFile $emulator $company $a.FullName, $b.FullName -UploadedAt $day1
    Send-TestFile $emulator $company $c.FullName -UploadedAt $day2

    function Get-Downloads { @(Get-TestRequestLog $emulator -Operation 'download-files' | Where-Object companyId -EQ $args[0].ToString()) }

    # The leftovers of 'Leftovers of a crashed run' (the last Describe) are made here, first: the module removes one
    # only once it is 10 s old by creation and write time, and creation times cannot be set back on Linux, so they age
    # while the rest of the file runs and each of those tests waits only for what is left of 11 s (Wait-LeftoverAge).
    # Temporary files of the module's naming (stale) and files it must leave alone (kept), in a synced destination and
    # a staging folder.
    $crashed = @{ Destination = New-Destination; Staging = New-TestDirectory -Parent $work.FullName }
    $null = Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $crashed.Destination @conn -ErrorAction Stop -InformationAction Ignore
    $crashed.Stale = @(
        New-TestFile -Directory (Join-Path $crashed.Destination 'Accounting') -Name '.a.pdf.0123abcd.partial' -Length 10
        New-TestFile -Directory $crashed.Staging.FullName -Name ".$($company.CompanyId)_2024-03-05.zip.89abcdef.partial" -Length 10
    )
    $crashed.Kept = @(
        New-TestFile -Directory $crashed.Staging.FullName -Name '.someone-else.zip.0123abcd.partial' -Length 10
        New-TestFile -Directory $crashed.Destination -Name 'notes.partial' -Length 10
    )
    $crashed.Stale + $crashed.Kept | ForEach-Object { $_.LastWriteTime = (Get-Date).AddMinutes(-5) }

    # A download killed (kill -9) during extraction, by a child that kills itself as soon as the first file is written.
    $killed = @{ Company = New-TestCompany $emulator; Destination = New-Destination; Staging = New-TestDirectory -Parent $work.FullName }
    if (-not $IsWindows) {
        $killed.Files = 1..40 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName 'big') -Name ("f{0:d2}.pdf" -f $_) -Length 1MB }
        Send-TestFile $emulator $killed.Company $killed.Files.FullName
        $script = @"
Import-Module '$((Get-Module CodatFiles).Path -replace "'", "''")'
`$key = ConvertTo-SecureString '$($emulator.ApiKey)' -AsPlainText -Force
Save-CodatFiles -CompanyId $($killed.Company.CompanyId) -DestinationPath '$($killed.Destination)' -TemporaryPath '$($killed.Staging.FullName)' -ServerUrl '$($conn.ServerUrl)' -ApiKey `$key |
    ForEach-Object { & kill -9 `$PID }
"@
        $killed.ExitCode = Invoke-TestChildUntilKilled -Script $script -WorkDirectory $work.FullName
        # What the killed run left, as it left it.
        $killed.PartialArchives = @(Get-ChildItem -LiteralPath $killed.Staging.FullName -Force -Filter '.*.partial').Count
        $killed.FilesWritten = @(Get-TestFileTree $killed.Destination | Where-Object { $_ -notlike '*/.*' }).Count
    }
    $leftoversMadeAt = [Diagnostics.Stopwatch]::StartNew()

    function Wait-LeftoverAge {
        # 11 s after the last leftover was made: the module's 10 s, and a second to spare.
        $left = [TimeSpan]::FromSeconds(11) - $leftoversMadeAt.Elapsed
        if ($left -gt [TimeSpan]::Zero) { Start-Sleep -Milliseconds ([Math]::Ceiling($left.TotalMilliseconds)) }
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'The nightly re-run' {
    BeforeAll {
        $d = New-Destination
        $first = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d @conn -ErrorAction Stop -InformationAction Ignore)
        Clear-TestRequestLog $emulator
        $box = @{}
        $second = Invoke-Capturing {
            Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d @conn -ErrorAction Stop -Verbose -InformationVariable info -InformationAction Ignore
            $box.Info = $info
        }
        $secondSummary = @($box.Info | Where-Object Tags -Contains 'CodatFiles.Summary')[0].MessageData
        $secondLog = @(Get-TestRequestLog $emulator | Where-Object companyId -EQ $company.CompanyId.ToString())
    }

    It 'saves every file the first time' {
        $first.Count | Should -Be 3
    }

    It 'lists the company and makes no download request the second time' {
        @($secondLog | Where-Object operation -EQ 'download-files').Count | Should -Be 0
        @($secondLog | Where-Object operation -EQ 'list-files').Count | Should -BeGreaterThan 0
    }

    It 'writes no error and no warning under -ErrorAction Stop, and no file' {
        $second.Thrown | Should -BeNullOrEmpty
        $second.Errors.Count | Should -Be 0
        $second.Warnings.Count | Should -Be 0
        $second.Output.Count | Should -Be 0
    }

    It 'says in -Verbose which files are up to date, and counts them as up to date' {
        foreach ($name in 'a.pdf', 'b.csv', 'c.pdf') {
            $second.Verbose | Where-Object { $_ -like "*$name' is up to date*" } | Should -Not -BeNullOrEmpty
        }
        $secondSummary.FilesUpToDate | Should -Be 3
        $secondSummary.FilesSkipped | Should -Be 0
        "$secondSummary" | Should -Match '^Save-CodatFiles: 0 files done \(0 B\), 0 failed\.\r?\n3 up to date, 0 skipped; 1 request, '
        $secondSummary.FilesFailed | Should -Be 0
        $secondSummary.FilesDone | Should -Be 0
    }

    It 'downloads only the day that holds a new file' {
        $new = New-TestFile -Directory $src -Name 'new.pdf' -Length 321
        $day3 = [datetime]::new(2024, 3, 9, 8, 0, 0, [DateTimeKind]::Utc)
        $other = New-TestCompany $emulator
        Send-TestFile $emulator $other $a.FullName, $b.FullName -UploadedAt $day1
        Send-TestFile $emulator $other $new.FullName -UploadedAt $day3
        $od = New-Destination
        $null = Save-CodatFiles -CompanyId $other.CompanyId -Date $day1 -DestinationPath $od @conn -ErrorAction Stop -InformationAction Ignore
        Clear-TestRequestLog $emulator

        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $other.CompanyId -DestinationPath $od @conn -ErrorAction Stop -Verbose -InformationAction Ignore }

        $r.Errors.Count | Should -Be 0
        $r.Output.Name | Should -Be 'new.pdf'
        (Get-Downloads $other.CompanyId).Count | Should -Be 1
        $r.Verbose | Where-Object { $_ -like "Download files of company $($other.CompanyId) uploaded on 2024-03-09: starting*" } | Should -Not -BeNullOrEmpty
    }
}

Describe 'A local file with the stored name and another time' {
    It 'is kept with a warning naming it and -Force, not an error under -ErrorAction Stop; -Force replaces it' {
        $d = New-Destination
        $null = Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d @conn -ErrorAction Stop -InformationAction Ignore
        $touched = Join-Path $d 'Accounting/b.csv'
        Set-Content -LiteralPath $touched -Value 'edited locally'
        Clear-TestRequestLog $emulator

        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d @conn -ErrorAction Stop -InformationAction Ignore }

        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 0
        $r.Warnings | Should -HaveCount 1
        $r.Warnings[0] | Should -BeLike "*'$touched' was kept*-Force*"
        Get-Content -LiteralPath $touched | Should -Be 'edited locally'
        (Get-Downloads $company.CompanyId).Count | Should -Be 0

        $forced = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d -Force @conn -ErrorAction Stop -InformationAction Ignore)
        $forced.Name | Should -Be 'b.csv'
        Get-TestFileHash $touched | Should -Be (Get-TestFileHash $b.FullName)
        $forced[0].LastWriteTimeUtc | Should -Be $forced[0].Uploaded
        $forced[0].StoredName | Should -Be 'b.csv'
    }
}

Describe 'A folder per company' {
    BeforeAll {
        $one = New-TestCompany $emulator
        $two = New-TestCompany $emulator
        $same, $other = Send-TestSameNameFiles $emulator $one, $two $src -Name 'same.pdf'
    }

    It 'takes -DestinationPath from a CSV column, one folder per row, and re-runs with nothing to download' {
        $root = New-Destination
        $csv = Join-Path $work.FullName 'companies.csv'
        @(
            [pscustomobject]@{ CompanyId = $one.CompanyId; DestinationPath = (Join-Path $root 'one') }
            [pscustomobject]@{ CompanyId = $two.CompanyId; DestinationPath = (Join-Path $root 'two') }
        ) | Export-Csv -LiteralPath $csv

        $r = Invoke-Capturing { Import-Csv -LiteralPath $csv | Save-CodatFiles @conn -ErrorAction Stop -InformationAction Ignore }

        $r.Errors.Count | Should -Be 0
        Get-TestFileHash (Join-Path $root 'one/Accounting/same.pdf') | Should -Be (Get-TestFileHash $same.FullName)
        Get-TestFileHash (Join-Path $root 'two/Accounting/same.pdf') | Should -Be (Get-TestFileHash $other.FullName)
        Clear-TestRequestLog $emulator
        $again = Invoke-Capturing { Import-Csv -LiteralPath $csv | Save-CodatFiles @conn -ErrorAction Stop -InformationAction Ignore }
        $again.Errors.Count | Should -Be 0
        $again.Output.Count | Should -Be 0
        @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 0
    }

    It 'takes -DestinationPath from a script block run for each piped company' {
        $root = New-Destination
        $r = Invoke-Capturing { $one, $two | Save-CodatFiles -DestinationPath { Join-Path $root $_.CompanyId } @conn -ErrorAction Stop -InformationAction Ignore }

        $r.Errors.Count | Should -Be 0
        Get-TestFileTree $root | Should -Be (@("$($one.CompanyId)/Accounting/same.pdf", "$($two.CompanyId)/Accounting/same.pdf") | Sort-Object)
    }

    It 'fails only the row whose folder is a file, and saves the others' {
        $root = New-Destination
        $file = New-TestFile -Directory $root -Name 'not-a-folder' -Length 1
        $rows = @(
            [pscustomobject]@{ CompanyId = $one.CompanyId; DestinationPath = $file.FullName }
            [pscustomobject]@{ CompanyId = $two.CompanyId; DestinationPath = (Join-Path $root 'two') }
        )

        $r = Invoke-Capturing { $rows | Save-CodatFiles @conn -InformationAction Ignore }

        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.DestinationNotADirectory(,|$)'
        $r.Output.FullName | Should -Be (Join-Path $root 'two/Accounting/same.pdf')
    }
}

Describe 'Local names' {
    It 'saves a repeated name numbered, with StoredName and the mapping in -Verbose, and finds it again on the re-run' {
        $dup = New-TestCompany $emulator
        $null, $second = Send-TestSameNameFiles $emulator $dup $src
        $d = New-Destination

        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $dup.CompanyId -DestinationPath $d @conn -ErrorAction Stop -Verbose -InformationAction Ignore }

        $numbered = @($r.Output | Where-Object Name -EQ 'dup (2).pdf')
        $numbered | Should -HaveCount 1
        $numbered[0].StoredName | Should -Be 'dup.pdf'
        Get-TestFileHash $numbered[0].FullName | Should -Be (Get-TestFileHash $second.FullName)
        @($r.Output | Where-Object Name -EQ 'dup.pdf')[0].StoredName | Should -Be 'dup.pdf'
        $r.Verbose | Where-Object { $_ -like "Codat's 'Accounting/dup.pdf*' is saved as '*dup (2).pdf'*" } | Should -Not -BeNullOrEmpty

        $again = Invoke-Capturing { Save-CodatFiles -CompanyId $dup.CompanyId -DestinationPath $d @conn -ErrorAction Stop -InformationAction Ignore }
        $again.Output.Count | Should -Be 0
        $again.Warnings.Count | Should -Be 0
    }
}

Describe 'Leftovers of a crashed run' {
    # Last, so its leftovers (made in the file's BeforeAll) have aged while the other tests ran.
    It 'removes stale temporary files of the module in the destination and staging folder, and nothing else' {
        Wait-LeftoverAge
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $crashed.Destination -TemporaryPath $crashed.Staging.FullName @conn -ErrorAction Stop -Verbose -InformationAction Ignore }

        $r.Errors.Count | Should -Be 0
        $crashed.Stale | ForEach-Object { Test-Path -LiteralPath $_.FullName | Should -BeFalse }
        $crashed.Kept | ForEach-Object { Test-Path -LiteralPath $_.FullName | Should -BeTrue }
        @($r.Verbose | Where-Object { $_ -like "Removed '*left by an earlier run*" }).Count | Should -Be 2
    }

    It 'completes with no errors and leaves nothing hidden after kill -9 of pwsh during extraction' -Skip:$IsWindows {
        $killed.ExitCode | Should -Be 137 -Because 'the child was killed with SIGKILL'
        $killed.PartialArchives | Should -Be 1 -Because 'the killed run left its archive'
        $killed.FilesWritten | Should -BeLessThan 40

        Wait-LeftoverAge
        $d = $killed.Destination
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $killed.Company.CompanyId -DestinationPath $d -TemporaryPath $killed.Staging.FullName @conn -ErrorAction Stop -InformationAction Ignore }

        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 0
        $r.Warnings.Count | Should -Be 0
        Get-TestFileTree $d | Should -Be ($killed.Files | ForEach-Object { "Accounting/$($_.Name)" })
        @(Get-ChildItem -LiteralPath $killed.Staging.FullName -Force).Count | Should -Be 0
        foreach ($f in $killed.Files) { Get-TestFileHash (Join-Path $d "Accounting/$($f.Name)") | Should -Be (Get-TestFileHash $f.FullName) }
    }
}
