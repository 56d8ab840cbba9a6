# Ctrl+C in every shape of pipeline: Stop() returns within 1 s whatever surrounds the cmdlet (Select-Object -First
# upstream or downstream, progress shown or silenced, one request at a time or many, output piped on), leaves nothing
# partial and the runspace still works; a Select-Object -First downstream cancels the uploads still in flight. Each
# command runs in its own [powershell] instance that imported the module (Start-InRunspace).
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # $company holding $files (the shapes that save, and the save run after each of their stops, need some), and a temp
    # folder of this file's own ($privateTemp): a stopped download must leave no temporary archive.
    . (Join-Path $PSScriptRoot 'CancellationFixture.ps1')
}

AfterAll {
    Exit-TestPrivateTemp $privateTemp
    Stop-TestFile $emulator $work
}

Describe 'Stopping any shape of pipeline' {
    # Ctrl+C (PowerShell.Stop()) must return within 1 s whatever surrounds the cmdlet: input through Select-Object
    # -First (which ends the upstream commands with StopUpstreamCommandsException, after which PowerShell no longer
    # calls StopProcessing, and the cmdlet's EndProcessing drains its work), progress shown or silenced, one request
    # at a time or many, output piped on. Each case holds its request at the emulator (a 30 s delay, as in the report
    # of issue 8), waits until the emulator has it, stops, measures Stop() alone, checks that nothing partial was
    # left, then runs a command in the same runspace.
    BeforeAll {
        $stopSource = Join-Path $work.FullName 'shape-src'
        $stopFiles = 1..3 | ForEach-Object { New-TestFile -Directory $stopSource -Name "shape$_.pdf" -Length 20000 }
        $stopTimes = [Collections.Generic.List[string]]::new()
    }
    AfterAll {
        # The figures of the report: Stop() per shape.
        $stopTimes | ForEach-Object { Write-Host "  Stop(): $_" }
    }
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'Stop() returns within 1 s: <Name>' -TestCases @(
        @{ Name = 'Send, input through Select-Object -First, progress silenced'; Operation = 'upload-files'; Family = 'send'
           Script = '$ProgressPreference = "SilentlyContinue"; Get-Item -LiteralPath $Paths | Select-Object -First 2 | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force' }
        @{ Name = 'Send, input through Select-Object -First, progress shown'; Operation = 'upload-files'; Family = 'send'
           Script = 'Get-Item -LiteralPath $Paths | Select-Object -First 2 | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force' }
        @{ Name = 'Send, input through Select-Object -First, -ThrottleLimit 1 -BatchSize 1, progress silenced'; Operation = 'upload-files'; Family = 'send'
           Script = '$ProgressPreference = "SilentlyContinue"; Get-Item -LiteralPath $Paths | Select-Object -First 2 | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -ThrottleLimit 1 -BatchSize 1' }
        @{ Name = 'Send -ThrottleLimit 1, progress shown'; Operation = 'upload-files'; Family = 'send'
           Script = 'Send-CodatFile -LiteralPath $Paths -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -ThrottleLimit 1 -BatchSize 1' }
        @{ Name = 'Send, progress silenced'; Operation = 'upload-files'; Family = 'send'
           Script = '$ProgressPreference = "SilentlyContinue"; Send-CodatFile -LiteralPath $Paths -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -BatchSize 1' }
        @{ Name = 'Send piped on to ForEach-Object, progress silenced'; Operation = 'upload-files'; Family = 'send'
           Script = '$ProgressPreference = "SilentlyContinue"; Send-CodatFile -LiteralPath $Paths -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -BatchSize 1 | ForEach-Object { $_ }' }
        @{ Name = 'Send piped on to Select-Object -First 1, progress silenced'; Operation = 'upload-files'; Family = 'send'
           Script = '$ProgressPreference = "SilentlyContinue"; Send-CodatFile -LiteralPath $Paths -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -BatchSize 1 | Select-Object -First 1' }
        @{ Name = 'Send between Select-Object -First on both sides, progress silenced'; Operation = 'upload-files'; Family = 'send'
           Script = '$ProgressPreference = "SilentlyContinue"; Get-Item -LiteralPath $Paths | Select-Object -First 2 | Send-CodatFile -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force | Select-Object -First 1' }
        @{ Name = 'Save extracted, progress silenced'; Operation = 'download-files'; Family = 'save'
           Script = '$ProgressPreference = "SilentlyContinue"; Save-CodatFiles -CompanyId $CompanyId -DestinationPath $Destination -ApiKey $ApiKey -ServerUrl $ServerUrl' }
        @{ Name = 'Save -AsArchive, progress silenced'; Operation = 'download-files'; Family = 'save'
           Script = '$ProgressPreference = "SilentlyContinue"; Save-CodatFiles -CompanyId $CompanyId -DestinationPath $Destination -ApiKey $ApiKey -ServerUrl $ServerUrl -AsArchive' }
        @{ Name = 'Save -AsArchive piped on to ForEach-Object, progress shown'; Operation = 'download-files'; Family = 'save'
           Script = 'Save-CodatFiles -CompanyId $CompanyId -DestinationPath $Destination -ApiKey $ApiKey -ServerUrl $ServerUrl -AsArchive | ForEach-Object { $_ }' }
        @{ Name = 'Get-CodatFileList piped into Save, progress silenced'; Operation = 'download-files'; Family = 'save'
           Script = '$ProgressPreference = "SilentlyContinue"; Get-CodatFileList -CompanyId $CompanyId -ApiKey $ApiKey -ServerUrl $ServerUrl | Save-CodatFiles -DestinationPath $Destination -ApiKey $ApiKey -ServerUrl $ServerUrl' }
        @{ Name = 'Get-CodatFileList through Select-Object -First into Save, progress silenced'; Operation = 'download-files'; Family = 'save'
           Script = '$ProgressPreference = "SilentlyContinue"; Get-CodatFileList -CompanyId $CompanyId -ApiKey $ApiKey -ServerUrl $ServerUrl | Select-Object -First 1 | Save-CodatFiles -DestinationPath $Destination -ApiKey $ApiKey -ServerUrl $ServerUrl' }
        @{ Name = 'Get-CodatFileList through Select-Object -First into Save -AsArchive, progress shown'; Operation = 'download-files'; Family = 'save'
           Script = 'Get-CodatFileList -CompanyId $CompanyId -ApiKey $ApiKey -ServerUrl $ServerUrl | Select-Object -First 1 | Save-CodatFiles -DestinationPath $Destination -ApiKey $ApiKey -ServerUrl $ServerUrl -AsArchive' }
        @{ Name = 'Get-CodatFileList (held) piped into Save, progress silenced'; Operation = 'list-files'; Family = 'save'
           Script = '$ProgressPreference = "SilentlyContinue"; $CompanyId | Get-CodatFileList -ApiKey $ApiKey -ServerUrl $ServerUrl | Save-CodatFiles -DestinationPath $Destination -ApiKey $ApiKey -ServerUrl $ServerUrl' }
        @{ Name = 'Get-CodatFileList piped on to Select-Object -First 1'; Operation = 'list-files'; Family = 'list'
           Script = 'Get-CodatFileList -CompanyId $CompanyId -ApiKey $ApiKey -ServerUrl $ServerUrl | Select-Object -First 1' }
    ) {
        Add-TestFault $emulator -Operation $Operation -Kind 'delay' -DelayMs 30000 -Count 10
        $dest = Join-Path $work.FullName ('shape-dest-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $tempBefore = @(Get-TemporaryDownload)
        $parameters = @{ Paths = [string[]] $stopFiles.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId
            ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; Destination = $dest }
        $script = [scriptblock]::Create("param(`$Paths, `$CompanyId, `$ConnectionId, `$ApiKey, `$ServerUrl, `$Destination) $Script")
        $run = Start-InRunspace $script $parameters
        try {
            Wait-InRunspaceRequest $emulator $run $Operation -Held -TimeoutMs 20000
            $elapsed = Stop-InRunspace $run
            $stopTimes.Add(('{0,5:0} ms  {1}' -f $elapsed.TotalMilliseconds, $Name))
            # Measured on Stop() alone; the 1 s holds on the suite's 2-core machine under load (figures in the output).
            $elapsed.TotalSeconds | Should -BeLessThan 1 -Because "Stop() must not wait for the held $Operation request"
            $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
            $run.Output.Count | Should -Be 0

            # Nothing partial: no file in or beside the destination, no temporary archive, nothing new beside the sources.
            Get-TestFileTree $dest | Should -BeNullOrEmpty
            Test-Path -LiteralPath $dest | Should -BeFalse -Because 'a destination created for nothing is removed again'
            @(Get-TemporaryDownload | Where-Object { $_ -notin $tempBefore }) | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $stopSource -Force).Name | Sort-Object | Should -Be @('shape1.pdf', 'shape2.pdf', 'shape3.pdf')

            # The runspace still works: the same family of command, now unhindered.
            Clear-TestFault $emulator
            $run.PowerShell.Commands.Clear()
            $after = switch ($Family) {
                'send' {
                    $one = New-TestFile -Directory (Join-Path $work.FullName ('shape-after-' + [guid]::NewGuid().ToString('n').Substring(0, 8))) -Name 'after.pdf' -Length 100
                    $run.PowerShell.AddCommand('Send-CodatFile').AddParameters(@{ LiteralPath = $one.FullName; CompanyId = $company.CompanyId; Force = $true
                        ConnectionId = $company.ConnectionId; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl }).Invoke()
                }
                'save' {
                    $run.PowerShell.AddCommand('Save-CodatFiles').AddParameters(@{ CompanyId = $company.CompanyId; DestinationPath = $dest
                        ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; AsArchive = $true }).Invoke()
                }
                'list' {
                    $run.PowerShell.AddCommand('Get-CodatFileList').AddParameters(@{ CompanyId = $company.CompanyId; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl }).Invoke()
                }
            }
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            @($after).Count | Should -BeGreaterThan 0 -Because 'the next command in the same runspace works'
        } finally {
            $run.PowerShell.Dispose()
            if (Test-Path -LiteralPath $dest) { Remove-Item -LiteralPath $dest -Recurse -Force }
        }
    }
}

Describe 'A downstream Select-Object -First ending Send-CodatFile' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'cancels the uploads still in flight instead of waiting for them, without an error (progress <Progress>)' -TestCases @(
        @{ Progress = 'SilentlyContinue' }, @{ Progress = 'Continue' }
    ) {
        # Three one-file requests at once; the emulator holds the first two that arrive for 30 s and answers the third,
        # whose result reaches Select-Object -First 1, which ends the pipeline (WriteObject throws inside the cmdlet).
        $tag = [guid]::NewGuid().ToString('n').Substring(0, 8)
        $three = 1..3 | ForEach-Object { New-TestFile -Directory (Join-Path $work.FullName "first-$tag") -Name "first$_-$tag.pdf" -Length 5000 }
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay' -DelayMs 30000 -Count 2
        $script = {
            param($Paths, $CompanyId, $ConnectionId, $ApiKey, $ServerUrl, $Progress)
            $ProgressPreference = $Progress
            Send-CodatFile -LiteralPath $Paths -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -BatchSize 1 | Select-Object -First 1
        }
        $run = Start-InRunspace $script @{ Paths = [string[]] $three.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId
            ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; Progress = $Progress }
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $run.Async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20)) | Should -BeTrue -Because 'the held uploads are cancelled, not waited for'
            $watch.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the two held uploads would take 30 s'
            $run.PowerShell.EndInvoke($run.Async) | Out-Null
            $run.PowerShell.InvocationStateInfo.State | Should -Be 'Completed'
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $run.Output.Count | Should -Be 1
            @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object fault -EQ 'delay').Count | Should -Be 2
            # Only the answered upload was stored: the held ones ended with the pipeline.
            $stored = @(Get-CodatFileList -CompanyId $company.CompanyId @conn -ErrorAction Stop | Where-Object FileName -In $three.Name)
            $stored.Count | Should -Be 1
            $stored[0].FileName | Should -Be $run.Output[0].FileName
        } finally { $run.PowerShell.Dispose() }
    }
}
