# Send-CodatFile's -Filter, -Include, -Exclude and wildcard -Path with -Recurse, judged against Get-ChildItem -File
# with the same arguments in a month-end tree (subfolders, Thumbs.db, notes.txt, PDFs, a folder named like a PDF,
# hidden files): the same files are sent, and files left out are neither errors nor counted.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile

    $tree = Join-Path $work.FullName 'month-end'
    foreach ($name in 'a.pdf', 'ledger.csv', 'notes.txt', 'Thumbs.db', '2024/b.pdf', '2024/notes.txt', '2024/q1/c.pdf',
        '2024/q1/D.PDF', '2024/q1/Thumbs.db', 'archive.pdf/x.csv', 'archive.pdf/deeper/y.pdf', '.hidden/h.pdf', '.x.pdf') {
        $parts = $name.Split('/')
        $folder = if ($parts.Count -gt 1) { Join-Path $tree ($parts[0..($parts.Count - 2)] -join '/') } else { $tree }
        New-TestFile -Directory $folder -Name $parts[-1] -Length 200 | Out-Null
    }

    function Send-Compared {
        # Sends with the given arguments to a fresh company; returns the sent and the Get-ChildItem -File paths
        # (sorted), the errors, the verbose lines and the call's summary.
        param([hashtable] $Arguments)
        $company = New-TestCompany $emulator
        $box = @{}
        $r = Invoke-Capturing {
            Send-CodatFile @Arguments -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Verbose -InformationVariable info -WarningAction SilentlyContinue
            $box.Info = $info
        }
        $listed = @(Get-ChildItem @Arguments -File -ErrorAction SilentlyContinue)
        [pscustomobject]@{
            Sent     = @($r.Output.FullName | Sort-Object)
            Expected = @($listed.FullName | Sort-Object)
            Errors   = $r.Errors
            Verbose  = $r.Verbose
            Summary  = @($box.Info | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })[0].MessageData
            Company  = $company.CompanyId
        }
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Send-CodatFile finds what Get-ChildItem finds' {
    It 'sends the PDFs of every subfolder for a wildcard -Path with -Recurse' {
        $r = Send-Compared @{ Path = "$tree/*.pdf"; Recurse = $true }
        $r.Expected.Count | Should -Be 5 # a, b, c, D.PDF and archive.pdf/deeper/y.pdf; not archive.pdf's x.csv
        $r.Sent | Should -Be $r.Expected
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'leaves out Thumbs.db and the notes with -Exclude, without errors' {
        $r = Send-Compared @{ Path = $tree; Recurse = $true; Exclude = 'Thumbs.db', '*.txt' }
        $r.Expected.Count | Should -Be 7
        $r.Sent | Should -Be $r.Expected
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'takes only the -Include patterns in a tree' {
        $r = Send-Compared @{ Path = $tree; Recurse = $true; Include = '*.pdf', '*.CSV' }
        $r.Expected.Count | Should -Be 7
        $r.Sent | Should -Be $r.Expected
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'applies -Filter in every subfolder, case-insensitively' {
        $r = Send-Compared @{ Path = $tree; Recurse = $true; Filter = '*.pdf' }
        $r.Expected.Count | Should -Be 5
        $r.Sent | Should -Be $r.Expected
    }

    It 'applies -Filter with -LiteralPath and -Recurse' {
        $r = Send-Compared @{ LiteralPath = $tree; Recurse = $true; Filter = '*.csv' }
        $r.Expected.Count | Should -Be 2
        $r.Sent | Should -Be $r.Expected
    }

    It 'combines -Filter with -Include, and a wildcard path with -Exclude' {
        $both = Send-Compared @{ Path = $tree; Recurse = $true; Filter = '*.pdf'; Include = 'c*', 'y*' }
        $both.Sent | Should -Be $both.Expected
        $both.Sent.Count | Should -Be 2

        $wildcard = Send-Compared @{ Path = "$tree/*.pdf"; Recurse = $true; Exclude = 'c*', 'x*' }
        $wildcard.Sent | Should -Be $wildcard.Expected
        $wildcard.Sent.Count | Should -Be 4
    }

    It 'does not search a wildcard''s last part in subfolders when -Include is given, as Get-ChildItem' {
        $r = Send-Compared @{ Path = "$tree/*.pdf"; Recurse = $true; Include = 'b*' }
        $r.Expected.Count | Should -Be 0
        $r.Sent | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'filters the files and folders a wildcard names without -Recurse, with no error for a folder left out' {
        $r = Send-Compared @{ Path = "$tree/*"; Include = '*.pdf', '*.csv'; Exclude = 'archive*' }
        $r.Expected.Count | Should -Be 2
        $r.Sent | Should -Be $r.Expected
        $r.Errors | Should -BeNullOrEmpty
    }
}

Describe 'Files left out by a filter' {
    It 'are not errors nor counted, are named with folder and company in -Verbose, and do not stop a Stop run' {
        $company = New-TestCompany $emulator
        $box = @{}
        $r = Invoke-Capturing {
            Send-CodatFile -Path $tree -Recurse -Exclude Thumbs.db, *.txt -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId `
                @conn -WhatIf -Verbose -ErrorAction Stop -InformationVariable info -WarningAction SilentlyContinue
            $box.Info = $info
        }
        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
        $summary = @($box.Info | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })[0].MessageData
        $summary.FilesSkipped | Should -Be 7 # the -WhatIf declines, and only those
        $summary.FilesFailed | Should -Be 0
        $note = @($r.Verbose | Where-Object { $_ -like '*left out by -Exclude*' })
        $note.Count | Should -Be 1
        $note[0] | Should -BeLike "*4 files left out*"
        $note[0] | Should -BeLike "*'Thumbs.db' in $tree*"
        $note[0] | Should -BeLike "*company $($company.CompanyId)*"
        @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object companyId -EQ $company.CompanyId).Count | Should -Be 0
    }

    It 'without a filter, the same tree still reports the files Codat does not accept' {
        $r = Send-Compared @{ Path = $tree; Recurse = $true }
        @($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'CodatFiles.FileTypeNotAllowed*' }).Count | Should -Be 4
        $r.Summary.FilesFailed | Should -Be 4
        $notes = @($r.Errors | Where-Object { $_.TargetObject.FullName -eq (Join-Path $tree 'notes.txt') })
        "$($notes[0])" | Should -BeLike "'notes.txt' in $tree for company $($r.Company) has a type Codat does not accept*"
    }
}
