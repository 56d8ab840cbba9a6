# Dot-sourced by the BeforeAll of SaveCodatFiles.Tests.ps1 and SaveCodatFilesAcross.Tests.ps1 (after
# Initialize-TestFile: reads $emulator and $work): the companies both download from, and New-Destination.
Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

function New-Destination { Join-Path $work.FullName ('dest-' + [guid]::NewGuid().ToString('n').Substring(0, 8)) }

# Company with three files of different types, uploaded now.
$company = New-TestCompany $emulator
$src = Join-Path $work.FullName 'src'
$sources = @(
    New-TestFile -Directory $src -Name 'invoice.pdf' -Length 4096
    New-TestFile -Directory $src -Name 'ledger.csv' -Length 1500
    New-TestFile -Directory $src -Name 'scan[1].png' -Length 9000
)
Send-TestFile $emulator $company $sources.FullName

# Company with files on two days (emulator clock): 2024-03-05 two PDFs and a CSV, 2024-03-07 one PDF.
$dated = New-TestCompany $emulator
$day1 = [datetime]::new(2024, 3, 5, 10, 0, 0, [DateTimeKind]::Utc)
$day2 = [datetime]::new(2024, 3, 7, 10, 0, 0, [DateTimeKind]::Utc)
$d1a = New-TestFile -Directory $src -Name 'day1-a.pdf' -Length 700
$d1b = New-TestFile -Directory $src -Name 'day1-b.pdf' -Length 800
$d1c = New-TestFile -Directory $src -Name 'day1-c.csv' -Length 900
$d2a = New-TestFile -Directory $src -Name 'day2-a.pdf' -Length 1000
Send-TestFile $emulator $dated $d1a.FullName, $d1b.FullName, $d1c.FullName -UploadedAt $day1
Send-TestFile $emulator $dated $d2a.FullName -UploadedAt $day2
