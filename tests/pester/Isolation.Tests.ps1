# Dependency isolation, end to end in fresh processes: on PowerShell 7 the client and its closure live in the module's
# own AssemblyLoadContext, so another module's Polly (another major version) and Polly.Core (another 8.x), loaded with
# Add-Type -Path before or after CodatFiles, keep working beside it. And for Windows PowerShell 5.1, which cannot run
# here, a metadata check that every reference of the shipped assemblies can be bound on .NET Framework 4.7.2.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $company = New-TestCompany -Emulator $emulator
    $modulePath = (Get-Module CodatFiles).Path
    $moduleBase = (Get-Module CodatFiles).ModuleBase
    $dependencies = Join-Path $moduleBase 'dependencies'
    $work = New-TestDirectory

    # Restored from NuGet by build.ps1 (tests/pester/pester-package.csproj): what another module might ship.
    $foreignPolly = Join-Path (Get-TestPackagePath -Id 'Polly') 'lib/netstandard2.0/Polly.dll'
    $foreignPollyCore = Join-Path (Get-TestPackagePath -Id 'Polly.Core') 'lib/net6.0/Polly.Core.dll'

    # Runs in a child pwsh: -ForeignFirst loads the foreign assemblies before importing CodatFiles, otherwise after a
    # first use. Either way the module then uploads, lists and downloads, the foreign assemblies run, and the module
    # works again after Remove-Module and a re-import.
    $scenario = @'
param($ModulePath, $BaseUrl, $ApiKey, $CompanyId, $ConnectionId, $Folder, $ForeignPolly, $ForeignPollyCore, [switch] $ForeignFirst)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$conn = @{ ApiKey = (ConvertTo-SecureString -String $ApiKey -AsPlainText -Force); ServerUrl = $BaseUrl }
function Use-Foreign {
    Add-Type -Path $ForeignPolly
    Add-Type -Path $ForeignPollyCore
    $script:ranPolly = $false; $script:ranPollyCore = $false
    [Polly.Policy]::NoOp().Execute([Action] { $script:ranPolly = $true })
    [Polly.ResiliencePipelineBuilder]::new().Build().Execute([Action] { $script:ranPollyCore = $true })
    if (-not ($script:ranPolly -and $script:ranPollyCore)) { throw 'The foreign Polly assemblies did not run.' }
}
function Use-CodatFiles([string] $Tag) {
    $file = Join-Path $Folder "$Tag-$([guid]::NewGuid().ToString('n')).csv"
    Set-Content -LiteralPath $file -Value 'a,b'
    $sent = @(Send-CodatFile -LiteralPath $file -CompanyId $CompanyId -ConnectionId $ConnectionId @conn)
    $listed = @(Get-CodatFileList -CompanyId $CompanyId @conn | Where-Object FileName -EQ (Split-Path -Leaf $file))
    $saved = @($listed | Save-CodatFiles -DestinationPath (Join-Path $Folder "$Tag-saved-$([guid]::NewGuid().ToString('n'))") @conn)
    if ($sent.Count -ne 1 -or $listed.Count -ne 1 -or $saved.Count -ne 1) { throw "CodatFiles ($Tag): sent $($sent.Count), listed $($listed.Count), saved $($saved.Count)." }
    if ((Get-FileHash -LiteralPath $saved[0].FullName).Hash -ne (Get-FileHash -LiteralPath $file).Hash) { throw "CodatFiles ($Tag): the saved file differs." }
}
if ($ForeignFirst) { Use-Foreign; Import-Module $ModulePath; Use-CodatFiles 'after-foreign' }
else { Import-Module $ModulePath; Use-CodatFiles 'before-foreign'; Use-Foreign; Use-CodatFiles 'beside-foreign' }
Remove-Module CodatFiles
Import-Module $ModulePath -Force
Use-CodatFiles 'reimported'
$contextOf = { param($a) [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).Name }
[pscustomobject]@{
    PollyCore = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' } |
        ForEach-Object { [pscustomobject]@{ Context = (& $contextOf $_); Location = $_.Location } })
    Client    = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CodatFiles.Client' } |
        ForEach-Object { [pscustomobject]@{ Context = (& $contextOf $_); Location = $_.Location } })
} | ConvertTo-Json -Compress -Depth 4
'@

    function Invoke-Scenario {
        param([switch] $ForeignFirst)
        $arguments = @($modulePath, $emulator.BaseUrl, $emulator.ApiKey, "$($company.CompanyId)", "$($company.ConnectionId)", $work.FullName, $foreignPolly, $foreignPollyCore)
        if ($ForeignFirst) { $arguments += '-ForeignFirst' }
        Invoke-TestChildPowerShell -Script $scenario -Arguments $arguments
    }

    function Assert-Isolated {
        param($Result)
        @($Result.Client).Count | Should -Be 1 -Because 'the client is loaded once, also across the re-import'
        $Result.Client[0].Context | Should -Be 'CodatFiles'
        $Result.Client[0].Location | Should -Be (Join-Path $dependencies 'CodatFiles.Client.dll')
        $ours = @($Result.PollyCore | Where-Object Context -EQ 'CodatFiles')
        $foreign = @($Result.PollyCore | Where-Object Context -NE 'CodatFiles')
        $ours.Location | Should -Be (Join-Path $dependencies 'Polly.Core.dll')
        $foreign.Location | Should -Be $foreignPollyCore
        $foreign.Context | Should -Be 'Default'
    }
}

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Dependency isolation on PowerShell 7' {
    It 'works after another module loaded Polly 7 and an older Polly.Core 8, and survives Remove-Module and re-import' {
        Assert-Isolated (Invoke-Scenario -ForeignFirst)
    }

    It 'lets another module load Polly 7 and an older Polly.Core 8 after CodatFiles ran, and keeps working beside them' {
        Assert-Isolated (Invoke-Scenario)
    }
}

Describe 'Binding on Windows PowerShell 5.1 (checked from metadata)' {
    BeforeAll {
        # The .NET Framework 4.7.2 reference assemblies: what the framework provides, by name and version.
        $frameworkRoot = Join-Path (Get-TestPackagePath -Id 'Microsoft.NETFramework.ReferenceAssemblies.net472') 'build/.NETFramework/v4.7.2'
        $framework = @{}
        foreach ($file in Get-ChildItem -LiteralPath $frameworkRoot, (Join-Path $frameworkRoot 'Facades') -Filter *.dll) {
            # A few files of the pack are native images, not assemblies.
            try { $framework[$file.BaseName] = [Reflection.AssemblyName]::GetAssemblyName($file.FullName).Version } catch [BadImageFormatException] { }
        }
        $shipped = @(Get-ChildItem -LiteralPath $dependencies -Filter *.dll) + @(Get-Item -LiteralPath (Join-Path $moduleBase 'CodatFiles.dll'))
        $shippedNames = @($shipped | ForEach-Object BaseName)
        # Provided by Windows PowerShell itself, not by the framework.
        $hostProvided = @('System.Management.Automation')

        function Get-AssemblyReference {
            param([string] $Path)
            $stream = [IO.File]::OpenRead($Path)
            $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
            try {
                $reader = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                foreach ($handle in $reader.AssemblyReferences) {
                    $reference = $reader.GetAssemblyReference($handle)
                    [pscustomobject]@{ Name = $reader.GetString($reference.Name); Version = $reference.Version }
                }
            } finally { $pe.Dispose(); $stream.Dispose() }
        }
    }

    It 'finds every reference of every shipped assembly in dependencies/ (served whatever the version) or in .NET Framework 4.7.2' {
        $framework.Count | Should -BeGreaterThan 100 -Because 'the reference assemblies were found'
        $checked = 0
        $unsatisfied = foreach ($assembly in $shipped) {
            foreach ($reference in Get-AssemblyReference -Path $assembly.FullName) {
                $checked++
                if ($reference.Name -in $shippedNames -or $reference.Name -in $hostProvided) { continue }
                if (-not $framework.ContainsKey($reference.Name)) { "$($assembly.Name) -> $($reference.Name) $($reference.Version): not in .NET Framework 4.7.2 and not shipped"; continue }
                if ($framework[$reference.Name] -lt $reference.Version) { "$($assembly.Name) -> $($reference.Name) $($reference.Version): .NET Framework 4.7.2 has only $($framework[$reference.Name])" }
            }
        }
        $checked | Should -BeGreaterThan 30
        @($unsatisfied) | Should -BeNullOrEmpty
    }
}
