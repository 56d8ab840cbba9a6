# Send-CodatFile as a user sees it: real files uploaded to the emulator and checked byte for byte after a download,
# path binding (wildcards, pipeline strings, FileInfo, -LiteralPath with brackets), batching, pre-checks, -WhatIf.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile

    function Get-StoredFileName {
        # Names the emulator holds for a company (through its API, independent of the cmdlets).
        param([guid] $CompanyId)
        $headers = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($emulator.ApiKey)) }
        @(Invoke-RestMethod -Uri ($emulator.BaseUrl.TrimEnd('/') + "/companies/$CompanyId/files") -Headers $headers |
                ForEach-Object { $_ } | ForEach-Object fileName | Sort-Object)
    }
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
        Get-StoredFileName $company.CompanyId | Should -Be @('invoice.pdf', 'ledger.csv', 'scan.png')
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
        Get-StoredFileName $company.CompanyId | Should -Be @('a.pdf', 'b.pdf')
    }

    It 'binds path strings from the pipeline' {
        $a = New-TestFile -Directory $dir -Name 'p1.pdf' -Length 10
        $b = New-TestFile -Directory $dir -Name 'p2.xlsx' -Length 10
        $r = @($a.FullName, $b.FullName | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        ($r.FileName | Sort-Object) | Should -Be @('p1.pdf', 'p2.xlsx')
        Get-StoredFileName $company.CompanyId | Should -Be @('p1.pdf', 'p2.xlsx')
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
        Get-StoredFileName $company.CompanyId | Should -Be $expected
    }

    It 'uploads a file with brackets in its name through -LiteralPath' {
        $f = New-TestFile -Directory $dir -Name 'report[2024].pdf' -Length 321
        $r = @(Send-CodatFile -LiteralPath $f.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn)
        $r.Count | Should -Be 1
        $r[0].FileName | Should -Be 'report[2024].pdf'
        $r[0].Length | Should -Be 321
        Get-StoredFileName $company.CompanyId | Should -Be @('report[2024].pdf')
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
        Get-StoredFileName $company.CompanyId | Should -Be ($names | Sort-Object)
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
        @(Get-StoredFileName $company.CompanyId).Count | Should -Be 21
    }

    It 'splits into requests of -BatchSize files' {
        $r = @($files | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 2 @conn)
        $r.Count | Should -Be 5
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 3
        Get-StoredFileName $company.CompanyId | Should -Be @('batch1.pdf', 'batch2.pdf', 'batch3.pdf', 'batch4.pdf', 'batch5.pdf')
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

Describe 'Send-CodatFile pre-checks' {
    BeforeAll {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName 'prechecks'
        $good = New-TestFile -Directory $dir -Name 'good.pdf' -Length 100
        $tooBig = New-TestFile -Directory $dir -Name 'huge.pdf' -Length (10MB + 1) -Sparse
        $exe = New-TestFile -Directory $dir -Name 'tool.exe' -Length 100
        $txt = New-TestFile -Directory $dir -Name 'notes.txt' -Length 100
        $missing = Join-Path $dir 'missing.pdf'
        $folder = New-Item -ItemType Directory -Path (Join-Path $dir 'folder.pdf')
        $good2 = New-TestFile -Directory $dir -Name 'good2.csv' -Length 100
        Clear-TestRequestLog $emulator
        $run = Invoke-Capturing {
            Send-CodatFile -LiteralPath $good.FullName, $tooBig.FullName, $exe.FullName, $txt.FullName, $missing, $folder.FullName, $good2.FullName `
                -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn
        }
    }

    It 'does not stop: no terminating error' {
        $run.Thrown | Should -BeNullOrEmpty
    }

    It 'uploads the valid files' {
        ($run.Output.FileName | Sort-Object) | Should -Be @('good.pdf', 'good2.csv')
        Get-StoredFileName $company.CompanyId | Should -Be @('good.pdf', 'good2.csv')
    }

    It 'writes one error per rejected file' {
        $run.Errors.Count | Should -Be 5
    }

    It 'reports <Id> (<Category>) for <Label> with the path as TargetObject' -TestCases @(
        @{ Label = 'a file over 10 MiB'; Key = 'tooBig'; Id = 'CodatFiles.FileTooLarge'; Category = 'InvalidArgument' }
        @{ Label = 'an .exe'; Key = 'exe'; Id = 'CodatFiles.FileTypeNotAllowed'; Category = 'InvalidArgument' }
        @{ Label = 'a .txt'; Key = 'txt'; Id = 'CodatFiles.FileTypeNotAllowed'; Category = 'InvalidArgument' }
        @{ Label = 'a missing path'; Key = 'missing'; Id = 'CodatFiles.FileNotFound'; Category = 'ObjectNotFound' }
        @{ Label = 'a directory'; Key = 'folder'; Id = 'CodatFiles.NotAFile'; Category = 'InvalidArgument' }
    ) {
        $path = switch ($Key) { 'tooBig' { $tooBig.FullName } 'exe' { $exe.FullName } 'txt' { $txt.FullName } 'missing' { $missing } 'folder' { $folder.FullName } }
        $matching = @($run.Errors | Where-Object { "$($_.TargetObject)".TrimEnd('/', '\') -eq $path })
        $matching.Count | Should -Be 1
        $matching[0].FullyQualifiedErrorId | Should -Match "^$([regex]::Escape($Id))(,|$)"
        $matching[0].CategoryInfo.Category | Should -Be $Category
    }

    It 'never sends a rejected file to the API' {
        # Only the batch of valid files went out (by default one request of 2 files).
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1
    }

    It 'reports a -Path that matches nothing as CodatFiles.FileNotFound' {
        $r = Invoke-Capturing { Send-CodatFile -Path (Join-Path $dir 'nothing-here.pdf') -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }
        $r.Thrown | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.FileNotFound(,|$)'
    }

    It 'reports a path of another provider as CodatFiles.NotFileSystemPath' {
        $r = Invoke-Capturing { Send-CodatFile -LiteralPath 'Env:PATH' -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.NotFileSystemPath(,|$)'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Send-CodatFile -WhatIf and -Confirm' {
    BeforeEach {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ('whatif-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $f1 = New-TestFile -Directory $dir -Name 'w1.pdf' -Length 10
        $f2 = New-TestFile -Directory $dir -Name 'w2.pdf' -Length 10
        Clear-TestRequestLog $emulator
    }

    It '-WhatIf uploads nothing and outputs nothing' {
        $r = Invoke-Capturing { Send-CodatFile -LiteralPath $f1.FullName, $f2.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -WhatIf }
        $r.Output | Should -BeNullOrEmpty
        $r.Thrown | Should -BeNullOrEmpty
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
        Get-StoredFileName $company.CompanyId | Should -BeNullOrEmpty
    }

    It 'declares SupportsShouldProcess' {
        $parameters = (Get-Command Send-CodatFile).Parameters
        $parameters.Keys | Should -Contain 'WhatIf'
        $parameters.Keys | Should -Contain 'Confirm'
    }

    It '-Confirm:$false uploads' {
        $r = @(Send-CodatFile -LiteralPath $f1.FullName, $f2.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -Confirm:$false)
        $r.Count | Should -Be 2
        Get-StoredFileName $company.CompanyId | Should -Be @('w1.pdf', 'w2.pdf')
    }
}

Describe 'Send-CodatFile when one file grows past 10 MB after its check' {
    # Issue 8's "changed while sent": the size checked is the size sent. 'grown.pdf' passes the size check while
    # small, then grows past 10 MiB before the (one, default-sized) batch is sent when input ends. It used to reach
    # Codat and fail its whole request with a 400; now it alone fails, locally, and the other two are stored.
    BeforeAll {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName 'grown-one'
        $first = New-TestFile -Directory $dir -Name 'first.pdf' -Length 100
        $grown = New-TestFile -Directory $dir -Name 'grown.pdf' -Length 100
        $last = New-TestFile -Directory $dir -Name 'last.pdf' -Length 100
        $run = Invoke-Capturing {
            & {
                $first; $grown; $last
                $stream = [IO.File]::Open($grown.FullName, 'Open')
                try { $stream.SetLength(10MB + 1) } finally { $stream.Dispose() }
            } | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn
        }
    }

    It 'reports only the grown file, as CodatFiles.FileChanged, without sending it' {
        $e = Get-OnlyError $run
        "$($e.TargetObject)" | Should -Be $grown.FullName
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.FileChanged(,|$)'
        $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $e.ErrorDetails.Message | Should -Match "'grown\.pdf' was 100 bytes when it was checked, but more than 100 bytes were read"
        $e.ErrorDetails.RecommendedAction | Should -Match 'nothing is writing to it'
    }

    It 'stores the other files of its request in one request' {
        ($run.Output.FileName | Sort-Object) | Should -Be @('first.pdf', 'last.pdf')
        Get-StoredFileName $company.CompanyId | Should -Be @('first.pdf', 'last.pdf')
        @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object companyId -EQ "$($company.CompanyId)").Count | Should -Be 1
    }
}

Describe 'Send-CodatFile attributes a 400 to the files of its request' {
    # The attribution itself, against error bodies the emulator has no fault for (several files named, none named).
    BeforeAll {
        $dir = Join-Path $work.FullName 'attribution'
        $files = [IO.FileInfo[]] @('a.pdf', 'b.pdf', 'c.pdf' | ForEach-Object { New-TestFile -Directory $dir -Name $_ -Length 10 })
        $module = (Get-Command Send-CodatFile).ImplementingType.Assembly
        $errorsFor = $module.GetType('CodatFiles.Upload.BatchFailureErrors', $true).GetMethod('For')

        # The client's types live in the module's own load context, out of reach of [TypeName] in a script.
        function New-BadRequest {
            param([hashtable[]] $Items)
            $body = (Get-TestClientType CodatError)::new()
            $body.Error = 'Upload rejected.'
            $body.CorrelationId = 'c0ffee'
            $body.Validation = (Get-TestClientType CodatErrorValidation)::new()
            $listType = [Collections.Generic.List[object]].GetGenericTypeDefinition().MakeGenericType((Get-TestClientType CodatErrorValidationItem))
            $list = $listType::new()
            foreach ($item in $Items) {
                $v = (Get-TestClientType CodatErrorValidationItem)::new()
                $v.ItemId = $item.ItemId; $v.Message = $item.Message; $v.ValidatorName = $item.Validator
                $list.Add($v)
            }
            $body.Validation.Errors = $list
            (Get-TestClientType CodatApiException)::new('400', 'upload-files', 1, 400, 'BadRequest', $body, $null, $null)
        }
        function Get-BatchErrors($Exception) { @($errorsFor.Invoke($null, @($Exception, $files))) }
    }

    It 'names every rejected file and lists them for the others' {
        $errors = Get-BatchErrors (New-BadRequest @(
                @{ ItemId = 'a.pdf'; Message = 'a is bad.'; Validator = 'FileType' }
                @{ ItemId = 'c.pdf'; Message = 'c is bad.'; Validator = 'FileSize' }))
        $errors.Count | Should -Be 3
        $errors[0].FullyQualifiedErrorId | Should -Be 'CodatFiles.BadRequest'
        $errors[0].ErrorDetails.Message | Should -Match 'a is bad\.'
        $errors[0].ErrorDetails.Message | Should -Not -Match 'c is bad\.'
        $errors[2].FullyQualifiedErrorId | Should -Be 'CodatFiles.BadRequest'
        $errors[2].ErrorDetails.Message | Should -Match 'c is bad\.'
        $errors[1].FullyQualifiedErrorId | Should -Be 'CodatFiles.BatchRejected'
        $errors[1].ErrorDetails.Message | Should -Match "'a\.pdf'.*'c\.pdf'.*a is bad\..*c is bad\."
        "$($errors[1].TargetObject)" | Should -Be $files[1].FullName
    }

    It 'gives every file CodatFiles.BadRequest with all of Codat''s reasons when no item names a file of the request' {
        $errors = Get-BatchErrors (New-BadRequest @(
                @{ ItemId = 'elsewhere.pdf'; Message = 'Not here.'; Validator = 'FileType' }
                @{ ItemId = $null; Message = 'Too many parts.'; Validator = 'FileCount' }))
        $errors.Count | Should -Be 3
        foreach ($e in $errors) {
            $e.FullyQualifiedErrorId | Should -Be 'CodatFiles.BadRequest'
            $e.ErrorDetails.Message | Should -Match 'Not here\.'
            $e.ErrorDetails.Message | Should -Match 'Too many parts\.'
        }
    }

    It 'gives every file CodatFiles.BadRequest when a 400 from the server has no validation items' {
        $company = New-TestCompany $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Status 400
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $files.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }
        $run.Errors.Count | Should -Be 3
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Match '^CodatFiles\.BadRequest(,|$)' }
    }
}
