# Send-CodatFile's concurrency against an emulator with --latency-ms, where each request holds one of its company's
# 10 slots for the latency (as at Codat): 10 requests in flight per company by default, -ThrottleLimit as a cap,
# several companies at once under the call's cap of 50, backing off on 429s when two processes share a company,
# and safe in ForEach-Object -Parallel. Concurrency is read from the emulator's request log: requests that arrived
# less than the latency apart were in flight together, and a request that can only start once another finished
# arrives at least the latency after the first.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $latencyMs = 500
    $emulator, $conn, $work = Initialize-TestFile -EmulatorArguments '--latency-ms', "$latencyMs", '--daily-quota', '1000000'
    # 60 small files, as many as one call sends to one company here. Rows for several companies reuse them (one file
    # may go to many companies).
    $files = @(1..60 | ForEach-Object { New-TestFile -Directory $work.FullName -Name ('c-{0:d3}.pdf' -f $_) -Length 64 })

    function Get-ArrivalOffsetMs {
        # Upload arrival times (ms after the first), sorted, optionally of one company only.
        param([guid] $CompanyId)
        $uploads = @(Get-TestRequestLog $emulator -Operation 'upload-files')
        if ($CompanyId) { $uploads = @($uploads | Where-Object companyId -EQ $CompanyId.ToString()) }
        $times = @($uploads | ForEach-Object { [DateTimeOffset] $_.receivedAt } | Sort-Object)
        @($times | ForEach-Object { ($_ - $times[0]).TotalMilliseconds })
    }

    function New-UploadRow {
        # Piped objects that bind LiteralPath, CompanyId and ConnectionId by property name.
        param([Parameter(Mandatory)] $Company, [Parameter(Mandatory)] [IO.FileInfo[]] $File)
        $File | ForEach-Object { [pscustomobject]@{ LiteralPath = $_.FullName; CompanyId = $Company.CompanyId; ConnectionId = $Company.ConnectionId } }
    }
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'Send-CodatFile concurrency' {
    BeforeEach { Clear-TestRequestLog $emulator }

    It 'keeps 10 requests in flight for one company by default, and never 11' {
        $company = New-TestCompany $emulator
        # One file a request, so the eleven requests are formed at once, even on a busy machine.
        $run = Invoke-Capturing { $files[0..10] | Send-CodatFile -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 1 @conn }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 11
        $arrivals = Get-ArrivalOffsetMs
        $arrivals.Count | Should -Be 11 -Because 'eleven requests, no retry'
        $arrivals[9] | Should -BeLessThan $latencyMs -Because 'the first ten were sent before any was answered'
        $arrivals[10] | Should -BeGreaterOrEqual $latencyMs -Because 'the eleventh waits until one of the ten ends'
    }

    It 'sends at most -ThrottleLimit at once per company, and the companies of one call at the same time' {
        $companies = @(1..3 | ForEach-Object { New-TestCompany $emulator })
        $rows = @($companies | ForEach-Object { New-UploadRow $_ $files[0..1] })
        $run = Invoke-Capturing { $rows | Send-CodatFile -BatchSize 1 -ThrottleLimit 1 @conn }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 6
        $all = Get-ArrivalOffsetMs
        $all.Count | Should -Be 6
        $all[2] | Should -BeLessThan $latencyMs -Because 'each company''s first batch goes at once'
        foreach ($company in $companies) {
            $own = Get-ArrivalOffsetMs -CompanyId $company.CompanyId
            $own[1] | Should -BeGreaterOrEqual $latencyMs -Because 'a company''s second batch waits for its first with -ThrottleLimit 1'
        }
    }

    It 'keeps at most 50 requests in flight in one call across six companies' {
        $companies = @(1..6 | ForEach-Object { New-TestCompany $emulator })
        # One file a request, so sixty requests are formed from only sixty rows, quickly even on a busy machine.
        $rows = @($companies | ForEach-Object { New-UploadRow $_ $files[0..9] })
        $run = Invoke-Capturing { $rows | Send-CodatFile -BatchSize 1 @conn }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 60
        $arrivals = Get-ArrivalOffsetMs
        $arrivals.Count | Should -Be 60
        $arrivals[49] | Should -BeLessThan $latencyMs -Because 'fifty requests go out before any is answered'
        $arrivals[50] | Should -BeGreaterOrEqual $latencyMs -Because 'the 51st waits for one of them to end'
        @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object status -NE 200) | Should -BeNullOrEmpty
    }

    It 'reads input only while fewer than 100 batches are queued or in flight, so a large call does not hold every file in memory' {
        # 102 one-file rows, 17 for each of six companies (the call's cap of 50 in flight, not a company's 10, limits
        # them, so the call lasts three rounds of requests, not eleven): the 101st waits for room, so the 102nd is read
        # only once a batch ended, and none can end before its company's start list and its own request were answered.
        $companies = @(1..6 | ForEach-Object { New-TestCompany $emulator })
        $rows = @(foreach ($file in $files[0..16]) { foreach ($company in $companies) { New-UploadRow $company $file } })
        # Reading 100 rows took 543 ms once on the shared 2-core machine under load (load average near 40), more than
        # the file's 500 ms: this test alone holds each request 1 s, restored afterwards.
        $heldMs = 1000
        Invoke-TestEmulatorControl $emulator -Method PUT -Path 'latency' -Body @{ latencyMs = $heldMs } | Out-Null
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $readAt = [Collections.Generic.List[double]]::new()
            $run = Invoke-Capturing {
                $rows | ForEach-Object { $readAt.Add($clock.Elapsed.TotalMilliseconds); $_ } | Send-CodatFile -BatchSize 1 @conn
            }
        } finally { Invoke-TestEmulatorControl $emulator -Method PUT -Path 'latency' -Body @{ latencyMs = $latencyMs } | Out-Null }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 102
        $readAt[99] | Should -BeLessThan $heldMs -Because 'the first 100 batches are queued at once'
        $readAt[101] | Should -BeGreaterThan $heldMs -Because 'the 102nd file is read only once the first request ended'
    }

    It 'two processes uploading to one company at once both finish without errors, backing off on 429s' {
        $company = New-TestCompany $emulator
        $warmUp = New-TestCompany $emulator
        # The two processes are this one and a child, each sending the same ten files in one call, a request each
        # (-Force: both store them). Every request of a call waits for its company's start list, so each process sends
        # its ten at once (its own limit) when its list is answered: twenty meet the company's ten slots, provided the
        # second list arrives before the first process's ten, i.e. within the latency (later, it would meet them and
        # wait them out). Both processes load and compile the upload path before 'go' (an upload to another company),
        # so neither starts late for that; requests are held 2 s, room for a late start on a busy machine.
        $heldMs = 2000
        $paths = [string[]] $files[0..9].FullName
        $signals = New-TestDirectory
        $ready = Join-Path $signals.FullName 'ready'
        $go = Join-Path $signals.FullName 'go'
        $job = Start-Job -ArgumentList (Get-TestModulePath), $emulator.BaseUrl, $emulator.ApiKey, $company, $warmUp, $paths, $ready, $go -ScriptBlock {
            param($ModulePath, $ServerUrl, $Key, $Company, $WarmUp, $Paths, $Ready, $Go)
            Import-Module $ModulePath -ErrorAction Stop
            $connection = @{ ServerUrl = $ServerUrl; ApiKey = (ConvertTo-SecureString $Key -AsPlainText -Force); TimeoutSec = 30 }
            $null = Send-CodatFile -LiteralPath $Paths[0] -CompanyId $WarmUp.CompanyId -ConnectionId $WarmUp.ConnectionId -Force @connection -ErrorAction Stop
            New-Item -ItemType File -Path $Ready | Out-Null
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path -LiteralPath $Go) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $errors = $null
            $verbose = Send-CodatFile -LiteralPath $Paths -CompanyId $Company.CompanyId -ConnectionId $Company.ConnectionId -BatchSize 1 -Force @connection `
                -ErrorVariable errors -ErrorAction SilentlyContinue -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message
            [pscustomobject]@{ Errors = @($errors | ForEach-Object { "$_" }); Verbose = @($verbose) }
        }
        try {
            $null = Send-CodatFile -LiteralPath $paths[0] -CompanyId $warmUp.CompanyId -ConnectionId $warmUp.ConnectionId -Force @conn -ErrorAction Stop
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not (Test-Path -LiteralPath $ready) -and $job.State -eq 'Running' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Invoke-TestEmulatorControl $emulator -Method PUT -Path 'latency' -Body @{ latencyMs = $heldMs } | Out-Null
            New-Item -ItemType File -Path $go | Out-Null
            $own = Invoke-Capturing { Send-CodatFile -LiteralPath $paths -CompanyId $company.CompanyId -ConnectionId $company.ConnectionId -BatchSize 1 -Force @conn -TimeoutSec 30 -Verbose }
            $job | Wait-Job -Timeout 120 | Out-Null
            $results = @([pscustomobject]@{ Errors = @(@($own.Errors) + @($own.Thrown | Where-Object { $_ }) | ForEach-Object { "$_" }); Verbose = $own.Verbose }) + @($job | Receive-Job)
        } finally {
            $job | Remove-Job -Force
            Remove-Item -LiteralPath $signals.FullName -Recurse -Force -ErrorAction SilentlyContinue
            Invoke-TestEmulatorControl $emulator -Method PUT -Path 'latency' -Body @{ latencyMs = $latencyMs } | Out-Null
        }

        $lists = @(Get-TestRequestLog $emulator -Operation 'list-files' | Where-Object companyId -EQ $company.CompanyId.ToString() | ForEach-Object { [DateTimeOffset] $_.receivedAt } | Sort-Object)
        $apart = if ($lists.Count -ge 2) { "$([int] ($lists[1] - $lists[0]).TotalMilliseconds) ms apart" } else { 'not both' }
        $results.Count | Should -Be 2 -Because 'both processes finished within the time allowed'
        $results | ForEach-Object { $_.Errors | Should -BeNullOrEmpty }
        @(Get-CodatFileList -CompanyId $company.CompanyId @conn).Count | Should -Be 20
        $uploads = @(Get-TestRequestLog $emulator -Operation 'upload-files' | Where-Object companyId -EQ $company.CompanyId.ToString())
        @($uploads | Where-Object status -EQ 429).Count | Should -BeGreaterThan 0 -Because "twenty requests at once meet the ten slots (the start lists arrived $apart; requests held $heldMs ms)"
        @($results.Verbose | Where-Object { $_ -match "Codat answered 429 for company $($company.CompanyId): at most \d+ requests? at once" }) |
            Should -Not -BeNullOrEmpty -Because 'a process that met 429s lowers its own limit'
    }

    It 'is safe in ForEach-Object -Parallel: runspaces uploading at once, two of them to the same company' {
        $shared = New-TestCompany $emulator
        $targets = @((1..3 | ForEach-Object { New-TestCompany $emulator }) + $shared + $shared)
        $modulePath = Get-TestModulePath
        $key = $emulator.ApiKey; $serverUrl = $emulator.BaseUrl; $paths = [string[]] $files[0..59].FullName
        $outcomes = @($targets | ForEach-Object -ThrottleLimit 5 -TimeoutSeconds 120 -Parallel {
                Import-Module $using:modulePath -ErrorAction Stop
                $apiKey = ConvertTo-SecureString $using:key -AsPlainText -Force
                $errors = $null
                # -Force: the two runspaces for one company each store the 60 files, whichever lists first.
                $sent = @($using:paths | Send-CodatFile -CompanyId $_.CompanyId -ConnectionId $_.ConnectionId -BatchSize 5 -Force `
                        -ServerUrl $using:serverUrl -ApiKey $apiKey -TimeoutSec 30 -ErrorVariable errors -ErrorAction SilentlyContinue)
                [pscustomobject]@{ CompanyId = $_.CompanyId; Sent = $sent.Count; Errors = @($errors | ForEach-Object { "$_" }) }
            })
        $outcomes.Count | Should -Be 5
        $outcomes | ForEach-Object { $_.Errors | Should -BeNullOrEmpty; $_.Sent | Should -Be 60 }
        foreach ($company in $targets[0..2]) { @(Get-CodatFileList -CompanyId $company.CompanyId @conn).Count | Should -Be 60 }
        @(Get-CodatFileList -CompanyId $shared.CompanyId @conn).Count | Should -Be 120
    }
}
