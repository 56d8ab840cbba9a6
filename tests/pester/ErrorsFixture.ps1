# Dot-sourced by the BeforeAll of Errors.Tests.ps1 and Retries.Tests.ps1 (after Initialize-TestFile: reads $emulator
# and $work): -Force by default, a wrong key, a company holding one file, and a splat without retries.

# Tests here send the same files again to one company to meet each case: -Force by default, or the re-run rule
# would skip them as already stored (re-runs are tested in ReRuns.Tests.ps1).
$PSDefaultParameterValues = @{ 'Send-CodatFile:Force' = $true }
# One wrong key for the whole file: each distinct key and retry setting is another client in the module's client cache.
$wrongKey = @{ ApiKey = (Get-TestApiKey $emulator -Wrong); ServerUrl = $emulator.BaseUrl }
$company = New-TestCompany $emulator
$file = New-TestFile -Directory $work.FullName -Name 'errors.pdf' -Length 500
# Something to list and download.
Send-TestFile $emulator $company $file.FullName
$noRetry = @{ MaximumRetryCount = 0 }
