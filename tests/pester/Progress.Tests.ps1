# Write-Progress of Send-CodatFile and Save-CodatFiles, read from the Progress stream of a [powershell] instance
# with the time each record arrived: every bar is closed (also after failures and under -ErrorAction Stop), few
# activity ids, at most one update per bar every 250 ms, none of a script's own bars touched, nothing when
# $ProgressPreference is SilentlyContinue. The overall status line within 80 columns: ProgressStatusLine.Tests.ps1.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $modulePath = Get-TestModulePath
    $work = New-TestDirectory

    function Add-ArrivalStamp {
        <#
        Stamps each record added to a Progress stream as it arrives: a queue of (Stopwatch timestamp, index) pairs.
        DataAdded is raised on the other runspace's pipeline thread, where a script block cannot run, so the handler
        is a delegate compiled from an expression tree (no script, and no C# compiler to load).
        #>
        param([Parameter(Mandatory)] [AllowEmptyCollection()] [Management.Automation.PSDataCollection[Management.Automation.ProgressRecord]] $Stream)
        $x = [Linq.Expressions.Expression]
        $arrivals = [Collections.Concurrent.ConcurrentQueue[long[]]]::new()
        $added = $x::Parameter([Management.Automation.DataAddedEventArgs], 'e')
        $stamp = $x::NewArrayInit([long], [Linq.Expressions.Expression[]] @(
                $x::Call([Diagnostics.Stopwatch].GetMethod('GetTimestamp')), $x::Convert($x::Property($added, 'Index'), [long])))
        $enqueue = $x::Call($x::Constant($arrivals), $arrivals.GetType().GetMethod('Enqueue'), $stamp)
        $parameters = [Linq.Expressions.ParameterExpression[]] @(($x::Parameter([object], 'sender')), $added)
        $Stream.add_DataAdded($x::Lambda([EventHandler[Management.Automation.DataAddedEventArgs]], $enqueue, $parameters).Compile())
        , $arrivals
    }

    function Invoke-WithProgress {
        <#
        Runs a script in a fresh runspace with the module imported and $ProgressPreference set; returns Progress (each
        Record and the Milliseconds at which it arrived, in arrival order), Output, Errors and Thrown (a terminating
        error's message).
        #>
        param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [hashtable] $Parameters = @{}, [string] $Preference = 'Continue')
        $ps = [powershell]::Create()
        $arrivals = Add-ArrivalStamp $ps.Streams.Progress
        $started = [Diagnostics.Stopwatch]::GetTimestamp()
        $thrown = $null
        $output = $null
        try {
            # Imported with progress off, so every record captured comes from the script under test.
            $null = $ps.AddScript('param($ModulePath) $ProgressPreference = "SilentlyContinue"; Import-Module $ModulePath -ErrorAction Stop').AddArgument($modulePath)
            $null = $ps.AddStatement().AddScript('param($Preference) $ProgressPreference = $Preference').AddArgument($Preference)
            $null = $ps.AddStatement().AddScript($ScriptBlock.ToString()).AddParameters($Parameters)
            try { $output = $ps.Invoke() } catch { $thrown = $_.Exception.Message }
            # In the order the stream holds them, which is the order they were added.
            $progress = @($arrivals.ToArray() | Sort-Object { $_[1] } | ForEach-Object {
                    [pscustomobject]@{ Milliseconds = ($_[0] - $started) * 1000 / [Diagnostics.Stopwatch]::Frequency; Record = $ps.Streams.Progress[[int] $_[1]] }
                })
            [pscustomobject]@{
                Progress = $progress
                Output   = @($output)
                Errors   = @($ps.Streams.Error)
                Thrown   = $thrown
            }
        } finally {
            $ps.Dispose()
        }
    }

    function Assert-ProgressWellBehaved {
        <# The rules every run must follow; -MaxIds is the cmdlet's concurrency plus its overall bar. #>
        param([Parameter(Mandatory)] [object[]] $Progress, [Parameter(Mandatory)] [int] $MaxIds)
        $byId = $Progress | Group-Object { $_.Record.ActivityId }
        $byId.Count | Should -BeGreaterThan 0
        $byId.Count | Should -BeLessOrEqual $MaxIds -Because "ids seen: $($byId.Name -join ', ')"
        foreach ($group in $byId) {
            $records = @($group.Group)
            $records[-1].Record.RecordType | Should -Be 'Completed' -Because "activity id $($group.Name) ('$($records[0].Record.Activity)') must be closed"
            # Updates of one bar while it is open (a Completed record ends a run; the id may be reused later).
            $previousUpdate = $null
            foreach ($entry in $records) {
                if ($entry.Record.RecordType -eq 'Completed') { $previousUpdate = $null; continue }
                if ($null -ne $previousUpdate) {
                    # 250 ms apart by design; 10 ms of slack for timer granularity.
                    ($entry.Milliseconds - $previousUpdate) | Should -BeGreaterOrEqual 240 -Because "activity id $($group.Name) updates at most every 250 ms"
                }
                $previousUpdate = $entry.Milliseconds
            }
        }
    }

    function Get-OverallRecords {
        <# Records of the bar without a parent: the cmdlet's overall bar. #>
        param([Parameter(Mandatory)] [object[]] $Progress)
        $Progress | Where-Object { $_.Record.ParentActivityId -lt 0 } | ForEach-Object Record
    }

    $send = {
        param($Files, $CompanyId, $ConnectionId, $ApiKey, $ServerUrl, $ErrorActionForSend = 'Continue')
        $Files | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force `
            -BatchSize 2 -ThrottleLimit 2 -MaximumRetryCount 0 -ErrorAction $ErrorActionForSend
    }
}

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Send-CodatFile progress' {
    # The tests send the same eight files again and again: -Force, so each call uploads them (the re-run rule would
    # skip them as already stored).
    BeforeAll {
        $company = New-TestCompany $emulator
        $files = 1..8 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName 'send') -Name "progress-$_.pdf" -Length 40000 }
        $parameters = @{
            Files = $files.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId
            ApiKey = (Get-TestApiKey $emulator); ServerUrl = $emulator.BaseUrl
        }
    }
    BeforeEach {
        Clear-TestFault $emulator
        # Four batches of two, two at a time, each request held 700 ms: the call lasts about 1.5 s.
        Add-TestFault $emulator -Operation 'upload-files' -Kind delay -DelayMs 700 -Count 4
    }
    AfterAll { Clear-TestFault $emulator }

    It 'closes every bar, uses at most ThrottleLimit+1 ids and updates each at most every 250 ms' {
        $run = Invoke-WithProgress $send $parameters
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 8
        Assert-ProgressWellBehaved $run.Progress -MaxIds 3
        @($run.Progress | Where-Object { $_.Record.RecordType -ne 'Completed' }).Count | Should -BeGreaterThan 2 -Because 'a 1.5 s call shows its progress'
    }

    It 'shows files and bytes in the overall bar, which has no parent; transfer bars are its children' {
        $run = Invoke-WithProgress $send $parameters
        $overall = @(Get-OverallRecords $run.Progress)
        $overall.Count | Should -BeGreaterThan 0
        @($overall.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        # The total grows while the files are piped in, so early updates may say "0 of 1 files".
        $statuses = @($overall | Where-Object RecordType -NE 'Completed' | ForEach-Object StatusDescription)
        $statuses.Count | Should -BeGreaterThan 0
        @($statuses | Where-Object { $_ -notmatch '^\d+ of \d+ files, [\d.,]+ (B|KB) of [\d.,]+ KB' }) | Should -BeNullOrEmpty
        $statuses[-1] | Should -Match '^\d+ of 8 files, [\d.,]+ (B|KB) of 312[.,]5 KB'
        # PowerShell 7 draws "<activity> [<status> ]" in the console's width: each fits 80 columns.
        @($overall | Where-Object { $_.Activity.Length + $_.StatusDescription.Length + 5 -gt 80 }) | Should -BeNullOrEmpty
        $children = @($run.Progress | ForEach-Object Record | Where-Object ParentActivityId -GE 0)
        $children | Should -Not -BeNullOrEmpty
        @($children.ParentActivityId | Sort-Object -Unique) | Should -Be @($overall[0].ActivityId)
    }

    It 'closes every bar after a failed batch' {
        Clear-TestFault $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Kind delay -DelayMs 700 -Count 2
        Add-TestFault $emulator -Operation 'upload-files' -Kind status -Status 400 -DelayMs 700 -Count 1
        Add-TestFault $emulator -Operation 'upload-files' -Kind delay -DelayMs 700 -Count 1
        $run = Invoke-WithProgress $send $parameters
        $run.Errors.Count | Should -Be 2 -Because 'the two files of the failed batch'
        Assert-ProgressWellBehaved $run.Progress -MaxIds 3
        (Get-OverallRecords $run.Progress)[-1].StatusDescription | Should -Match '2 failed'
    }

    It 'closes every bar when -ErrorAction Stop ends the call at the first failure' {
        Clear-TestFault $emulator
        Add-TestFault $emulator -Operation 'upload-files' -Kind delay -DelayMs 700 -Count 1
        Add-TestFault $emulator -Operation 'upload-files' -Kind status -Status 400 -DelayMs 900 -Count 1
        Add-TestFault $emulator -Operation 'upload-files' -Kind delay -DelayMs 700 -Count 2
        $run = Invoke-WithProgress $send ($parameters + @{ ErrorActionForSend = 'Stop' })
        $run.Thrown | Should -Not -BeNullOrEmpty
        Assert-ProgressWellBehaved $run.Progress -MaxIds 3
    }

    It 'updates the overall bar about every 250 ms while the upload runs, also when results arrive just before an update is due' {
        Clear-TestFault $emulator
        # One file at a time, each request held 450 ms: a result arrives roughly every 470 ms, which woke the
        # pipeline thread a little before the next update was due; the update then waited a whole further period.
        Add-TestFault $emulator -Operation 'upload-files' -Kind delay -DelayMs 450 -Count 7
        $steady = {
            param($Files, $CompanyId, $ConnectionId, $ApiKey, $ServerUrl)
            $Files | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force `
                -BatchSize 1 -ThrottleLimit 1 -MaximumRetryCount 0
        }
        $sevenFiles = $parameters.Clone()
        $sevenFiles.Files = $files[0..6].FullName
        $run = Invoke-WithProgress $steady $sevenFiles
        $run.Errors | Should -BeNullOrEmpty
        Assert-ProgressWellBehaved $run.Progress -MaxIds 2

        $updates = @($run.Progress | Where-Object { $_.Record.ParentActivityId -lt 0 -and $_.Record.RecordType -ne 'Completed' } | ForEach-Object Milliseconds)
        $updates.Count | Should -BeGreaterThan 8 -Because 'a call of about 3 s updates its bar about every 250 ms'
        $gaps = @(for ($i = 1; $i -lt $updates.Count; $i++) { $updates[$i] - $updates[$i - 1] }) | Sort-Object
        $median = $gaps[[int][math]::Floor($gaps.Count / 2)]
        $because = "gaps between updates (ms): $(($gaps | ForEach-Object { [int]$_ }) -join ', ')"
        $median | Should -BeLessThan 400 -Because $because
        # Slack for a loaded two-core machine; the median above is what catches a skipped period.
        $gaps[-1] | Should -BeLessThan 600 -Because $because
    }

    It 'leaves a bar of the calling script alone (its ids are not ours)' {
        $script = {
            param($Files, $CompanyId, $ConnectionId, $ApiKey, $ServerUrl)
            foreach ($id in 0..5) { Write-Progress -Id $id -Activity "Script bar $id" -Status 'working' }
            $Files | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -BatchSize 2 -ThrottleLimit 2
        }
        $run = Invoke-WithProgress $script $parameters
        $scriptIds = 0..5
        $ours = @($run.Progress | Where-Object { $_.Record.Activity -notlike 'Script bar *' })
        $ours | Should -Not -BeNullOrEmpty
        @($ours | Where-Object { $_.Record.ActivityId -in $scriptIds -or $_.Record.ParentActivityId -in $scriptIds }) |
            Should -BeNullOrEmpty -Because 'the cmdlet neither updates nor nests under the script''s bars'
        @($run.Progress | Where-Object { $_.Record.ActivityId -in $scriptIds -and $_.Record.RecordType -eq 'Completed' }) |
            Should -BeNullOrEmpty -Because 'only the script closes its bars'
    }

    It 'writes no progress at all when $ProgressPreference is SilentlyContinue' {
        $run = Invoke-WithProgress $send $parameters -Preference SilentlyContinue
        $run.Output.Count | Should -Be 8
        $run.Progress | Should -BeNullOrEmpty
    }
}

Describe 'Save-CodatFiles progress' {
    BeforeAll {
        $company = New-TestCompany $emulator
        $files = 1..3 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName 'save-source') -Name "saved-$_.pdf" -Length 30000 }
        $conn = Get-TestConnection $emulator
        $files | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop | Out-Null
        $save = {
            param($CompanyId, $ApiKey, $ServerUrl, $DestinationPath)
            Save-CodatFiles -CompanyId $CompanyId -DestinationPath $DestinationPath -ApiKey $ApiKey -ServerUrl $ServerUrl
        }
        $parameters = @{ CompanyId = $company.CompanyId; ApiKey = (Get-TestApiKey $emulator); ServerUrl = $emulator.BaseUrl }
    }
    BeforeEach {
        Clear-TestFault $emulator
        Add-TestFault $emulator -Operation 'download-files' -Kind delay -DelayMs 1200 -Count 1
    }
    AfterAll { Clear-TestFault $emulator }

    It 'closes every bar and updates each at most every 250 ms' {
        $run = Invoke-WithProgress $save ($parameters + @{ DestinationPath = (Join-Path $work.FullName ('save-' + [guid]::NewGuid().ToString('n'))) })
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 3
        # One archive: the overall bar and one transfer bar.
        Assert-ProgressWellBehaved $run.Progress -MaxIds 2
    }

    It 'shows the extraction of an archive of many files on the download bar, whose last update shows the received size' {
        $manyCompany = New-TestCompany $emulator
        $manyDir = Join-Path $work.FullName 'save-many-source'
        $manyFiles = 1..60 | ForEach-Object { New-TestFile -Directory $manyDir -Name "many-$_.pdf" -Length 2000 }
        $manyFiles | Send-CodatFile -CompanyId $manyCompany.CompanyId -ConnectionId $manyCompany.ConnectionId @conn -ErrorAction Stop | Out-Null
        $manyParameters = $parameters.Clone()
        $manyParameters.CompanyId = $manyCompany.CompanyId
        $manyParameters.DestinationPath = Join-Path $work.FullName ('save-many-' + [guid]::NewGuid().ToString('n'))

        $run = Invoke-WithProgress $save $manyParameters
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 60
        Assert-ProgressWellBehaved $run.Progress -MaxIds 2
        $transferUpdates = @($run.Progress | ForEach-Object Record | Where-Object { $_.ParentActivityId -ge 0 -and $_.RecordType -ne 'Completed' })
        $statuses = "transfer bar statuses: $(($transferUpdates.StatusDescription) -join ' | ')"
        @($transferUpdates | Where-Object StatusDescription -Match 'extract') | Should -Not -BeNullOrEmpty -Because $statuses
        $transferUpdates[-1].StatusDescription | Should -Match '^Received [\d.,]+ KB; extracted 60 of 60 files' -Because $statuses
        $transferUpdates[-1].PercentComplete | Should -Be 100
    }

    It 'writes no progress at all when $ProgressPreference is SilentlyContinue' {
        $run = Invoke-WithProgress $save ($parameters + @{ DestinationPath = (Join-Path $work.FullName ('save-' + [guid]::NewGuid().ToString('n'))) }) -Preference SilentlyContinue
        $run.Output.Count | Should -Be 3
        $run.Progress | Should -BeNullOrEmpty
    }
}
