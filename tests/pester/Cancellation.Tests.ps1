# Ctrl+C equivalent in each cmdlet: Save-CodatFiles, Send-CodatFile or Get-CodatFileList stopped while it waits on the
# API (or on a retry) ends quickly and leaves no partial or temporary files, and works again in a new pipeline. Each
# command runs in its own [powershell] instance that imported the module. Pipeline shapes: CancellationShapes.Tests.ps1.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    # $company holding $files, and a temp folder of this file's own ($privateTemp).
    . (Join-Path $PSScriptRoot 'CancellationFixture.ps1')

    function Stop-WhileRequestHeld {
        <# Waits until the command's request reached the emulator, stops the pipeline (Ctrl+C) and checks it stopped at once. #>
        param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string] $Operation)
        Wait-InRunspaceRequest $emulator $Run $Operation
        Start-Sleep -Milliseconds 300
        $elapsed = Stop-InRunspace $Run
        $elapsed.TotalSeconds | Should -BeLessThan 1
        $Run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
    }

    # Every Send here runs with -Force: the company already holds these files (the Save tests download them), and a
    # stop is tested on real uploads, not on files the re-run rule skips.
    $sendScript = {
        param($Paths, $CompanyId, $ConnectionId, $ApiKey, $ServerUrl, $BatchSize)
        Send-CodatFile -LiteralPath $Paths -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -Force -BatchSize $BatchSize
    }

    $saveScript = {
        param($CompanyId, $DestinationPath, $ApiKey, $ServerUrl, $AsArchive)
        Save-CodatFiles -CompanyId $CompanyId -DestinationPath $DestinationPath -ApiKey $ApiKey -ServerUrl $ServerUrl -AsArchive:$AsArchive
    }
}

AfterAll {
    Exit-TestPrivateTemp $privateTemp
    Stop-TestFile $emulator $work
}

Describe 'Stopping Save-CodatFiles' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'stops quickly during a held download and leaves no files (AsArchive: <AsArchive>)' -TestCases @(
        @{ AsArchive = $false }, @{ AsArchive = $true }
    ) {
        $heldMs = 3000 # the stop comes well within it; the checks wait until a second after the held answer was due
        Add-TestFault $emulator -Operation 'download-files' -Kind 'delay' -DelayMs $heldMs
        $dest = Join-Path $work.FullName ('save-stop-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $tempBefore = @(Get-TemporaryDownload)
        $run = Start-InRunspace $saveScript @{ CompanyId = $company.CompanyId; DestinationPath = $dest; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; AsArchive = $AsArchive }
        try {
            Stop-WhileRequestHeld $run 'download-files'
            $run.Output.Count | Should -Be 0
            # Give a late writer (the held answer, had the stop not cut it off) a second to show itself, then look for any
            # file, hidden or temporary.
            $answerDue = ([DateTimeOffset] @(Get-TestRequestLog $emulator -Operation 'download-files')[0].receivedAt).AddMilliseconds($heldMs)
            Start-Sleep -Milliseconds ([Math]::Max(0, ($answerDue - [DateTimeOffset]::UtcNow).TotalMilliseconds + 1000))
            Get-TestFileTree $dest | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $work.FullName -Force -File | Should -BeNullOrEmpty -Because 'no temporary file beside the destination either'
            @(Get-TemporaryDownload | Where-Object { $_ -notin $tempBefore }) | Should -BeNullOrEmpty -Because 'the temporary archive in the temp folder is removed too'
        } finally { $run.PowerShell.Dispose() }
    }

    It 'stops quickly while waiting for a retry (Retry-After 30)' {
        Add-TestFault $emulator -Operation 'download-files' -Status 503 -RetryAfter '30' -Count 1
        $dest = Join-Path $work.FullName ('save-retry-stop-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $run = Start-InRunspace $saveScript @{ CompanyId = $company.CompanyId; DestinationPath = $dest; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; AsArchive = $false }
        try {
            Stop-WhileRequestHeld $run 'download-files'
            Get-TestFileTree $dest | Should -BeNullOrEmpty
            @(Get-TestRequestLog $emulator -Operation 'download-files').Count | Should -Be 1 -Because 'no retry after the stop'
        } finally { $run.PowerShell.Dispose() }
    }

    It 'still works in a new pipeline after a stop' {
        $dest = Join-Path $work.FullName ('save-after-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -ErrorAction Stop)
        $out.Count | Should -Be 3
        Remove-Item -LiteralPath $dest -Recurse -Force
    }
}

Describe 'Stopping Send-CodatFile' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'stops quickly during a held upload and outputs nothing' {
        Add-TestFault $emulator -Operation 'upload-files' -Kind 'delay' -DelayMs 5000 -Count 10
        $run = Start-InRunspace $sendScript @{ Paths = [string[]] $files.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; BatchSize = 1 }
        try {
            Stop-WhileRequestHeld $run 'upload-files'
            $run.Output.Count | Should -Be 0
        } finally { $run.PowerShell.Dispose() }
    }

    It 'stops quickly during retry waits' {
        Add-TestFault $emulator -Operation 'upload-files' -Status 503 -RetryAfter '30' -Count 10
        $run = Start-InRunspace $sendScript @{ Paths = [string[]] $files.FullName; CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; BatchSize = 20 }
        try {
            Stop-WhileRequestHeld $run 'upload-files'
            $run.Output.Count | Should -Be 0
        } finally { $run.PowerShell.Dispose() }
    }
}

Describe 'Stopping Get-CodatFileList' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'stops quickly during a held list request' {
        Add-TestFault $emulator -Operation 'list-files' -Kind 'delay' -DelayMs 5000
        $listScript = { param($CompanyId, $ApiKey, $ServerUrl) Get-CodatFileList -CompanyId $CompanyId -ApiKey $ApiKey -ServerUrl $ServerUrl }
        $run = Start-InRunspace $listScript @{ CompanyId = $company.CompanyId; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl }
        try {
            Stop-WhileRequestHeld $run 'list-files'
            $run.Output.Count | Should -Be 0
        } finally { $run.PowerShell.Dispose() }
    }
}
