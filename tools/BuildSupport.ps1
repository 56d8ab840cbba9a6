# Helpers shared by build.ps1 and the build scripts under tools/ (dot-sourced). Each reads $RepoRoot from its caller.

# The JIT settings of build.ps1 -Task Test's test processes (xunit, the Pester workers, their child pwsh and
# emulators): each method stays at the JIT's first tier (DOTNET_TC_CallCounting=0), and what the JIT still compiles it
# compiles without optimizing (DOTNET_JITMinOpts=1). A test process runs most code a few times, so re-compiling hot
# methods optimized (the runtime's default, right for a long-lived process) cost more than it saved: it was two thirds
# of a Pester worker's CPU. And the JIT always optimizes the methods PowerShell makes of hot script blocks; without
# that, a Pester worker needed a fifth to a third less CPU again. Behaviour is the same; the benchmark (-Task Bench)
# keeps the defaults, and compilers must not run with them (several times slower).
$TestProcessJitSettings = [ordered]@{ DOTNET_TC_CallCounting = '0'; DOTNET_JITMinOpts = '1' }

function Invoke-Native {
    # Runs a native command, echoing it, and throws when it fails. Its output goes to the host, never into the
    # caller's return value (a function that returns a path must return only that path).
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $Arguments = @())
    Write-Host "> $FilePath $($Arguments -join ' ')" -ForegroundColor DarkGray
    & $FilePath @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-NativeScripts {
    # Runs scripts one after another in one child pwsh (one start, not one each: about a second), each given as its
    # path followed by its arguments (a parameter name as -Name, every other word a value); throws when any fails.
    param([Parameter(Mandatory)] [object[][]] $Scripts)
    $calls = foreach ($script in $Scripts) {
        $words = for ($i = 0; $i -lt $script.Count; $i++) {
            if ($i -gt 0 -and "$($script[$i])" -match '^-[A-Za-z]+$') { $script[$i] } else { "'" + ("$($script[$i])" -replace "'", "''") + "'" }
        }
        '& ' + ($words -join ' ')
    }
    Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; $($calls -join '; ')")
}

function Start-LoggedCommand {
    # Starts a native command on a thread job, its output (every stream) to -Log; Receive-LoggedCommand ends it.
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string[]] $Command, [Parameter(Mandatory)] [string] $Log)
    Start-ThreadJob -Name $Name -ArgumentList $Command, $Log -ScriptBlock {
        param($Command, $Log)
        & $Command[0] @($Command | Select-Object -Skip 1) *> $Log
        $LASTEXITCODE
    }
}

function Receive-LoggedCommand {
    # Waits for a Start-LoggedCommand job, prints its log under -Title, and returns the command's exit code.
    param([Parameter(Mandatory)] $Job, [Parameter(Mandatory)] [string] $Log, [Parameter(Mandatory)] [string] $Title)
    $exit = @($Job | Wait-Job | Receive-Job)[-1]
    Remove-Job -Job $Job
    Write-Host "`n=== $Title ===" -ForegroundColor Cyan
    if (Test-Path -LiteralPath $Log) { Get-Content -LiteralPath $Log | Out-Host }
    $exit
}

function Invoke-SolutionBuild {
    # Builds the solution with one compiler server for all its projects. Machines and CI images often turn the
    # server off (UseSharedCompilation=false in the environment), and then each project starts a compiler of its own:
    # a fresh clone's build took 33 s that way and 23 s with the server. The server is stopped afterwards, so no
    # compiler outlives the build (CI waits for every process that holds its output).
    param([Parameter(Mandatory)] [string] $Solution, [Parameter(Mandatory)] [string] $Configuration)
    try { Invoke-Native dotnet @('build', $Solution, '-c', $Configuration, '-nologo', '-clp:ErrorsOnly', '-p:UseSharedCompilation=true') }
    finally { & dotnet build-server shutdown --vbcscompiler *> $null }
}

function Get-ProjectProperty {
    # The one version number of the build and the project's address live in Directory.Build.props.
    param([Parameter(Mandatory)] [string] $Name)
    [xml] $props = Get-Content -LiteralPath (Join-Path $RepoRoot 'Directory.Build.props') -Raw
    $value = $props.Project.PropertyGroup.$Name | Where-Object { $_ } | Select-Object -First 1
    if (-not $value) { throw "$Name is missing from Directory.Build.props." }
    $value
}

function Get-CodatFilesCacheRoot {
    # Where builds and tests keep what a fresh clone need not make again (the PowerShell 7.4 set-up, compiled test
    # helpers): CODATFILES_TOOLS_CACHE, by default CodatFiles/ in the local application data folder.
    if ($env:CODATFILES_TOOLS_CACHE) { return $env:CODATFILES_TOOLS_CACHE }
    Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'CodatFiles'
}

function Get-ShortHash {
    # A cache key: the first 16 hex digits (lower case) of the SHA-256 of the text's UTF-8 bytes.
    param([Parameter(Mandatory)] [string] $Text)
    [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))).Substring(0, 16).ToLowerInvariant()
}

function Install-Pester {
    # Pester comes from NuGet (the PowerShell Gallery is not reachable): restoring this project downloads it.
    $packages = Join-Path $RepoRoot '.tools/packages'
    Invoke-Native dotnet @('restore', (Join-Path $RepoRoot 'tests/pester/pester-package.csproj'), '--packages', $packages, '-nologo')
    [xml] $project = Get-Content -LiteralPath (Join-Path $RepoRoot 'tests/pester/pester-package.csproj') -Raw
    $version = $project.Project.PropertyGroup.PesterVersion | Where-Object { $_ } | Select-Object -First 1
    $psd1 = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $psd1)) { throw "Pester $version was restored but $psd1 is missing." }
    $psd1
}
