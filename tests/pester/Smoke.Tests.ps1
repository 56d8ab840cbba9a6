# Smoke test of the main job, end to end against an emulator process: a folder of statements goes up through the
# pipeline, comes back in the list, and downloads byte for byte. The detailed suites cover each behaviour.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $company = New-TestCompany -Emulator $emulator -Integration 'Banking'
    $statements = Join-Path $work.FullName 'statements'
    $files = 1..3 | ForEach-Object { New-TestFile -Directory $statements -Name "statement-$_.pdf" -Length (1000 * $_) }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'CodatFiles smoke test' {
    It 'uploads a folder from the pipeline, one typed result per file' {
        $results = Get-ChildItem -LiteralPath $statements -Filter *.pdf |
            Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 2 @conn -ErrorAction Stop
        $results | Should -HaveCount 3
        $results[0].PSObject.TypeNames[0] | Should -Be 'CodatFiles.SendCodatFileResult'
        ($results.FileName | Sort-Object) | Should -Be @('statement-1.pdf', 'statement-2.pdf', 'statement-3.pdf')
        $results | ForEach-Object { $_.CompanyId | Should -Be $company.CompanyId }
    }

    It 'lists the uploaded files with their source type and UTC upload time' {
        $listed = Get-CodatFileList -CompanyId $company.CompanyId @conn -ErrorAction Stop
        $listed | Should -HaveCount 3
        $listed[0].PSObject.TypeNames[0] | Should -Be 'CodatFiles.CodatFileInfo'
        $listed | ForEach-Object {
            $_.SourceType | Should -Be 'Banking'
            $_.Uploaded.Kind | Should -Be ([DateTimeKind]::Utc)
        }
    }

    It 'saves the files, identical to the originals, under their source-type folder' {
        $destination = Join-Path $work.FullName 'downloaded'
        $saved = Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $destination @conn -ErrorAction Stop
        $saved | Should -HaveCount 3
        $saved | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }
        foreach ($file in $files) {
            $copy = Join-Path $destination "Banking/$($file.Name)"
            Get-TestFileHash -LiteralPath $copy | Should -Be (Get-TestFileHash -LiteralPath $file.FullName)
        }
    }

    It 'saves only the files piped from Get-CodatFileList' {
        $destination = Join-Path $work.FullName 'piped'
        $saved = Get-CodatFileList -CompanyId $company.CompanyId -Name 'statement-2*' @conn |
            Save-CodatFiles -DestinationPath $destination @conn -ErrorAction Stop
        $saved.Name | Should -Be 'statement-2.pdf'
        Get-TestFileTree -LiteralPath $destination | Should -Be 'Banking/statement-2.pdf'
    }
}
