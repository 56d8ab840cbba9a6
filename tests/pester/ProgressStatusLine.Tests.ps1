# The status line of Send-CodatFile's and Save-CodatFiles' overall progress bar within 80 columns: which parts it
# keeps and which it leaves out, whole, when they do not fit. The formatter is called directly (it is pure); what the
# cmdlets write to the Progress stream is tested in Progress.Tests.ps1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
}

Describe 'The overall status line at 80 columns' {
    BeforeAll {
        # The formatter itself (internal), reached through the module's assembly: it is pure, so every case is exact.
        $line = (Get-Module CodatFiles).ImplementingAssembly.GetType('CodatFiles.Pipeline.ProgressStatusLine', $true)
        function Format-Overall([string] $Activity, [int] $Done, [int] $Planned, [int] $Failed, [long] $Skipped, [long] $Bytes, [long] $BytesPlanned, [string] $Requests) {
            $width = $line.GetMethod('StatusWidth').Invoke($null, @($Activity, 0))
            $line.GetMethod('Overall').Invoke($null, @([int] $width, 'files', $Done, $Planned, $Failed, $Skipped, $Bytes, $BytesPlanned, $Requests))
        }
        $activity = 'Uploading files to Codat'
    }

    It 'a month-end run keeps files, failed and skipped first and drops what does not fit, whole' {
        $status = Format-Overall $activity 120 496 24 3 12.3MB 50.1MB '130 requests, 12 retries'
        $status | Should -Match '^120 of 496 files, 24 failed, 3 skipped'
        $status | Should -Not -Match '…|requests' -Because 'the requests part does not fit and is left out, not cut'
        ("$activity [$status ]").Length | Should -BeLessOrEqual 80
    }

    It 'keeps every part when they fit' {
        Format-Overall 'Saving' 1 2 0 0 100 200 '2 requests, 0 retries' | Should -BeExactly '1 of 2 files, 100 B of 200 B; 2 requests, 0 retries'
    }

    It 'leaves out a long part but keeps a shorter, later one that fits' {
        # 51 columns for the status, 28 taken: the bytes part (24) would pass it, the requests part (22) still fits.
        $status = Format-Overall $activity 999 999 999 0 1023.9GB 1023.9GB '1 request, 0 retries'
        $status | Should -BeExactly '999 of 999 files, 999 failed; 1 request, 0 retries'
        $status.Length | Should -BeLessOrEqual (80 - $activity.Length - 5)
    }

    It 'never drops the files count, even when nothing else fits' {
        $long = 'x' * 70
        Format-Overall $long 1 2 1 0 0 0 '1 request, 0 retries' | Should -BeExactly '1 of 2 files'
    }
}
