# Dot-sourced by the BeforeAll of Cancellation.Tests.ps1 and CancellationShapes.Tests.ps1 (after Initialize-TestFile:
# reads $emulator and $work): $company holding $files (three PDFs), to list and download, and $privateTemp.

$company = New-TestCompany $emulator
$src = Join-Path $work.FullName 'src'
$files = 1..3 | ForEach-Object { New-TestFile -Directory $src -Name "cancel$_.pdf" -Length 20000 }
Send-TestFile $emulator $company $files.FullName
# The stopped commands (Start-InRunspace: runspaces of this process) stage their archives in a temp folder of this
# file's own, where Get-TemporaryDownload looks for what they left (the shared one has other downloads' archives).
# AfterAll undoes it: Exit-TestPrivateTemp $privateTemp.
$privateTemp = Enter-TestPrivateTemp
