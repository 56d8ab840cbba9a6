# Save-CodatFiles: downloads a company's files and extracts them as <SourceType>/<FileName>, byte for byte;
# -Date, -AsArchive, -Force, -WhatIf, and piping Get-CodatFileList (one download per day).
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

    function New-Destination { Join-Path $work.FullName ('dest-' + [guid]::NewGuid().ToString('n').Substring(0, 8)) }

    # Company with three files of different types, uploaded now.
    $company = New-TestCompany $emulator
    $src = Join-Path $work.FullName 'src'
    $sources = @(
        New-TestFile -Directory $src -Name 'invoice.pdf' -Length 4096
        New-TestFile -Directory $src -Name 'ledger.csv' -Length 1500
        New-TestFile -Directory $src -Name 'scan[1].png' -Length 9000
    )
    Send-TestFile $emulator $company $sources.FullName

    # Company with files on two days (emulator clock): 2024-03-05 two PDFs and a CSV, 2024-03-07 one PDF.
    $dated = New-TestCompany $emulator
    $day1 = [datetime]::new(2024, 3, 5, 10, 0, 0, [DateTimeKind]::Utc)
    $day2 = [datetime]::new(2024, 3, 7, 10, 0, 0, [DateTimeKind]::Utc)
    $d1a = New-TestFile -Directory $src -Name 'day1-a.pdf' -Length 700
    $d1b = New-TestFile -Directory $src -Name 'day1-b.pdf' -Length 800
    $d1c = New-TestFile -Directory $src -Name 'day1-c.csv' -Length 900
    $d2a = New-TestFile -Directory $src -Name 'day2-a.pdf' -Length 1000
    Send-TestFile $emulator $dated $d1a.FullName, $d1b.FullName, $d1c.FullName -UploadedAt $day1
    Send-TestFile $emulator $dated $d2a.FullName -UploadedAt $day2
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Save-CodatFiles round trip' {
    BeforeAll {
        $dest = Join-Path (New-Destination) 'nested/deeper'
        $output = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -ErrorAction Stop)
    }

    It 'creates the missing destination folder' {
        Test-Path -LiteralPath $dest -PathType Container | Should -BeTrue
    }

    It 'extracts as <SourceType>/<FileName>' {
        Get-TestFileTree $dest | Should -Be @('Accounting/invoice.pdf', 'Accounting/ledger.csv', 'Accounting/scan[1].png')
    }

    It 'writes every byte as uploaded' {
        foreach ($f in $sources) {
            Get-TestFileHash (Join-Path $dest "Accounting/$($f.Name)") | Should -Be (Get-TestFileHash $f.FullName)
        }
    }

    It 'outputs one FileInfo per written file' {
        $output.Count | Should -Be 3
        $output | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }
        ($output.Name | Sort-Object) | Should -Be @('invoice.pdf', 'ledger.csv', 'scan[1].png')
        $output | ForEach-Object { Test-Path -LiteralPath $_.FullName | Should -BeTrue }
    }

    It 'works with a relative -DestinationPath' {
        $parent = New-Destination
        New-Item -ItemType Directory -Path $parent | Out-Null
        Push-Location -LiteralPath $parent
        try { $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath 'rel' @conn) } finally { Pop-Location }
        $out.Count | Should -Be 3
        Test-Path -LiteralPath (Join-Path $parent 'rel/Accounting/invoice.pdf') | Should -BeTrue
    }

    It 'resolves a -DestinationPath on a PowerShell drive' {
        $parent = New-Destination
        New-Item -ItemType Directory -Path $parent | Out-Null
        New-PSDrive -Name CodatSaveDrive -PSProvider FileSystem -Root $parent | Out-Null
        try { $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath 'CodatSaveDrive:/viadrive' @conn) } finally { Remove-PSDrive -Name CodatSaveDrive }
        $out.Count | Should -Be 3
        Get-TestFileHash (Join-Path $parent 'viadrive/Accounting/invoice.pdf') | Should -Be (Get-TestFileHash $sources[0].FullName)
    }

    It 'takes CompanyId by property name from any piped object and saves every file' {
        $d = New-Destination
        $out = @([pscustomobject]@{ CompanyId = $company.CompanyId } | Save-CodatFiles -DestinationPath $d @conn)
        $out.Count | Should -Be 3
        Get-TestFileTree $d | Should -Be @('Accounting/invoice.pdf', 'Accounting/ledger.csv', 'Accounting/scan[1].png')
    }

    It 'writes nothing for a company without files' {
        $empty = New-TestCompany $emulator
        $d = New-Destination
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $empty.CompanyId -DestinationPath $d @conn }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
        Get-TestFileTree $d | Should -BeNullOrEmpty
    }
}

Describe 'Save-CodatFiles -AsArchive' {
    It 'saves the zip itself, with <SourceType>/<FileName> entries holding the uploaded bytes' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d -AsArchive @conn -ErrorAction Stop)
        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType ([IO.FileInfo])
        $out[0].Extension | Should -Be '.zip'
        $out[0].DirectoryName | Should -Be (Get-Item -LiteralPath $d).FullName
        @(Get-TestFileTree $d).Count | Should -Be 1 -Because 'only the archive is written, nothing extracted'
        $zip = [IO.Compression.ZipFile]::OpenRead($out[0].FullName)
        try {
            ($zip.Entries.FullName | Sort-Object) | Should -Be @('Accounting/invoice.pdf', 'Accounting/ledger.csv', 'Accounting/scan[1].png')
            $entry = $zip.GetEntry('Accounting/invoice.pdf')
            $stream = $entry.Open(); $ms = [IO.MemoryStream]::new()
            try { $stream.CopyTo($ms) } finally { $stream.Dispose() }
            [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($ms.ToArray())) | Should -Be (Get-TestFileHash $sources[0].FullName)
        } finally { $zip.Dispose() }
    }
}

Describe 'Save-CodatFiles -AsArchive -Date' {
    It 'names the archive companyId_yyyy-MM-dd.zip and holds only that day''s files' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $dated.CompanyId -Date $day1 -DestinationPath $d -AsArchive @conn -ErrorAction Stop)
        $out.Count | Should -Be 1
        $out[0].Name | Should -Be "$($dated.CompanyId)_2024-03-05.zip"
        $zip = [IO.Compression.ZipFile]::OpenRead($out[0].FullName)
        try { ($zip.Entries.FullName | Sort-Object) | Should -Be @('Accounting/day1-a.pdf', 'Accounting/day1-b.pdf', 'Accounting/day1-c.csv') } finally { $zip.Dispose() }
    }
}

Describe 'Save-CodatFiles existing files and -Force' {
    BeforeEach {
        $d = New-Destination
        $existing = New-TestFile -Directory (Join-Path $d 'Accounting') -Name 'invoice.pdf' -Length 10
        # Not the upload time: a file written in the upload's second would be taken for the saved one.
        $existing.LastWriteTimeUtc = [datetime]::UtcNow.AddDays(-1)
        $existingHash = Get-TestFileHash $existing.FullName
    }

    It 'keeps a file with another time without -Force: a warning naming it and -Force, no error, the others written' {
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d @conn -ErrorAction Stop }
        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 0
        $r.Warnings.Count | Should -Be 1
        $r.Warnings[0] | Should -BeLike "*'$($existing.FullName)' was kept*-Force*"
        Get-TestFileHash $existing.FullName | Should -Be $existingHash
        ($r.Output.Name | Sort-Object) | Should -Be @('ledger.csv', 'scan[1].png')
        Get-TestFileHash (Join-Path $d 'Accounting/ledger.csv') | Should -Be (Get-TestFileHash $sources[1].FullName)
    }

    It 'overwrites with -Force' {
        $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d -Force @conn -ErrorAction Stop)
        $out.Count | Should -Be 3
        Get-TestFileHash $existing.FullName | Should -Be (Get-TestFileHash $sources[0].FullName)
    }

    It 'does not overwrite an existing archive without -Force' {
        $first = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d -AsArchive @conn -ErrorAction Stop)
        $first.Count | Should -Be 1
        $before = Get-TestFileHash $first[0].FullName
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d -AsArchive @conn }
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.FileExists(,|$)'
        Get-TestFileHash $first[0].FullName | Should -Be $before
    }
}

Describe 'Save-CodatFiles -WhatIf and -Confirm' {
    It '-WhatIf writes nothing and downloads nothing' {
        $d = New-Destination
        Clear-TestRequestLog $emulator
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d @conn -WhatIf }
        $r.Output | Should -BeNullOrEmpty
        $r.Thrown | Should -BeNullOrEmpty
        Get-TestFileTree $d | Should -BeNullOrEmpty
        Test-Path -LiteralPath $d | Should -BeFalse -Because '-WhatIf does not create the destination folder either'
        @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 0
    }

    It '-Confirm:$false writes' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $d @conn -Confirm:$false)
        $out.Count | Should -Be 3
    }
}

Describe 'Save-CodatFiles -Date' {
    It 'writes only the files uploaded on that UTC day' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $dated.CompanyId -Date $day1 -DestinationPath $d @conn -ErrorAction Stop)
        ($out.Name | Sort-Object) | Should -Be @('day1-a.pdf', 'day1-b.pdf', 'day1-c.csv')
        Get-TestFileTree $d | Should -Be @('Accounting/day1-a.pdf', 'Accounting/day1-b.pdf', 'Accounting/day1-c.csv')
    }

    It 'takes a date without time' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $dated.CompanyId -Date '2024-03-07' -DestinationPath $d @conn -ErrorAction Stop)
        $out.Name | Should -Be 'day2-a.pdf'
        Get-TestFileHash (Join-Path $d 'Accounting/day2-a.pdf') | Should -Be (Get-TestFileHash $d2a.FullName)
    }

    It 'writes nothing for a day without uploads' {
        $d = New-Destination
        $verbose = $null
        $out = @(Save-CodatFiles -CompanyId $dated.CompanyId -Date '2024-03-06' -DestinationPath $d @conn -Verbose 4>&1 |
                Tee-Object -Variable verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $out.Count | Should -Be 0
        Get-TestFileTree $d | Should -BeNullOrEmpty
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'no files uploaded on 2024-03-06' }).Count |
            Should -Be 1 -Because 'an empty result says why'
    }
}

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

Describe 'Save-CodatFiles per-company errors' {
    It 'reports an unknown piped company and still saves the next one' {
        $d = New-Destination
        $unknown = [guid]::NewGuid()
        $r = Invoke-Capturing { [pscustomobject]@{ CompanyId = $unknown }, [pscustomobject]@{ CompanyId = $company.CompanyId } | Save-CodatFiles -DestinationPath $d @conn -MaximumRetryCount 0 }
        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.CompanyNotFound(,|$)'
        "$($r.Errors[0].TargetObject)" | Should -Be $unknown.ToString()
        $r.Output.Count | Should -Be 3
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

Describe 'Save-CodatFiles leaves no folder it created when nothing was saved' {
    It 'an unknown company: the error, and no destination folder' {
        $d = Join-Path (New-Destination) 'nested'
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId ([guid]::NewGuid()) -DestinationPath $d @conn -MaximumRetryCount 0 }
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.CompanyNotFound(,|$)'
        Test-Path -LiteralPath (Split-Path -Parent $d) | Should -BeFalse -Because 'the call created both folders and saved nothing'
    }

    It 'an unknown company with -AsArchive: no destination folder' {
        $d = New-Destination
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId ([guid]::NewGuid()) -DestinationPath $d -AsArchive @conn -MaximumRetryCount 0 }
        $r.Errors.Count | Should -Be 1
        Test-Path -LiteralPath $d | Should -BeFalse
    }

    It 'keeps a folder that existed before' {
        $d = New-Destination
        New-Item -ItemType Directory -Path $d | Out-Null
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId ([guid]::NewGuid()) -DestinationPath $d @conn -MaximumRetryCount 0 }
        $r.Errors.Count | Should -Be 1
        Test-Path -LiteralPath $d -PathType Container | Should -BeTrue
    }

    It 'a stopped download: no destination folder' {
        Add-TestFault $emulator -Operation 'download-files' -Kind 'delay' -DelayMs 5000
        Clear-TestRequestLog $emulator
        $d = New-Destination
        $ps = [powershell]::Create()
        try {
            $ps.AddCommand('Import-Module').AddParameter('Name', (Get-TestModulePath)).AddParameter('ErrorAction', 'Stop').Invoke() | Out-Null
            $ps.Commands.Clear()
            $ps.AddCommand('Save-CodatFiles').AddParameter('CompanyId', $company.CompanyId).AddParameter('DestinationPath', $d).AddParameters($conn) | Out-Null
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-TestRequestLog $emulator -Operation 'download-files').Count -eq 0 -and [DateTime]::UtcNow -lt $deadline -and -not $async.IsCompleted) {
                Start-Sleep -Milliseconds 50
            }
            @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 1 -Because 'the download is under way when stopped'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Test-Path -LiteralPath $d | Should -BeFalse
        } finally {
            $ps.Dispose()
            Clear-TestFault $emulator
        }
    }
}

Describe 'Save-CodatFiles -Date kinds' {
    It 'takes a Utc DateTime as its UTC day' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $dated.CompanyId -Date ([datetime]::new(2024, 3, 5, 23, 30, 0, [DateTimeKind]::Utc)) -DestinationPath $d @conn -ErrorAction Stop)
        ($out.Name | Sort-Object) | Should -Be @('day1-a.pdf', 'day1-b.pdf', 'day1-c.csv')
    }

    It 'takes an Unspecified DateTime as the calendar date written' {
        $d = New-Destination
        $out = @(Save-CodatFiles -CompanyId $dated.CompanyId -Date ([datetime]::new(2024, 3, 7, 0, 30, 0, [DateTimeKind]::Unspecified)) -DestinationPath $d @conn -ErrorAction Stop)
        $out.Name | Should -Be 'day2-a.pdf'
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
