# The summary of Send-CodatFile and Save-CodatFiles against what the call wrote, as one table across the failure
# kinds: done = result objects written, failed = files the errors stand for (a whole-call error every file it
# lists), skipped = files declined or not sent; one warning ends a call with failures; the summary is shown by
# default (PSHOST, like Write-Host) and fits 80 columns. Also: whole-call errors are one error whose TargetObject
# sends its files again, and once a server is unreachable the remaining batches fail at once.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # Tests here send the same files again to one company to meet each case: -Force by default, or the re-run rule
    # would skip them as already stored (re-runs are tested in ReRuns.Tests.ps1).
    $PSDefaultParameterValues = @{ 'Send-CodatFile:Force' = $true }
    $wrongKey = @{ ApiKey = (Get-TestApiKey $emulator -Wrong); ServerUrl = $emulator.BaseUrl }

    # A loopback port nothing listens on: taken, then let go.
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $deadPort = $listener.LocalEndpoint.Port; $listener.Stop()
    $deadServer = @{ ApiKey = $conn.ApiKey; ServerUrl = "http://127.0.0.1:$deadPort" }

    $company = New-TestCompany $emulator
    $in = Join-Path $work.FullName 'in'
    $good = @(1..3 | ForEach-Object { New-TestFile -Directory $in -Name "good$_.pdf" -Length (100 * $_) })
    $empty = New-TestFile -Directory $in -Name 'empty.pdf' -Length 0
    $notes = New-TestFile -Directory $in -Name 'notes.txt' -Length 30

    # A company with three files to save, and its archive with one of them taken out.
    $saved = New-TestCompany $emulator
    Send-TestFile $emulator $saved $good.FullName
    $zipDir = Join-Path $work.FullName 'zip'
    $null = Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath $zipDir -AsArchive @conn -ErrorAction Stop -InformationAction Ignore
    $zipPath = Join-Path $zipDir "$($saved.CompanyId).zip"
    $zip = [IO.Compression.ZipFile]::Open($zipPath, 'Update')
    try { @($zip.Entries | Where-Object Name -EQ 'good2.pdf')[0].Delete() } finally { $zip.Dispose() }
    $zipLackingOne = [IO.File]::ReadAllBytes($zipPath)

    function Invoke-Summarized {
        <#
        Runs the call with every stream merged, and sorts what it wrote: result objects, errors, warnings, the
        summary record, and the record that came last.
        #>
        param([scriptblock] $ScriptBlock)
        $all = @(& $ScriptBlock *>&1)
        $summaries = @($all | Where-Object { $_ -is [Management.Automation.InformationRecord] -and $_.Tags -contains 'CodatFiles.Summary' })
        [pscustomobject]@{
            Output    = @($all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] -and $_ -isnot [Management.Automation.WarningRecord] -and
                    $_ -isnot [Management.Automation.InformationRecord] -and $_ -isnot [Management.Automation.VerboseRecord] })
            Errors    = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
            Warnings  = @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] })
            Summaries = $summaries
            Last      = $all[-1]
        }
    }

    function New-Destination { Join-Path $work.FullName ('out-' + [guid]::NewGuid().ToString('n').Substring(0, 8)) }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'The summary equals what the call wrote' {
    BeforeEach { Clear-TestFault $emulator }

    It '<Name>: <Done> done, <Failed> failed, <Skipped> skipped from <Errors> errors' -TestCases @(
        @{ Name = 'Send, bad input files'; Done = 1; Failed = 2; Skipped = 0; Errors = 2; Run = {
                Send-CodatFile -LiteralPath $good[0].FullName, $empty.FullName, $notes.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn } }
        @{ Name = 'Send, 400 refusing the request'; Done = 0; Failed = 2; Skipped = 0; Errors = 2; Run = {
                Add-TestFault $emulator -Operation upload-files -Status 400
                Send-CodatFile -LiteralPath $good[0..1].FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -MaximumRetryCount 0 } }
        @{ Name = 'Send, 401 for the key'; Done = 0; Failed = 3; Skipped = 0; Errors = 1; Run = {
                Send-CodatFile -LiteralPath $good.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @wrongKey -BatchSize 1 } }
        @{ Name = 'Send, 403 for the company'; Done = 0; Failed = 3; Skipped = 0; Errors = 1; Run = {
                Add-TestFault $emulator -Operation upload-files -Status 403 -Count 10
                Send-CodatFile -LiteralPath $good.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -BatchSize 1 } }
        @{ Name = 'Send, 404 company'; Done = 0; Failed = 3; Skipped = 0; Errors = 1; Run = {
                Send-CodatFile -LiteralPath $good.FullName -CompanyId ([guid]::NewGuid()) -ConnectionId $company.ConnectionId @conn -BatchSize 1 } }
        @{ Name = 'Send, 404 connection'; Done = 0; Failed = 2; Skipped = 0; Errors = 1; Run = {
                Send-CodatFile -LiteralPath $good[0..1].FullName -CompanyId $company.CompanyId -ConnectionId ([guid]::NewGuid()) @conn -BatchSize 1 } }
        @{ Name = 'Send, 503 past the retries'; Done = 0; Failed = 2; Skipped = 0; Errors = 2; Run = {
                Add-TestFault $emulator -Operation upload-files -Status 503 -Count 10
                Send-CodatFile -LiteralPath $good[0..1].FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -MaximumRetryCount 0 } }
        @{ Name = 'Send, unreachable server'; Done = 0; Failed = 3; Skipped = 0; Errors = 1; Run = {
                Send-CodatFile -LiteralPath $good.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @deadServer -BatchSize 1 -MaximumRetryCount 0 } }
        @{ Name = 'Send, -WhatIf'; Done = 0; Failed = 0; Skipped = 3; Errors = 0; Run = {
                Send-CodatFile -LiteralPath $good.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -WhatIf } }
        @{ Name = 'Save, whole company'; Done = 3; Failed = 0; Skipped = 0; Errors = 0; Run = {
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath (New-Destination) @conn } }
        @{ Name = 'Save, archive missing a listed file'; Done = 2; Failed = 1; Skipped = 0; Errors = 1; Run = {
                Add-TestFault $emulator -Operation download-files -Kind raw-body -RawBody $zipLackingOne
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath (New-Destination) @conn } }
        @{ Name = 'Save -Date, the day archive lacks a file the whole-company archive has'; Done = 3; Failed = 0; Skipped = 0; Errors = 0; Run = {
                Add-TestFault $emulator -Operation download-files -Kind raw-body -RawBody $zipLackingOne -Count 1
                Save-CodatFiles -CompanyId $saved.CompanyId -Date ([datetime]::UtcNow) -DestinationPath (New-Destination) @conn } }
        @{ Name = 'Save -Date, archive missing a listed file'; Done = 2; Failed = 1; Skipped = 0; Errors = 1; Run = {
                # The day's archive and then the whole-company archive (asked next) both lack it.
                Add-TestFault $emulator -Operation download-files -Kind raw-body -RawBody $zipLackingOne -Count 2
                Save-CodatFiles -CompanyId $saved.CompanyId -Date ([datetime]::UtcNow) -DestinationPath (New-Destination) @conn } }
        @{ Name = 'Save, 503 past the retries'; Done = 0; Failed = 3; Skipped = 0; Errors = 1; Run = {
                Add-TestFault $emulator -Operation download-files -Status 503 -Count 5
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath (New-Destination) @conn -MaximumRetryCount 0 } }
        @{ Name = 'Save, 404 company'; Done = 0; Failed = 1; Skipped = 0; Errors = 1; Run = {
                Save-CodatFiles -CompanyId ([guid]::NewGuid()) -DestinationPath (New-Destination) @conn } }
        @{ Name = 'Save, -WhatIf'; Done = 0; Failed = 0; Skipped = 3; Errors = 0; Run = {
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath (New-Destination) @conn -WhatIf } }
        @{ Name = 'Save -AsArchive'; Done = 1; Failed = 0; Skipped = 0; Errors = 0; Run = {
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath (New-Destination) @conn -AsArchive } }
        @{ Name = 'Save -AsArchive, 503 past the retries'; Done = 0; Failed = 1; Skipped = 0; Errors = 1; Run = {
                Add-TestFault $emulator -Operation download-files -Status 503 -Count 5
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath (New-Destination) @conn -AsArchive -MaximumRetryCount 0 } }
        @{ Name = 'Save -AsArchive, a folder where the zip goes'; Done = 0; Failed = 1; Skipped = 0; Errors = 1; Run = {
                $d = New-Destination
                $null = New-Item -ItemType Directory -Path (Join-Path $d "$($saved.CompanyId).zip")
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath $d @conn -AsArchive } }
        @{ Name = 'Save -AsArchive, the zip exists'; Done = 0; Failed = 1; Skipped = 0; Errors = 1; Run = {
                $d = New-Destination
                $null = New-Item -ItemType Directory -Path $d
                Set-Content -LiteralPath (Join-Path $d "$($saved.CompanyId).zip") -Value 'kept'
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath $d @conn -AsArchive } }
        @{ Name = 'Save -AsArchive, -WhatIf'; Done = 0; Failed = 0; Skipped = 1; Errors = 0; Run = {
                Save-CodatFiles -CompanyId $saved.CompanyId -DestinationPath (New-Destination) @conn -AsArchive -WhatIf } }
    ) {
        $run = Invoke-Summarized $Run
        $run.Summaries | Should -HaveCount 1
        $summary = $run.Summaries[0].MessageData

        $run.Output | Should -HaveCount $Done
        $run.Errors | Should -HaveCount $Errors
        $summary.FilesDone | Should -Be $run.Output.Count
        $summary.FilesFailed | Should -Be $Failed
        $summary.FilesSkipped | Should -Be $Skipped
        # Every error written is in the summary's failures, which add up to its failed count.
        ($summary.Failures | Measure-Object -Property Errors -Sum).Sum + 0 | Should -Be $run.Errors.Count
        ($summary.Failures | Measure-Object -Property Files -Sum).Sum + 0 | Should -Be $summary.FilesFailed
        $idsWritten = @($run.Errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] } | Sort-Object -Unique)
        @($summary.Failures.ErrorId | Sort-Object -Unique) | Should -Be $idsWritten

        # Shown as Write-Host's output is, and readable at 80 columns.
        $run.Summaries[0].Tags | Should -Contain 'PSHOST'
        $summary | Should -BeOfType ([Management.Automation.HostInformationMessage])
        foreach ($line in $summary.Message -split '\r?\n') { $line.Length | Should -BeLessOrEqual 80 -Because $line }

        if ($Failed -gt 0) {
            $run.Warnings | Should -HaveCount 1
            $run.Last | Should -BeOfType ([Management.Automation.WarningRecord]) -Because 'the call ends with the warning'
            # Worded as the summary words it: Send-CodatFile's files already stored, Save-CodatFiles' up to date.
            $upToDate = if ($summary.Command -eq 'Send-CodatFile') { 'already stored' } else { 'up to date' }
            "$($run.Warnings[0])" | Should -Match "^$($summary.Command): $Failed of \d+ files? failed \($Done done, 0 $upToDate, $Skipped skipped\)"
        } else {
            $run.Warnings | Should -HaveCount 0
        }
    }
}

Describe 'Whole-call errors' {
    BeforeEach { Clear-TestFault $emulator }

    It 'a refused key is one error for the files of every company, and its TargetObject sends each one again where it was going' {
        $other = New-TestCompany $emulator
        $run = Invoke-Summarized {
            $good[0..1] | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @wrongKey -BatchSize 1
        }
        $e = @($run.Errors)[0]
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.Unauthorized,'
        @($e.TargetObject) | Should -HaveCount 2
        $e.ErrorDetails.Message | Should -Match ([regex]::Escape("from '$in' to company $($company.CompanyId)"))

        # Per-file errors from a call to two companies carry their own company and connection too.
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 2
        $perFile = Invoke-Summarized {
            $good[2].FullName | Send-CodatFile -CompanyId $other.CompanyId -ConnectionId $other.ConnectionId @conn -MaximumRetryCount 0
        }
        $perFile.Errors[0].TargetObject.CompanyId | Should -Be $other.CompanyId
        $perFile.Errors[0].ErrorDetails.Message | Should -Match ([regex]::Escape("$($good[2].FullName)' to company $($other.CompanyId)"))

        $again = @(@($e.TargetObject) + @($perFile.Errors.TargetObject) | Send-CodatFile @conn -ErrorAction Stop -InformationAction Ignore)
        $again | Should -HaveCount 3
        # The error lists its files in the order their batches failed: -BatchSize 1 sent them at once, so either order.
        @($again | Where-Object CompanyId -EQ $company.CompanyId).FileName | Sort-Object | Should -Be @('good1.pdf', 'good2.pdf')
        @($again | Where-Object CompanyId -EQ $other.CompanyId).FileName | Should -Be @('good3.pdf')
        @($again | Where-Object CompanyId -EQ $other.CompanyId).ConnectionId | Should -Be $other.ConnectionId
    }

    It 'once the server is unreachable past the retries, the remaining batches fail at once under the same error' {
        $run = Invoke-Summarized {
            Send-CodatFile -LiteralPath $good.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @deadServer `
                -BatchSize 1 -ThrottleLimit 1 -MaximumRetryCount 2 -RetryIntervalSec 0.05
        }
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.ConnectionFailed,'
        @($run.Errors[0].TargetObject) | Should -HaveCount 3
        $summary = $run.Summaries[0].MessageData
        $summary.Retries | Should -Be 2 -Because 'only the first batch tried (once and two retries); the other two were not sent'
        $summary.FilesFailed | Should -Be 3
    }
}

Describe 'The summary is shown by default' {
    It 'a console shows it without -InformationAction, and -InformationAction Ignore silences it' {
        $file = New-TestFile -Directory (Join-Path $work.FullName 'shown') -Name 'shown.pdf' -Length 10
        # Run here, on this console's host, with a console's default preference. The host shows an information record
        # tagged PSHOST unless its preference is Ignore, and a transcript records it on exactly those terms, so the
        # transcript of each call holds what the console showed.
        $InformationPreference = 'SilentlyContinue'
        $send = @{ LiteralPath = $file.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId; Force = $false }
        $lines = foreach ($call in @{}, @{ InformationAction = 'Ignore' }) {
            , @(Get-TestHostOutput { Send-CodatFile @send @conn @call })
        }
        @($lines[0] | Where-Object { $_ -match '^Send-CodatFile: 1 file done' }) | Should -HaveCount 1
        @($lines[1] | Where-Object { $_ -match 'Send-CodatFile:' }) | Should -HaveCount 0
    }
}
