# What Save-CodatFiles gives people and pipelines: upload times as last write times in any time zone, FileInfo
# output that carries CompanyId, SourceType and Uploaded, -WhatIf targets, -TemporaryPath and the summary record.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile

    function New-TwoConnectionCompany {
        # One company with an Accounting and a Banking connection.
        $company = [guid]::NewGuid()
        $accounting = [guid]::NewGuid()
        $banking = [guid]::NewGuid()
        Invoke-TestEmulatorControl -Emulator $emulator -Method POST -Path 'companies' -Body @{
            companyId   = "$company"
            connections = @(@{ connectionId = "$accounting"; integration = 'Accounting' }, @{ connectionId = "$banking"; integration = 'Banking' })
        } | Out-Null
        [pscustomobject]@{ CompanyId = $company; Accounting = $accounting; Banking = $banking }
    }

}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Saved files keep their upload time' {
    BeforeAll {
        $company = New-TestCompany $emulator
        $src = Join-Path $work.FullName 'times'
        # An odd second: a zip entry's time has two-second steps and would be off by one. The emulator's clock runs
        # on from the time it is set to, so uploads are repeated (a few, half a second apart) until one lands on one.
        Set-TestClock -Emulator $emulator -Now '2024-03-05T18:59:37Z'
        try {
            foreach ($attempt in 1..6) {
                $file = New-TestFile -Directory $src -Name "odd-second-$attempt.pdf" -Length 100
                $null = Send-CodatFile -LiteralPath $file.FullName -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId @conn -ErrorAction Stop
                $listed = Get-CodatFileList -CompanyId $company.CompanyId -Name $file.Name @conn -ErrorAction Stop
                if ($listed.Uploaded.Second % 2 -eq 1) { break }
                Start-Sleep -Milliseconds 500
            }
        } finally {
            Set-TestClock -Emulator $emulator -Now $null
        }
        $uploadedAt = $listed.Uploaded
        $name = $listed.FileName

        # One child saves in both zones far from UTC: it starts in the first (TZ set before it starts, as a shell sets
        # it), then moves to the second, which .NET reads from TZ once TimeZoneInfo.ClearCachedData() drops the first.
        $zones = 'America/New_York', 'Pacific/Kiritimati'
        $script = @"
param(`$ModulePath, `$BaseUrl, `$ApiKey)
`$ErrorActionPreference = 'Stop'
Import-Module `$ModulePath
`$key = ConvertTo-SecureString -String `$ApiKey -AsPlainText -Force
foreach (`$zone in '$($zones -join "', '")') {
    if (`$env:TZ -ne `$zone) { `$env:TZ = `$zone; [TimeZoneInfo]::ClearCachedData() }
    `$dest = Join-Path '$($work.FullName)' ('times-' + `$zone.Replace('/', '-'))
    `$saved = Save-CodatFiles -CompanyId $($company.CompanyId) -DestinationPath `$dest -ApiKey `$key -ServerUrl `$BaseUrl
    `$zone, [TimeZoneInfo]::Local.BaseUtcOffset.TotalHours, (`$saved | Where-Object Name -EQ '$name').LastWriteTimeUtc.ToString('o'), `$dest -join '|'
}
"@
        $inZone = @{}
        $lines = Invoke-TestChildPowerShell -Script $script -Arguments @((Get-TestModulePath), $emulator.BaseUrl, $emulator.ApiKey) -Environment @{ TZ = $zones[0] } -AllOutput
        foreach ($line in $lines) {
            $zone, $offset, $saved, $dest = $line -split '\|'
            if ($zone -notin $zones) { continue } # a summary line
            $inZone[$zone] = [pscustomobject]@{ Offset = [double] $offset; Saved = $saved; Dest = $dest }
        }
    }

    It 'LastWriteTimeUtc is the upload time Codat lists, on an odd second, whole-company and piped saves alike' {
        $uploadedAt.Second % 2 | Should -Be 1
        $whole = Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath (Join-Path $work.FullName 'times-whole') @conn -ErrorAction Stop
        ($whole | Where-Object Name -EQ $name).LastWriteTimeUtc | Should -Be $uploadedAt
        $piped = $listed | Save-CodatFiles -DestinationPath (Join-Path $work.FullName 'times-piped') @conn -ErrorAction Stop
        $piped.LastWriteTimeUtc | Should -Be $uploadedAt
    }

    It 'in a time zone far from UTC (TZ=<Zone>) LastWriteTimeUtc is still the upload time' -TestCases @(
        @{ Zone = 'America/New_York' }, @{ Zone = 'Pacific/Kiritimati' }
    ) {
        $run = $inZone[$Zone]
        $run.Offset | Should -Be ([TimeZoneInfo]::FindSystemTimeZoneById($Zone).BaseUtcOffset.TotalHours) -Because 'the child really saved in that zone'
        [datetime]::Parse($run.Saved, [cultureinfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind) | Should -Be $uploadedAt
        (Get-Item -LiteralPath (Join-Path $run.Dest "Accounting/$name")).LastWriteTimeUtc | Should -Be $uploadedAt
    }
}

Describe 'Save-CodatFiles output' {
    BeforeAll {
        $company = New-TwoConnectionCompany
        $src = Join-Path $work.FullName 'facts'
        $a = New-TestFile -Directory $src -Name 'ledger.csv' -Length 300
        $b = New-TestFile -Directory $src -Name 'statement.pdf' -Length 500
        $null = Send-CodatFile -LiteralPath $a.FullName -CompanyId $company.CompanyId -ConnectionId $company.Accounting @conn -ErrorAction Stop
        $null = Send-CodatFile -LiteralPath $b.FullName -CompanyId $company.CompanyId -ConnectionId $company.Banking @conn -ErrorAction Stop
        $listed = @(Get-CodatFileList -CompanyId $company.CompanyId @conn -ErrorAction Stop)
        $saved = @(Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath (Join-Path $work.FullName 'facts-out') @conn -ErrorAction Stop -InformationVariable info)
    }

    It 'each FileInfo carries CompanyId, SourceType and Uploaded as Codat lists them' {
        $saved | Should -HaveCount 2
        foreach ($item in $saved) {
            $item | Should -BeOfType ([IO.FileInfo])
            $match = $listed | Where-Object FileName -EQ $item.Name
            $item.CompanyId | Should -Be $company.CompanyId
            $item.SourceType | Should -Be $match.SourceType
            $item.Uploaded | Should -Be $match.Uploaded
            $item.PSPath | Should -Not -BeNullOrEmpty -Because 'it is still the provider item'
        }
    }

    It 'groups by SourceType and still formats as a file listing' {
        $groups = @($saved | Group-Object SourceType | Sort-Object Name)
        $groups.Name | Should -Be @('Accounting', 'Banking')
        ($groups | ForEach-Object Count) | Should -Be @(1, 1)
        $text = $saved | Out-String -Width 120
        $text | Should -Match 'Directory: '
        $text | Should -Match 'LastWriteTime'
        $text | Should -Match 'statement\.pdf'
    }

    It 'ends with a summary record: files and bytes saved, list and download requests' {
        $summary = @($info | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })
        $summary | Should -HaveCount 1
        $summary[0].MessageData.Command | Should -Be 'Save-CodatFiles'
        $summary[0].MessageData.FilesDone | Should -Be 2
        $summary[0].MessageData.BytesDone | Should -Be 800
        $summary[0].MessageData.FilesFailed | Should -Be 0
        $summary[0].MessageData.Requests | Should -Be 2 -Because 'one list and one download'
    }

    It 'counts the files of a failed download as failed, and piped files declined by -WhatIf as skipped' {
        Add-TestFault $emulator -Operation download-files -Status 500 -Count 1
        $null = $listed | Save-CodatFiles -DestinationPath (Join-Path $work.FullName 'facts-fail') @conn -MaximumRetryCount 0 -ErrorAction SilentlyContinue -InformationVariable failedInfo
        $failed = @($failedInfo | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })[0].MessageData
        $failed.FilesFailed | Should -Be 2
        $failed.FilesDone | Should -Be 0
        $null = $listed | Save-CodatFiles -DestinationPath (Join-Path $work.FullName 'facts-whatif') @conn -WhatIf -InformationVariable whatIfInfo
        (@($whatIfInfo | Where-Object { $_.Tags -contains 'CodatFiles.Summary' })[0].MessageData).FilesSkipped | Should -Be 2
    }
}

Describe 'Save-CodatFiles -WhatIf names the real target paths' {
    It 'two uploads of one name in one second, piped, are named as the two paths they will get' {
        $company = New-TestCompany $emulator
        $first = New-TestFile -Directory (Join-Path $work.FullName 'same-1') -Name 'dup.pdf' -Length 10
        $second = New-TestFile -Directory (Join-Path $work.FullName 'same-2') -Name 'dup.pdf' -Length 20
        Send-TestFile -Emulator $emulator -Company $company -LiteralPath $first.FullName, $second.FullName -UploadedAt '2024-06-01T08:00:01Z'
        $dest = Join-Path $work.FullName 'same-out'
        # "What if:" goes to the host only (not to a stream a redirection can catch).
        $lines = Get-TestHostOutput { Get-CodatFileList -CompanyId $company.CompanyId @conn -ErrorAction Stop | Save-CodatFiles -DestinationPath $dest @conn -WhatIf -ErrorAction Stop }
        $targets = @($lines | Where-Object { $_ -match '^What if: .* on target "(.+)"\.$' } | ForEach-Object { [regex]::Match($_, 'on target "(.+)"\.$').Groups[1].Value })
        $targets | Should -HaveCount 2
        $targets | Should -Be @((Join-Path $dest 'Accounting/dup.pdf'), (Join-Path $dest 'Accounting/dup (2).pdf'))

        $saved = @(Get-CodatFileList -CompanyId $company.CompanyId @conn | Save-CodatFiles -DestinationPath $dest @conn -ErrorAction Stop)
        ($saved.FullName | Sort-Object) | Should -Be ($targets | Sort-Object) -Because 'the files land where -WhatIf said'
    }
}

Describe 'Save-CodatFiles -TemporaryPath' {
    BeforeAll {
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName 'staged') -Name 'staged.pdf' -Length 100
        Send-TestFile -Emulator $emulator -Company $company -LiteralPath $file.FullName
    }

    It 'stages the archive there while the download runs, and leaves nothing behind' {
        $staging = (New-TestDirectory -Parent $work.FullName -Name 'staging').FullName
        Add-TestFault $emulator -Operation download-files -Kind delay -DelayMs 2500 -Count 1
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-TestModulePath)).AddStatement()
            $null = $ps.AddCommand('Save-CodatFiles').AddParameter('CompanyId', $company.CompanyId).
                AddParameter('DestinationPath', (Join-Path $work.FullName 'staged-out')).AddParameter('TemporaryPath', $staging).
                AddParameter('ApiKey', $conn.ApiKey).AddParameter('ServerUrl', $conn.ServerUrl)
            $handle = $ps.BeginInvoke()
            $seen = @()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not $handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline -and -not $seen) {
                $seen = @(Get-ChildItem -LiteralPath $staging -Force -File)
                Start-Sleep -Milliseconds 50
            }
            $out = $ps.EndInvoke($handle)
            $seen | Should -Not -BeNullOrEmpty -Because 'the archive was written in -TemporaryPath while the request was held'
            $seen[0].Name | Should -BeLike "*$($company.CompanyId)*.partial"
            $out.Name | Should -Be 'staged.pdf'
            @(Get-ChildItem -LiteralPath $staging -Force) | Should -BeNullOrEmpty
        } finally { $ps.Dispose() }
    }

    It 'a -TemporaryPath that is not an existing directory stops the command' {
        $run = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath (Join-Path $work.FullName 'x') -TemporaryPath (Join-Path $work.FullName 'missing') @conn }
        $run.Thrown.FullyQualifiedErrorId | Should -BeLike 'CodatFiles.DestinationNotADirectory*'
    }
}

Describe 'Save-CodatFiles errors about local files' {
    It 'a file that exists with another time (no -Force) is kept with a warning, not an error' {
        $company = New-TestCompany $emulator
        $file = New-TestFile -Directory (Join-Path $work.FullName 'exists-src') -Name 'kept.pdf' -Length 10
        Send-TestFile -Emulator $emulator -Company $company -LiteralPath $file.FullName
        $dest = Join-Path $work.FullName 'exists-out'
        $existing = New-TestFile -Directory (Join-Path $dest 'Accounting') -Name 'kept.pdf' -Length 3
        # Not the upload time: a file written in the upload's second would be taken for the saved one.
        $existing.LastWriteTimeUtc = [datetime]::UtcNow.AddDays(-1)
        $run = Invoke-Capturing { Save-CodatFiles -CompanyId $company.CompanyId -DestinationPath $dest @conn -ErrorAction Stop }
        $run.Thrown | Should -BeNullOrEmpty
        $run.Errors | Should -HaveCount 0
        $run.Warnings | Should -HaveCount 1
        $run.Warnings[0] | Should -BeLike "*'$($existing.FullName)' was kept*-Force*"
        (Get-Item -LiteralPath $existing.FullName).Length | Should -Be 3 -Because 'the existing file was left alone'
    }
}
