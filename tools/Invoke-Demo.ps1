<#
.SYNOPSIS
The main job of CodatFiles, run against an emulator by `build.ps1 -Task Demo`: upload a folder of statements,
list them, download them again and prove every file came back byte for byte. Each command is echoed before its output.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ServerUrl,
    [Parameter(Mandatory)] [string] $ApiKey
)
$ErrorActionPreference = 'Stop'

function Invoke-DemoStep {
    # Echoes a step's code as a user would type it, then runs it and shows its output.
    param([Parameter(Mandatory)] [scriptblock] $Step)
    Write-Host ("PS> " + $Step.ToString().Trim()) -ForegroundColor Yellow
    $output = . $Step
    if ($null -ne $output) { $output | Out-Host }
}

# A short folder name, so paths in the output stay readable at 80 columns.
$work = Join-Path ([IO.Path]::GetTempPath()) ("codatfiles-demo-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
$statements = New-Item -ItemType Directory -Path (Join-Path $work 'statements')
$downloads = Join-Path $work 'downloads'
try {
    # Sample statements of a few sizes and types, with random content so the round trip proves something.
    $random = [Random]::new(2026)
    foreach ($sample in @(
            @{ Name = 'invoice-2026-001.pdf'; Size = 48KB },
            @{ Name = 'invoice-2026-002.pdf'; Size = 1.5MB },
            @{ Name = 'bank statement (November).csv'; Size = 12KB },
            @{ Name = 'receipt-€-scan.png'; Size = 300KB },
            @{ Name = 'Management accounts and bank reconciliation, March 2026 (signed copy).pdf'; Size = 96KB })) {
        $bytes = [byte[]]::new($sample.Size)
        $random.NextBytes($bytes)
        [IO.File]::WriteAllBytes((Join-Path $statements $sample.Name), $bytes)
    }
    $companyId = '8a210b68-6988-11ed-a1eb-0242ac120002'
    $connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171'

    Invoke-DemoStep { Import-Module $ModulePath; Get-Command -Module CodatFiles | Format-Table -AutoSize }
    Invoke-DemoStep { Connect-Codat -ApiKey (ConvertTo-SecureString $ApiKey -AsPlainText -Force) -ServerUrl $ServerUrl }
    Invoke-DemoStep { Get-ChildItem $statements -File | Send-CodatFile -CompanyId $companyId -ConnectionId $connectionId }
    Invoke-DemoStep { Get-CodatFileList -CompanyId $companyId }
    Invoke-DemoStep { Get-CodatFileList -CompanyId $companyId -Name invoice* | Save-CodatFiles -DestinationPath $downloads | Format-Table Length, LastWriteTimeUtc, Name }
    Invoke-DemoStep { Save-CodatFiles -CompanyId $companyId -DestinationPath $downloads -Force -InformationAction Continue | Format-Table SourceType, Uploaded, Length, Name }

    Write-Host 'Checking that every file came back byte for byte...' -ForegroundColor Cyan
    $originals = @(Get-ChildItem $statements -File)
    $mismatches = 0
    foreach ($original in $originals) {
        $copy = Get-ChildItem $downloads -Recurse -File | Where-Object Name -EQ $original.Name | Select-Object -First 1
        $same = $copy -and (Get-FileHash -LiteralPath $copy.FullName).Hash -eq (Get-FileHash -LiteralPath $original.FullName).Hash
        if (-not $same) { Write-Host "  DIFFERENT OR MISSING: $($original.Name)" -ForegroundColor Red; $mismatches++ }
    }
    Write-Host "  $($originals.Count - $mismatches) of $($originals.Count) files identical."
    Invoke-DemoStep { Disconnect-Codat }
    if ($mismatches) { throw "$mismatches file(s) did not round-trip." }
    Write-Host 'Demo complete: every file round-tripped through upload, list and download.' -ForegroundColor Green
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
