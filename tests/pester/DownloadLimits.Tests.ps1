# Save-CodatFiles at the edges of what a download may hold: names as long as the file system allows, and files
# larger than the bound of -MaximumFileSize.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $work = New-TestDirectory
    $src = Join-Path $work.FullName 'src'

    function New-Destination { Join-Path $work.FullName ('dest-' + [guid]::NewGuid().ToString('n').Substring(0, 8)) }
    function Get-Utf8Length([string] $Text) { [Text.Encoding]::UTF8.GetByteCount($Text) }
}

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

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
