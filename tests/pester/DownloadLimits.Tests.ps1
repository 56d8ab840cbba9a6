# Save-CodatFiles at the edges of what a download may hold: names as long as the file system allows.
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
