# Send-CodatFile refuses FIFOs, devices and sockets before opening them (opening a FIFO would block until a writer
# came, whatever -TimeoutSec says): each fails alone as NotAFile and the regular files of the call are still sent.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $modulePath = Get-TestModulePath
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Send-CodatFile with special files' -Skip:$IsWindows {
    BeforeAll {
        $fifo = Join-Path $work.FullName 'pipe.pdf'
        & mkfifo $fifo
        $device = '/dev/null'
        $good = New-TestFile -Directory $work.FullName -Name 'good.pdf' -Length 1234
        $company = New-TestCompany $emulator

        # In a runspace of its own, so a regression (a blocked open) fails this test instead of hanging the suite.
        $ps = [powershell]::Create()
        $ps.AddCommand('Import-Module').AddParameter('Name', $modulePath).Invoke() | Out-Null
        $ps.Commands.Clear()
        $ps.AddCommand('Send-CodatFile').AddParameter('LiteralPath', @($fifo, $good.FullName, $device)).
            AddParameter('CompanyId', $company.CompanyId).AddParameter('ConnectionId', $company.ConnectionId).
            AddParameter('ApiKey', $conn.ApiKey).AddParameter('ServerUrl', $conn.ServerUrl).AddParameter('TimeoutSec', 5) | Out-Null
        $async = $ps.BeginInvoke()
        $finished = $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(30))
        if ($finished) {
            $output = @($ps.EndInvoke($async))
            $errors = @($ps.Streams.Error)
        } else {
            $ps.Stop()
        }
        $ps.Dispose()
    }

    It 'ends without waiting on the FIFO' {
        $finished | Should -BeTrue
    }

    It 'refuses the FIFO and the device as NotAFile, each naming itself' {
        $errors.Count | Should -Be 2
        foreach ($path in $fifo, $device) {
            $refusal = $errors | Where-Object TargetObject -EQ $path
            $refusal.FullyQualifiedErrorId | Should -Match '^CodatFiles\.NotAFile(,|$)'
            $refusal.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        ($errors | Where-Object TargetObject -EQ $fifo).ToString() | Should -BeLike '*is a FIFO*'
        ($errors | Where-Object TargetObject -EQ $device).ToString() | Should -BeLike '*is a character device*'
    }

    It 'still sends the regular file, and only it' {
        $output.FileName | Should -Be 'good.pdf'
        @(Get-CodatFileList -CompanyId $company.CompanyId @conn -ErrorAction Stop).FileName | Should -Be 'good.pdf'
    }
}
