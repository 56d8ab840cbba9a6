# Save-CodatFiles predicts how Codat names the entries of a download zip (<sourceType>/<fileName>, repeats as
# "name (2).ext"), but that naming is inferred, not documented. Here the emulator serves zips laid out another way
# (no folders, repeats numbered "name_1.ext"): every piped or dated file must still be found, by its file name and
# upload order, and saved under the name the module gives it.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $src = Join-Path $work.FullName 'src'

    # One company, two connections: 'a.pdf' twice from Accounting, then once from Banking, all on one day.
    $companyId = [guid]::NewGuid()
    $accounting = [pscustomobject]@{ CompanyId = $companyId; ConnectionId = [guid]::NewGuid() }
    $banking = [pscustomobject]@{ CompanyId = $companyId; ConnectionId = [guid]::NewGuid() }
    Invoke-TestEmulatorControl -Emulator $emulator -Method POST -Path 'companies' -Body @{
        companyId   = $companyId.ToString()
        connections = @(
            @{ connectionId = $accounting.ConnectionId.ToString(); integration = 'Accounting' }
            @{ connectionId = $banking.ConnectionId.ToString(); integration = 'Banking' }
        )
    } | Out-Null
    $first = New-TestFile -Directory (Join-Path $src 'one') -Name 'a.pdf' -Length 1001
    $second = New-TestFile -Directory (Join-Path $src 'two') -Name 'a.pdf' -Length 2002
    $ledger = New-TestFile -Directory $src -Name 'b.csv' -Length 303
    $bank = New-TestFile -Directory (Join-Path $src 'three') -Name 'a.pdf' -Length 4004
    $day = [datetime]::new(2024, 3, 5, 10, 0, 0, [DateTimeKind]::Utc)
    Send-TestFile $emulator $accounting $first.FullName -UploadedAt $day
    Send-TestFile $emulator $accounting $second.FullName, $ledger.FullName -UploadedAt $day.AddMinutes(1)
    Send-TestFile $emulator $banking $bank.FullName -UploadedAt $day.AddMinutes(2)

    # Where each upload is saved: the module's names, whatever the archive called it.
    $expected = [ordered]@{
        'Accounting/a.pdf'     = $first
        'Accounting/a (2).pdf' = $second
        'Accounting/b.csv'     = $ledger
        'Banking/a.pdf'        = $bank
    }

    function Assert-SavedAsExpected {
        param([string] $Destination, $Result)
        $Result.Errors | Should -BeNullOrEmpty
        $Result.Output.Count | Should -Be 4
        Get-TestFileTree $Destination | Should -Be @($expected.Keys | Sort-Object)
        foreach ($name in $expected.Keys) {
            Get-TestFileHash (Join-Path $Destination $name) | Should -Be (Get-TestFileHash $expected[$name].FullName) -Because "$name holds that upload"
        }
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Save-CodatFiles with an archive laid out unlike the emulator''s default' {
    BeforeAll {
        Set-TestArchiveLayout $emulator -Flat -UnderscoreCopies
        # The zip really is laid out differently, so the predicted names are all missing from it.
        $probe = Join-Path $work.FullName 'probe'
        $archive = @(Save-CodatFiles -CompanyId $companyId -Date $day -DestinationPath $probe -AsArchive @conn -ErrorAction Stop)[0]
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($archive.FullName)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
    }

    AfterAll { Set-TestArchiveLayout $emulator }

    It 'is served a zip without folders whose repeats are numbered name_1.ext' {
        $entries | Should -Be @('a.pdf', 'a_1.pdf', 'b.csv', 'a_2.pdf')
    }

    It 'finds every piped file by its name and upload order' {
        $dest = Join-Path $work.FullName ('piped-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $r = Invoke-Capturing { Get-CodatFileList -CompanyId $companyId @conn | Save-CodatFiles -DestinationPath $dest @conn }
        Assert-SavedAsExpected $dest $r
    }

    It 'finds every file of a -Date day' {
        $dest = Join-Path $work.FullName ('dated-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $companyId -Date $day -DestinationPath $dest @conn }
        Assert-SavedAsExpected $dest $r
    }
}
