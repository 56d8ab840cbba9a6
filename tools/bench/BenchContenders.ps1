# Dot-sourced by Invoke-CodatFilesBench.ps1: the contenders, each run as a process timed from outside. Each returns
# ElapsedSec, PeakWorkingSet, WorkingSetAfterImport (or $null), Items and CpuSec. Reads the script's $RunTimeoutSec,
# $Pwsh, $ModulePath, $BenchOut, $TsSdk, $AuthHeader and $Emulator.

function Invoke-Timed {
    # Runs a process (bounded by -RunTimeoutSec) under /usr/bin/time for its peak resident set and CPU time when
    # available. Returns ExitCode, Stdout, ElapsedSec (wall clock around the process), PeakWorkingSet (bytes or
    # $null) and CpuSec (user + system seconds of the whole process, or $null).
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $Arguments = @())
    $memoryFile = [IO.Path]::GetTempFileName()
    $gnuTime = Test-Path /usr/bin/time
    $info = [Diagnostics.ProcessStartInfo]::new($(if ($gnuTime) { '/usr/bin/time' } else { $FilePath }))
    if ($gnuTime) { foreach ($a in @('-o', $memoryFile, '-f', '%M %U %S', $FilePath)) { $info.ArgumentList.Add($a) } }
    foreach ($a in $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($RunTimeoutSec * 1000)) {
        $process.Kill($true)
        throw "$FilePath did not finish within $RunTimeoutSec s."
    }
    $process.WaitForExit()
    $watch.Stop()
    $peak = $null; $cpu = $null
    if ($gnuTime) {
        # The last line is ours ('%M %U %S'); GNU time writes a note above it when the process failed.
        $last = (Get-Content -LiteralPath $memoryFile | Where-Object { $_ -match '^\d+ [\d.]+ [\d.]+$' } | Select-Object -Last 1)
        if ($last) {
            $kb, $user, $system = $last -split ' '
            $peak = [long] $kb * 1024
            $cpu = [double]::Parse($user, [cultureinfo]::InvariantCulture) + [double]::Parse($system, [cultureinfo]::InvariantCulture)
        }
    }
    Remove-Item -LiteralPath $memoryFile -Force
    [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result; ElapsedSec = $watch.Elapsed.TotalSeconds; PeakWorkingSet = $peak; CpuSec = $cpu }
}

function Invoke-PwshJob([string] $Job, [hashtable] $Parameters) {
    $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-BenchRun.ps1'), '-Job', $Job,
        '-ModulePath', $ModulePath, '-ServerUrl', $Emulator.BaseUrl, '-ApiKey', $Emulator.ApiKey)
    foreach ($key in $Parameters.Keys) { $arguments += @("-$key", [string] $Parameters[$key]) }
    $run = Invoke-Timed -FilePath $Pwsh -Arguments $arguments
    if ($run.ExitCode -ne 0) { throw "$Job failed (exit $($run.ExitCode)): $($run.Stderr) $($run.Stdout)" }
    $result = ($run.Stdout -split '\r?\n' | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
    if ($result.ErrorCount -gt 0) { throw "$Job wrote $($result.ErrorCount) error(s): $($result.Errors -join ' | ')" }
    $result
}

function Invoke-NodeSdkLoop([string] $Directory, $Company) {
    $run = Invoke-Timed -FilePath 'node' -Arguments @((Join-Path $PSScriptRoot 'ts-sdk-loop.mjs'), $TsSdk, $Emulator.BaseUrl,
        $Emulator.ApiKey, $Company.CompanyId, $Company.ConnectionId, $Directory)
    if ($run.ExitCode -ne 0) { throw "The TypeScript SDK loop failed (exit $($run.ExitCode)): $($run.Stderr)" }
    $result = ($run.Stdout -split '\r?\n' | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
    if ($result.ErrorCount -gt 0) { throw "The TypeScript SDK loop had $($result.ErrorCount) error(s): $($result.Errors -join ' | ')" }
    [pscustomobject]@{ ElapsedSec = $result.ElapsedSec; Items = $result.Items; PeakWorkingSet = $result.PeakWorkingSet; WorkingSetAfterImport = $null; CpuSec = $run.CpuSec }
}

function Invoke-CurlUpload([string] $Directory, $Company) {
    # 20 files a request, each request a separate transfer (curl's 'next'), 10 at once (--parallel-max 10).
    $uri = "$($Emulator.BaseUrl)/companies/$($Company.CompanyId)/connections/$($Company.ConnectionId)/files"
    $files = @(Get-ChildItem -LiteralPath $Directory -File | Sort-Object Name)
    $config = [Text.StringBuilder]::new()
    for ($i = 0; $i -lt $files.Count; $i += 20) {
        if ($i -gt 0) { [void] $config.AppendLine('next') }
        [void] $config.AppendLine("url = `"$uri`"").AppendLine("header = `"Authorization: $($AuthHeader.Authorization)`"")
        [void] $config.AppendLine('output = "/dev/null"').AppendLine('write-out = "%{http_code}\n"').AppendLine('silent').AppendLine('show-error')
        foreach ($file in $files[$i..([math]::Min($i + 19, $files.Count - 1))]) { [void] $config.AppendLine("form = `"file=@$($file.FullName)`"") }
    }
    $configPath = Join-Path $BenchOut 'curl-upload.cfg'
    Set-Content -LiteralPath $configPath -Value $config.ToString() -NoNewline
    $run = Invoke-Timed -FilePath 'curl' -Arguments @('--parallel', '--parallel-max', '10', '--config', $configPath)
    $codes = @($run.Stdout -split '\s+' | Where-Object { $_ })
    $requests = [math]::Ceiling($files.Count / 20)
    if ($run.ExitCode -ne 0 -or $codes.Count -ne $requests -or @($codes | Where-Object { $_ -ne '200' }).Count) {
        throw "curl upload: exit $($run.ExitCode), statuses $($codes -join ',') $($run.Stderr)"
    }
    [pscustomobject]@{ ElapsedSec = $run.ElapsedSec; Items = $files.Count; PeakWorkingSet = $run.PeakWorkingSet; WorkingSetAfterImport = $null; CpuSec = $run.CpuSec }
}

function Invoke-CurlDownload([string] $CompanyId, [string] $Destination, [switch] $Extract) {
    New-Item -ItemType Directory -Path $Destination -Force | Out-Null
    $zip = Join-Path $Destination 'files.zip'
    $curl = Invoke-Timed -FilePath 'curl' -Arguments @('--silent', '--show-error', '--fail', '-H', "Authorization: $($AuthHeader.Authorization)",
        '-o', $zip, "$($Emulator.BaseUrl)/companies/$CompanyId/files/download")
    if ($curl.ExitCode -ne 0) { throw "curl download failed: $($curl.Stderr)" }
    $elapsed = $curl.ElapsedSec; $peak = $curl.PeakWorkingSet; $cpu = $curl.CpuSec
    if ($Extract) {
        $unzip = Invoke-Timed -FilePath 'unzip' -Arguments @('-q', '-o', $zip, '-d', (Join-Path $Destination 'files'))
        if ($unzip.ExitCode -ne 0) { throw "unzip failed: $($unzip.Stderr)" }
        $elapsed += $unzip.ElapsedSec
        $peak = [math]::Max([long] $peak, [long] $unzip.PeakWorkingSet)
        $cpu = if ($null -ne $cpu -and $null -ne $unzip.CpuSec) { $cpu + $unzip.CpuSec } else { $null }
        Remove-Item -LiteralPath $zip -Force
    }
    [pscustomobject]@{ ElapsedSec = $elapsed; Items = $(if ($Extract) { @(Get-ChildItem -LiteralPath $Destination -File -Recurse).Count } else { 1 }); PeakWorkingSet = $peak; WorkingSetAfterImport = $null; CpuSec = $cpu }
}

