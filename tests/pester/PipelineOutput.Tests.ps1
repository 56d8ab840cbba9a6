# What Send-CodatFile gives the next command of a pipeline: failures whose TargetObject pipes back in, objects of
# other shapes that bind, the summary record on the Information stream, -Debug lines per HTTP exchange, -Recurse.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $conn = Get-TestConnection $emulator
    $work = New-TestDirectory

    function Get-StoredFileName {
        # Names the emulator holds for a company, read through Get-CodatFileList.
        param([guid] $CompanyId)
        @(Get-CodatFileList -CompanyId $CompanyId @conn -ErrorAction Stop | ForEach-Object FileName | Sort-Object)
    }
}

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Failed uploads pipe back into Send-CodatFile' {
    BeforeEach {
        Clear-TestFault $emulator
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ('retry-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $files = @(
            New-TestFile -Directory $dir -Name 'Q1 [final].pdf' -Length 300
            New-TestFile -Directory $dir -Name 'ledger.csv' -Length 200
            New-TestFile -Directory $dir -Name 'scan.png' -Length 100
        )
        $send = @{ CompanyId = $company.CompanyId; ConnectionId = $company.ConnectionId; MaximumRetryCount = 0 }
    }

    It 'every failed file''s TargetObject is its FileInfo, and piping them re-sends them all, brackets included' {
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1
        $run = Invoke-Capturing { $files | Send-CodatFile @send @conn }
        $run.Errors | Should -HaveCount 3 -Because 'the one request carried all three files'
        $run.Errors.TargetObject | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }

        $again = @($run.Errors.TargetObject | Send-CodatFile @send @conn -ErrorAction Stop)
        ($again.FullName | Sort-Object) | Should -Be ($files.FullName | Sort-Object)
        Get-StoredFileName $company.CompanyId | Should -Be ($files.Name | Sort-Object)
    }

    It 're-sends exactly the files that failed, not the others' {
        Add-TestFault $emulator -Operation upload-files -Status 503 -Count 1
        $run = Invoke-Capturing { $files | Send-CodatFile @send -BatchSize 1 -ThrottleLimit 1 @conn }
        $run.Errors | Should -HaveCount 1
        $run.Output | Should -HaveCount 2
        $failed = $run.Errors[0].TargetObject
        $failed | Should -BeOfType ([IO.FileInfo])
        $failed.FullName | Should -Not -BeIn $run.Output.FullName

        $again = @($run.Errors.TargetObject | Send-CodatFile @send @conn -ErrorAction Stop)
        $again.FullName | Should -Be $failed.FullName
        Get-StoredFileName $company.CompanyId | Should -Be ($files.Name | Sort-Object) -Because 'each file is stored once'
    }

    It 'a file refused before sending (too large) has its FileInfo as TargetObject' {
        $big = New-TestFile -Directory $dir -Name 'too big.pdf' -Length (10MB + 1) -Sparse
        $run = Invoke-Capturing { $big | Send-CodatFile @send @conn }
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'CodatFiles.FileTooLarge*'
        $run.Errors[0].TargetObject | Should -BeOfType ([IO.FileInfo])
        $run.Errors[0].TargetObject.FullName | Should -Be $big.FullName
    }
}

Describe 'Objects of other shapes bind like Import-Csv rows' {
    BeforeEach {
        $company = New-TestCompany $emulator
        $dir = Join-Path $work.FullName ('shape-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    }

    It 'binds an object with <Property> and [guid] ids' -TestCases @(
        @{ Property = 'Path'; Name = 'by-path.pdf' }
        @{ Property = 'FullName'; Name = 'by [full] name.pdf' }
    ) {
        $file = New-TestFile -Directory $dir -Name $Name -Length 10
        $row = [pscustomobject]@{ $Property = $file.FullName; CompanyId = [guid] $company.CompanyId; ConnectionId = [guid] $company.ConnectionId }
        $r = @($row | Send-CodatFile @conn -ErrorAction Stop)
        $r.FullName | Should -Be $file.FullName
        Get-StoredFileName $company.CompanyId | Should -Be $Name
    }

    It 'binds a bare FileInfo (no PSPath) with brackets in its name' {
        $file = New-TestFile -Directory $dir -Name 'bare [1].pdf' -Length 10
        $r = @([IO.FileInfo]::new($file.FullName) | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop)
        $r.FullName | Should -Be $file.FullName
    }
}
