# Send-CodatFile as a user sees it: real files uploaded to the emulator and checked byte for byte after a download,
# path binding (wildcards, pipeline strings, FileInfo, -LiteralPath with brackets), batching. Its checks and refusals:
# SendCodatFileChecks.Tests.ps1.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Send-CodatFile happy path' {
    BeforeAll {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName 'happy'
        $pdf = New-TestFile -Directory $dir -Name 'invoice.pdf' -Length 5000
        $csv = New-TestFile -Directory $dir -Name 'ledger.csv' -Length 3000
        $png = New-TestFile -Directory $dir -Name 'scan.png' -Length 7000
        $started = [DateTimeOffset]::UtcNow.AddSeconds(-5)
        $results = @(Send-CodatFile -Path $pdf.FullName, $csv.FullName, $png.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop)
    }

    It 'returns one typed result per file' {
        $results.Count | Should -Be 3
        $results | ForEach-Object { $_.GetType().FullName | Should -BeLike 'CodatFiles.*' }
        ($results.FileName | Sort-Object) | Should -Be @('invoice.pdf', 'ledger.csv', 'scan.png')
    }

    It 'fills FullName, Length, CompanyId, ConnectionId, UploadedAt and Attempts' {
        $r = $results | Where-Object FileName -EQ 'invoice.pdf'
        $r.FullName | Should -Be $pdf.FullName
        $r.Length | Should -Be 5000
        $r.CompanyId | Should -Be $company.CompanyId
        $r.ConnectionId | Should -Be $company.ConnectionId
        $r.Attempts | Should -Be 1
        ([DateTimeOffset] $r.UploadedAt) -ge $started | Should -BeTrue
        ([DateTimeOffset] $r.UploadedAt) -le [DateTimeOffset]::UtcNow.AddSeconds(5) | Should -BeTrue
    }

    It 'stores the files in the emulator' {
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be @('invoice.pdf', 'ledger.csv', 'scan.png')
    }

    It 'round-trips every byte (upload, then Save-CodatFiles)' {
        $dest = Join-Path $work.FullName 'happy-out'
        Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -ErrorAction Stop | Out-Null
        foreach ($f in $pdf, $csv, $png) {
            $saved = Join-Path $dest "Accounting/$($f.Name)"
            Test-Path -LiteralPath $saved | Should -BeTrue
            Get-TestFileHash $saved | Should -Be (Get-TestFileHash $f.FullName)
        }
    }

    It 'accepts a file of exactly 10 MiB' {
        $big = New-TestFile -Directory $dir -Name 'exactly-10mib.pdf' -Length (10MB)
        $r = @(Send-CodatFile -LiteralPath $big.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop)
        $r.Count | Should -Be 1
        $r[0].Length | Should -Be (10MB)
    }
}

Describe 'Send-CodatFile path binding' {
    BeforeEach {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ('bind-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    }

    It 'expands wildcards in -Path' {
        New-TestFile -Directory $dir -Name 'a.pdf' -Length 10 | Out-Null
        New-TestFile -Directory $dir -Name 'b.pdf' -Length 10 | Out-Null
        New-TestFile -Directory $dir -Name 'c.csv' -Length 10 | Out-Null
        $r = @(Send-CodatFile -Path (Join-Path $dir '*.pdf') -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        ($r.FileName | Sort-Object) | Should -Be @('a.pdf', 'b.pdf')
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be @('a.pdf', 'b.pdf')
    }

    It 'binds path strings from the pipeline' {
        $a = New-TestFile -Directory $dir -Name 'p1.pdf' -Length 10
        $b = New-TestFile -Directory $dir -Name 'p2.xlsx' -Length 10
        $r = @($a.FullName, $b.FullName | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        ($r.FileName | Sort-Object) | Should -Be @('p1.pdf', 'p2.xlsx')
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be @('p1.pdf', 'p2.xlsx')
    }

    It 'binds relative paths against the current location' {
        New-TestFile -Directory $dir -Name 'rel.pdf' -Length 10 | Out-Null
        Push-Location -LiteralPath $dir
        try { $r = @(Send-CodatFile -Path 'rel.pdf' -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn) } finally { Pop-Location }
        $r.FileName | Should -Be 'rel.pdf'
        $r.FullName | Should -Be (Join-Path $dir 'rel.pdf')
    }

    It 'binds FileInfo objects from Get-ChildItem' {
        New-TestFile -Directory $dir -Name 'g1.pdf' -Length 10 | Out-Null
        New-TestFile -Directory $dir -Name 'g2.docx' -Length 10 | Out-Null
        $r = @(Get-ChildItem -LiteralPath $dir -File | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        ($r.FileName | Sort-Object) | Should -Be @('g1.pdf', 'g2.docx')
    }

    It 'binds objects with LiteralPath, CompanyId and ConnectionId properties, ids as [guid] or as text' {
        $g = New-TestFile -Directory $dir -Name 'row[1].pdf' -Length 10
        $t = New-TestFile -Directory $dir -Name 'row2.pdf' -Length 10
        $rows = @(
            [pscustomobject]@{ LiteralPath = $g.FullName; CompanyId = [guid] $company.CompanyId; ConnectionId = [guid] $company.ConnectionId }
            [pscustomobject]@{ LiteralPath = $t.FullName; CompanyId = "$($company.CompanyId)"; ConnectionId = "$($company.ConnectionId)" }
        )
        $r = @($rows | Send-CodatFile @conn -ErrorAction Stop)
        $expected = @('row2.pdf', 'row[1].pdf') | Sort-Object
        ($r.FileName | Sort-Object) | Should -Be $expected
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be $expected
    }

    It 'uploads a file with brackets in its name through -LiteralPath' {
        $f = New-TestFile -Directory $dir -Name 'report[2024].pdf' -Length 321
        $r = @(Send-CodatFile -LiteralPath $f.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        $r.Count | Should -Be 1
        $r[0].FileName | Should -Be 'report[2024].pdf'
        $r[0].Length | Should -Be 321
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be @('report[2024].pdf')
    }

    It 'uploads a file with brackets in its name piped from Get-ChildItem' {
        New-TestFile -Directory $dir -Name 'scan[1].png' -Length 50 | Out-Null
        $r = @(Get-ChildItem -LiteralPath $dir -File | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        $r.FileName | Should -Be 'scan[1].png'
    }

    It 'binds a relative -LiteralPath against the current location' {
        New-TestFile -Directory $dir -Name 'rel[lit].pdf' -Length 10 | Out-Null
        Push-Location -LiteralPath $dir
        try { $r = @(Send-CodatFile -LiteralPath 'rel[lit].pdf' -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn) } finally { Pop-Location }
        $r.FileName | Should -Be 'rel[lit].pdf'
        $r.FullName | Should -Be (Join-Path $dir 'rel[lit].pdf')
    }

    It 'resolves paths on a PowerShell drive (-Path and -LiteralPath)' {
        New-TestFile -Directory $dir -Name 'drive-a.pdf' -Length 10 | Out-Null
        New-TestFile -Directory $dir -Name 'drive[b].pdf' -Length 10 | Out-Null
        New-PSDrive -Name CodatTestDrive -PSProvider FileSystem -Root $dir | Out-Null
        try {
            $r = @(Send-CodatFile -Path 'CodatTestDrive:/drive-a.pdf' -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
            $r += @(Send-CodatFile -LiteralPath 'CodatTestDrive:/drive[b].pdf' -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        } finally { Remove-PSDrive -Name CodatTestDrive }
        ($r.FileName | Sort-Object) | Should -Be @('drive-a.pdf', 'drive[b].pdf')
        ($r.FullName | Sort-Object) | Should -Be @((Join-Path $dir 'drive-a.pdf'), (Join-Path $dir 'drive[b].pdf'))
    }

    It 'round-trips names with spaces, accents, apostrophes and symbols' {
        $names = @('März Bericht.pdf', "O'Brien; 100% final.csv", 'résumé (copy) #2.docx', 'a+b=c & d.xlsx')
        $made = $names | ForEach-Object { New-TestFile -Directory $dir -Name $_ -Length 64 }
        $r = @($made | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        ($r.FileName | Sort-Object) | Should -Be ($names | Sort-Object)
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be ($names | Sort-Object)
        $dest = Join-Path $dir 'out'
        Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -ErrorAction Stop | Out-Null
        foreach ($f in $made) {
            Get-TestFileHash (Join-Path $dest "Accounting/$($f.Name)") | Should -Be (Get-TestFileHash $f.FullName)
        }
    }

    It 'has -LiteralPath aliases PSPath and LP' {
        $aliases = (Get-Command Send-CodatFile).Parameters['LiteralPath'].Aliases
        $aliases | Should -Contain 'PSPath'
        $aliases | Should -Contain 'LP'
        $f = New-TestFile -Directory $dir -Name 'alias[x].csv' -Length 10
        $r = @(Send-CodatFile -LP $f.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        $r.FileName | Should -Be 'alias[x].csv'
    }
}

Describe 'Send-CodatFile batching' {
    BeforeEach {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ('batch-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $files = 1..5 | ForEach-Object { New-TestFile -Directory $dir -Name "batch$_.pdf" -Length 200 }
        Clear-TestRequestLog $emulator
    }

    It 'sends up to 20 files in one request by default' {
        $r = @($files | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        $r.Count | Should -Be 5
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
    }

    It 'needs a second request for the 21st file' {
        $more = 6..21 | ForEach-Object { New-TestFile -Directory $dir -Name "batch$_.pdf" -Length 50 }
        $r = @(@($files) + @($more) | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        $r.Count | Should -Be 21
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 2
        @(Get-TestStoredFileName $emulator $company.CompanyId).Count | Should -Be 21
    }

    It 'splits into requests of -BatchSize files' {
        $r = @($files | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 2 @conn)
        $r.Count | Should -Be 5
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 3
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be @('batch1.pdf', 'batch2.pdf', 'batch3.pdf', 'batch4.pdf', 'batch5.pdf')
    }

    It 'uploads every file with -ThrottleLimit 1 and -BatchSize 1' {
        $r = @($files | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 1 -ThrottleLimit 1 @conn)
        $r.Count | Should -Be 5
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 5
    }

    It 'runs up to -ThrottleLimit requests at once' {
        # Each of the first four requests is held 600 ms: four at once take about 0.6 s, one at a time about 2.4 s.
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay' -DelayMs 600 -Count 4
        $four = $files[0..3]
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $r = @($four | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 1 -ThrottleLimit 4 @conn)
        $watch.Stop()
        $r.Count | Should -Be 4
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.8
    }

    It 'runs one request at a time with -ThrottleLimit 1' {
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay' -DelayMs 600 -Count 4
        $four = $files[0..3]
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $r = @($four | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 1 -ThrottleLimit 1 @conn)
        $watch.Stop()
        $r.Count | Should -Be 4
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.3
    }

    It 'rejects -<Name> <Value>' -TestCases @(
        @{ Name = 'BatchSize'; Value = 0 }, @{ Name = 'BatchSize'; Value = 21 }
        @{ Name = 'ThrottleLimit'; Value = 0 }, @{ Name = 'ThrottleLimit'; Value = 11 }
    ) {
        $splat = @{ $Name = $Value }
        $caught = $null
        try { Send-CodatFile -LiteralPath $files[0].FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @splat @conn -ErrorAction Stop } catch { $caught = $_ }
        $caught.Exception | Should -BeOfType ([Management.Automation.ParameterBindingException])
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
    }
}
