# Save-CodatFiles at the edges of what a download may hold: names as long as the file system allows, files larger
# than the bound of -MaximumFileSize, an entry that lies about its size, and an archive that expands past
# -MaximumExpansionRatio (hostile zips built here and served by the emulator's raw-body fault).
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $src = Join-Path $work.FullName 'src'

    function New-Destination { Join-Path $work.FullName ('dest-' + [guid]::NewGuid().ToString('n').Substring(0, 8)) }
    function Get-Utf8Length([string] $Text) { [Text.Encoding]::UTF8.GetByteCount($Text) }

    function New-ZipBytes {
        <# A zip (deflated) of entries name => byte count, of zeros or with -Text of letters, written through a temp file. #>
        param([Parameter(Mandatory)] [Collections.Specialized.OrderedDictionary] $Entries, [switch] $Text)
        $path = Join-Path $work.FullName ('zip-' + [guid]::NewGuid().ToString('n') + '.zip')
        # Assigned, not taken from an if statement's output, which would unroll the array into a million boxed bytes
        # for every Write to convert back (building the 110 MiB archive took 20 s that way).
        $chunk = [byte[]]::new(1MB)
        if ($Text) { $chunk = [Text.Encoding]::ASCII.GetBytes('abcdefghijklmnopqrstuvw,' * 43691) }
        $zip = [IO.Compression.ZipFile]::Open($path, 'Create')
        try {
            foreach ($name in $Entries.Keys) {
                $stream = $zip.CreateEntry($name, 'Optimal').Open()
                try {
                    for ($left = [long] $Entries[$name]; $left -gt 0; $left -= $chunk.Length) { $stream.Write($chunk, 0, [Math]::Min($left, $chunk.Length)) }
                } finally { $stream.Dispose() }
            }
        } finally { $zip.Dispose() }
        try { , [IO.File]::ReadAllBytes($path) } finally { Remove-Item -LiteralPath $path }
    }

    function Set-DeclaredSize {
        <#
        Makes the first entry of a zip built by New-ZipBytes (one local header at offset 0, no data descriptor) declare
        -Size bytes uncompressed, in its local header and in its central directory record; its data and CRC stay.
        #>
        param([Parameter(Mandatory)] [byte[]] $Zip, [Parameter(Mandatory)] [uint32] $Size)
        $end = $Zip.Length - 22 # the end record, no comment
        [BitConverter]::ToUInt32($Zip, $end) | Should -Be 0x06054b50
        $central = [BitConverter]::ToUInt32($Zip, $end + 16)
        [BitConverter]::ToUInt32($Zip, 0) | Should -Be 0x04034b50
        [BitConverter]::ToUInt32($Zip, $central) | Should -Be 0x02014b50
        [BitConverter]::GetBytes($Size).CopyTo($Zip, 22)
        [BitConverter]::GetBytes($Size).CopyTo($Zip, $central + 24)
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Save-CodatFiles with names of 255 bytes' {
    BeforeAll {
        # The longest names Linux and macOS accept: 255 bytes in UTF-8, ASCII and two-byte characters.
        $names = @((('n' * 251) + '.pdf'), ([string]::new([char] 0xE9, 125) + 'x.pdf'))
        $company = New-TestCompany $emulator
        $files = foreach ($name in $names) { New-TestFile -Directory $src -Name $name -Length 777 }
        Send-TestFile $emulator $company $files.FullName
    }

    It 'uses names of exactly 255 bytes' {
        foreach ($name in $names) { Get-Utf8Length $name | Should -Be 255 }
    }

    It 'saves them whole, under their own names (<Mode>)' -TestCases @(@{ Mode = 'whole company' }, @{ Mode = 'piped' }) {
        $dest = New-Destination
        $r = if ($Mode -eq 'piped') {
            Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn | Save-CodatFiles -DestinationPath $dest @conn }
        } else {
            Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn }
        }
        $r.Errors | Should -BeNullOrEmpty
        ($r.Output.Name | Sort-Object) | Should -Be ($names | Sort-Object)
        foreach ($file in $files) {
            Get-TestFileHash (Join-Path $dest "Accounting/$($file.Name)") | Should -Be (Get-TestFileHash $file.FullName)
        }
        Get-ChildItem -LiteralPath $dest -Recurse -Force -File | Where-Object Name -Like '*.partial' | Should -BeNullOrEmpty
    }
}

Describe 'Save-CodatFiles -MaximumFileSize' {
    BeforeAll {
        $company = New-TestCompany $emulator
        $big = New-TestFile -Directory (Join-Path $src 'bound') -Name 'big.csv' -Length 5000
        $small = New-TestFile -Directory (Join-Path $src 'bound') -Name 'small.csv' -Length 300
        Send-TestFile $emulator $company $big.FullName, $small.FullName
    }

    It 'refuses an entry over the bound with its own error, leaves nothing of it, and saves the rest (<Mode>)' -TestCases @(
        @{ Mode = 'whole company' }, @{ Mode = 'piped' }
    ) {
        $dest = New-Destination
        $r = if ($Mode -eq 'piped') {
            Invoke-Capturing { Get-CodatFileList -CompanyId $company.CompanyId @conn | Save-CodatFiles -DestinationPath $dest -MaximumFileSize 1000 @conn }
        } else {
            Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest -MaximumFileSize 1000 @conn }
        }
        $r.Output.Name | Should -Be 'small.csv'
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Match '^CodatFiles\.InvalidArchive(,|$)'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $r.Errors[0].TargetObject | Should -Be (Join-Path $dest 'Accounting/big.csv')
        $r.Errors[0].ToString() | Should -BeLike '*declares 5,000 bytes*'
        Get-TestFileTree $dest | Should -Be @('Accounting/small.csv') -Because 'nothing of the refused file, not even a temporary one'
        @(Get-ChildItem -LiteralPath $dest -Recurse -Force -File).Count | Should -Be 1
    }

    It 'saves every file under the default bound' {
        $dest = New-Destination
        $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -ErrorAction Stop)
        ($out.Name | Sort-Object) | Should -Be @('big.csv', 'small.csv')
    }
}

Describe 'Save-CodatFiles and an entry that inflates past its declared size' {
    BeforeAll {
        $company = New-TestCompany $emulator
        $zip = New-ZipBytes -Entries ([ordered]@{ 'Accounting/bomb.csv' = 5000; 'Accounting/before.csv' = 300; 'Accounting/after.csv' = 400 }) -Text
        Set-DeclaredSize -Zip $zip -Size 1000
        $staging = New-TestDirectory -Parent $work.FullName -Name 'staging-lying'
    }

    It 'refuses that entry alone with its own error, leaves nothing of it, and saves the others' {
        # What the runtime's ZipArchive makes of the lie: .NET cuts the entry short at the 1,000 bytes it declares (the
        # module then sees its checksum fail), .NET Framework inflates all 5,000 (the module stops it at byte 1,001).
        $read = [IO.Compression.ZipArchive]::new([IO.MemoryStream]::new($zip), 'Read')
        try {
            $entry = $read.GetEntry('Accounting/bomb.csv')
            $entry.Length | Should -Be 1000
            $inflated = [IO.MemoryStream]::new(); $opened = $entry.Open(); $opened.CopyTo($inflated); $opened.Dispose()
            $inflated.Length | Should -Be $(if ($PSVersionTable.PSEdition -eq 'Core') { 1000 } else { 5000 })
        } finally { $read.Dispose() }

        Add-TestFault $emulator -Operation 'download-files' -Kind 'raw-body' -RawBody $zip
        $dest = New-Destination
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest -TemporaryPath $staging.FullName @conn }
        ($r.Output.Name | Sort-Object) | Should -Be @('after.csv', 'before.csv')
        $e = Get-OnlyError $r
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.InvalidArchive(,|$)'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.TargetObject | Should -Be (Join-Path $dest 'Accounting/bomb.csv')
        $e.ToString() | Should -BeLike '*inflates beyond the 1,000 bytes it declares*'
        Get-TestFileTree $dest | Should -Be @('Accounting/after.csv', 'Accounting/before.csv') -Because 'nothing of the refused entry, not even a .partial'
        (Get-Item -LiteralPath (Join-Path $dest 'Accounting/before.csv')).Length | Should -Be 300
        (Get-Item -LiteralPath (Join-Path $dest 'Accounting/after.csv')).Length | Should -Be 400
        Get-TestFileTree $staging.FullName | Should -BeNullOrEmpty -Because 'the downloaded archive is deleted'
    }
}

Describe 'Save-CodatFiles -MaximumExpansionRatio' {
    BeforeAll {
        $company = New-TestCompany $emulator
        # 2 x 55 MiB of zeros: 110 MiB declared, over the 100 MiB floor, from an archive of about 110 KB (ratio ~1000).
        $entryBytes = 55MB
        $zip = New-ZipBytes -Entries ([ordered]@{ 'Accounting/zeros-1.csv' = $entryBytes; 'Accounting/zeros-2.csv' = $entryBytes })
        $staging = New-TestDirectory -Parent $work.FullName -Name 'staging-ratio'
        Write-Host "Expansion test archive: $($zip.Length) bytes declaring $(2 * $entryBytes) bytes (ratio $([Math]::Round(2 * $entryBytes / $zip.Length)))."
    }

    It 'refuses an archive declaring more than max(100 MiB, 100 x its size) whole, before anything is written' {
        $zip.Length * 100 | Should -BeLessThan (2 * $entryBytes) -Because 'the archive must exceed the default bound'
        Add-TestFault $emulator -Operation 'download-files' -Kind 'raw-body' -RawBody $zip
        $dest = New-Destination
        $r = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest -TemporaryPath $staging.FullName @conn }
        $r.Output | Should -BeNullOrEmpty
        $e = Get-OnlyError $r
        $e.FullyQualifiedErrorId | Should -Match '^CodatFiles\.InvalidArchive(,|$)'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.TargetObject | Should -Be $company.CompanyId
        $message = $e.ErrorDetails.Message
        $message | Should -BeLike ('*declare {0:N0} bytes*' -f (2 * $entryBytes))
        $message | Should -BeLike ('*archive of {0:N0} bytes*' -f $zip.Length)
        $message | Should -BeLike ('*bound of {0:N0} bytes*' -f 100MB)
        $message | Should -BeLike '*-MaximumExpansionRatio (100)*'
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*raise the bound with -MaximumExpansionRatio*'
        Test-Path -LiteralPath $dest | Should -BeFalse -Because 'nothing was written, so the destination this call created is removed again'
        Get-TestFileTree $staging.FullName | Should -BeNullOrEmpty -Because 'the downloaded archive is deleted'
    }

    It 'extracts the same archive when the ratio allows it' {
        Add-TestFault $emulator -Operation 'download-files' -Kind 'raw-body' -RawBody $zip
        $dest = New-Destination
        try {
            $out = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest -TemporaryPath $staging.FullName -MaximumExpansionRatio 5000 @conn -ErrorAction Stop)
            ($out.Name | Sort-Object) | Should -Be @('zeros-1.csv', 'zeros-2.csv')
            $out.ForEach('Length') | Should -Be @($entryBytes, $entryBytes)
        } finally {
            Remove-Item -LiteralPath $dest -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'takes only a ratio of at least 1' {
        { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath (New-Destination) -MaximumExpansionRatio 0 @conn } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,CodatFiles.Commands.SaveCodatFilesCommand'
    }
}
