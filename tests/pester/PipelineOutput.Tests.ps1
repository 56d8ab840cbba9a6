# What Send-CodatFile gives the next command of a pipeline: failures whose TargetObject pipes back in, objects of
# other shapes that bind, the summary record on the Information stream, -Debug lines per HTTP exchange, -Recurse.
# Argument completion of ids: ArgumentCompletion.Tests.ps1.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Failed uploads pipe back into Send-CodatFile' {
    BeforeEach {
        Clear-TestFault $emulator
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ('retry-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $files = @(
            New-TestFile -Directory $dir -Name 'Q1 [final].pdf' -Length 300
            New-TestFile -Directory $dir -Name 'ledger.csv' -Length 200
            New-TestFile -Directory $dir -Name 'scan.png' -Length 100
        )
        $send = @{ CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId; MaximumRetryCount = 0 }
    }

    It 'every failed file''s TargetObject is its FileInfo, and piping them re-sends them all, brackets included' {
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1
        $run = Invoke-Capturing { $files | Send-CodatFile @send @conn }
        $run.Errors | Should -HaveCount 3 -Because 'the one request carried all three files'
        $run.Errors.TargetObject | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }

        $again = @($run.Errors.TargetObject | Send-CodatFile @send @conn -ErrorAction Stop)
        ($again.FullName | Sort-Object) | Should -Be ($files.FullName | Sort-Object)
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be ($files.Name | Sort-Object)
    }

    It 're-sends exactly the files that failed, not the others' {
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1
        $run = Invoke-Capturing { $files | Send-CodatFile @send -BatchSize 1 -ThrottleLimit 1 @conn }
        $run.Errors | Should -HaveCount 1
        $run.Output | Should -HaveCount 2
        $failed = $run.Errors[0].TargetObject
        $failed | Should -BeOfType ([IO.FileInfo])
        $failed.FullName | Should -Not -BeIn $run.Output.FullName

        $again = @($run.Errors.TargetObject | Send-CodatFile @send @conn -ErrorAction Stop)
        $again.FullName | Should -Be $failed.FullName
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be ($files.Name | Sort-Object) -Because 'each file is stored once'
    }

    It 'a file refused before sending (too large) has its FileInfo as TargetObject' {
        $big = New-TestFile -Directory $dir -Name 'too big.pdf' -Length (10MB + 1) -Sparse
        $run = Invoke-Capturing { $big | Send-CodatFile @send @conn }
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'CodatFiles.FileTooLarge*'
        $run.Errors[0].TargetObject | Should -BeOfType ([IO.FileInfo])
        $run.Errors[0].TargetObject.FullName | Should -Be $big.FullName
    }
}

Describe 'Objects of other shapes bind like Import-Csv rows' {
    BeforeEach {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ('shape-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    }

    It 'binds an object with <Property> and [guid] ids' -TestCases @(
        @{ Property = 'Path'; Name = 'by-path.pdf' }
        @{ Property = 'FullName'; Name = 'by [full] name.pdf' }
    ) {
        $file = New-TestFile -Directory $dir -Name $Name -Length 10
        $row = [pscustomobject]@{ $Property = $file.FullName; CompanyId = [guid] $company.CompanyId; ConnectionId = [guid] $company.ConnectionId }
        $r = @($row | Send-CodatFile @conn -ErrorAction Stop)
        $r.FullName | Should -Be $file.FullName
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Be $Name
    }

    It 'binds a bare FileInfo (no PSPath) with brackets in its name' {
        $file = New-TestFile -Directory $dir -Name 'bare [1].pdf' -Length 10
        $r = @([IO.FileInfo]::new($file.FullName) | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop)
        $r.FullName | Should -Be $file.FullName
    }
}

Describe 'The summary record at the end of Send-CodatFile' {
    BeforeAll {
        Clear-TestFault $emulator
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName 'summary'
        $good = @(
            New-TestFile -Directory $dir -Name 'one.pdf' -Length 1000
            New-TestFile -Directory $dir -Name 'two.pdf' -Length 2000
        )
        $bad = New-TestFile -Directory $dir -Name 'notes.txt' -Length 30
        $later = New-TestFile -Directory $dir -Name 'three.pdf' -Length 4000
        # The first request fails once and is retried; the second fails for good (no retries left).
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1 -RetryAfter 0
        $null = $good + $bad | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn `
            -MaximumRetryCount 1 -InformationVariable info -ErrorVariable sendErrors -ErrorAction SilentlyContinue
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1
        $null = $later | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn `
            -MaximumRetryCount 0 -InformationVariable info2 -ErrorAction SilentlyContinue
        $null = $later | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -WhatIf -InformationVariable info3
    }

    It 'is one record tagged CodatFiles.Summary with files and bytes done and failed, requests, retries and elapsed time' {
        $records = @($info | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })
        $records | Should -HaveCount 1
        $summary = $records[0].MessageData
        $summary.Command | Should -Be 'Send-CodatFile'
        $summary.FilesDone | Should -Be 2
        $summary.BytesDone | Should -Be 3000
        $summary.FilesFailed | Should -Be 1 -Because 'notes.txt is refused before sending'
        $summary.BytesFailed | Should -Be 30
        $summary.FilesSkipped | Should -Be 0
        $summary.Requests | Should -Be 3 -Because 'the start list, then one request, retried once'
        $summary.Retries | Should -Be 1
        $summary.Elapsed | Should -BeOfType ([timespan])
        $summary.Elapsed | Should -BeGreaterThan ([timespan]::Zero)
        $lines = "$summary" -split '\r?\n'
        $lines[0] | Should -Match '^Send-CodatFile: 2 files done \(2[.,]9 KB\), 1 failed \(30 B\)\.$'
        $lines[1] | Should -Match '^0 already stored, 0 skipped; 3 requests, 1 retry, [\d.,]+ s\.$'
        $summary.Failures | Should -HaveCount 1
        $summary.Failures[0].ErrorId | Should -Be 'CodatFiles.FileTypeNotAllowed'
        $summary.Failures[0].Location | Should -Be "$dir, company $($company.CompanyId)"
        ("$summary" -replace '\s+', ' ') | Should -Match ([regex]::Escape("Failed: 1 file: CodatFiles.FileTypeNotAllowed ($dir, company $($company.CompanyId))."))
    }

    It 'counts the files of a failed request as failed' {
        $summary = @($info2 | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })[0].MessageData
        $summary.FilesDone | Should -Be 0
        $summary.FilesFailed | Should -Be 1
        $summary.BytesFailed | Should -Be 4000
        $summary.Requests | Should -Be 2 -Because 'the start list and the failed upload'
        $summary.Retries | Should -Be 0
    }

    It 'counts files declined under -WhatIf as skipped, with no request but the start list' {
        $summary = @($info3 | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })[0].MessageData
        $summary.FilesSkipped | Should -Be 1
        $summary.BytesSkipped | Should -Be 4000
        $summary.FilesUpToDate | Should -Be 0 -Because 'three.pdf failed, so Codat does not hold it'
        $summary.Requests | Should -Be 1 -Because 'the preview lists the company to tell what is stored, and sends nothing'
    }

    It 'is tagged PSHOST like Write-Host''s output (shown by default) and is not part of the output' {
        $file = New-TestFile -Directory $dir -Name 'shown.pdf' -Length 10
        $out = @($file | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn 6>&1)
        @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] })[0].Tags | Should -Be @('CodatFiles.Summary', 'PSHOST')
        @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] }) | Should -HaveCount 1
        @($out | Where-Object { $_ -isnot [Management.Automation.InformationRecord] }).FileName | Should -Be 'shown.pdf'
    }

    It 'the overall progress bar shows the same counts, the most important first, within 80 columns' {
        $file = New-TestFile -Directory $dir -Name 'progress.pdf' -Length 10
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1 -RetryAfter 0
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-TestModulePath)).AddStatement()
            $null = $ps.AddCommand('Send-CodatFile').AddParameter('LiteralPath', @($file.FullName, $bad.FullName)).
                AddParameter('CompanyId', $company.CompanyId).AddParameter('ConnectionId', $company.ConnectionId).
                AddParameter('ApiKey', $conn.ApiKey).AddParameter('ServerUrl', $conn.ServerUrl).AddParameter('MaximumRetryCount', 1)
            $null = $ps.Invoke()
            # The overall bar's last record (the one that closes it) carries the final counts.
            $last = @($ps.Streams.Progress | Where-Object { $_.Activity -eq 'Uploading files to Codat' })[-1]
            $last.RecordType | Should -Be 'Completed'
            # Requests and retries come last and are left out when the line would pass 80 columns, as here.
            $last.StatusDescription | Should -Match '^2 of 2 files, 1 failed, [\d.,]+ B of [\d.,]+ B$'
            ($last.Activity.Length + $last.StatusDescription.Length + 5) | Should -BeLessOrEqual 80
        } finally { $ps.Dispose() }
    }
}

Describe 'Send-CodatFile -Debug' {
    BeforeAll {
        # What -Debug asks for, in this scope (the -Debug switch itself is tested on its own below).
        $DebugPreference = 'Continue'
    }

    It 'writes one line per HTTP exchange with method, URL, status, duration, attempt and X-Rate-Limit-Remaining, never the key' {
        Clear-TestFault $emulator
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName 'debug') -Name 'traced.pdf' -Length 10
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1 -RetryAfter 0
        $lines = @($file | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn 5>&1 |
                Where-Object { $_ -is [Management.Automation.DebugRecord] } | ForEach-Object Message)
        $lines | Should -HaveCount 3 -Because 'the start list, then the first attempt got 503 and the retry 200'
        $url = [regex]::Escape($emulator.BaseUrl.TrimEnd('/') + "/companies/$($company.CompanyId)/connections/$($company.ConnectionId)/files")
        $lines[0] | Should -Match ": GET $([regex]::Escape($emulator.BaseUrl.TrimEnd('/') + "/companies/$($company.CompanyId)/files")): 200 in \d+ ms \(attempt 1, X-Rate-Limit-Remaining \d+\)$"
        $lines[1] | Should -Match ": POST $($url): 503 in \d+ ms \(attempt 1, X-Rate-Limit-Remaining \d+\)$"
        $lines[2] | Should -Match ": POST $($url): 200 in \d+ ms \(attempt 2, X-Rate-Limit-Remaining \d+\)$"

        $key = $emulator.ApiKey
        $base64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($key))
        $all = $lines -join "`n"
        $all.Contains($key) | Should -BeFalse
        $all.Contains($base64) | Should -BeFalse
    }

    It 'the -Debug switch itself writes the exchange lines in a non-interactive run (a runbook), never stopping at a prompt' {
        # PowerShell gives a compiled cmdlet's verbose lines Inquire under -Debug alone: were any written, this call would
        # fail (Stop), as in a runbook or a -NonInteractive pwsh: it runs in a runspace with no host, so no prompt (Prompt).
        $ps = [powershell]::Create()
        try {
            $result = @($ps.AddScript({
                        param($ModulePath, $ServerUrl, $Key, $CompanyId) $ErrorActionPreference = 'Stop'; Import-Module $ModulePath
                        $records = @(Get-CodatFileList -CompanyId $CompanyId -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -ServerUrl $ServerUrl -Debug 4>&1 5>&1)
                        [pscustomobject]@{ Debug = @($records | Where-Object { $_ -is [Management.Automation.DebugRecord] } | ForEach-Object Message)
                            Verbose = @($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Count
                            Prompt = try { $VerbosePreference = 'Inquire'; Write-Verbose 'a prompt'; 'shown' } catch { $_.FullyQualifiedErrorId } }
                    }.ToString()).AddParameters(@((Get-TestModulePath), $emulator.BaseUrl, $emulator.ApiKey, "$(Get-SeedCompanyId)")).Invoke())[0]
        } finally { $ps.Dispose() }
        $result.Prompt | Should -BeLike 'HostFunctionNotImplemented,*' -Because 'a prompt fails in this runspace, so none came from the call'
        @($result.Debug) | Should -HaveCount 1
        $result.Debug[0] | Should -Match ': GET .*/files: 200 in \d+ ms \(attempt 1, '
        $result.Verbose | Should -Be 0 -Because '-Debug alone leaves the verbose lines out'
    }

    It 'Get-CodatFileList -Debug writes its exchange too' {
        $lines = @(Get-CodatFileList -CompanyId (Get-SeedCompanyId) @conn 5>&1 | Where-Object { $_ -is [Management.Automation.DebugRecord] })
        $lines | Should -HaveCount 1
        $lines[0].Message | Should -Match ': GET .*/files: 200 in \d+ ms \(attempt 1, '
    }
}

Describe 'Send-CodatFile -Recurse' {
    BeforeEach {
        $company = New-TestCompany $emulator
        $tree = Join-Path $work.FullName ('tree-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $top = New-TestFile -Directory $tree -Name 'inv1.pdf' -Length 10
        $nested = New-TestFile -Directory (Join-Path $tree 'a') -Name 'inv1.pdf' -Length 20
        $deep = New-TestFile -Directory (Join-Path $tree 'a/b [2]') -Name 'ledger.csv' -Length 30
        $other = New-TestFile -Directory (Join-Path $tree 'a') -Name 'readme.txt' -Length 5
        $hidden = New-TestFile -Directory $tree -Name '.hidden.pdf' -Length 5
        $send = @{ CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
    }

    It 'uploads the files beneath a directory, checked like any other input' {
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $tree -Recurse @send @conn 3>$null }
        ($run.Output.FullName | Sort-Object) | Should -Be (@($top.FullName, $nested.FullName, $deep.FullName) | Sort-Object)
        $run.Errors | Should -HaveCount 1 -Because 'readme.txt is not a type Codat takes'
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'CodatFiles.FileTypeNotAllowed*'
        $run.Errors[0].TargetObject.FullName | Should -Be $other.FullName
        Get-TestStoredFileName $emulator $company.CompanyId | Should -Not -Contain '.hidden.pdf'
    }

    It 'takes a piped DirectoryInfo' {
        $r = @(Get-Item -LiteralPath (Join-Path $tree 'a/b [2]') | Send-CodatFile -Recurse @send @conn)
        $r.FullName | Should -Be $deep.FullName
    }

    It 'without -Recurse, a directory is still CodatFiles.NotAFile' {
        $run = Invoke-Capturing { Send-CodatFile -LiteralPath $tree @send @conn }
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'CodatFiles.NotAFile*'
        $run.Output | Should -BeNullOrEmpty
    }

    It 'warns, naming both paths, before anything is sent when two files would be stored under one name' {
        $DebugPreference = 'Continue'
        $stream = @(Send-CodatFile -LiteralPath $tree -Recurse @send @conn -ErrorAction SilentlyContinue 3>&1 5>&1)
        # The call's last warning gives its counts (a file in the tree is not a type Codat takes).
        $warnings = @($stream | Where-Object { $_ -is [Management.Automation.WarningRecord] -and $_.Message -notmatch '^Send-CodatFile: \d+ of' })
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match ([regex]::Escape("'$($top.FullName)' and '$($nested.FullName)' would both be stored as 'inv1.pdf' for company $($company.CompanyId)"))
        $firstWarning = [array]::IndexOf($stream, $warnings[0])
        $firstExchange = [array]::FindIndex($stream, [Predicate[object]] { param($item) $item -is [Management.Automation.DebugRecord] })
        $firstWarning | Should -BeLessThan $firstExchange -Because 'the warning comes before the first request'
    }

    It 'does not warn about the same file given twice, nor about one name for two companies' {
        $second = New-TestCompany $emulator
        $rows = @(
            [pscustomobject]@{ LiteralPath = $top.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
            [pscustomobject]@{ LiteralPath = $top.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
            [pscustomobject]@{ LiteralPath = $nested.FullName; CompanyId = $second.CompanyId; ConnectionId = $second.ConnectionId }
        )
        $stream = @($rows | Send-CodatFile @conn -ErrorAction Stop 3>&1)
        @($stream | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
        # The same file twice for one company is sent once (issue 8), so two uploads: one per company.
        @($stream | Where-Object { $_ -isnot [Management.Automation.WarningRecord] }) | Should -HaveCount 2
    }

    It 'warns when the second file comes in a later pipeline record' {
        $rows = @(
            [pscustomobject]@{ LiteralPath = $top.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
            [pscustomobject]@{ LiteralPath = $nested.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId }
        )
        $warnings = @($rows | Send-CodatFile @conn -WhatIf 3>&1 | Where-Object { $_ -is [Management.Automation.WarningRecord] })
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match ([regex]::Escape($nested.FullName))
    }
}
