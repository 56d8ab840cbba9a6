# Shared helpers of the Pester suites: importing the built module, one emulator process per Pester worker (reset for
# each file), fault injection and request-log reads through the control endpoints, sample files with random bytes.
Set-StrictMode -Version 3.0

$script:RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $script:RepoRoot 'tools/CodatDevEmulator.psm1') -Force
# The build's cache folder and key (Get-CodatFilesCacheRoot, Get-ShortHash), for Add-TestHelperType.
. (Join-Path $script:RepoRoot 'tools/BuildSupport.ps1')

# One emulator process per Pester worker (reset for each file; a file's own where it needs other options), steered
# through its control endpoints: Start-TestEmulator, New-TestCompany, Add-TestFault, Get-TestRequestLog, Set-TestClock,
# Set-TestQuota and the rest.
. (Join-Path $PSScriptRoot 'TestEmulator.ps1')
# The Gallery packages of out/repo: Get-TestGalleryPackage, Save-TestGalleryPackage.
. (Join-Path $PSScriptRoot 'TestPackages.ps1')
# What a user sees of a process: Invoke-TestChildPowerShell, Invoke-TestChildUntilKilled, Get-TestHostOutput; Ctrl+C
# in a runspace: Start-InRunspace, Stop-InRunspace, Wait-InRunspaceRequest, Enter-TestPrivateTemp, Exit-TestPrivateTemp,
# Get-TemporaryDownload.
. (Join-Path $PSScriptRoot 'TestProcesses.ps1')

function Get-TestModulePath {
    <# The manifest of the built module: CODATFILES_MODULE_PATH (set by Invoke-PesterSuite.ps1) or out/CodatFiles. #>
    if ($env:CODATFILES_MODULE_PATH) { return $env:CODATFILES_MODULE_PATH }
    Join-Path $script:RepoRoot 'out/CodatFiles/CodatFiles.psd1'
}

function Import-TestModule {
    <#
    Imports the module under test into the global session state (where the tests run): the built manifest, or a bare
    module name (an installed copy found through PSModulePath, as a user imports it).
    #>
    $path = Get-TestModulePath
    $byName = $path -notmatch '[\\/]' -and -not $path.EndsWith('.psd1')
    if (-not $byName -and -not (Test-Path -LiteralPath $path)) { throw "The module is not built: $path is missing." }
    # No -Force: the suites share one process and a user does not remove and re-import a binary module.
    Import-Module $path -Global -ErrorAction Stop
}

function Initialize-TestFile {
    <#
    The start of most test files: imports the module under test, takes the worker's emulator, reset (or starts one of
    the file's own, with -EmulatorArguments added to its command line) and makes a fresh work folder. Writes the emulator, the connection parameters for it (a
    hashtable to splat) and the folder, in that order, for one assignment; Stop-TestFile undoes it in AfterAll:
        $emulator, $conn, $work = Initialize-TestFile
    #>
    param([string[]] $EmulatorArguments = @())
    Import-TestModule
    $emulator = Start-TestEmulator -AdditionalArguments $EmulatorArguments
    $emulator
    Get-TestConnection $emulator
    New-TestDirectory
}

function Stop-TestFile {
    <# The end of a file that began with Initialize-TestFile: stops an emulator of its own and deletes its work folder. #>
    param($Emulator, $Work)
    Stop-TestEmulator $Emulator
    if ($Work) { Remove-Item -LiteralPath $Work.FullName -Recurse -Force -ErrorAction SilentlyContinue }
}

function Get-TestApiKey {
    <# The emulator's API key as the SecureString the cmdlets take; -Wrong gives a key the emulator rejects. #>
    param([Parameter(Mandatory)] $Emulator, [switch] $Wrong)
    $plain = if ($Wrong) { 'wrong-' + [guid]::NewGuid().ToString('n') } else { $Emulator.ApiKey }
    ConvertTo-SecureString -String $plain -AsPlainText -Force
}

function Get-TestConnection {
    <# A splat of -ApiKey and -ServerUrl for the emulator. #>
    param([Parameter(Mandatory)] $Emulator)
    @{ ApiKey = (Get-TestApiKey -Emulator $Emulator); ServerUrl = $Emulator.BaseUrl }
}

function Send-TestFile {
    <#
    Uploads seed files to -Company (anything with CompanyId and ConnectionId), failing on any error, stored again if
    the company holds them already (-Force). -UploadedAt
    stamps them with that time through the emulator's clock, which is back on the real clock afterwards.
    #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] $Company, [Parameter(Mandatory)] [string[]] $LiteralPath, $UploadedAt)
    $conn = Get-TestConnection -Emulator $Emulator
    if ($null -ne $UploadedAt) { Set-TestClock -Emulator $Emulator -Now $UploadedAt }
    try {
        # -Force: a seed is stored even when the company already holds that name (tests seed duplicates on purpose).
        Send-CodatFile -LiteralPath $LiteralPath -CompanyId $Company.CompanyId -ConnectionId $Company.ConnectionId @conn -Force -ErrorAction Stop -InformationAction Ignore | Out-Null
    } finally {
        if ($null -ne $UploadedAt) { Set-TestClock -Emulator $Emulator -Now $null }
    }
}

function Send-TestSameNameFiles {
    <#
    Uploads two files of one name (-Name) with different bytes, from two new folders under -Directory: the first to
    the first of -Company, the second to the last. One company gets two uploads of that name (its archive numbers the
    second "<stem> (2)<ext>"); two companies get one each. Returns the FileInfo of each source, in upload order.
    #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [object[]] $Company, [Parameter(Mandatory)] [string] $Directory, [string] $Name = 'dup.pdf')
    $folder = Join-Path $Directory ('same-name-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    $first = New-TestFile -Directory (Join-Path $folder 'first') -Name $Name -Length 1111
    $second = New-TestFile -Directory (Join-Path $folder 'second') -Name $Name -Length 2222
    Send-TestFile $Emulator $Company[0] $first.FullName
    Send-TestFile $Emulator $Company[-1] $second.FullName
    $first
    $second
}

function New-TestDirectory {
    <# A fresh empty folder (under -Parent, by default the system temp folder). #>
    param([string] $Parent = [IO.Path]::GetTempPath(), [string] $Name = ('codat-test-' + [guid]::NewGuid().ToString('n').Substring(0, 12)))
    $path = Join-Path $Parent $Name
    [IO.Directory]::CreateDirectory($path) | Out-Null
    Get-Item -LiteralPath $path
}

function New-TestFile {
    <# A file of -Length random bytes (names may hold wildcard characters such as brackets). -Sparse sets only the length. #>
    param([Parameter(Mandatory)] [string] $Directory, [Parameter(Mandatory)] [string] $Name, [long] $Length = 1024, [switch] $Sparse)
    [IO.Directory]::CreateDirectory($Directory) | Out-Null
    $path = [IO.Path]::Combine($Directory, $Name)
    if ($Sparse) {
        $stream = [IO.File]::Create($path)
        try { $stream.SetLength($Length) } finally { $stream.Dispose() }
    } else {
        $bytes = [byte[]]::new($Length)
        [Random]::Shared.NextBytes($bytes)
        [IO.File]::WriteAllBytes($path, $bytes)
    }
    [IO.FileInfo]::new($path)
}

function Get-TestFileHash {
    <# SHA-256 of a file read by literal path. #>
    param([Parameter(Mandatory)] [string] $LiteralPath)
    (Get-FileHash -LiteralPath $LiteralPath -Algorithm SHA256).Hash
}

function Get-TestFileTree {
    <# Every file under a folder (hidden ones too), as paths relative to it with forward slashes, sorted; one per output item. #>
    param([Parameter(Mandatory)] [string] $LiteralPath)
    if (-not (Test-Path -LiteralPath $LiteralPath)) { return }
    $root = (Resolve-Path -LiteralPath $LiteralPath).ProviderPath.TrimEnd('/', '\')
    Get-ChildItem -LiteralPath $root -Recurse -File -Force |
        ForEach-Object { $_.FullName.Substring($root.Length + 1).Replace('\', '/') } | Sort-Object
}

function Invoke-Capturing {
    <#
    Runs a script block and sorts what it wrote: Output, Errors (non-terminating ErrorRecords),
    Verbose and Warnings (messages), Thrown (a terminating error, or $null), Elapsed (TimeSpan).
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $output = [Collections.Generic.List[object]]::new()
    $errors = [Collections.Generic.List[object]]::new()
    $verbose = [Collections.Generic.List[string]]::new()
    $warnings = [Collections.Generic.List[string]]::new()
    $thrown = $null
    $watch = [Diagnostics.Stopwatch]::StartNew()
    try {
        & $ScriptBlock 2>&1 3>&1 4>&1 | ForEach-Object {
            if ($_ -is [Management.Automation.ErrorRecord]) { $errors.Add($_) }
            elseif ($_ -is [Management.Automation.VerboseRecord]) { $verbose.Add($_.Message) }
            elseif ($_ -is [Management.Automation.WarningRecord]) { $warnings.Add($_.Message) }
            else { $output.Add($_) }
        }
    } catch {
        $thrown = $_
    }
    $watch.Stop()
    [pscustomobject]@{
        Output  = $output.ToArray()
        Errors  = $errors.ToArray()
        Verbose = $verbose.ToArray()
        Warnings = $warnings.ToArray()
        Thrown  = $thrown
        Elapsed = $watch.Elapsed
    }
}

function Get-TestPackagePath {
    <#
    The folder of a NuGet package that build.ps1 restored into .tools/packages for the tests (a PackageDownload of
    tests/pester/pester-package.csproj, which names its version).
    #>
    param([Parameter(Mandatory)] [string] $Id)
    [xml] $project = Get-Content -LiteralPath (Join-Path $PSScriptRoot 'pester-package.csproj') -Raw
    $download = @($project.Project.ItemGroup.PackageDownload | Where-Object { $_ -and $_.Include -eq $Id })
    if ($download.Count -ne 1) { throw "pester-package.csproj has no PackageDownload of $Id." }
    $path = Join-Path $script:RepoRoot ".tools/packages/$($Id.ToLowerInvariant())/$($download[0].Version.Trim('[', ']'))"
    if (-not (Test-Path -LiteralPath $path)) { throw "$path is missing: run 'dotnet pwsh ./build.ps1 -Task Test' (it restores the test packages)." }
    $path
}

function Add-TestHelperType {
    <#
    Loads the C# helper -Name (<Name>.cs beside this file, type CodatFilesTests.<Name>) unless it is loaded. Compiling
    costs a process about 3 s of CPU (Roslyn's start), loading a compiled copy next to nothing; so compiled copies are
    kept outside the clone, like tools/Install-TestPowerShell.ps1's PowerShells: under CODATFILES_TOOLS_CACHE (by
    default CodatFiles/ in the local application data folder), in test-types/<Name>-<key>.dll, the key a hash of the
    source, this PowerShell, .NET and runtime identifier. A miss compiles into a folder of this process's own and then
    moves the file into place, so a parallel run never loads a half-written copy.
    #>
    param([Parameter(Mandatory)] [ValidateSet('RecordingProxy', 'SelfSignedTlsServer')] [string] $Name)
    if ("CodatFilesTests.$Name" -as [type]) { return }
    $source = Join-Path $PSScriptRoot "$Name.cs"
    $cache = Get-CodatFilesCacheRoot
    $key = Get-ShortHash "$((Get-FileHash -LiteralPath $source -Algorithm SHA256).Hash) $($PSVersionTable.PSVersion) $([Environment]::Version) $([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier)"
    $assembly = Join-Path $cache "test-types/$Name-$key.dll"
    if (-not (Test-Path -LiteralPath $assembly)) {
        $own = Join-Path $cache "test-types/partial-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        New-Item -ItemType Directory -Path $own -Force | Out-Null
        try {
            # Written, not loaded: the copy in place is the one loaded below, as on a hit.
            Add-Type -Path $source -OutputAssembly (Join-Path $own "$Name-$key.dll")
            # Without -Force: a parallel run that put its copy there first keeps it (built from the same source).
            Move-Item -LiteralPath (Join-Path $own "$Name-$key.dll") -Destination $assembly -ErrorAction SilentlyContinue
        } finally { Remove-Item -LiteralPath $own -Recurse -Force -ErrorAction SilentlyContinue }
    }
    Add-Type -Path $assembly
}

function Start-TestRecordingProxy {
    <#
    A forward proxy on 127.0.0.1 that records what it sees (.Seen: "METHOD absolute-uri|Proxy-Authorization or -") and
    forwards to loopback servers; with -RequiredAuthorization it answers 407 until that header value comes. Dispose it.
    #>
    param([string] $RequiredAuthorization = '')
    Add-TestHelperType -Name RecordingProxy
    [CodatFilesTests.RecordingProxy]::new($RequiredAuthorization)
}

function Get-TestClientType {
    <#
    A public type of CodatFiles.Client, e.g. CodatRetryOptions. The client lives in the module's own load context,
    which PowerShell's [TypeName] lookup does not search; a property of the cmdlet assembly typed with a client type
    leads to it (and loads the client as the module itself would).
    #>
    param([Parameter(Mandatory)] [string] $Name)
    $cmdlets = (Get-Module CodatFiles | Select-Object -First 1).ImplementingAssembly
    $anchor = $cmdlets.GetType('CodatFiles.Connection.ConnectionSettings', $true).GetProperty('Retry').PropertyType
    $anchor.Assembly.GetType("CodatFiles.Client.$Name", $true)
}

function Get-OnlyError {
    <# The single error an Invoke-Capturing run wrote or threw; fails the test when there is not exactly one. #>
    param([Parameter(Mandatory)] $Run)
    $all = @($Run.Errors) + @($Run.Thrown | Where-Object { $_ })
    $all.Count | Should -Be 1 -Because "one error was expected; got: $($all | ForEach-Object FullyQualifiedErrorId)"
    $all[0]
}

Export-ModuleMember -Function Get-OnlyError, Get-TestModulePath, Import-TestModule, Initialize-TestFile, Stop-TestFile, Get-SeedCompanyId, Get-SeedConnectionId, Start-TestEmulator,
Stop-TestEmulator, Stop-SharedTestEmulator, Invoke-TestEmulatorControl, Reset-TestEmulator, New-TestCompany, Add-TestFault, Clear-TestFault, Get-TestRequestLog, Get-TestStoredFileName,
Clear-TestRequestLog, Set-TestClock, Set-TestQuota, Set-TestArchiveLayout, Get-TestApiKey, Get-TestConnection, Send-TestFile, Send-TestSameNameFiles, New-TestDirectory, New-TestFile, Get-TestFileHash,
Get-TestFileTree, Invoke-Capturing, Invoke-TestChildPowerShell, Invoke-TestChildUntilKilled, Get-TestHostOutput, Get-TestPackagePath, Get-TestGalleryPackage, Save-TestGalleryPackage,
Add-TestHelperType, Start-TestRecordingProxy, Get-TestClientType, Start-InRunspace, Stop-InRunspace, Wait-InRunspaceRequest, Enter-TestPrivateTemp,
Exit-TestPrivateTemp, Get-TemporaryDownload
