# One bad input fails only itself: a table of bad inputs, each given to Send-CodatFile between two good files of the
# same call. Every row asserts the error's id, category and target, that the bad input was not stored (and, where it
# never reached a request, that no request carried it), and that the good files were still stored, byte for byte.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $noRetry = @{ MaximumRetryCount = 0 }

    function Get-StoredName([guid] $CompanyId) {
        @(Get-CodatFileList -CompanyId $CompanyId @conn -ErrorAction Stop | ForEach-Object FileName | Sort-Object)
    }

    function Get-UploadRequest([guid] $CompanyId) {
        @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object { $_.companyId -eq "$CompanyId" })
    }

    # What a row's Make block returns: the bad Input to pipe, the expected Target (as a string), and an optional
    # AfterCheck, given the Input, run once every input has been checked and before the batch is sent (input ends first).
    function New-BadInput($Item, [string] $Target = "$Item", [scriptblock] $AfterCheck) {
        [pscustomobject]@{ Input = $Item; Target = $Target; AfterCheck = $AfterCheck }
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Send-CodatFile: one bad file among good ones' {
    It '<Name> is <Id> and the good files are stored' -TestCases @(
        @{ Name = 'a missing path'; Id = 'FileNotFound'; Category = 'ObjectNotFound'
            Make = { param($dir) New-BadInput (Join-Path $dir 'missing.pdf') } }
        @{ Name = 'a directory'; Id = 'NotAFile'; Category = 'InvalidArgument'
            Make = { param($dir) $d = New-Item -ItemType Directory -Path (Join-Path $dir 'folder.pdf'); New-BadInput $d.FullName } }
        @{ Name = 'a 0-byte file'; Id = 'FileEmpty'; Category = 'InvalidArgument'
            Make = { param($dir) $f = New-TestFile -Directory $dir -Name 'empty.pdf' -Length 0; New-BadInput $f $f.FullName } }
        @{ Name = 'an 11 MB file'; Id = 'FileTooLarge'; Category = 'InvalidArgument'
            Make = { param($dir) $f = New-TestFile -Directory $dir -Name 'huge.pdf' -Length 11MB -Sparse; New-BadInput $f $f.FullName } }
        @{ Name = 'an .exe'; Id = 'FileTypeNotAllowed'; Category = 'InvalidArgument'
            Make = { param($dir) $f = New-TestFile -Directory $dir -Name 'setup.exe' -Length 100; New-BadInput $f $f.FullName } }
        @{ Name = 'a file with no extension'; Id = 'FileTypeNotAllowed'; Category = 'InvalidArgument'
            Make = { param($dir) $f = New-TestFile -Directory $dir -Name 'README' -Length 100; New-BadInput $f $f.FullName } }
        @{ Name = 'a FIFO'; Id = 'NotAFile'; Category = 'InvalidArgument'
            Make = { param($dir) $p = Join-Path $dir 'pipe.pdf'; & mkfifo $p; New-BadInput $p } }
        @{ Name = 'a dangling link'; Id = 'FileNotFound'; Category = 'ObjectNotFound'
            Make = { param($dir) $p = Join-Path $dir 'link.pdf'; & ln -s (Join-Path $dir 'gone.pdf') $p; New-BadInput $p } }
        @{ Name = 'a non-file-system path'; Id = 'NotFileSystemPath'; Category = 'InvalidArgument'
            Make = { param($dir) New-BadInput 'Env:\PATH' } }
        @{ Name = 'a file deleted before sending'; Id = 'FileNotFound'; Category = 'ObjectNotFound'
            Make = { param($dir)
                $f = New-TestFile -Directory $dir -Name 'deleted.pdf' -Length 100
                New-BadInput $f $f.FullName { param($f) Remove-Item -LiteralPath $f.FullName } } }
        @{ Name = 'a file unreadable when sent (a folder now stands at its path)'; Id = 'AccessDenied'; Category = 'PermissionDenied'
            Make = { param($dir)
                $f = New-TestFile -Directory $dir -Name 'swapped.pdf' -Length 100
                New-BadInput $f $f.FullName { param($f) Remove-Item -LiteralPath $f.FullName; New-Item -ItemType Directory -Path $f.FullName | Out-Null } } }
        @{ Name = 'a file that became a dangling link before sending'; Id = 'FileNotFound'; Category = 'ObjectNotFound'
            Make = { param($dir)
                $f = New-TestFile -Directory $dir -Name 'relinked.pdf' -Length 100
                New-BadInput $f $f.FullName { param($f) Remove-Item -LiteralPath $f.FullName; & ln -s ($f.FullName + '.nowhere') $f.FullName } } }
        # The next three reach a request: it is cut off when the changed file is read, before the request ends, so
        # the emulator neither stores nor logs it; the good files are then sent again, without it, in the one request
        # that counts.
        @{ Name = 'a file that grew after its check'; Id = 'FileChanged'; Category = 'ResourceBusy'
            Make = { param($dir)
                $f = New-TestFile -Directory $dir -Name 'grew.pdf' -Length 100
                New-BadInput $f $f.FullName { param($f) [IO.File]::AppendAllText($f.FullName, 'more') } } }
        @{ Name = 'a file that shrank after its check'; Id = 'FileChanged'; Category = 'ResourceBusy'
            Make = { param($dir)
                $f = New-TestFile -Directory $dir -Name 'shrank.pdf' -Length 100
                New-BadInput $f $f.FullName { param($f) $s = [IO.File]::Open($f.FullName, 'Open'); try { $s.SetLength(10) } finally { $s.Dispose() } } } }
        @{ Name = 'a file rewritten at the same size after its check'; Id = 'FileChanged'; Category = 'ResourceBusy'
            Make = { param($dir)
                $f = New-TestFile -Directory $dir -Name 'rewritten.pdf' -Length 100
                New-BadInput $f $f.FullName { param($f) [IO.File]::WriteAllBytes($f.FullName, [byte[]]::new(100)); [IO.File]::SetLastWriteTimeUtc($f.FullName, [datetime]::UtcNow.AddMinutes(1)) } } }
    ) {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ([guid]::NewGuid().ToString('n').Substring(0, 8))
        $good = @(
            New-TestFile -Directory $dir -Name 'good-1.pdf' -Length 2000
            New-TestFile -Directory $dir -Name 'good-2.csv' -Length 3000
        )
        $bad = & $Make $dir
        $run = Invoke-Capturing {
            & { $good[0]; $bad.Input; $good[1]; if ($bad.AfterCheck) { & $bad.AfterCheck $bad.Input } } |
                Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn
        }

        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match "^CodatFiles\.$Id(,|$)"
        $e.CategoryInfo.Category | Should -Be $Category
        "$($e.TargetObject)" | Should -Be $bad.Target
        $e.ToString() | Should -Not -Match 'good-' -Because 'the error is the bad file''s own'

        ($run.Output.FileName | Sort-Object) | Should -Be @('good-1.pdf', 'good-2.csv')
        Get-StoredName $company.CompanyId | Should -Be @('good-1.pdf', 'good-2.csv') -Because 'the bad file is not stored, the good ones are'
        @(Get-UploadRequest $company.CompanyId).Count | Should -Be 1 -Because 'one request carried the good files'
        $dest = Join-Path $dir 'saved'
        Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -ErrorAction Stop | Out-Null
        foreach ($file in $good) { Get-TestFileHash (Join-Path $dest "Accounting/$($file.Name)") | Should -Be (Get-TestFileHash $file.FullName) }
    }
}

Describe 'Send-CodatFile: inputs that are not errors' {
    It 'sends <Name> under its own name' -TestCases @(
        @{ Name = 'a name with quotes'; FileName = 'say "hi" it''s.pdf' }
        @{ Name = 'a name with CR and LF'; FileName = "line`r`nbreak.pdf" }
        @{ Name = 'a name with brackets'; FileName = 'report [2024] (final).pdf' }
        @{ Name = 'a non-ASCII name'; FileName = 'Überweisung-€-日本.pdf' }
        @{ Name = 'a name of 255 bytes'; FileName = ('n' * 251) + '.pdf' }
    ) {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ([guid]::NewGuid().ToString('n').Substring(0, 8))
        $file = New-TestFile -Directory $dir -Name $FileName -Length 1500
        $good = New-TestFile -Directory $dir -Name 'good.pdf' -Length 1000
        $run = Invoke-Capturing { $file, $good | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }
        $run.Errors | Should -BeNullOrEmpty
        $run.Thrown | Should -BeNullOrEmpty
        Get-StoredName $company.CompanyId | Should -Be (@($FileName, 'good.pdf') | Sort-Object)
        @(Get-UploadRequest $company.CompanyId).Count | Should -Be 1
    }

    It 'sends the same file given twice once' {
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName 'twice') -Name 'twice.pdf' -Length 1200
        $run = Invoke-Capturing { $file, $file.FullName | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn }
        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).Count | Should -Be 1
        Get-StoredName $company.CompanyId | Should -Be @('twice.pdf')
    }
}

Describe 'Send-CodatFile: a bad company or connection fails only its own files' {
    It 'a <Name> is <Id>, and the files for the good company are stored' -TestCases @(
        @{ Name = 'company that does not exist'; Id = 'CompanyNotFound'; Bad = { param($c) @{ CompanyId = [guid]::NewGuid(); ConnectionId = $c.ConnectionId } } }
        @{ Name = 'connection the company does not have'; Id = 'ConnectionNotFound'; Bad = { param($c) @{ CompanyId = $c.CompanyId; ConnectionId = [guid]::NewGuid() } } }
    ) {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ([guid]::NewGuid().ToString('n').Substring(0, 8))
        $good = New-TestFile -Directory $dir -Name 'good.pdf' -Length 1000
        $misdirected = New-TestFile -Directory $dir -Name 'misdirected.pdf' -Length 1000
        $ids = & $Bad $company
        $run = Invoke-Capturing {
            @(
                [pscustomobject]@{ LiteralPath = $good.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
                [pscustomobject]@{ LiteralPath = $misdirected.FullName; CompanyId = $ids.CompanyId; ConnectionId = $ids.ConnectionId }
            ) | Send-CodatFile @conn @noRetry
        }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match "^CodatFiles\.$Id(,|$)"
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($e.TargetObject)" | Should -Be $misdirected.FullName
        $run.Output.FileName | Should -Be 'good.pdf'
        Get-StoredName $company.CompanyId | Should -Be @('good.pdf')
    }
}

Describe 'Send-CodatFile: a server URL that is refused sends nothing' {
    It '<Name> is InvalidServerUrl before any request' -TestCases @(
        @{ Name = 'a non-http URL'; Url = 'ftp://127.0.0.1/' }
        @{ Name = 'a remote plain-http URL'; Url = 'http://codat.example.invalid/' }
        @{ Name = 'a relative URL'; Url = 'api.codat.io' }
    ) {
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName 'url') -Name 'url.pdf' -Length 100
        Clear-TestRequestLog $emulator
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -ServerUrl $Url -ApiKey $conn.ApiKey }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.InvalidServerUrl(,|$)'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($e.TargetObject)" | Should -Be $Url
        @(Get-TestRequestLog $emulator).Count | Should -Be 0
    }
}

Describe 'Send-CodatFile: a server answer that is not Codat''s fails only its request' {
    It 'an upload answered by <Name> is <Id>; the next requests of the call still go through' -TestCases @(
        @{ Name = 'a 200 HTML page'; Kind = 'html-page'; Id = 'RequestFailed'; Category = 'InvalidOperation' }
        @{ Name = 'a redirect'; Kind = 'redirect'; Id = 'RequestFailed'; Category = 'InvalidOperation' }
    ) {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ([guid]::NewGuid().ToString('n').Substring(0, 8))
        $files = foreach ($i in 1..3) { New-TestFile -Directory $dir -Name "f$i.pdf" -Length 500 }
        Add-TestFault $emulator -Operation 'upload-files' -Kind $Kind
        try {
            # One file a request, one at a time: the first request meets the fault.
            $run = Invoke-Capturing { $files | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 1 -ThrottleLimit 1 @conn @noRetry }
        } finally { Clear-TestFault $emulator }
        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match "^CodatFiles\.$Id(,|$)"
        $e.CategoryInfo.Category | Should -Be $Category
        "$($e.TargetObject)" | Should -Be $files[0].FullName
        Get-StoredName $company.CompanyId | Should -Be @('f2.pdf', 'f3.pdf')
    }
}

Describe 'List and download: a server answer that is not Codat''s fails only its company' {
    BeforeAll {
        # Two companies with one file each; each call below asks for both, and the emulator spoils one answer.
        $companies = foreach ($i in 1, 2) {
            $c = New-TestCompany $emulator
            $f = New-TestFile -Directory (Join-Path $work.FullName "answers-$i") -Name "only-$i.pdf" -Length 700
            Send-TestFile $emulator $c $f.FullName
            [pscustomobject]@{ CompanyId = $c.CompanyId; ConnectionId = $c.ConnectionId; File = $f }
        }
        $utf8 = [Text.UTF8Encoding]::new($false)
    }

    It '<Operation> answered by <Name> is <Id>; the other company is still served' -TestCases @(
        @{ Operation = 'list-files'; Name = 'bad JSON'; Kind = 'raw-body'; Body = '{"fileName": "unterminated'; Id = 'RequestFailed' }
        @{ Operation = 'list-files'; Name = 'an empty 200'; Kind = 'raw-body'; Body = ''; Id = 'RequestFailed' }
        @{ Operation = 'list-files'; Name = 'a 200 HTML page'; Kind = 'html-page'; Id = 'RequestFailed' }
        @{ Operation = 'list-files'; Name = 'a redirect'; Kind = 'redirect'; Id = 'RequestFailed' }
        @{ Operation = 'download-files'; Name = 'a body that is not a zip'; Kind = 'raw-body'; Body = '<html><body>Sign in</body></html>'; Id = 'RequestFailed' }
        @{ Operation = 'download-files'; Name = 'an empty 200'; Kind = 'raw-body'; Body = ''; Id = 'RequestFailed' }
    ) {
        $dest = Join-Path $work.FullName ('answers-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $fault = @{ Operation = $Operation; Kind = $Kind }
        if ($Kind -eq 'raw-body') { $fault.RawBody = $utf8.GetBytes($Body) }
        Add-TestFault $emulator @fault
        try {
            $run = Invoke-Capturing {
                if ($Operation -eq 'list-files') {
                    $companies | Select-Object CompanyId | Get-CodatFileList @conn @noRetry
                } else {
                    $companies | Select-Object CompanyId | Save-CodatFiles -DestinationPath $dest @conn @noRetry
                }
            }
        } finally { Clear-TestFault $emulator }

        $e = Get-OnlyError $run
        $e.FullyQualifiedErrorId | Should -Match "^CodatFiles\.$Id(,|$)"
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $spoiled = @($companies | Where-Object { "$($_.CompanyId)" -eq "$($e.TargetObject)" })
        $spoiled.Count | Should -Be 1 -Because "the target is the company whose answer was spoiled (got '$($e.TargetObject)')"
        $served = @($companies | Where-Object { $_ -ne $spoiled[0] })[0]
        if ($Operation -eq 'list-files') {
            $run.Output.FileName | Should -Be $served.File.Name
        } else {
            Get-TestFileTree $dest | Should -Be @("Accounting/$($served.File.Name)") -Because 'the other company was saved and nothing of the spoiled one was left'
            Get-TestFileHash (Join-Path $dest "Accounting/$($served.File.Name)") | Should -Be (Get-TestFileHash $served.File.FullName)
        }
    }
}
