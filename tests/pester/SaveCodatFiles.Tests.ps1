# Save-CodatFiles: downloads a company's files and extracts them as <SourceType>/<FileName>, byte for byte;
# -Date and its kinds, -AsArchive, -Force, -WhatIf, per-company errors, no folder left when nothing was saved.
# Across days, companies and uploads of one name: SaveCodatFilesAcross.Tests.ps1.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # $company (three files uploaded now), $dated (files on 2024-03-05 and 2024-03-07) and New-Destination.
    . (Join-Path $PSScriptRoot 'SaveFixture.ps1')
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
