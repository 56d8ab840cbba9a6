# The module as users get it: the Gallery package made by `build.ps1 -Task Package` (out/repo), saved into an empty
# module folder with Save-PSResource and imported by name in a fresh pwsh; and the Azure Automation zip.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
    $gallery = Get-TestGalleryPackage -Name CodatFiles
    $version = $gallery.Version
    $package = $gallery.Path
    $automationZip = Join-Path $repoRoot 'out/automation/CodatFiles.zip'
    $expectedCmdlets = @('Connect-Codat', 'Disconnect-Codat', 'Get-CodatContext', 'Get-CodatFileList', 'Save-CodatFiles', 'Send-CodatFile')

    $work = New-TestDirectory
    $installed = Join-Path $work.FullName 'modules'
    Save-TestGalleryPackage -Destination $installed

    # Imports CodatFiles by name from -ModuleFolder alone (PSModulePath replaced) and describes what it got. With -Suite,
    # it then runs the smoke tests (-SmokeTests) through Invoke-PesterSuite.ps1 against that copy, imported by name
    # again with -ModuleFolder first on PSModulePath, and writes their summary to -SummaryPath. The description is
    # the last line it writes.
    $describeByName = @'
param($ModuleFolder, $Suite, $PesterPath, $SummaryPath, $SmokeTests)
$ErrorActionPreference = 'Stop'
$inherited = $env:PSModulePath
$env:PSModulePath = $ModuleFolder
Import-Module CodatFiles
$module = Get-Module CodatFiles
$description = [pscustomobject]@{
    ModuleBase = $module.ModuleBase
    Version    = "$($module.Version)"
    Cmdlets    = @($module.ExportedCommands.Keys | Sort-Object)
    Functions  = @($module.ExportedFunctions.Keys)
    Aliases    = @($module.ExportedAliases.Keys)
    About      = "$(Get-Help about_CodatFiles)"
    Examples   = @($module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { [pscustomobject]@{ Name = $_; Count = @((Get-Help $_ -Full).examples.example).Count } })
} | ConvertTo-Json -Compress -Depth 4
if ($Suite) {
    $env:PSModulePath = $ModuleFolder + [IO.Path]::PathSeparator + $inherited
    & $Suite -PesterPath $PesterPath -ModulePath CodatFiles -SummaryPath $SummaryPath -Path $SmokeTests | Out-Host
}
$description
'@
}

AfterAll {
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The Gallery package' {
    BeforeAll {
        # One fresh pwsh imports the saved copy by name, describes it, and runs the smoke tests against it.
        $smokeSummary = Join-Path $work.FullName 'installed-smoke.json'
        $pester = (Get-Module Pester | Select-Object -First 1).Path
        $installedRun = Invoke-TestChildPowerShell -Script $describeByName -Arguments @($installed, (Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1'), $pester, $smokeSummary, (Join-Path $PSScriptRoot 'Smoke.Tests.ps1')) `
            -Environment @{ CODATFILES_PESTER_VERBOSITY = 'Normal' }
    }

    It 'holds the module folder, its dependencies, help and LICENSE, with the Gallery metadata in its nuspec' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try {
            $names = @($zip.Entries | ForEach-Object FullName)
            $nuspecEntry = $zip.Entries | Where-Object FullName -EQ 'CodatFiles.nuspec'
            $reader = [IO.StreamReader]::new($nuspecEntry.Open())
            try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
        } finally { $zip.Dispose() }
        foreach ($file in 'CodatFiles.psd1', 'CodatFiles.dll', 'CodatFiles.format.ps1xml', 'LICENSE', 'en-US/CodatFiles.dll-Help.xml', 'dependencies/CodatFiles.Client.dll', 'dependencies/Polly.Core.dll') {
            $names | Should -Contain $file
        }
        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'CodatFiles'
        $metadata.version | Should -Be $version
        $metadata.projectUrl | Should -Match '^https://'
        # Taken from CHANGELOG.md's section of this version, breaking changes marked.
        $metadata.releaseNotes | Should -Match "^CodatFiles $([regex]::Escape($version))\b"
        $metadata.releaseNotes | Should -Match '\*\*Breaking:\*\*'
        $metadata.releaseNotes | Should -Not -Match '## 0\.1\.0'  # only this version's section
        # The description promises the emulator through the companion package, which the same build publishes beside it.
        $metadata.description | Should -Match 'companion module CodatFiles\.Emulator'
        Join-Path $gallery.Repository "CodatFiles.Emulator.$version.nupkg" | Should -Exist
        $metadata.tags -split ' ' | Should -Contain 'PSEdition_Desktop'
        $metadata.tags -split ' ' | Should -Contain 'PSEdition_Core'
    }

    It 'saved from the local repository into an empty folder, imports by name with exactly the six cmdlets and help examples' {
        $result = $installedRun
        $result.ModuleBase | Should -Be (Join-Path $installed "CodatFiles/$version")
        $result.Version | Should -Be $version
        $result.Cmdlets | Should -Be $expectedCmdlets
        @($result.Functions) | Should -BeNullOrEmpty
        @($result.Aliases) | Should -BeNullOrEmpty
        foreach ($cmdlet in $result.Examples) { $cmdlet.Count | Should -BeGreaterOrEqual 2 -Because "Get-Help $($cmdlet.Name) shows its examples" }
        foreach ($section in 'CONNECTING AND KEYS', 'THE SERVER AND THE EMULATOR', 'RETRIES AND LIMITS', 'RUNBOOKS', 'PROXIES', 'PARALLEL USE', 'ERROR IDS') {
            $result.About | Should -Match $section -Because 'Get-Help about_CodatFiles shows the topic'
        }
    }

    It 'fails its set-up with the cause when a set-up step is missing (PSResourceGet not loadable)' {
        # Module auto-loading off: Register-PSResourceRepository cannot be found, as on a PowerShell without PSResourceGet.
        $prelude = "`$PSModuleAutoLoadingPreference = 'None'; Import-Module Microsoft.PowerShell.Management, Microsoft.PowerShell.Utility"
        $destination = Join-Path $work.FullName 'not-saved'
        $thrown = { Save-TestGalleryPackage -Destination $destination -Prelude $prelude } | Should -Throw -PassThru
        $thrown.Exception.Message | Should -BeLike 'The child PowerShell failed (1):*'
        $thrown.Exception.Message | Should -BeLike '*PSResourceGet*'
        $thrown.Exception.Message | Should -BeLike '*Register-PSResourceRepository*'
        Test-Path -LiteralPath $destination | Should -BeFalse
    }

    It 'passes the smoke tests against the installed copy, imported by name' {
        $result = Get-Content -LiteralPath $smokeSummary -Raw | ConvertFrom-Json
        $result.Failed | Should -Be 0
        $result.Passed | Should -BeGreaterOrEqual 4
        $result.ModuleBase | Should -Be (Join-Path $installed "CodatFiles/$version") -Because 'the smoke tests ran against the installed copy'
    }
}

Describe 'The Azure Automation zip' {
    It 'holds one CodatFiles folder without a version folder, paths within 140 characters, and imports by name from it' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($automationZip)
        try { $names = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
        $names | ForEach-Object { $_ | Should -BeLike 'CodatFiles/*' }
        $names | Should -Contain 'CodatFiles/CodatFiles.psd1'
        $names | Should -Contain 'CodatFiles/LICENSE'
        @($names | Where-Object { $_ -match '^CodatFiles/\d+\.\d+' }) | Should -BeNullOrEmpty
        ($names | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 140
        (Get-Item -LiteralPath $automationZip).Length | Should -BeLessThan 100MB

        $extracted = Join-Path $work.FullName 'automation'
        [IO.Compression.ZipFile]::ExtractToDirectory($automationZip, $extracted)
        $result = Invoke-TestChildPowerShell -Script $describeByName -Arguments @($extracted)
        $result.ModuleBase | Should -Be (Join-Path $extracted 'CodatFiles')
        $result.Cmdlets | Should -Be $expectedCmdlets
    }
}
