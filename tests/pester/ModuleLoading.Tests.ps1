# What importing the module sets up: the dependency resolver of the module initializer (exercised in child
# processes, because an assembly cannot be unloaded and these tests remove and re-import the module).
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $companyId = Get-SeedCompanyId
    $connectionId = Get-SeedConnectionId
    $modulePath = (Resolve-Path -LiteralPath (Get-TestModulePath)).Path
    $dependencies = Join-Path (Split-Path -Parent $modulePath) 'dependencies'
    $work = New-TestDirectory

    function Invoke-ChildPowerShell {
        <# Runs a script file in a new PowerShell process of the same version; returns its output parsed from JSON. #>
        param([Parameter(Mandatory)] [string] $Script, [string[]] $Arguments = @())
        $file = Join-Path $work.FullName ("child-" + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content -LiteralPath $file -Value $Script -Encoding utf8NoBOM
        $process = (Get-Process -Id $PID).Path
        # Under 'dotnet pwsh' the process is dotnet itself, which needs pwsh.dll as its first argument.
        $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
        $output = & $process @prefix -NoProfile -NonInteractive -File $file @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The child PowerShell failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
        ($output | Where-Object { $_ -is [string] } | Select-Object -Last 1) | ConvertFrom-Json
    }
}

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The module initializer' {
    It 'serves the module after Remove-Module and Import-Module -Force, with the client from dependencies/' {
        $script = @'
param($ModulePath, $BaseUrl, $ApiKey, $CompanyId, $ConnectionId, $Folder)
$ErrorActionPreference = 'Stop'
$key = ConvertTo-SecureString -String $ApiKey -AsPlainText -Force
$file = Join-Path $Folder ('reimport-' + [guid]::NewGuid().ToString('n') + '.csv')
Set-Content -LiteralPath $file -Value 'a,b'
Import-Module $ModulePath
$sent = @(Send-CodatFile -LiteralPath $file -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $key -ServerUrl $BaseUrl)
Remove-Module CodatFiles
Import-Module $ModulePath -Force
$listed = @(Get-CodatFileList -CompanyId $CompanyId -ApiKey $key -ServerUrl $BaseUrl | Where-Object FileName -EQ (Split-Path -Leaf $file))
[pscustomobject]@{
    Sent            = $sent.Count
    ListedAfter     = $listed.Count
    ClientLocations = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CodatFiles.Client' } | ForEach-Object Location)
} | ConvertTo-Json -Compress
'@
        $result = Invoke-ChildPowerShell $script @($modulePath, $emulator.BaseUrl, $emulator.ApiKey, "$companyId", "$connectionId", $work.FullName)
        $result.Sent | Should -Be 1
        $result.ListedAfter | Should -Be 1 -Because 'the re-imported module still finds its client'
        @($result.ClientLocations).Count | Should -Be 1 -Because 'the client is loaded once, also across the re-import'
        Split-Path -Parent @($result.ClientLocations)[0] | Should -Be $dependencies
    }

    It 'does not serve its dependencies to requests that are not its own' {
        # Polly.Core is not part of PowerShell: only the module's resolver can find it. Assembly.Load from a
        # script names no requesting assembly, as loads by other modules' code or reflection may not either.
        $script = @'
param($ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$foreign = try { [Reflection.Assembly]::Load('Polly.Core') | Out-Null; 'served' } catch { 'refused' }
$client = try { [Reflection.Assembly]::Load('CodatFiles.Client').Location } catch { 'refused' }
[pscustomobject]@{ Foreign = $foreign; Client = $client } | ConvertTo-Json -Compress
'@
        $result = Invoke-ChildPowerShell $script @($modulePath)
        $result.Foreign | Should -Be 'refused'
        Split-Path -Parent $result.Client | Should -Be $dependencies -Because 'the client itself is still found when nobody is named as asking'
    }
}
