# Helpers shared by build.ps1 and the build scripts under tools/ (dot-sourced). Each reads $RepoRoot from its caller.

function Invoke-Native {
    # Runs a native command, echoing it, and throws when it fails. Its output goes to the host, never into the
    # caller's return value (a function that returns a path must return only that path).
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $Arguments = @())
    Write-Host "> $FilePath $($Arguments -join ' ')" -ForegroundColor DarkGray
    & $FilePath @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-ProjectProperty {
    # The one version number of the build and the project's address live in Directory.Build.props.
    param([Parameter(Mandatory)] [string] $Name)
    [xml] $props = Get-Content -LiteralPath (Join-Path $RepoRoot 'Directory.Build.props') -Raw
    $value = $props.Project.PropertyGroup.$Name | Where-Object { $_ } | Select-Object -First 1
    if (-not $value) { throw "$Name is missing from Directory.Build.props." }
    $value
}
