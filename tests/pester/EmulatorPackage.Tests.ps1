# The emulator as Gallery users get it: CodatFiles.Emulator and CodatFiles saved by name from the local repository that
# `build.ps1 -Task Package` fills (out/repo) into an empty folder, imported by name in a fresh pwsh with nothing else on
# PSModulePath, and the Demo's upload, list and download run against the emulator it starts.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
    $gallery = Get-TestGalleryPackage -Name CodatFiles.Emulator
    $version = $gallery.Version
    $package = $gallery.Path
    $shippedCommands = @('Invoke-CodatEmulatorControl', 'Start-CodatEmulator', 'Stop-CodatEmulator')

    $work = New-TestDirectory
    $installed = Join-Path $work.FullName 'modules'
    Save-TestGalleryPackage -Destination $installed -Name CodatFiles.Emulator, CodatFiles

    # In a child pwsh whose PSModulePath is the install folder alone (plus PowerShell's own modules): start the installed
    # emulator (its server's execute bit cleared first, as an unpacked zip leaves it), run the Demo with the installed
    # CodatFiles, steer the emulator with and without its token, stop it. Returns what it saw.
    $session = Invoke-TestChildPowerShell -Script @'
param($ModuleFolder, $DemoScript)
$ErrorActionPreference = 'Stop'
$env:PSModulePath = $ModuleFolder + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
Import-Module CodatFiles.Emulator
$module = Get-Module CodatFiles.Emulator
$server = Get-ChildItem -LiteralPath (Join-Path $module.ModuleBase 'server') -Recurse -File |
    Where-Object { $_.Directory.Name -eq "$(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' })-$("$([Runtime.InteropServices.RuntimeInformation]::OSArchitecture)".ToLowerInvariant())" }
if (-not $IsWindows) { [IO.File]::SetUnixFileMode($server.FullName, [IO.UnixFileMode]'UserRead, UserWrite') }

$emulator = Start-CodatEmulator
# No warm-up here: Start-CodatEmulator returns once the server has answered a first request, so the Demo's first
# call (Connect-Codat's 10 s check) meets a warm server, as a user's would.
$executable = $IsWindows -or ([IO.File]::GetUnixFileMode($server.FullName) -band [IO.UnixFileMode]::UserExecute) -ne 0
$demo = & $DemoScript -ModulePath CodatFiles -ServerUrl $emulator.BaseUrl -ApiKey $emulator.ApiKey *>&1 | Out-String
$codatFiles = Get-Module CodatFiles

$anonymous = Invoke-WebRequest -Uri "$($emulator.BaseUrl)/_emulator/requests" -SkipHttpErrorCheck
$apiKeyAsToken = Invoke-WebRequest -Uri "$($emulator.BaseUrl)/_emulator/faults" -Method Post -Body '{}' -ContentType 'application/json' `
    -Headers @{ Authorization = "Bearer $($emulator.ApiKey)" } -SkipHttpErrorCheck
$wrongToken = try { Invoke-CodatEmulatorControl GET requests -ControlToken 'not-the-token'; 0 } catch { [int] $_.Exception.Response.StatusCode }
$log = @(Invoke-CodatEmulatorControl GET requests)

$basic = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($emulator.ApiKey)) }
$listUri = "$($emulator.BaseUrl)/companies/8a210b68-6988-11ed-a1eb-0242ac120002/files"
$fault = Invoke-CodatEmulatorControl POST faults @{ operation = 'list-files'; kind = 'status'; status = 503; count = 1 }
$faulted = Invoke-WebRequest -Uri $listUri -Headers $basic -SkipHttpErrorCheck
$latency = Invoke-CodatEmulatorControl PUT latency @{ latencyMs = 400 }
$watch = [Diagnostics.Stopwatch]::StartNew()
$slow = Invoke-WebRequest -Uri $listUri -Headers $basic -SkipHttpErrorCheck
$slowMs = $watch.ElapsedMilliseconds
Invoke-CodatEmulatorControl POST reset | Out-Null
$afterReset = @(Invoke-RestMethod -Uri $listUri -Headers $basic | ForEach-Object { $_ })

$processId = $emulator.ProcessId
Stop-CodatEmulator
$stillRunning = [bool] (Get-Process -Id $processId -ErrorAction SilentlyContinue)
$refused = try { Invoke-WebRequest -Uri $listUri -Headers $basic -TimeoutSec 5 | Out-Null; $false } catch { $true }
$noneLeft = try { Invoke-CodatEmulatorControl GET requests; '' } catch { "$_" }
[pscustomobject]@{
    EmulatorBase = $module.ModuleBase; EmulatorVersion = "$($module.Version)"; Exported = @($module.ExportedCommands.Keys | Sort-Object)
    CodatFilesBase = $codatFiles.ModuleBase; BaseUrl = $emulator.BaseUrl; ControlToken = $emulator.ControlToken
    Executable = $executable; Demo = $demo
    Anonymous = [int] $anonymous.StatusCode; ApiKeyAsToken = [int] $apiKeyAsToken.StatusCode; WrongToken = $wrongToken
    Operations = @($log | ForEach-Object operation | Sort-Object -Unique)
    FaultStatus = $fault.status; Faulted = [int] $faulted.StatusCode
    Latency = $latency.latencyMs; Slow = [int] $slow.StatusCode; SlowMs = $slowMs; AfterReset = $afterReset.Count
    StillRunning = $stillRunning; Refused = $refused; NoneLeft = $noneLeft
} | ConvertTo-Json -Compress -Depth 4
'@ -Arguments @($installed, (Join-Path $repoRoot 'tools/Invoke-Demo.ps1'))
}

AfterAll {
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The CodatFiles.Emulator package' {
    It 'holds its manifest, script module, LICENSE and one self-contained server per shipped platform' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try { $names = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
        foreach ($file in 'CodatFiles.Emulator.psd1', 'CodatFiles.Emulator.psm1', 'LICENSE', 'server/win-x64/CodatFiles.Emulator.exe',
            'server/linux-x64/CodatFiles.Emulator', 'server/linux-arm64/CodatFiles.Emulator', 'server/osx-x64/CodatFiles.Emulator', 'server/osx-arm64/CodatFiles.Emulator') {
            $names | Should -Contain $file
        }
        @($names | Where-Object { $_ -like 'server/*' }).Count | Should -Be 5 -Because 'each platform is one file'
    }

    It 'installs by name into an empty folder with the version of Directory.Build.props and exactly its three commands' {
        $session.EmulatorBase | Should -Be (Join-Path $installed "CodatFiles.Emulator/$version")
        $session.EmulatorVersion | Should -Be $version
        $session.Exported | Should -Be $shippedCommands
    }

    It 'starts on loopback, sets its server''s execute bit, and serves the Demo''s upload, list and download to the installed CodatFiles' {
        $session.BaseUrl | Should -Match '^http://127\.0\.0\.1:\d+$'
        $session.Executable | Should -BeTrue
        $session.CodatFilesBase | Should -Be (Join-Path $installed "CodatFiles/$version")
        $session.Demo | Should -Match '5 of 5 files identical'
        $session.Demo | Should -Match 'Demo complete'
        $session.Operations | Should -Be @('download-files', 'list-files', 'upload-files')
    }

    It 'refuses control calls without its token (401) or with another one (403), and takes them with it' {
        $session.ControlToken | Should -Match '^[0-9a-f]{32}$'
        $session.Anonymous | Should -Be 401
        $session.ApiKeyAsToken | Should -Be 403
        $session.WrongToken | Should -Be 403
        $session.FaultStatus | Should -Be 503
    }

    It 'injects faults and latency, resets, and stops' {
        $session.Faulted | Should -Be 503
        $session.Latency | Should -Be 400
        $session.Slow | Should -Be 200
        $session.SlowMs | Should -BeGreaterOrEqual 400
        $session.AfterReset | Should -Be 0 -Because 'reset clears the files the Demo uploaded'
        $session.StillRunning | Should -BeFalse
        $session.Refused | Should -BeTrue
        $session.NoneLeft | Should -Match 'No emulator is running in this session'
    }

    It 'names this machine''s platform and the shipped ones when it has no server for it' {
        # The installed module without its servers stands in for a platform the package does not ship.
        $bare = Join-Path $work.FullName 'bare/CodatFiles.Emulator'
        New-Item -ItemType Directory -Path $bare | Out-Null
        Copy-Item -Path (Join-Path $installed "CodatFiles.Emulator/$version/*.ps*1") -Destination $bare
        New-Item -ItemType Directory -Path (Join-Path $bare 'server/plan9-x64') | Out-Null
        # A script module, so no child pwsh is needed: imported into this process by path, its commands called by
        # module-qualified name, and removed again.
        $bareModule = Import-Module (Join-Path $bare 'CodatFiles.Emulator.psd1') -PassThru
        try {
            $result = try { CodatFiles.Emulator\Start-CodatEmulator | Out-Null; @{ Message = '' } }
            catch { @{ Message = "$_"; Stopped = "$(CodatFiles.Emulator\Stop-CodatEmulator)" } }
        } finally { Remove-Module -ModuleInfo $bareModule }
        $result.Message | Should -Match 'has no server for this machine \((win|linux|osx)-(x64|arm64)\); it ships servers for: plan9-x64\.'
        $result.Stopped | Should -BeNullOrEmpty -Because 'Stop-CodatEmulator with nothing started does nothing'
    }

    It 'is the only module defining its commands: the clone''s test helpers use other names' {
        Import-Module (Join-Path $repoRoot 'tools/CodatDevEmulator.psm1') -Force
        $helpers = @((Get-Module CodatDevEmulator).ExportedCommands.Keys)
        $helpers | Should -Not -BeNullOrEmpty
        $helpers | Where-Object { $_ -in $shippedCommands } | Should -BeNullOrEmpty
    }
}
