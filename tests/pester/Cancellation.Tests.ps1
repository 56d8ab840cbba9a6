# Ctrl+C equivalent: a pipeline stopped while a cmdlet waits on the API (or on a retry) ends quickly and leaves
# no partial or temporary files. Each command runs in its own [powershell] instance that imported the module.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $work = New-TestDirectory
    $company = New-TestCompany $emulator
    $src = Join-Path $work.FullName 'src'
    $files = 1..3 | ForEach-Object { New-TestFile -Directory $src -Name "cancel$_.pdf" -Length 20000 }
    Send-TestFile $emulator $company $files.FullName
    $modulePath = Get-TestModulePath

    # These tests assert that a stopped Save-CodatFiles leaves no temporary archive in the temp folder. The machine's
    # shared temp folder also holds the archives of any other download running at the same time (another test run,
    # a script using CodatFiles), which such an assertion would take for this test's leftovers. So the stopped
    # commands (runspaces of this process) stage their archives in a temp folder of this file's own.
    $sharedTempVariables = @{}
    foreach ($name in 'TMPDIR', 'TEMP', 'TMP') { $sharedTempVariables[$name] = [Environment]::GetEnvironmentVariable($name) }
    $privateTemp = New-TestDirectory -Name ('cancel-temp-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    foreach ($name in $sharedTempVariables.Keys) { [Environment]::SetEnvironmentVariable($name, $privateTemp.FullName) }
    if ([IO.Path]::GetTempPath().TrimEnd('/', '\') -ne $privateTemp.FullName.TrimEnd('/', '\')) { throw "The private temp folder did not take effect: $([IO.Path]::GetTempPath())" }

    function Start-InRunspace {
        # Starts a script in a fresh [powershell] that has imported the module; returns the instance and its async result.
        param([scriptblock] $ScriptBlock, [hashtable] $Parameters)
        $ps = [powershell]::Create()
        $ps.AddCommand('Import-Module').AddParameter('Name', $modulePath).AddParameter('ErrorAction', 'Stop').Invoke() | Out-Null
        $ps.Commands.Clear()
        $ps.AddScript($ScriptBlock.ToString()).AddParameters($Parameters) | Out-Null
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
        [pscustomobject]@{ PowerShell = $ps; Async = $async; Output = $output }
    }

    function Stop-InRunspace {
        # Stops the pipeline as Ctrl+C does; returns how long Stop() took (TimeSpan).
        param($Run)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $Run.PowerShell.Stop()
        $watch.Stop()
        $watch.Elapsed
    }

    function Wait-ForRequest {
        # Waits until the emulator has received a request of the operation (so the cmdlet is really inside the call).
        # Fails the test at once when the command ended instead (e.g. with an error).
        param($Run, [string] $Operation, [int] $TimeoutMs = 10000)
        $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
        while ([DateTime]::UtcNow -lt $deadline) {
            if (@(Get-TestRequestLog $emulator -Operation $Operation).Count -gt 0) { return }
            if ($Run.Async.IsCompleted) { break }
            Start-Sleep -Milliseconds 50
        }
        $errors = @($Run.PowerShell.Streams.Error) + @($Run.PowerShell.InvocationStateInfo.Reason | Where-Object { $_ })
        throw "No $Operation request reached the emulator; state $($Run.PowerShell.InvocationStateInfo.State); errors: $($errors -join ' | ')"
    }

    function Get-TemporaryDownload {
        # Save-CodatFiles streams an archive to extract to <temp>/.<companyId>[_<day>].zip.<8 hex>.partial (the
        # module's one temporary name). Only those files, and only in this file's private temp folder (see BeforeAll).
        Get-ChildItem -LiteralPath ([IO.Path]::GetTempPath()) -File -Force -ErrorAction SilentlyContinue |
            Where-Object Name -CMatch '^\.[0-9a-f-]{36}(_\d{4}-\d{2}-\d{2})?\.zip\.[0-9a-f]{8}\.partial$' | ForEach-Object FullName
    }

    function Stop-WhileRequestHeld {
        <# Waits until the command's request reached the emulator, stops the pipeline (Ctrl+C) and checks it stopped at once. #>
        param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string] $Operation)
        Wait-ForRequest $Run $Operation
        Start-Sleep -Milliseconds 300
        $elapsed = Stop-InRunspace $Run
        $elapsed.TotalSeconds | Should -BeLessThan 3
        $Run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
    }

    $sendScript = {
        param($Paths, $CompanyId, $ConnectionId, $ApiKey, $ServerUrl, $BatchSize)
        Send-CodatFile -LiteralPath $Paths -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -BatchSize $BatchSize
    }

    $saveScript = {
        param($CompanyId, $DestinationPath, $ApiKey, $ServerUrl, $AsArchive)
        Save-CodatFiles -CompanyId $CompanyId -DestinationPath $DestinationPath -ApiKey $ApiKey -ServerUrl $ServerUrl -AsArchive:$AsArchive
    }
}

AfterAll {
    foreach ($name in $sharedTempVariables.Keys) { [Environment]::SetEnvironmentVariable($name, $sharedTempVariables[$name]) }
    Remove-Item -LiteralPath $privateTemp.FullName -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Stopping Save-CodatFiles' {
    BeforeEach { Clear-TestFault $emulator; Clear-TestRequestLog $emulator }

    It 'stops quickly during a held download and leaves no files (AsArchive: <AsArchive>)' -TestCases @(
        @{ AsArchive = $false }, @{ AsArchive = $true }
    ) {
        Add-TestFault $emulator -Operation 'download-files' -Kind 'delay' -DelayMs 5000
        $dest = Join-Path $work.FullName ('save-stop-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $tempBefore = @(Get-TemporaryDownload)
        $run = Start-InRunspace $saveScript @{ CompanyId = $company.CompanyId; DestinationPath = $dest; ApiKey = $conn.ApiKey; ServerUrl = $conn.ServerUrl; AsArchive = $AsArchive }
        try {
            Stop-WhileRequestHeld $run 'download-files'
            $run.Output.Count | Should -Be 0
            # Give a late writer the chance to show itself, then look for any file, hidden or temporary.
            Start-Sleep -Milliseconds 5500
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
