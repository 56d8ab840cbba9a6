# Save-CodatFiles across days, companies and uploads of one name: Get-CodatFileList piped in (one download per
# day and company), two uploads of one name, one name uploaded on several days, two companies saving one name
# into one folder.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # $company (three files uploaded now), $dated (files on 2024-03-05 and 2024-03-07) and New-Destination.
    . (Join-Path $PSScriptRoot 'SaveFixture.ps1')
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Get-CodatFileList | Save-CodatFiles' {
    It 'writes only the piped files, downloading each needed day once' {
        $d = New-Destination
        Clear-TestRequestLog $emulator
        $out = @(Get-CodatFileList -CompanyId $dated.CompanyId -Name '*.pdf' @conn | Save-CodatFiles -DestinationPath $d @conn -ErrorAction Stop)
        ($out.Name | Sort-Object) | Should -Be @('day1-a.pdf', 'day1-b.pdf', 'day2-a.pdf')
        Get-TestFileTree $d | Should -Be @('Accounting/day1-a.pdf', 'Accounting/day1-b.pdf', 'Accounting/day2-a.pdf')
        foreach ($f in $d1a, $d1b, $d2a) {
            Get-TestFileHash (Join-Path $d "Accounting/$($f.Name)") | Should -Be (Get-TestFileHash $f.FullName)
        }
        @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 2
    }

    It 'writes a single piped file with brackets in its name' {
        $d = New-Destination
        $out = @(Get-CodatFileList -CompanyId $company.CompanyId -Name 'scan`[1`].png' @conn | Save-CodatFiles -DestinationPath $d @conn -ErrorAction Stop)
        $out.Name | Should -Be 'scan[1].png'
        Get-TestFileTree $d | Should -Be @('Accounting/scan[1].png')
    }

    It 'honours -WhatIf for piped files' {
        $d = New-Destination
        Clear-TestRequestLog $emulator
        $out = @(Get-CodatFileList -CompanyId $dated.CompanyId @conn | Save-CodatFiles -DestinationPath $d @conn -WhatIf)
        $out.Count | Should -Be 0
        Get-TestFileTree $d | Should -BeNullOrEmpty
        @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 0
    }
}

Describe 'Save-CodatFiles with two uploads of the same name' {
    BeforeAll {
        $dup = New-TestCompany $emulator
        $first, $second = Send-TestSameNameFiles $emulator $dup $src
    }

    It 'saves both, the second as "dup (2).pdf" as in the archive' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $dup.CompanyId -DestinationPath $d @conn -ErrorAction Stop)
        $out.Count | Should -Be 2
        Get-TestFileTree $d | Should -Be @('Accounting/dup (2).pdf', 'Accounting/dup.pdf')
        Get-TestFileHash (Join-Path $d 'Accounting/dup.pdf') | Should -Be (Get-TestFileHash $first.FullName)
        Get-TestFileHash (Join-Path $d 'Accounting/dup (2).pdf') | Should -Be (Get-TestFileHash $second.FullName)
    }

    It 'saves both when they are piped from Get-CodatFileList' {
        $d = New-Destination
        $listed = @(Get-CodatFileList -CompanyId $dup.CompanyId @conn)
        $listed.Count | Should -Be 2
        $r = Invoke-Capturing { $listed | Save-CodatFiles -DestinationPath $d @conn }
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.Count | Should -Be 2
        Get-TestFileTree $d | Should -Be @('Accounting/dup (2).pdf', 'Accounting/dup.pdf')
        Get-TestFileHash (Join-Path $d 'Accounting/dup.pdf') | Should -Be (Get-TestFileHash $first.FullName)
        Get-TestFileHash (Join-Path $d 'Accounting/dup (2).pdf') | Should -Be (Get-TestFileHash $second.FullName)
    }
}

Describe 'Get-CodatFileList | Save-CodatFiles across companies and with existing files' {
    It 'downloads once per company and day' {
        $d = New-Destination
        Clear-TestRequestLog $emulator
        $listed = @(Get-CodatFileList -CompanyId $company.CompanyId -Name '*.pdf' @conn) + @(Get-CodatFileList -CompanyId $dated.CompanyId -Name 'day2*' @conn)
        $out = @($listed | Save-CodatFiles -DestinationPath $d @conn -ErrorAction Stop)
        ($out.Name | Sort-Object) | Should -Be @('day2-a.pdf', 'invoice.pdf')
        $downloads = @(Get-TestRequestLog $emulator -Operation 'download-files')
        $downloads.Count | Should -Be 2
        ($downloads.companyId | Sort-Object) | Should -Be (@($company.CompanyId.ToString(), $dated.CompanyId.ToString()) | Sort-Object)
    }

    It 'keeps the piped file that exists with a warning, and saves the others' {
        $d = New-Destination
        $existing = New-TestFile -Directory (Join-Path $d 'Accounting') -Name 'day1-a.pdf' -Length 5
        $existing.LastWriteTimeUtc = [datetime]::UtcNow.AddDays(-1)
        $before = Get-TestFileHash $existing.FullName
        $r = Invoke-Capturing { Get-CodatFileList -CompanyId $dated.CompanyId -Name 'day1*' @conn | Save-CodatFiles -DestinationPath $d @conn -ErrorAction Stop }
        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 0
        $r.Warnings | Should -HaveCount 1
        $r.Warnings[0] | Should -BeLike "*'$($existing.FullName)' was kept*"
        Get-TestFileHash $existing.FullName | Should -Be $before
        ($r.Output.Name | Sort-Object) | Should -Be @('day1-b.pdf', 'day1-c.csv')
    }
}

Describe 'Save-CodatFiles with one name uploaded on several days' {
    BeforeAll {
        # v.csv three times: twice on 2024-03-05, once on 2024-03-06. The whole-company archive names them
        # v.csv, v (2).csv, v (3).csv; each day's archive numbers its own repeats from 1 again.
        $multi = New-TestCompany $emulator
        $versions = 1..3 | ForEach-Object { New-TestFile -Directory (Join-Path $src "v$_") -Name 'v.csv' -Length (300 * $_) }
        $times = [datetime]::new(2024, 3, 5, 10, 0, 0, [DateTimeKind]::Utc), [datetime]::new(2024, 3, 5, 11, 0, 0, [DateTimeKind]::Utc), [datetime]::new(2024, 3, 6, 9, 0, 0, [DateTimeKind]::Utc)
        for ($i = 0; $i -lt 3; $i++) {
            Send-TestFile $emulator $multi $versions[$i].FullName -UploadedAt $times[$i]
        }
        $expectedTree = @('Accounting/v (2).csv', 'Accounting/v (3).csv', 'Accounting/v.csv')

        function Assert-AllVersionsSaved([string] $Destination) {
            Get-TestFileTree $Destination | Should -Be $expectedTree
            Get-TestFileHash (Join-Path $Destination 'Accounting/v.csv') | Should -Be (Get-TestFileHash $versions[0].FullName)
            Get-TestFileHash (Join-Path $Destination 'Accounting/v (2).csv') | Should -Be (Get-TestFileHash $versions[1].FullName)
            Get-TestFileHash (Join-Path $Destination 'Accounting/v (3).csv') | Should -Be (Get-TestFileHash $versions[2].FullName)
        }

        function Get-WhatIfLine([scriptblock] $ScriptBlock) {
            # "What if:" goes to the host only (not to a stream a redirection can catch).
            Get-TestHostOutput $ScriptBlock | Where-Object { $_ -like 'What if: *' }
        }
    }

    It 'piped from Get-CodatFileList: saves every version under its whole-archive name, one download per day' {
        $d = New-Destination
        Clear-TestRequestLog $emulator
        $r = Invoke-Capturing { Get-CodatFileList -CompanyId $multi.CompanyId @conn | Save-CodatFiles -DestinationPath $d @conn }
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.Count | Should -Be 3
        Assert-AllVersionsSaved $d
        @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 2
    }

    It 'gives -Date''s files their whole-archive names too' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $multi.CompanyId -Date '2024-03-06' -DestinationPath $d @conn -ErrorAction Stop)
        $out.Name | Should -Be 'v (3).csv'
        Get-TestFileHash (Join-Path $d 'Accounting/v (3).csv') | Should -Be (Get-TestFileHash $versions[2].FullName)
    }

    It 'saves each file once, with one download, when the whole archive and piped files are in one call (<Order>)' -TestCases @(
        @{ Order = 'files first' }, @{ Order = 'whole archive first' }
    ) {
        $d = New-Destination
        $listed = @(Get-CodatFileList -CompanyId $multi.CompanyId @conn)
        $whole = [pscustomobject]@{ CompanyId = $multi.CompanyId }
        $inputs = if ($Order -eq 'files first') { $listed + $whole } else { @($whole) + $listed }
        Clear-TestRequestLog $emulator
        $r = Invoke-Capturing { $inputs | Save-CodatFiles -DestinationPath $d @conn }
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.Count | Should -Be 3
        Assert-AllVersionsSaved $d
        @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 1
    }

    It '-WhatIf names each piped file''s own target once' {
        $d = New-Destination
        $lines = @(Get-WhatIfLine { Get-CodatFileList -CompanyId $multi.CompanyId @conn | Save-CodatFiles -DestinationPath $d @conn -WhatIf })
        $lines.Count | Should -Be 3
        foreach ($name in 'v.csv', 'v (2).csv', 'v (3).csv') {
            $target = [IO.Path]::Combine($d, 'Accounting', $name)
            @($lines | Where-Object { $_.EndsWith("on target `"$target`".") }).Count | Should -Be 1 -Because "$name is one target"
        }
    }

    It '-AsArchive -WhatIf asks once per archive, not once per piped file' {
        $d = New-Destination
        $lines = @(Get-WhatIfLine { Get-CodatFileList -CompanyId $multi.CompanyId @conn | Save-CodatFiles -DestinationPath $d -AsArchive @conn -WhatIf })
        $lines.Count | Should -Be 2
        @($lines | Where-Object { $_ -like "*$($multi.CompanyId)_2024-03-05.zip*" }).Count | Should -Be 1
        @($lines | Where-Object { $_ -like "*$($multi.CompanyId)_2024-03-06.zip*" }).Count | Should -Be 1
    }

    It '-AsArchive with piped files saves each day''s zip once' {
        $d = New-Destination
        $r = Invoke-Capturing { Get-CodatFileList -CompanyId $multi.CompanyId @conn | Save-CodatFiles -DestinationPath $d -AsArchive @conn }
        $r.Errors | Should -BeNullOrEmpty
        ($r.Output.Name | Sort-Object) | Should -Be @("$($multi.CompanyId)_2024-03-05.zip", "$($multi.CompanyId)_2024-03-06.zip")
    }
}

Describe 'Save-CodatFiles with two companies saving the same name into one folder' {
    It 'keeps the file saved first, even with -Force, and reports the second as CodatFiles.CompanyNameClash' {
        $a = New-TestCompany $emulator
        $b = New-TestCompany $emulator
        $fa, $fb = Send-TestSameNameFiles $emulator $a, $b $src -Name 'same.pdf'
        $d = New-Destination
        $r = Invoke-Capturing { [pscustomobject]@{ CompanyId = $a.CompanyId }, [pscustomobject]@{ CompanyId = $b.CompanyId } | Save-CodatFiles -DestinationPath $d -Force @conn }
        $r.Output.Count | Should -Be 1
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.CompanyNameClash(,|$)'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        # The two downloads run at once: either company's file may be the one saved first.
        $r.Errors[0].ToString() | Should -BeLike "*of company * was not saved: this command saved company *'s file of that name to*"
        $r.Errors[0].ToString() | Should -BeLike "*$($a.CompanyId)*"
        $r.Errors[0].ToString() | Should -BeLike "*$($b.CompanyId)*"
        $r.Errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*own folder*'
        Get-TestFileHash (Join-Path $d 'Accounting/same.pdf') | Should -BeIn @((Get-TestFileHash $fa.FullName), (Get-TestFileHash $fb.FullName))
    }
}
